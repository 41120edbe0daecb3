import { describe, expect, it } from 'vitest';
import { alice, bob, carol, ids, makeStore, remoteOp, t0 } from '../helpers/governance';
import { formatHlc, maxClockDriftMs } from '../../shared/governance/hlc';
import { PlenaryError } from '../../shared/errors';
import type { GovernanceStore } from '../../main/core/store/governance-store';

function setUpCircle(store: GovernanceStore) {
  const circle = ids();
  store.applyLocalBatch([
    { type: 'circle.create', circle, payload: { name: 'Tech ops', purpose: 'Keep the servers humming', timezone: 'Europe/Madrid' } },
    { type: 'circle.member.set', circle, payload: { member: alice, displayName: 'Alice', role: 'facilitator', timezone: 'Europe/Madrid' } },
    { type: 'circle.member.set', circle, payload: { member: bob, displayName: 'Bob', role: 'member', timezone: 'America/Toronto' } },
  ]);
  return circle;
}

function rejection(fn: () => unknown): PlenaryError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PlenaryError);
    return error as PlenaryError;
  }
  throw new Error('expected a rejection');
}

/** Asserts that a failed call wrote nothing: same log size, same state. */
function expectNothingWritten(store: GovernanceStore, fn: () => unknown): PlenaryError {
  const [count, digest] = [store.opCount(), store.stateDigest()];
  const error = rejection(fn);
  expect(store.opCount()).toBe(count);
  expect(store.stateDigest()).toBe(digest);
  return error;
}

describe('GovernanceStore.applyLocal', () => {
  it('stamps, logs and folds an operation, and reports the changed circle', () => {
    const { store, changes, db } = makeStore();
    const circle = setUpCircle(store);
    expect(store.opCount()).toBe(3);
    const [first] = store.opsSince(0, 10);
    expect(first).toMatchObject({ seq: 1, origin: 'local', op: { type: 'circle.create', actor: alice, circle, v: 1 } });
    expect(first!.op.hlc).toMatch(/^\d{13}-\d{6}-[0-9a-f]{16}$/);
    expect(changes).toEqual([[circle]]);
    expect(db.prepare('SELECT name, timezone FROM gov_circles').get()).toEqual({ name: 'Tech ops', timezone: 'Europe/Madrid' });
    expect(db.prepare('SELECT count(*) AS n FROM gov_members WHERE set_v > removed_v').get()).toEqual({ n: 2 });
  });

  it('keeps the clock across restarts so timestamps keep growing', () => {
    const file = `${process.env.TMPDIR ?? '/tmp'}/gov-clock-${Date.now()}-${Math.random()}.sqlite`;
    const one = makeStore({ file });
    setUpCircle(one.store);
    const last = one.store.clock.last();
    one.db.close();
    const two = makeStore({ file, now: t0 - 60_000 }); // the computer's clock went back a minute
    const circle = ids();
    const op = two.store.applyLocal('circle.create', circle, { name: 'Product', purpose: '', timezone: 'UTC' });
    expect(op.hlc > last).toBe(true);
    expect(op.hlc.split('-')[2]).toBe(last.split('-')[2]);
    two.db.close();
  });

  it('rejects negative minutes and unknown fields naming the field, writing nothing', () => {
    const { store } = makeStore();
    const circle = setUpCircle(store);
    const payload = { contributionId: ids(), member: alice, date: '2026-11-20', minutes: -15, stream: 'care', description: '', tags: [] };
    expect(expectNothingWritten(store, () => store.applyLocal('contribution.create', circle, payload)).field).toBe('payload.minutes');
    expect(expectNothingWritten(store, () => store.applyLocal('contribution.create', circle, { ...payload, minutes: 15, hours: 1 })).code).toBe('invalid_input');
  });

  it('rejects contributions in the future, for non-members, and for others by non-facilitators', () => {
    const { store } = makeStore();
    const circle = setUpCircle(store);
    const payload = { contributionId: ids(), member: alice, date: '2026-12-24', minutes: 15, stream: 'care' as const, description: '', tags: [] };
    expect(expectNothingWritten(store, () => store.applyLocal('contribution.create', circle, payload)).params?.reason).toBe('date_in_future');
    expect(expectNothingWritten(store, () => store.applyLocal('contribution.create', circle, { ...payload, date: '2026-11-01', member: carol })).field).toBe('payload.member');
    const bobStore = makeStore({ actor: bob });
    bobStore.store.applyRemote(store.opsSince(0, 100).map((s) => s.op));
    const forbidden = expectNothingWritten(bobStore.store, () => bobStore.store.applyLocal('contribution.create', circle, { ...payload, date: '2026-11-01' }));
    expect(forbidden).toMatchObject({ code: 'forbidden', field: 'payload.member' });
    bobStore.store.applyLocal('contribution.create', circle, { ...payload, contributionId: ids(), date: '2026-11-01', member: bob });
  });

  it('lets only facilitators run the circle once it has members, and keeps a facilitator', () => {
    const { store } = makeStore();
    const circle = setUpCircle(store);
    const bobStore = makeStore({ actor: bob });
    bobStore.store.applyRemote(store.opsSince(0, 100).map((s) => s.op));
    const error = expectNothingWritten(bobStore.store, () => bobStore.store.applyLocal('assembly.create', circle, { assemblyId: ids(), title: 'All hands' }));
    expect(error).toMatchObject({ code: 'forbidden', field: 'actor', params: { reason: 'not_facilitator' } });
    expect(expectNothingWritten(store, () => store.applyLocal('circle.member.set', circle, { member: alice, displayName: 'Alice', role: 'member', timezone: 'UTC' })).params?.reason).toBe(
      'last_facilitator',
    );
    expect(expectNothingWritten(store, () => store.applyLocal('circle.member.remove', circle, { member: alice })).field).toBe('payload.member');
    expect(expectNothingWritten(store, () => store.applyLocal('circle.member.set', circle, { member: carol, displayName: 'Carol', role: 'member', timezone: 'Mars/Olympus' })).field).toBe(
      'payload.timezone',
    );
  });

  it('runs an assembly through planned, open and closed, and refuses going back', () => {
    const { store, db } = makeStore();
    const circle = setUpCircle(store);
    const assemblyId = ids();
    const itemId = ids();
    store.applyLocal('assembly.create', circle, { assemblyId, title: 'November all-hands' });
    expect(expectNothingWritten(store, () => store.applyLocal('assembly.close', circle, { assemblyId })).params?.reason).toBe('assembly_not_open');
    store.applyLocal('assembly.open', circle, { assemblyId });
    store.applyLocal('assembly.agenda.set', circle, { assemblyId, itemId, title: 'Budget', position: 0 });
    store.applyLocal('assembly.attendance.set', circle, { assemblyId, member: bob, status: 'apologies' });
    store.applyLocal('assembly.minutes.set', circle, { assemblyId, itemId, markdown: 'Agreed to **adopt** it.' });
    expect(expectNothingWritten(store, () => store.applyLocal('assembly.attendance.set', circle, { assemblyId, member: carol, status: 'present' })).field).toBe('payload.member');
    expect(expectNothingWritten(store, () => store.applyLocal('assembly.minutes.set', circle, { assemblyId, itemId: ids(), markdown: 'x' })).code).toBe('invalid_input');
    store.applyLocal('assembly.close', circle, { assemblyId });
    expect(expectNothingWritten(store, () => store.applyLocal('assembly.open', circle, { assemblyId })).params?.reason).toBe('assembly_not_planned');
    expect(expectNothingWritten(store, () => store.applyLocal('assembly.minutes.set', circle, { assemblyId, itemId, markdown: 'rewritten' })).params?.reason).toBe('assembly_closed');
    expect(db.prepare('SELECT opened_v IS NOT NULL AS opened, closed_v IS NOT NULL AS closed FROM gov_assemblies').get()).toEqual({ opened: 1, closed: 1 });
  });

  it('rejects ballots for unknown votes or options, after the close, and proxies by non-facilitators', () => {
    const { store, clock } = makeStore();
    const circle = setUpCircle(store);
    const voteId = ids();
    const [yes, no] = [ids(), ids()];
    store.applyLocal('vote.create', circle, { voteId, question: 'Adopt?', details: '', method: 'single', options: [{ id: yes, label: 'Yes' }, { id: no, label: 'No' }], quorumPercent: 50 });
    expect(expectNothingWritten(store, () => store.applyLocal('vote.ballot', circle, { voteId: ids(), voter: alice, choice: yes })).params?.reason).toBe('vote_missing');
    expect(expectNothingWritten(store, () => store.applyLocal('vote.ballot', circle, { voteId, voter: alice, choice: ids() })).field).toBe('payload.choice');
    expect(expectNothingWritten(store, () => store.applyLocal('vote.ballot', circle, { voteId, voter: alice, choice: [yes] })).field).toBe('payload.choice');
    store.applyLocal('vote.ballot', circle, { voteId, voter: alice, choice: yes });
    store.applyLocal('vote.ballot', circle, { voteId, voter: bob, choice: no }); // a proxy ballot by the facilitator
    const bobStore = makeStore({ actor: bob });
    bobStore.store.applyRemote(store.opsSince(0, 100).map((s) => s.op));
    expect(expectNothingWritten(bobStore.store, () => bobStore.store.applyLocal('vote.ballot', circle, { voteId, voter: alice, choice: no }))).toMatchObject({
      code: 'forbidden',
      field: 'payload.voter',
    });
    clock.advance(1000);
    store.applyLocal('vote.close', circle, { voteId });
    expect(expectNothingWritten(store, () => store.applyLocal('vote.ballot', circle, { voteId, voter: alice, choice: no })).params?.reason).toBe('vote_closed');
    expect(expectNothingWritten(store, () => store.applyLocal('vote.close', circle, { voteId })).params?.reason).toBe('vote_closed');
    store.applyLocal('vote.update', circle, { voteId, fields: { outcome: 'Adopted.' } });
    expect(expectNothingWritten(store, () => store.applyLocal('vote.update', circle, { voteId, fields: { question: 'Changed?' } })).params?.reason).toBe('vote_closed');
  });

  it('refuses a vote redefinition made here: only an edit of its poll in Element makes one', () => {
    const { store } = makeStore();
    const circle = setUpCircle(store);
    const voteId = ids();
    const options = [{ id: ids(), label: 'Soup' }, { id: ids(), label: 'Salad' }];
    const error = expectNothingWritten(store, () => store.applyLocal('vote.redefine', circle, { voteId, question: 'Lunch?', method: 'single', options }));
    expect(error).toMatchObject({ code: 'forbidden', field: 'type', params: { reason: 'element_only' } });
  });

  it('treats a passed closing time as closed', () => {
    const { store, clock } = makeStore();
    const circle = setUpCircle(store);
    const voteId = ids();
    expect(
      expectNothingWritten(store, () =>
        store.applyLocal('vote.create', circle, { voteId, question: 'Q', details: '', method: 'consent', options: [], quorumPercent: 0, closesAt: t0 - 1 }),
      ).field,
    ).toBe('payload.closesAt');
    store.applyLocal('vote.create', circle, { voteId, question: 'Q', details: '', method: 'consent', options: [], quorumPercent: 0, closesAt: t0 + 60_000 });
    store.applyLocal('vote.ballot', circle, { voteId, voter: bob, choice: 'agree' });
    clock.advance(60_000);
    expect(expectNothingWritten(store, () => store.applyLocal('vote.ballot', circle, { voteId, voter: alice, choice: 'agree' })).params?.reason).toBe('vote_closed');
  });

  it('edits and deletes contributions, keeping running totals exact', () => {
    const { store, db } = makeStore();
    const circle = setUpCircle(store);
    const a = ids();
    const b = ids();
    store.applyLocal('contribution.create', circle, { contributionId: a, member: alice, date: '2026-10-31', minutes: 60, stream: 'care', description: 'Support', tags: [] });
    store.applyLocal('contribution.create', circle, { contributionId: b, member: bob, date: '2026-11-02', minutes: 30, stream: 'commons', description: 'Docs', tags: ['handbook'] });
    store.applyLocal('contribution.update', circle, { contributionId: a, fields: { date: '2026-11-01', minutes: 45 } });
    const totals = () => db.prepare('SELECT member, stream, month, minutes, entries FROM gov_contribution_totals ORDER BY member').all();
    expect(totals()).toEqual([
      { member: alice, stream: 'care', month: '2026-11', minutes: 45, entries: 1 },
      { member: bob, stream: 'commons', month: '2026-11', minutes: 30, entries: 1 },
    ]);
    store.applyLocal('contribution.delete', circle, { contributionId: b });
    expect(totals()).toEqual([{ member: alice, stream: 'care', month: '2026-11', minutes: 45, entries: 1 }]);
    expect(expectNothingWritten(store, () => store.applyLocal('contribution.update', circle, { contributionId: b, fields: { minutes: 10 } })).params?.reason).toBe('contribution_missing');
  });

  it('calls onLocalOperation inside the transaction: if it fails, nothing is written', () => {
    const { store } = makeStore();
    const circle = setUpCircle(store);
    const seen: string[] = [];
    store.onLocalOperation = (op, db) => {
      seen.push(op.type);
      expect(db.inTransaction).toBe(true);
    };
    store.applyLocal('circle.update', circle, { fields: { purpose: 'Servers' } });
    expect(seen).toEqual(['circle.update']);
    store.onLocalOperation = () => {
      throw new Error('outbox full');
    };
    const [count, digest] = [store.opCount(), store.stateDigest()];
    expect(() => store.applyLocal('circle.update', circle, { fields: { purpose: 'Other' } })).toThrow('outbox full');
    expect([store.opCount(), store.stateDigest()]).toEqual([count, digest]);
  });
});

describe('GovernanceStore.applyRemote', () => {
  it('applies, dedupes and reports each operation', () => {
    const { store, changes } = makeStore();
    const circle = ids();
    const create = remoteOp('circle.create', circle, { name: 'Stewards', purpose: '', timezone: 'UTC' });
    const result = store.applyRemote([create, create, { ...create, id: 'bogus' }, 42], { source: 'test' });
    expect(result.applied).toEqual([create.id]);
    expect(result.duplicates).toEqual([create.id]);
    expect(result.rejected).toEqual([
      { id: 'bogus', error: expect.objectContaining({ code: 'invalid_input', field: 'id' }) },
      { error: expect.objectContaining({ code: 'invalid_input' }) },
    ]);
    expect(store.applyRemote([create]).duplicates).toEqual([create.id]);
    expect(store.opsSince(0, 10)[0]!.origin).toBe('remote');
    expect(changes).toEqual([[circle]]);
  });

  it('holds an operation from a clock too far ahead until this clock reaches it, without absorbing its clock', () => {
    const { store, clock, db } = makeStore();
    const circle = ids();
    const ahead = remoteOp('circle.create', circle, { name: 'Future', purpose: '', timezone: 'UTC' }, { wall: t0 + 3 * 3600_000 });
    const result = store.applyRemote([ahead]);
    expect(result).toMatchObject({ applied: [], held: [ahead.id], rejected: [] });
    expect(store.opCount()).toBe(1);
    expect(db.prepare('SELECT count(*) FROM gov_circles').pluck().get()).toBe(0);
    expect(store.clock.last() < ahead.hlc).toBe(true);
    expect(store.nextHeldAt()).toBe(t0 + 3 * 3600_000 - maxClockDriftMs);
    expect(store.heldSummary()).toEqual({ count: 1, until: t0 + 3 * 3600_000 - maxClockDriftMs });
    // Sent again (a second event, a later sync): still one operation, still held.
    expect(store.applyRemote([ahead]).duplicates).toEqual([ahead.id]);
    expect(store.releaseDue()).toBe(0);
    clock.set(t0 + 3 * 3600_000 - maxClockDriftMs);
    expect(store.releaseDue()).toBe(1);
    expect(db.prepare('SELECT name FROM gov_circles').pluck().get()).toBe('Future');
    expect(store.nextHeldAt()).toBeNull();
    const local = store.applyLocal('circle.update', circle, { fields: { purpose: 'After' } });
    expect(local.hlc > ahead.hlc).toBe(true);
  });

  it('applies an operation within the allowed drift at once and moves the clock past it', () => {
    const { store } = makeStore();
    const circle = ids();
    const near = remoteOp('circle.create', circle, { name: 'Near', purpose: '', timezone: 'UTC' }, { wall: t0 + 60_000 });
    expect(store.applyRemote([near]).applied).toEqual([near.id]);
    expect(store.clock.last() > near.hlc).toBe(true);
    const local = store.applyLocal('circle.update', circle, { fields: { purpose: 'After' } });
    expect(local.hlc > near.hlc).toBe(true);
  });

  it('never keeps a skew: after the computer clock is set back, what was stamped ahead is held and new stamps follow the wall clock', () => {
    const { store, clock, db } = makeStore();
    const circle = setUpCircle(store);
    clock.set(t0 + 3 * 3600_000);
    const ahead = store.applyLocal('circle.update', circle, { fields: { purpose: 'Made while the clock was 3 h ahead' } });
    clock.set(t0 + 1000);
    const now = store.applyLocal('circle.update', circle, { fields: { name: 'Renamed on time' } });
    expect(Number(now.hlc.slice(0, 13))).toBe(t0 + 1000);
    // Held here exactly as every other replica holds it, until its time.
    expect(store.heldSummary('local')).toEqual({ count: 1, until: Number(ahead.hlc.slice(0, 13)) - maxClockDriftMs });
    expect(db.prepare('SELECT name, purpose FROM gov_circles').get()).toEqual({ name: 'Renamed on time', purpose: 'Keep the servers humming' });
    clock.set(t0 + 3 * 3600_000);
    expect(store.releaseDue()).toBe(1);
    expect(db.prepare('SELECT name, purpose FROM gov_circles').get()).toEqual({ name: 'Renamed on time', purpose: 'Made while the clock was 3 h ahead' });
  });

  it('rejects unknown types and versions but applies the rest of the batch', () => {
    const { store } = makeStore();
    const circle = ids();
    const good = remoteOp('circle.create', circle, { name: 'Product', purpose: '', timezone: 'UTC' });
    const unknownType = { ...remoteOp('circle.archive', circle, {}), type: 'circle.explode' };
    const newer = { ...remoteOp('circle.archive', circle, {}), v: 2 };
    const result = store.applyRemote([unknownType, good, newer]);
    expect(result.applied).toEqual([good.id]);
    expect(result.rejected.map((r) => r.error.field)).toEqual(['type', 'v']);
  });

  it('folds a ballot that arrives before its vote, and keeps the earliest close', () => {
    const { store, db } = makeStore();
    const circle = ids();
    const voteId = ids();
    const yes = ids();
    const ballot = remoteOp('vote.ballot', circle, { voteId, voter: bob, choice: yes }, { wall: t0 - 5000 });
    const closeLate = remoteOp('vote.close', circle, { voteId }, { wall: t0 - 1000 });
    const closeEarly = remoteOp('vote.close', circle, { voteId }, { wall: t0 - 2000, actor: carol });
    const vote = remoteOp('vote.create', circle, { voteId, question: 'Q', details: '', method: 'single', options: [{ id: yes, label: 'Yes' }, { id: ids(), label: 'No' }], quorumPercent: 0 }, { wall: t0 - 9000 });
    store.applyRemote([ballot, closeLate]);
    store.applyRemote([closeEarly, vote]);
    expect(db.prepare('SELECT closed_by, method FROM gov_votes').get()).toEqual({ closed_by: carol, method: 'single' });
    expect(db.prepare("SELECT count(*) AS n FROM ops WHERE type = 'vote.ballot'").get()).toEqual({ n: 1 });
  });

  it('fills an update that arrived before its create without losing the newer field', () => {
    const { store, db } = makeStore();
    const circle = ids();
    const contributionId = ids();
    const update = remoteOp('contribution.update', circle, { contributionId, fields: { minutes: 120 } }, { wall: t0 - 1000 });
    const create = remoteOp('contribution.create', circle, { contributionId, member: alice, date: '2026-11-01', minutes: 60, stream: 'livelihood', description: 'Billing', tags: [] }, { wall: t0 - 2000 });
    store.applyRemote([update]);
    expect(db.prepare('SELECT count(*) AS n FROM gov_contribution_totals').get()).toEqual({ n: 0 });
    store.applyRemote([create]);
    expect(db.prepare('SELECT minutes, description FROM gov_contributions').get()).toEqual({ minutes: 120, description: 'Billing' });
    expect(db.prepare('SELECT minutes, entries FROM gov_contribution_totals').get()).toEqual({ minutes: 120, entries: 1 });
  });

  it('uses the op id to order two operations that share a clock value', () => {
    const one = makeStore();
    const two = makeStore();
    const circle = ids();
    const hlc = formatHlc({ wall: t0, counter: 3, node: 'twin' });
    const a = { ...remoteOp('circle.create', circle, { name: 'A', purpose: '', timezone: 'UTC' }), hlc };
    const b = { ...remoteOp('circle.create', circle, { name: 'B', purpose: '', timezone: 'UTC' }), hlc };
    one.store.applyRemote([a, b]);
    two.store.applyRemote([b, a]);
    expect(one.store.stateDigest()).toBe(two.store.stateDigest());
  });
});
