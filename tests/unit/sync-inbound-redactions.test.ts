// Redactions as the inbound side reads them: a replica that read the events before the
// redaction and one that only ever sees the redacted shells end with the same state, also
// when the redacted batch held a ballot whose poll answer (Plenary's mirror for Element)
// stays, and when a poll start is redacted with answers to it. A redaction the server would
// not apply withdraws nothing.
import { describe, expect, it } from 'vitest';
import { encodeOpsContent, opsEventType } from '../../main/core/sync/ops-event';
import { buildPollResponse, buildPollStart, pollResponseType, pollStartType } from '../../main/core/sync/msc3381';
import { ballotKey, voteKey } from '../../main/core/sync/poll-mapping';
import { createLogger } from '../../main/core/log';
import { inboundFixture } from '../helpers/inbound-fixture';
import type { MatrixRawEvent, SyncResponse } from '../../main/core/matrix/matrix-connection';
import type { Operation } from '../../shared/governance/operation';
import { formatHlc } from '../../shared/governance/hlc';

const roomId = '!circle:meet.coop';
const circle = '00000000000000000000000C1C';
const alice = '@alice:meet.coop';
const bob = '@bob:meet.coop';
const mallory = '@mallory:elsewhere.example';
const t0 = Date.UTC(2026, 11, 9, 10);
const voteId = '000000000000000000000000V7';
const [yes, no] = ['00000000000000000000000YES', '000000000000000000000000N0'];

function replica() {
  const { db, store, inbound, rooms } = inboundFixture({ self: '@carol:meet.coop', now: t0, storeNow: t0 + 3600_000, log: createLogger('redactions', () => {}) });
  rooms.remember(circle, roomId);
  const read = (events: MatrixRawEvent[]) => inbound.onSync(sync(events));
  return { db, store, read };
}

function sync(events: MatrixRawEvent[]): SyncResponse {
  const state = [
    { event_id: '$pl', type: 'm.room.power_levels', sender: alice, origin_server_ts: t0, state_key: '', content: { users: { [alice]: 100 }, users_default: 0 } },
  ] as MatrixRawEvent[];
  return { next_batch: 's', rooms: { join: { [roomId]: { state: { events: state }, timeline: { events } } } } };
}

let n = 0;
const op = (actor: string, type: string, payload: Record<string, unknown>, wall: number): Operation => ({
  id: `01KF${String(n++).padStart(22, '0')}`,
  hlc: formatHlc({ wall, counter: 0, node: 'n1' }),
  actor,
  circle,
  type,
  payload,
  v: 1,
});
const event = (event_id: string, type: string, sender: string, ts: number, content: Record<string, unknown>, extra: Partial<MatrixRawEvent> = {}): MatrixRawEvent => ({
  event_id,
  type,
  sender,
  origin_server_ts: ts,
  content,
  ...extra,
});
const redaction = (event_id: string, sender: string, target: string, ts: number) => event(event_id, 'm.room.redaction', sender, ts, { redacts: target, reason: 'mistake' });
/** The event as a replica that reads the room after the redaction gets it. */
const shell = (original: MatrixRawEvent, by: MatrixRawEvent): MatrixRawEvent => ({ ...original, content: {}, unsigned: { redacted_because: by } });

const setUpOps = [
  op(alice, 'circle.create', { name: 'Care', purpose: '', timezone: 'UTC' }, t0),
  op(alice, 'circle.member.set', { member: alice, displayName: 'Alice', role: 'facilitator', timezone: 'UTC' }, t0 + 1),
  op(alice, 'circle.member.set', { member: bob, displayName: 'Bob', role: 'member', timezone: 'UTC' }, t0 + 2),
  op(alice, 'vote.create', { voteId, question: 'Q?', details: '', method: 'single', options: [{ id: yes, label: 'Yes' }, { id: no, label: 'No' }], quorumPercent: 0 }, t0 + 3),
];
const setUp = event('$setup', opsEventType, alice, t0 + 10, encodeOpsContent('B1', circle, setUpOps) as unknown as Record<string, unknown>);
const start = event('$start', pollStartType, alice, t0 + 20, buildPollStart({ question: 'Q?', answers: [{ id: yes, text: 'Yes' }, { id: no, text: 'No' }], maxSelections: 1, kind: 'org.matrix.msc3381.poll.disclosed' }, { [voteKey]: { voteId, method: 'single', opId: setUpOps[3]!.id } }));

describe('redactions read before and after', () => {
  it('end equal when the redacted batch held a ballot whose poll answer stays', async () => {
    const ballot = op(bob, 'vote.ballot', { voteId, voter: bob, choice: yes }, t0 + 30);
    const batch = event('$batch', opsEventType, bob, t0 + 40, encodeOpsContent('B2', circle, [ballot]) as unknown as Record<string, unknown>);
    const mirror = event('$mirror', pollResponseType, bob, t0 + 50, buildPollResponse('$start', [yes], { [ballotKey]: { voteId, opId: ballot.id } }));
    const redact = redaction('$redact', bob, '$batch', t0 + 60);

    const before = replica();
    await before.read([setUp, start, batch, mirror]);
    expect(before.db.prepare('SELECT poll_ts FROM ops WHERE id = ?').pluck().get(ballot.id)).toBe(t0 + 50);
    await before.read([redact]);
    const after = replica();
    await after.read([setUp, start, shell(batch, redact), mirror, redact]);

    expect(after.store.stateDigest()).toBe(before.store.stateDigest());
    // Element still shows Bob's answer: on both, it now counts as his answer from Element.
    const ballots = (r: ReturnType<typeof replica>) => r.db.prepare("SELECT actor, payload FROM ops WHERE type = 'vote.ballot' AND withdrawn = 0").all();
    expect(ballots(before)).toEqual([{ actor: bob, payload: JSON.stringify({ voteId, voter: bob, choice: yes }) }]);
    expect(ballots(after)).toEqual(ballots(before));
  });

  it('withdraw the answers to a redacted poll start with it', async () => {
    const answer = event('$answer', pollResponseType, bob, t0 + 30, buildPollResponse('$start', [no]));
    const redact = redaction('$redact-start', alice, '$start', t0 + 40);
    const before = replica();
    await before.read([setUp, start, answer]);
    expect(before.db.prepare("SELECT count(*) FROM ops WHERE type = 'vote.ballot' AND withdrawn = 0").pluck().get()).toBe(1);
    await before.read([redact]);
    const after = replica();
    await after.read([setUp, shell(start, redact), answer, redact]);
    expect(after.store.stateDigest()).toBe(before.store.stateDigest());
    for (const r of [before, after]) {
      expect(r.db.prepare("SELECT count(*) FROM ops WHERE type = 'vote.ballot' AND withdrawn = 0").pluck().get()).toBe(0);
      expect(r.db.prepare('SELECT event_id, refers_to FROM withdrawn_events ORDER BY event_id').all()).toEqual([
        { event_id: '$answer', refers_to: '$start' },
        { event_id: '$start', refers_to: null },
      ]);
    }
  });

  it('ignore a redaction the server would not apply (someone else, from another server, without power)', async () => {
    const r = replica();
    await r.read([setUp, redaction('$forged', mallory, '$setup', t0 + 30)]);
    expect(r.db.prepare('SELECT count(*) FROM withdrawn_events').pluck().get()).toBe(0);
    expect(r.db.prepare('SELECT count(*) FROM gov_members WHERE set_v > removed_v').pluck().get()).toBe(2);
  });
});
