// Redactions never split replicas: an event withdrawn on the coop server withdraws the
// operations it carried (those no live event still carries), and the replica that had them
// ends exactly where a replica that never saw them is. Also the server receipt times the
// events give operations.
import { describe, expect, it } from 'vitest';
import { alice, bob, carol, ids, makeStore, remoteOp, t0 } from '../helpers/governance';
import type { GovernanceStore, Withdrawal } from '../../main/core/store/governance-store';
import type { GovernanceOperation } from '../../shared/governance/operation-types';
import { Outbox } from '../../main/core/sync/outbox';

const event = (eventId: string, serverTs: number, poll = false) => ({ eventId, serverTs, carries: true, poll });
const withdrawal = (eventId: string): Withdrawal => ({
  eventId,
  roomId: '!room:meet.coop',
  circle: null,
  sender: alice,
  eventType: 'coop.meet.plenary.ops',
  redactedBy: alice,
  redactionId: `$redaction-${eventId}`,
  redactedAt: t0 + 60_000,
  reason: 'sent by mistake',
});

function circleOps(circle: string) {
  const create = remoteOp('circle.create', circle, { name: 'Tech ops', purpose: '', timezone: 'UTC' }, { wall: t0 - 9000 });
  const facilitator = remoteOp('circle.member.set', circle, { member: alice, displayName: 'Alice', role: 'facilitator', timezone: 'UTC' }, { wall: t0 - 8000 });
  const members = [bob, carol].map((m, i) => remoteOp('circle.member.set', circle, { member: m, displayName: m.slice(1, 4), role: 'member', timezone: 'UTC' }, { wall: t0 - 7000 + i }));
  const voteId = ids();
  const vote = remoteOp('vote.create', circle, { voteId, question: 'Q', details: '', method: 'single', options: [{ id: ids(), label: 'Yes' }, { id: ids(), label: 'No' }], quorumPercent: 0 }, { wall: t0 - 6000 });
  return { create, facilitator, members, vote };
}

const members = (store: GovernanceStore) => store.db.prepare('SELECT member FROM gov_members WHERE set_v > removed_v ORDER BY member').pluck().all();

describe('withdrawing redacted events', () => {
  it('leaves a replica that had the operations equal to one that never saw them', () => {
    const circle = ids();
    const { create, facilitator, members: others, vote } = circleOps(circle);
    const before = makeStore();
    before.store.applyRemote([create, facilitator], { event: event('$first', t0) });
    const batch: GovernanceOperation[] = [...others, vote];
    before.store.applyRemote(batch, { event: event('$batch', t0 + 1000) });
    expect(members(before.store)).toEqual([alice, bob, carol]);

    const { opIds, circles } = before.store.withdrawEvents([withdrawal('$batch')]);
    expect(new Set(opIds)).toEqual(new Set(batch.map((op) => op.id)));
    expect(circles).toEqual([circle]);
    expect(members(before.store)).toEqual([alice]);
    expect(before.db.prepare('SELECT count(*) FROM gov_votes WHERE created_v IS NOT NULL').pluck().get()).toBe(0);
    // The operations stay in the log, for the audit list.
    expect(before.store.opCount()).toBe(5);
    expect(before.db.prepare('SELECT operations, redacted_by, reason FROM withdrawn_events').get()).toEqual({ operations: 3, redacted_by: alice, reason: 'sent by mistake' });

    // A replica that joins later sees only the shell: it records the withdrawal and nothing else.
    const later = makeStore();
    later.store.applyRemote([create, facilitator], { event: event('$first', t0) });
    later.store.withdrawEvents([withdrawal('$batch')]);
    expect(later.store.stateDigest()).toBe(before.store.stateDigest());
    // Withdrawing again changes nothing.
    expect(before.store.withdrawEvents([withdrawal('$batch')]).opIds).toEqual([]);
  });

  it('keeps an operation another live event still carries, and revives one that arrives again in a live event', () => {
    const circle = ids();
    const { create, facilitator, members: [bobSet] } = circleOps(circle);
    const { store } = makeStore();
    store.applyRemote([create, facilitator], { event: event('$first', t0) });
    store.applyRemote([bobSet!], { event: event('$one', t0 + 1000) });
    store.applyRemote([bobSet!], { event: event('$two', t0 + 2000) }); // a retry from a new login
    store.withdrawEvents([withdrawal('$one')]);
    expect(members(store)).toEqual([alice, bob]);
    expect(store.db.prepare('SELECT server_ts FROM ops WHERE id = ?').pluck().get(bobSet!.id)).toBe(t0 + 2000);
    store.withdrawEvents([withdrawal('$two')]);
    expect(members(store)).toEqual([alice]);
    store.applyRemote([bobSet!], { event: event('$three', t0 + 3000) });
    expect(members(store)).toEqual([alice, bob]);
  });

  it('links a copy of an operation id with other content to nothing: it neither keeps the first copy live nor brings it back', () => {
    const circle = ids();
    const { create, facilitator, members: [bobSet] } = circleOps(circle);
    const { store, db } = makeStore();
    store.applyRemote([create, facilitator], { event: event('$first', t0) });
    store.applyRemote([bobSet!], { event: event('$one', t0 + 1000) });
    const rewritten = { ...bobSet!, payload: { ...bobSet!.payload, role: 'facilitator' } };
    const reused = store.applyRemote([rewritten], { event: event('$reused', t0 + 2000) });
    expect(reused.rejected.map((r) => r.error.code)).toEqual(['conflict']);
    expect(db.prepare('SELECT event_id FROM op_events WHERE op_id = ?').pluck().all(bobSet!.id)).toEqual(['$one']);
    store.withdrawEvents([withdrawal('$one')]);
    expect(members(store)).toEqual([alice]);
    store.applyRemote([rewritten], { event: event('$again', t0 + 3000) });
    expect(members(store)).toEqual([alice]);
    // Reused within one event: the first copy stands, the other is refused.
    const carolSet = remoteOp('circle.member.set', circle, { member: carol, displayName: 'Carol', role: 'member', timezone: 'UTC' }, { wall: t0 - 5000 });
    const both = store.applyRemote([carolSet, { ...carolSet, payload: { ...carolSet.payload, role: 'facilitator' } }], { event: event('$both', t0 + 4000) });
    expect({ applied: both.applied, rejected: both.rejected.map((r) => r.error.code) }).toEqual({ applied: [carolSet.id], rejected: ['conflict'] });
    expect(db.prepare('SELECT role FROM gov_members WHERE member = ?').pluck().get(carol)).toBe('member');
  });

  it("withdraws this device's own operations when the event its upload became is redacted elsewhere", () => {
    const { store, db } = makeStore();
    const outbox = new Outbox(db);
    store.onLocalOperation = (op) => outbox.enqueue(op);
    const circle = ids();
    store.applyLocalBatch([
      { type: 'circle.create', circle, payload: { name: 'Stewards', purpose: '', timezone: 'UTC' } },
      { type: 'circle.member.set', circle, payload: { member: alice, displayName: 'Alice', role: 'facilitator', timezone: 'UTC' } },
    ]);
    const { batch } = outbox.nextBatch(circle);
    expect(outbox.confirm(batch!.batchId, '$uploaded')).toBe(2);
    store.withdrawEvents([withdrawal('$uploaded')]);
    expect(db.prepare('SELECT count(*) FROM gov_circles WHERE created_v IS NOT NULL').pluck().get()).toBe(0);
  });

  it('times operations by the live events that carry them and by the poll events Element counts them by', () => {
    const circle = ids();
    const { create } = circleOps(circle);
    const { store, db } = makeStore();
    store.applyRemote([create], { event: event('$ops', t0 + 5000) });
    store.recordEvent([create.id], { eventId: '$mirror', serverTs: t0 + 9000, carries: false, poll: true });
    const times = () => db.prepare('SELECT server_ts, poll_ts, withdrawn FROM ops WHERE id = ?').get(create.id);
    expect(times()).toEqual({ server_ts: t0 + 5000, poll_ts: t0 + 9000, withdrawn: 0 });
    store.withdrawEvents([withdrawal('$mirror')]);
    // A mirror carries nothing: withdrawing it only takes away Element's time.
    expect(times()).toEqual({ server_ts: t0 + 5000, poll_ts: null, withdrawn: 0 });
  });
});
