// Quorum from the call, on an assembly's page: while the circle's meeting runs on the BBB
// server Plenary has API access to, who of the circle's members is in the call, whether that
// makes the quorum of the assembly's open votes (of the members), and for a facilitator a
// button that prefills attendance from the call (the Today page's attendance import).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AssemblyDetail } from '../../../shared/governance/views';
import type { AttendanceImport } from '../../../shared/meetings/types';
import { callQuorum } from '../../../shared/meetings/call-quorum';
import { api } from '../api/client';
import { usePlenary } from '../store';
import { useAction } from './use-governance';
import { FormError } from './form-error';

export function CallQuorumSection({ assembly }: { assembly: AssemblyDetail }) {
  const { t } = useTranslation('governance');
  const meetings = usePlenary((s) => s.meetings);
  const loadMeetings = usePlenary((s) => s.loadMeetings);
  const action = useAction();
  const [imported, setImported] = useState<AttendanceImport | null>(null);
  useEffect(() => {
    void loadMeetings();
  }, [loadMeetings]);
  if (assembly.status === 'closed' || !meetings?.api.configured) return null;
  const running = meetings.running.filter((m) => m.circleId === assembly.circle);
  const meeting = running.find((m) => m.assemblyId === assembly.id) ?? running[0];
  if (!meeting) return null;
  // The strictest quorum of the assembly's open votes counted on the members (50 % when none).
  const percents = assembly.votes.filter((v) => v.status === 'open' && v.quorumBasis === 'members').map((v) => v.quorumPercent);
  const percent = percents.length > 0 ? Math.max(...percents) : 50;
  const q = callQuorum(
    assembly.members.map((m) => m.member),
    meeting.attendees,
    percent,
  );
  return (
    <section className="card" aria-labelledby="call-quorum-title">
      <h2 id="call-quorum-title">{t('callQuorum.title')}</h2>
      <p role="status">
        <strong>{q.present ? t('callQuorum.present') : t('callQuorum.notPresent')}</strong>{' '}
        {t('callQuorum.count', { inCall: q.inCall.length, members: q.members, required: q.required, percent })}
      </p>
      {q.others > 0 && <p className="muted">{t('callQuorum.others', { count: q.others })}</p>}
      {assembly.canFacilitate && (
        <button
          type="button"
          disabled={action.busy}
          onClick={() => void action.run(async () => setImported(await api().meetings.importAttendance({ meetingID: meeting.meetingID, assemblyId: assembly.id })))}
        >
          {t('callQuorum.prefill')}
        </button>
      )}
      {imported && <p role="status">{t('callQuorum.prefilled', { count: imported.imported.length })}</p>}
      <FormError error={action.error} />
    </section>
  );
}
