import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AttendanceImport, RunningMeetingView } from '../../../shared/meetings/types';
import { api } from '../api/client';
import { usePlenary } from '../store';
import { formatTime } from './format';

/** An API meeting in progress: who is in, join, and the operator's tools. */
function RunningMeeting({ meeting, assemblies }: { meeting: RunningMeetingView; assemblies: { id: string; title: string }[] }) {
  const { t, i18n } = useTranslation('meetings');
  const join = usePlenary((s) => s.joinMeeting);
  const showError = usePlenary((s) => s.showError);
  const setMeetings = usePlenary((s) => s.setMeetings);
  const [assemblyId, setAssemblyId] = useState(meeting.assemblyId ?? assemblies[0]?.id ?? '');
  const [imported, setImported] = useState<AttendanceImport | null>(null);
  const [confirmingEnd, setConfirmingEnd] = useState(false);
  const [busy, setBusy] = useState(false);
  const ids = { assembly: useId(), heading: useId() };

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    try {
      await action();
    } catch (error) {
      showError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="meeting live running">
      <div className="meeting-when">
        <span className="live-badge">{t('today.liveBadge')}</span>
        <span>{t('running.since', { time: formatTime(meeting.createTime, i18n.language) })}</span>
      </div>
      <h3 id={ids.heading} className="meeting-name">
        {meeting.assemblyTitle ? t('running.nameWithAssembly', { circle: meeting.circleName, assembly: meeting.assemblyTitle }) : meeting.circleName}
      </h3>
      <p className="muted">{t('running.participants', { count: meeting.participantCount })}</p>
      {meeting.attendees.length > 0 && (
        <ul className="attendees" aria-label={t('running.attendees')}>
          {meeting.attendees.map((a, i) => (
            <li key={`${a.memberId ?? a.name}-${i}`}>
              {a.name}
              {a.role === 'MODERATOR' && <span className="tag">{t('running.moderator')}</span>}
              {a.memberId === null && <span className="tag">{t('running.guest')}</span>}
            </li>
          ))}
        </ul>
      )}
      <div className="actions">
        <button type="button" className="primary" onClick={() => void join({ kind: 'running', meetingID: meeting.meetingID })}>
          {t('today.join')}
        </button>
        {!confirmingEnd ? (
          <button type="button" className="danger" disabled={busy} onClick={() => setConfirmingEnd(true)}>
            {t('running.end')}
          </button>
        ) : (
          <span className="confirm" role="group" aria-label={t('running.confirmEnd')}>
            <span>{t('running.confirmEnd')}</span>
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={() =>
                void run(async () => {
                  setMeetings(await api().meetings.end({ meetingID: meeting.meetingID }));
                  setConfirmingEnd(false);
                })
              }
            >
              {busy ? t('running.ending') : t('running.endConfirm')}
            </button>
            <button type="button" onClick={() => setConfirmingEnd(false)}>
              {t('common:cancel')}
            </button>
          </span>
        )}
      </div>
      {assemblies.length > 0 && (
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            void run(async () => setImported(await api().meetings.importAttendance({ meetingID: meeting.meetingID, assemblyId })));
          }}
        >
          <label htmlFor={ids.assembly}>{t('running.importInto')}</label>
          <select id={ids.assembly} value={assemblyId} onChange={(e) => setAssemblyId(e.target.value)}>
            {assemblies.map((a) => (
              <option key={a.id} value={a.id}>
                {a.title}
              </option>
            ))}
          </select>
          <button type="submit" disabled={busy}>
            {t('running.import')}
          </button>
        </form>
      )}
      <div role="status" aria-live="polite">
        {imported && (
          <p>
            {t('running.imported', { count: imported.imported.length })}
            {imported.unmatched.length > 0 && ` ${t('running.unmatched', { names: imported.unmatched.map((u) => u.name).join(', ') })}`}
          </p>
        )}
      </div>
    </li>
  );
}

export function RunningMeetings({ running, circles }: { running: RunningMeetingView[]; circles: { circleId: string; assemblies: { id: string; title: string }[] }[] }) {
  return (
    <ul className="meeting-list">
      {running.map((m) => (
        <RunningMeeting key={m.meetingID} meeting={m} assemblies={circles.find((c) => c.circleId === m.circleId)?.assemblies ?? []} />
      ))}
    </ul>
  );
}
