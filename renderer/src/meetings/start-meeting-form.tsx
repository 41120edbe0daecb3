import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CircleMeetingsView } from '../../../shared/meetings/types';
import { usePlenary } from '../store';

/** For operators with BBB API credentials: start a circle's or an assembly's meeting as moderator. */
export function StartMeetingForm({ circles }: { circles: CircleMeetingsView[] }) {
  const { t } = useTranslation('meetings');
  const start = usePlenary((s) => s.startMeeting);
  const [circleId, setCircleId] = useState(circles[0]?.circleId ?? '');
  const [assemblyId, setAssemblyId] = useState('');
  const [record, setRecord] = useState(true);
  const [busy, setBusy] = useState(false);
  const ids = { circle: useId(), assembly: useId(), record: useId(), heading: useId() };
  const circle = circles.find((c) => c.circleId === circleId) ?? circles[0];
  if (!circle) return null;
  return (
    <section className="card" aria-labelledby={ids.heading}>
      <h2 id={ids.heading}>{t('start.title')}</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setBusy(true);
          void start({ circleId: circle.circleId, assemblyId: assemblyId || null, record }).finally(() => setBusy(false));
        }}
      >
        <div className="field">
          <label htmlFor={ids.circle}>{t('start.circle')}</label>
          <select
            id={ids.circle}
            value={circle.circleId}
            onChange={(e) => {
              setCircleId(e.target.value);
              setAssemblyId('');
            }}
          >
            {circles.map((c) => (
              <option key={c.circleId} value={c.circleId}>
                {c.circleName}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.assembly}>{t('start.assembly')}</label>
          <select id={ids.assembly} value={assemblyId} onChange={(e) => setAssemblyId(e.target.value)}>
            <option value="">{t('start.noAssembly')}</option>
            {circle.assemblies.map((a) => (
              <option key={a.id} value={a.id}>
                {a.title}
              </option>
            ))}
          </select>
        </div>
        <div className="field checkbox">
          <input id={ids.record} type="checkbox" checked={record} onChange={(e) => setRecord(e.target.checked)} />
          <label htmlFor={ids.record}>{t('start.record')}</label>
        </div>
        <button type="submit" className="primary" disabled={busy}>
          {t('start.submit')}
        </button>
      </form>
    </section>
  );
}
