// A small but realistic piece of a coop's history, made through the real governance store:
// two circles (one archived), members, a room and a monthly schedule, an assembly with an agenda, attendance,
// minutes, a recording and a decision, votes with ballots cast here, by proxy and received
// from another member's computer, a closed vote with an outcome, and contributions logged,
// edited and deleted. Export, import and migration tests compare every row it leaves.
import { newId } from '../../shared/governance/ids';
import { formatHlc } from '../../shared/governance/hlc';
import { operationSchemaVersion } from '../../shared/governance/operation';
import type { GovernanceOperation } from '../../shared/governance/operation-types';
import type { GovernanceStore } from '../../main/core/store/governance-store';

export const ana = '@ana:meet.coop';
export const ben = '@ben:meet.coop';

export interface CoopHistory {
  circle: string;
  archived: string;
  assembly: string;
  vote: string;
  consent: string;
}

/** Records the history as `self` (who becomes the first circle's facilitator); `now` is the store's clock. */
export function recordCoopHistory(store: GovernanceStore, self: string, now: number): CoopHistory {
  const circle = newId(now);
  store.applyLocal('circle.create', circle, { name: 'Technology operations', purpose: 'Keep the BBB and Matrix servers running', timezone: 'Europe/Madrid' });
  store.applyLocal('circle.member.set', circle, { member: self, displayName: 'Facilitator', role: 'facilitator', timezone: 'Europe/Madrid' });
  store.applyLocal('circle.member.set', circle, { member: ana, displayName: 'Ana', role: 'member', timezone: 'America/Toronto' });
  store.applyLocal('circle.member.set', circle, { member: ben, displayName: 'Ben — “ops”', role: 'steward', timezone: 'Asia/Tokyo' });
  store.applyLocal('circle.room.add', circle, { roomId: newId(now), url: 'https://meet.coop/b/tec-abc-def-ghi', label: 'Weekly call' });
  store.applyLocal('circle.update', circle, { fields: { purpose: 'Keep the servers running, and document how' } });
  // Like commons.hour: the fourth Monday of each month at 18:00 UTC.
  store.applyLocal('circle.update', circle, { fields: { schedule: { rrule: 'DTSTART;TZID=UTC:20261228T180000\nRRULE:FREQ=MONTHLY;BYDAY=4MO', timezone: 'UTC', durationMinutes: 60 } } });

  const assembly = newId(now);
  const item = newId(now);
  const vote = newId(now);
  const options = [
    { id: newId(now), label: 'Move to the new host' },
    { id: newId(now), label: 'Stay one more year' },
  ];
  store.applyLocal('assembly.create', circle, { assemblyId: assembly, title: 'December all-hands', scheduledAt: now + 3_600_000 });
  store.applyLocal('assembly.agenda.set', circle, { assemblyId: assembly, itemId: item, title: 'Hosting for 2027', position: 0 });
  store.applyLocal('assembly.agenda.set', circle, { assemblyId: assembly, itemId: newId(now), title: 'Any other business', position: 1 });
  store.applyLocal('assembly.open', circle, { assemblyId: assembly });
  store.applyLocal('assembly.attendance.set', circle, { assemblyId: assembly, member: self, status: 'present' });
  store.applyLocal('assembly.attendance.set', circle, { assemblyId: assembly, member: ana, status: 'present' });
  store.applyLocal('assembly.attendance.set', circle, { assemblyId: assembly, member: ben, status: 'apologies' });
  store.applyLocal('assembly.minutes.set', circle, { assemblyId: assembly, itemId: item, markdown: '## Hosting\n\n- Costs compared\n- **Decision** by vote below\n' });
  store.applyLocal('vote.create', circle, {
    voteId: vote,
    assemblyId: assembly,
    itemId: item,
    question: 'Where do we host in 2027?',
    details: 'See the comparison in the minutes.',
    method: 'single',
    options,
    quorumPercent: 50,
  });
  store.applyLocal('assembly.decision.link', circle, { assemblyId: assembly, itemId: item, voteId: vote });
  store.applyLocal('vote.ballot', circle, { voteId: vote, voter: self, choice: options[0]!.id, reason: 'Cheaper and closer' });
  // Ben sent apologies and voted by proxy through the facilitator.
  store.applyLocal('vote.ballot', circle, { voteId: vote, voter: ben, choice: options[0]!.id });
  // Ana's ballot came from her own computer through sync.
  const remote: GovernanceOperation = {
    id: newId(now),
    hlc: formatHlc({ wall: now, counter: 7, node: 'anas_laptop' }),
    actor: ana,
    circle,
    type: 'vote.ballot',
    payload: { voteId: vote, voter: ana, choice: options[1]!.id, reason: 'Moving costs a month of work' },
    v: operationSchemaVersion,
  } as GovernanceOperation;
  const applied = store.applyRemote([remote]);
  if (applied.applied.length !== 1) throw new Error(`the remote ballot was refused: ${JSON.stringify(applied.rejected)}`);
  store.applyLocal('vote.close', circle, { voteId: vote });
  store.applyLocal('vote.update', circle, { voteId: vote, fields: { outcome: 'We move to the new host in March.' } });
  store.applyLocal('assembly.recording.add', circle, { assemblyId: assembly, recordingId: newId(now), url: 'https://bbb.meet.coop/playback/presentation/2.3/abc', label: 'Recording' });
  store.applyLocal('assembly.close', circle, { assemblyId: assembly });

  const consent = newId(now);
  store.applyLocal('vote.create', circle, { voteId: consent, question: 'Adopt the on-call rota?', details: '', method: 'consent', options: [], quorumPercent: 0 });
  store.applyLocal('vote.ballot', circle, { voteId: consent, voter: self, choice: 'agree' });

  const day = new Date(now).toISOString().slice(0, 10);
  const kept = newId(now);
  const edited = newId(now);
  const removed = newId(now);
  store.applyLocal('contribution.create', circle, { contributionId: kept, member: self, date: day, minutes: 90, stream: 'livelihood', description: 'Upgraded BBB to 3.0', tags: ['bbb', 'upgrade'] });
  store.applyLocal('contribution.create', circle, { contributionId: edited, member: ana, date: day, minutes: 30, stream: 'care', description: 'Onboarded a member', tags: [] });
  store.applyLocal('contribution.update', circle, { contributionId: edited, fields: { minutes: 45, description: 'Onboarded two members' } });
  store.applyLocal('contribution.create', circle, { contributionId: removed, member: self, date: day, minutes: 15, stream: 'commons', description: 'Logged twice by mistake', tags: [] });
  store.applyLocal('contribution.delete', circle, { contributionId: removed });

  const archived = newId(now);
  store.applyLocal('circle.create', archived, { name: 'Pilot 2025', purpose: 'Finished', timezone: 'UTC' });
  store.applyLocal('circle.archive', archived, {});
  return { circle, archived, assembly, vote, consent };
}
