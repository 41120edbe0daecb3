// Lateness by the server's receipt time, read from the log as the vote page shows it: a
// backdated ballot after the close is late; a vote published as a poll closes on the server
// at the first end Element accepts; a deadline closes an unpublished vote on the server; a
// facilitator's ballots keyed in during the assembly count whenever they arrive; and a
// facilitator can accept exactly the ballots the tally calls late.
import { describe, expect, it } from 'vitest';
import { alice, bob, carol, ids, makeStore, remoteOp, t0 } from '../helpers/governance';
import { GovernanceQueries } from '../../main/core/governance/governance-queries';
import type { GovernanceStore } from '../../main/core/store/governance-store';
import type { GovernanceOperation } from '../../shared/governance/operation-types';

const mallory = '@mallory:meet.coop';
let eventNumber = 0;
/** Delivers operations as the server would: in one event received at `serverTs`. */
function deliver(store: GovernanceStore, ops: GovernanceOperation[], serverTs: number, poll = false): string {
  const eventId = `$e${eventNumber++}`;
  store.applyRemote(ops, { event: { eventId, serverTs, carries: true, poll } });
  return eventId;
}

function setUp(options: { closesAt?: number; assemblyId?: string } = {}) {
  const made = makeStore({ now: t0 + 3600_000 });
  const circle = ids();
  const voteId = ids();
  const [yes, no] = [ids(), ids()];
  const ops: GovernanceOperation[] = [
    remoteOp('circle.create', circle, { name: 'Stewards', purpose: '', timezone: 'UTC' }, { wall: t0 - 60_000 }),
    remoteOp('circle.member.set', circle, { member: alice, displayName: 'Alice', role: 'facilitator', timezone: 'UTC' }, { wall: t0 - 59_000 }),
    ...[bob, carol, mallory].map((m, i) => remoteOp('circle.member.set', circle, { member: m, displayName: m.slice(1, 4), role: 'member', timezone: 'UTC' }, { wall: t0 - 58_000 + i })),
  ];
  if (options.assemblyId) {
    ops.push(remoteOp('assembly.create', circle, { assemblyId: options.assemblyId, title: 'AGM' }, { wall: t0 - 50_000 }));
    ops.push(remoteOp('assembly.open', circle, { assemblyId: options.assemblyId }, { wall: t0 - 40_000 }));
  }
  const create = remoteOp(
    'vote.create',
    circle,
    {
      voteId,
      question: 'Adopt the budget?',
      details: '',
      method: 'single',
      options: [{ id: yes, label: 'Yes' }, { id: no, label: 'No' }],
      quorumPercent: 0,
      ...(options.closesAt ? { closesAt: options.closesAt } : {}),
      ...(options.assemblyId ? { assemblyId: options.assemblyId } : {}),
    },
    { wall: t0 - 30_000 },
  );
  ops.push(create);
  deliver(made.store, ops, t0 - 30_000);
  const queries = new GovernanceQueries(made.db, () => alice, () => made.clock.now());
  const detail = () => queries.vote(circle, voteId);
  const states = () => Object.fromEntries(detail().ballots.map((b) => [b.voter, b.state]));
  return { ...made, circle, voteId, yes: yes!, no: no!, create, detail, states };
}

describe('lateness by the server’s receipt time', () => {
  it('calls a backdated ballot that reached the server after the close late, and counts one received before', () => {
    const v = setUp();
    deliver(v.store, [remoteOp('vote.ballot', v.circle, { voteId: v.voteId, voter: bob, choice: v.yes }, { wall: t0, actor: bob })], t0 + 1000);
    deliver(v.store, [remoteOp('vote.close', v.circle, { voteId: v.voteId }, { wall: t0 + 5000 })], t0 + 5000);
    // Mallory's clock claims the ballot was cast before the close; the server got it later.
    deliver(v.store, [remoteOp('vote.ballot', v.circle, { voteId: v.voteId, voter: mallory, choice: v.no }, { wall: t0 - 1000, actor: mallory })], t0 + 20_000);
    expect(v.states()).toEqual({ [bob]: 'counted', [mallory]: 'late' });
    expect(v.detail().results.options.map((o) => o.votes)).toEqual([1, 0]);
    expect(v.detail().ballots.find((b) => b.voter === mallory)?.receivedAt).toBe(t0 + 20_000);
  });

  it('counts, for a vote published as a poll, what reached the server before the first end Element accepts', () => {
    const v = setUp();
    // The vote's poll start, published by Plenary, links the vote to its poll.
    v.store.recordEvent([v.create.id], { eventId: '$start', serverTs: t0 - 29_000, carries: false, poll: true });
    const close = remoteOp('vote.close', v.circle, { voteId: v.voteId }, { wall: t0 + 2000 });
    deliver(v.store, [close], t0 + 10_000);
    // An Element answer after the close operation reached the server, before its poll end did.
    deliver(v.store, [remoteOp('vote.ballot', v.circle, { voteId: v.voteId, voter: carol, choice: v.no }, { wall: t0 + 12_000, actor: carol })], t0 + 12_000, true);
    expect(v.states()).toEqual({ [carol]: 'late' });
    v.store.recordEvent([close.id], { eventId: '$end', serverTs: t0 + 15_000, carries: false, poll: true });
    expect(v.states()).toEqual({ [carol]: 'counted' });
  });

  it('closes an unpublished vote on the server at its deadline, and a published one only at its end', () => {
    const v = setUp({ closesAt: t0 + 10_000 });
    deliver(v.store, [remoteOp('vote.ballot', v.circle, { voteId: v.voteId, voter: bob, choice: v.yes }, { wall: t0 + 9000, actor: bob })], t0 + 10_500);
    expect(v.states()).toEqual({ [bob]: 'late' });
    v.store.recordEvent([v.create.id], { eventId: '$start2', serverTs: t0 - 29_000, carries: false, poll: true });
    expect(v.states()).toEqual({ [bob]: 'counted' });
    // The end an app published when the deadline passed (a close derived from it).
    deliver(v.store, [remoteOp('vote.close', v.circle, { voteId: v.voteId }, { wall: t0 + 10_200, actor: alice })], t0 + 10_200, true);
    expect(v.states()).toEqual({ [bob]: 'late' });
  });

  it("keeps a facilitator's ballots keyed in during the assembly on time whenever they reach the server, and no one else's", () => {
    const assemblyId = ids();
    const v = setUp({ assemblyId });
    deliver(v.store, [remoteOp('vote.close', v.circle, { voteId: v.voteId }, { wall: t0 + 5000, node: 'online' })], t0 + 5000);
    // Keyed in offline during the assembly, uploaded an hour later.
    deliver(
      v.store,
      [
        remoteOp('vote.ballot', v.circle, { voteId: v.voteId, voter: bob, choice: v.yes }, { wall: t0 + 1000, actor: alice, node: 'offline' }),
        remoteOp('vote.ballot', v.circle, { voteId: v.voteId, voter: carol, choice: v.yes }, { wall: t0 + 1500, actor: carol, node: 'carol' }),
      ],
      t0 + 3600_000,
    );
    expect(v.states()).toEqual({ [bob]: 'counted', [carol]: 'late' });
  });

  it('lets a facilitator accept exactly the ballots the tally calls late', () => {
    const v = setUp();
    const onTime = remoteOp('vote.ballot', v.circle, { voteId: v.voteId, voter: bob, choice: v.yes }, { wall: t0 + 9000, actor: bob });
    const backdated = remoteOp('vote.ballot', v.circle, { voteId: v.voteId, voter: mallory, choice: v.no }, { wall: t0 - 1000, actor: mallory });
    deliver(v.store, [onTime], t0 + 1000);
    deliver(v.store, [remoteOp('vote.close', v.circle, { voteId: v.voteId }, { wall: t0 + 5000 })], t0 + 5000);
    deliver(v.store, [backdated], t0 + 20_000);
    expect(() => v.store.applyLocal('vote.acceptLate', v.circle, { voteId: v.voteId, ballotOpId: onTime.id })).toThrow(/cast in time/);
    v.store.applyLocal('vote.acceptLate', v.circle, { voteId: v.voteId, ballotOpId: backdated.id });
    expect(v.states()).toEqual({ [bob]: 'counted', [mallory]: 'counted' });
  });
});

describe('lateness of a vote closed, reopened and closed again', () => {
  const ballot = (v: ReturnType<typeof setUp>, voter: string, wall: number, choice = v.yes) => remoteOp('vote.ballot', v.circle, { voteId: v.voteId, voter, choice }, { wall, actor: voter, node: voter.slice(1, 4) });
  const close = (v: ReturnType<typeof setUp>, wall: number) => remoteOp('vote.close', v.circle, { voteId: v.voteId }, { wall, node: 'fac' });
  const reopen = (v: ReturnType<typeof setUp>, wall: number) => remoteOp('vote.reopen', v.circle, { voteId: v.voteId }, { wall, node: 'fac' });

  it('calls late what the server received while the vote stood closed, and counts what it received after the reopen', () => {
    const v = setUp();
    deliver(v.store, [close(v, t0 + 5000)], t0 + 5000);
    deliver(v.store, [ballot(v, bob, t0 + 7000)], t0 + 7000);
    deliver(v.store, [reopen(v, t0 + 10_000)], t0 + 10_000);
    // The very millisecond of the reopen counts, as the very millisecond of a close does.
    deliver(v.store, [ballot(v, alice, t0 + 10_000)], t0 + 10_000);
    deliver(v.store, [ballot(v, carol, t0 + 12_000)], t0 + 12_000);
    deliver(v.store, [close(v, t0 + 20_000)], t0 + 20_000);
    deliver(v.store, [ballot(v, mallory, t0 + 25_000)], t0 + 25_000);
    expect(v.states()).toEqual({ [bob]: 'late', [alice]: 'counted', [carol]: 'counted', [mallory]: 'late' });
    expect(v.detail().closures.map((c) => c.kind)).toEqual(['close', 'reopen', 'close']);
    // Bob's ballot was cast while it stood closed: a facilitator can still accept it.
    v.store.applyLocal('vote.acceptLate', v.circle, { voteId: v.voteId, ballotOpId: v.detail().ballots.find((b) => b.voter === bob)!.opId });
    expect(v.states()[bob]).toBe('counted');
  });

  it('goes by the close in force when the server received the ballot, not by the reopen’s clock', () => {
    const v = setUp();
    deliver(v.store, [close(v, t0 + 5000)], t0 + 5000);
    // The facilitator reopened offline at 6 s by their clock; the server had it only at 15 s.
    const late = reopen(v, t0 + 6000);
    // Bob's clock says 8 s, after the reopen's; the server got his ballot at 10 s, while it stood closed.
    deliver(v.store, [ballot(v, bob, t0 + 8000)], t0 + 10_000);
    deliver(v.store, [late], t0 + 15_000);
    deliver(v.store, [ballot(v, carol, t0 + 16_000)], t0 + 16_000);
    expect(v.states()).toEqual({ [bob]: 'late', [carol]: 'counted' });
  });

  it('keeps the assembly allowance only for ballots keyed in while the vote was open by their clock', () => {
    const assemblyId = ids();
    const v = setUp({ assemblyId });
    deliver(v.store, [close(v, t0 + 5000), reopen(v, t0 + 10_000)], t0 + 10_000);
    deliver(
      v.store,
      [
        remoteOp('vote.ballot', v.circle, { voteId: v.voteId, voter: bob, choice: v.yes }, { wall: t0 + 1000, actor: alice, node: 'offline' }),
        remoteOp('vote.ballot', v.circle, { voteId: v.voteId, voter: carol, choice: v.yes }, { wall: t0 + 7000, actor: alice, node: 'offline' }),
        remoteOp('vote.ballot', v.circle, { voteId: v.voteId, voter: mallory, choice: v.yes }, { wall: t0 + 11_000, actor: alice, node: 'offline' }),
      ],
      // Uploaded after the final close.
      t0 + 3600_000,
    );
    deliver(v.store, [close(v, t0 + 20_000)], t0 + 20_000);
    expect(v.states()).toEqual({ [bob]: 'counted', [carol]: 'late', [mallory]: 'counted' });
  });

  it('does not call late a ballot cast here after a reopen made here, while both wait to be sent', () => {
    const v = setUp();
    deliver(v.store, [close(v, t0 + 5000)], t0 + 5000);
    // Alice (this computer's facilitator) reopens and votes; nothing has reached the server.
    v.store.applyLocal('vote.reopen', v.circle, { voteId: v.voteId });
    v.store.applyLocal('vote.ballot', v.circle, { voteId: v.voteId, voter: alice, choice: v.no });
    expect(v.states()).toEqual({ [alice]: 'counted' });
    expect(v.detail().status).toBe('open');
  });
});

