import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AssemblyRef, RecordingView } from '../../../shared/meetings/types';
import { api } from '../api/client';
import { usePlenary } from '../store';
import { formatDateTime } from './format';

function RecordingItem({ circleId, recording, assemblies }: { circleId: string; recording: RecordingView; assemblies: AssemblyRef[] }) {
  const { t, i18n } = useTranslation('meetings');
  const showError = usePlenary((s) => s.showError);
  const [assemblyId, setAssemblyId] = useState(recording.assemblyId ?? assemblies[0]?.id ?? '');
  const [attached, setAttached] = useState(false);
  const selectId = useId();
  const playback = recording.playback[0];
  return (
    <li>
      <span className="room-label">{recording.name}</span>
      <span className="muted">{formatDateTime(recording.startTime, i18n.language)}</span>
      {recording.playback.map((p) => (
        <a key={p.url} href={p.url} target="_blank" rel="noopener noreferrer">
          {t('recordings.play', { type: p.type, minutes: p.minutes })}
        </a>
      ))}
      {playback && assemblies.length > 0 && (
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            void api()
              .meetings.attachRecording({ circleId, assemblyId, recordID: recording.recordID, url: playback.url, label: recording.name })
              .then(() => setAttached(true), showError);
          }}
        >
          <label htmlFor={selectId}>{t('recordings.attachTo')}</label>
          <select id={selectId} value={assemblyId} onChange={(e) => setAssemblyId(e.target.value)}>
            {assemblies.map((a) => (
              <option key={a.id} value={a.id}>
                {a.title}
              </option>
            ))}
          </select>
          <button type="submit">{t('recordings.attach')}</button>
          <span role="status" aria-live="polite">
            {attached ? t('recordings.attached') : ''}
          </span>
        </form>
      )}
    </li>
  );
}

/** Operators: the circle's BBB recordings, each attachable to an assembly's minutes. */
export function RecordingsPanel({ circleId, assemblies }: { circleId: string; assemblies: AssemblyRef[] }) {
  const { t } = useTranslation('meetings');
  const showError = usePlenary((s) => s.showError);
  const [recordings, setRecordings] = useState<RecordingView[] | null>(null);
  const headingId = useId();
  return (
    <div className="recordings">
      <h4 id={headingId}>{t('recordings.title')}</h4>
      <button type="button" onClick={() => void api().meetings.recordings({ circleId }).then(setRecordings, showError)}>
        {recordings === null ? t('recordings.load') : t('recordings.reload')}
      </button>
      {recordings !== null &&
        (recordings.length === 0 ? (
          <p className="muted">{t('recordings.none')}</p>
        ) : (
          <ul className="room-list" aria-labelledby={headingId}>
            {recordings.map((r) => (
              <RecordingItem key={r.recordID} circleId={circleId} recording={r} assemblies={assemblies} />
            ))}
          </ul>
        ))}
    </div>
  );
}
