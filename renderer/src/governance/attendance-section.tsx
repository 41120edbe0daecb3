// The attendance tick list: one radio group per member, so a facilitator goes down the
// list with Tab and the arrow keys.
import { memo, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AssemblyDetail, AttendanceView } from '../../../shared/governance/views';
import { attendanceStatuses, type AttendanceStatus } from '../../../shared/governance/operation-types';
import { applyChange, useAction } from './use-governance';
import { FormError } from './form-error';

const sameRow = (a: RowProps, b: RowProps) =>
  a.circle === b.circle && a.assemblyId === b.assemblyId && a.editable === b.editable && a.row.member === b.row.member && a.row.status === b.row.status && a.row.displayName === b.row.displayName;

interface RowProps {
  circle: string;
  assemblyId: string;
  row: AttendanceView;
  editable: boolean;
}

/** One member's row; re-rendered only when that member's attendance changes. */
const AttendanceRow = memo(function AttendanceRow({ circle, assemblyId, row, editable }: RowProps) {
  const { t } = useTranslation('governance');
  const action = useAction();
  // The tick shows at once; the store's answer (or a refusal) follows.
  const [shown, setShown] = useState(row.status);
  useEffect(() => setShown(row.status), [row.status]);
  const set = async (status: AttendanceStatus) => {
    setShown(status);
    const done = await action.run(() => applyChange({ type: 'assembly.attendance.set', circle, payload: { assemblyId, member: row.member, status } }));
    if (!done) setShown(row.status);
  };
  return (
    <fieldset className="gov-attendance-row" disabled={!editable}>
      <legend>{row.displayName}</legend>
      {attendanceStatuses.map((status) => (
        <label key={status} className={`gov-radio attendance-${status}`}>
          <input type="radio" name={`attendance-${row.member}`} value={status} checked={shown === status} onChange={() => void set(status)} />
          {t(`attendance.${status}`)}
        </label>
      ))}
      <FormError error={action.error} />
    </fieldset>
  );
}, sameRow);

export function AttendanceSection({ assembly }: { assembly: AssemblyDetail }) {
  const { t } = useTranslation('governance');
  const editable = assembly.canFacilitate && assembly.status !== 'closed';
  const count = (status: AttendanceStatus | null) => assembly.attendance.filter((a) => a.status === status).length;
  return (
    <section className="card" aria-labelledby="attendance-title">
      <h2 id="attendance-title">{t('attendance.title')}</h2>
      <p className="muted" aria-live="polite">
        {t('attendance.summary', { present: count('present'), apologies: count('apologies'), absent: count('absent'), unrecorded: count(null) })}
      </p>
      {assembly.attendance.length === 0 ? (
        <p className="muted">{t('attendance.noMembers')}</p>
      ) : (
        <div className="gov-attendance">
          {assembly.attendance.map((row) => (
            <AttendanceRow key={row.member} circle={assembly.circle} assemblyId={assembly.id} row={row} editable={editable} />
          ))}
        </div>
      )}
    </section>
  );
}
