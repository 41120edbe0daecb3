// What a facilitator cannot get wrong when running votes: options that repeat one another,
// an abstention offered as a show-of-hands option, more hands than the circle has; and
// closing, reopening and extending a vote until its result is final.
import { describe, expect, it } from 'vitest';
import { makeStore, remoteOp, alice, bob, carol, ids } from '../helpers/governance';
import { duplicateOptionIndexes, isAbstainLabel, optionKey } from '../../shared/governance/option-labels';
import { closureState } from '../../shared/governance/tally';
import { GovernanceQueries } from '../../main/core/governance/governance-queries';
import { voteResultsMarkdown } from '../../main/core/governance/governance-exports';

function setup() {
  const ctx = makeStore();
  const circle = ids();
  ctx.store.applyLocalBatch([
    { type: 'circle.create', circle, payload: { name: 'Tech', purpose: '', timezone: 'UTC' } },
    { type: 'circle.member.set', circle, payload: { member: alice, displayName: 'Alice', role: 'facilitator', timezone: 'UTC' } },
    { type: 'circle.member.set', circle, payload: { member: bob, displayName: 'Bob', role: 'member', timezone: 'UTC' } },
    { type: 'circle.member.set', circle, payload: { member: carol, displayName: 'Carol', role: 'member', timezone: 'UTC' } },
  ]);
  const create = (method: string, labels: string[]) => {
    const voteId = ids();
    const options = labels.map((label) => ({ id: ids(), label }));
    ctx.store.applyLocal('vote.create', circle, { voteId, question: 'Q?', details: '', method, options, quorumPercent: 0 });
    return { voteId, options };
  };
  return { ...ctx, circle, create };
}

const refusal = (reason: string, field?: string) => expect.objectContaining({ params: expect.objectContaining({ reason }), ...(field ? { field } : {}) });

describe('vote options', () => {
  it('compares labels ignoring case, spaces and full-width forms', () => {
    expect(optionKey(' Bruno ')).toBe(optionKey('bruno'));
    expect(optionKey('Ｂｒｕｎｏ')).toBe('bruno');
    expect(duplicateOptionIndexes(['Bruno', 'Ana', ' bruno', '', ''])).toEqual([2]);
    expect(duplicateOptionIndexes(['Ana María', 'AnaMaría'])).toEqual([1]);
  });

  it('knows abstentions in every interface language', () => {
    for (const label of ['Abstain', 'abstentions', 'Abstención', 'Abstenció', 'Abstention', 'Enthaltung', '棄権']) expect(isAbstainLabel(label), label).toBe(true);
    for (const label of ['Yes', 'No', 'Abstract art']) expect(isAbstainLabel(label), label).toBe(false);
  });

  it('refuses a vote whose options repeat, naming the repeated option', () => {
    const { create } = setup();
    expect(() => create('single', ['Bruno', 'Ana', 'BRUNO '])).toThrow(refusal('duplicate_option', 'payload.options.2.label'));
  });

  it('refuses an abstention as a show-of-hands option, but not in other methods', () => {
    const { create } = setup();
    expect(() => create('counted', ['Yes', 'No', 'Abstain'])).toThrow(refusal('abstain_option', 'payload.options.2.label'));
    expect(() => create('single', ['Yes', 'No', 'Abstain'])).not.toThrow();
  });
});

describe('a show of hands', () => {
  it('takes no more hands than the circle has members, abstentions included', () => {
    const { store, circle, create } = setup();
    const { voteId, options } = create('counted', ['Yes', 'No']);
    const count = (yes: number, no: number, abstain: number) => store.applyLocal('vote.count', circle, { voteId, totals: { [options[0]!.id]: yes, [options[1]!.id]: no }, abstain });
    expect(() => count(10, 2, 0)).toThrow(refusal('too_many_hands', 'payload.totals'));
    expect(() => count(2, 1, 1)).toThrow(refusal('too_many_hands'));
    expect(() => count(2, 0, 1)).not.toThrow();
  });
});

describe('closing, reopening and extending a vote', () => {
  const queries = (ctx: ReturnType<typeof setup>) => new GovernanceQueries(ctx.db, () => alice, () => ctx.clock.now());

  it('reopens a closed vote: ballots while it stood closed are late, those after the reopen count', () => {
    const ctx = setup();
    const { store, circle, clock, create } = ctx;
    const { voteId, options } = create('single', ['Yes', 'No']);
    const [yes, no] = options.map((o) => o.id) as [string, string];
    store.applyLocal('vote.ballot', circle, { voteId, voter: alice, choice: yes });
    clock.advance(1000);
    store.applyLocal('vote.close', circle, { voteId });
    expect(() => store.applyLocal('vote.ballot', circle, { voteId, voter: bob, choice: no })).toThrow(refusal('vote_closed'));
    // Carol voted offline while it stood closed; her ballot syncs in later.
    const whileClosed = remoteOp('vote.ballot', circle, { voteId, voter: carol, choice: no }, { wall: clock.now() + 500, actor: carol });
    clock.advance(1000);
    store.applyLocal('vote.reopen', circle, { voteId });
    store.applyRemote([whileClosed]);
    expect(queries(ctx).vote(circle, voteId).status).toBe('open');
    store.applyLocal('vote.ballot', circle, { voteId, voter: bob, choice: no });
    clock.advance(1000);
    store.applyLocal('vote.close', circle, { voteId });
    const vote = queries(ctx).vote(circle, voteId);
    expect(vote.status).toBe('closed');
    expect(Object.fromEntries(vote.ballots.map((b) => [b.voter, b.state]))).toEqual({ [alice]: 'counted', [bob]: 'counted', [carol]: 'late' });
    expect(vote.closures.map((c) => [c.kind, c.byName])).toEqual([
      ['close', 'Alice'],
      ['reopen', 'Alice'],
      ['close', 'Alice'],
    ]);
    // The facilitator may still count it, as any late ballot.
    store.applyLocal('vote.acceptLate', circle, { voteId, ballotOpId: whileClosed.id });
    expect(queries(ctx).vote(circle, voteId).results).toMatchObject({ winners: [no], late: 0 });
  });

  it('does not reopen a vote whose result is final, one still open, or one closed by its closing time', () => {
    const ctx = setup();
    const { store, circle, clock, create } = ctx;
    const open = create('single', ['Yes', 'No']).voteId;
    expect(() => store.applyLocal('vote.reopen', circle, { voteId: open })).toThrow(refusal('vote_open'));
    store.applyLocal('vote.close', circle, { voteId: open });
    store.applyLocal('vote.update', circle, { voteId: open, fields: { outcome: 'Adopted' } });
    expect(() => store.applyLocal('vote.reopen', circle, { voteId: open })).toThrow(refusal('vote_final'));

    const assemblyId = ids();
    store.applyLocal('assembly.create', circle, { assemblyId, title: 'AGM' });
    store.applyLocal('assembly.open', circle, { assemblyId });
    const inAssembly = ids();
    store.applyLocal('vote.create', circle, { voteId: inAssembly, assemblyId, question: 'Q?', details: '', method: 'consent', options: [], quorumPercent: 0 });
    store.applyLocal('vote.close', circle, { voteId: inAssembly });
    store.applyLocal('assembly.close', circle, { assemblyId });
    expect(() => store.applyLocal('vote.reopen', circle, { voteId: inAssembly })).toThrow(refusal('vote_final'));
    expect(queries(ctx).vote(circle, inAssembly)).toMatchObject({ final: true, closedByFacilitator: true });

    const timed = ids();
    store.applyLocal('vote.create', circle, { voteId: timed, question: 'Timed?', details: '', method: 'consent', options: [], quorumPercent: 0, closesAt: clock.now() + 60_000 });
    clock.advance(120_000);
    expect(() => store.applyLocal('vote.reopen', circle, { voteId: timed })).toThrow(refusal('vote_closed_by_time'));
  });

  it('extends a vote that closed at its closing time, which then takes ballots again', () => {
    const ctx = setup();
    const { store, circle, clock } = ctx;
    const voteId = ids();
    store.applyLocal('vote.create', circle, { voteId, question: 'Timed?', details: '', method: 'consent', options: [], quorumPercent: 0, closesAt: clock.now() + 60_000 });
    clock.advance(120_000);
    expect(queries(ctx).vote(circle, voteId)).toMatchObject({ status: 'closed', closedByFacilitator: false, final: false });
    expect(() => store.applyLocal('vote.update', circle, { voteId, fields: { question: 'Changed?' } })).toThrow(refusal('vote_closed'));
    expect(() => store.applyLocal('vote.update', circle, { voteId, fields: { closesAt: clock.now() - 1 } })).toThrow(refusal('closes_in_past'));
    store.applyLocal('vote.update', circle, { voteId, fields: { closesAt: clock.now() + 60_000 } });
    store.applyLocal('vote.ballot', circle, { voteId, voter: bob, choice: 'agree' });
    expect(queries(ctx).vote(circle, voteId)).toMatchObject({ status: 'open', results: { ballots: 1 } });
  });

  it('reads the same state from the same closes and reopens in any order', () => {
    const events = [
      { stamp: '3', kind: 'reopen' as const, actor: alice },
      { stamp: '1', kind: 'close' as const, actor: alice },
      { stamp: '2', kind: 'close' as const, actor: bob },
      { stamp: '4', kind: 'close' as const, actor: bob },
      { stamp: '5', kind: 'reopen' as const, actor: alice },
      { stamp: '6', kind: 'reopen' as const, actor: alice },
    ];
    const expected = { closedV: null, closedBy: null, pauses: [{ from: '1', to: '3' }, { from: '4', to: '5' }] };
    expect(closureState(events)).toEqual(expected);
    expect(closureState([...events].reverse())).toEqual(expected);
    expect(closureState(events.slice(0, 4))).toEqual({ closedV: '4', closedBy: bob, pauses: [{ from: '1', to: '3' }] });
  });
});

describe('quorum of those present, absent voters and proxy holders', () => {
  function assembly(ctx: ReturnType<typeof setup>) {
    const { store, circle } = ctx;
    const assemblyId = ids();
    store.applyLocal('assembly.create', circle, { assemblyId, title: 'AGM' });
    store.applyLocal('assembly.open', circle, { assemblyId });
    return assemblyId;
  }

  it('counts the quorum among the members marked present, live as attendance changes', () => {
    const ctx = setup();
    const { store, circle } = ctx;
    const assemblyId = assembly(ctx);
    const voteId = ids();
    store.applyLocal('vote.create', circle, { voteId, assemblyId, question: 'Q?', details: '', method: 'consent', options: [], quorumPercent: 100, quorumBasis: 'present' });
    for (const member of [alice, bob]) store.applyLocal('assembly.attendance.set', circle, { assemblyId, member, status: 'present' });
    store.applyLocal('assembly.attendance.set', circle, { assemblyId, member: carol, status: 'absent' });
    store.applyLocal('vote.ballot', circle, { voteId, voter: alice, choice: 'agree' });
    const read = () => new GovernanceQueries(ctx.db, () => alice, () => ctx.clock.now()).vote(circle, voteId);
    expect(read().results.quorum).toMatchObject({ basis: 'present', electorate: 2, required: 2, turnout: 1, met: false });
    store.applyLocal('vote.ballot', circle, { voteId, voter: bob, choice: 'agree' });
    expect(read().results).toMatchObject({ quorum: { met: true }, consent: { outcome: 'passes' } });
    // Carol arrives: three present now, and the quorum follows.
    store.applyLocal('assembly.attendance.set', circle, { assemblyId, member: carol, status: 'present' });
    expect(read().results.quorum).toMatchObject({ electorate: 3, required: 3, met: false });
    expect(read().quorumBasis).toBe('present');
  });

  it('refuses a quorum of those present outside an assembly', () => {
    const { store, circle } = setup();
    expect(() =>
      store.applyLocal('vote.create', circle, { voteId: ids(), question: 'Q?', details: '', method: 'consent', options: [], quorumPercent: 50, quorumBasis: 'present' }),
    ).toThrow(expect.objectContaining({ field: 'payload.quorumBasis' }));
  });

  it('records who held a proxy and shows when the voter was marked absent', () => {
    const ctx = setup();
    const { store, circle } = ctx;
    const assemblyId = assembly(ctx);
    const voteId = ids();
    store.applyLocal('vote.create', circle, { voteId, assemblyId, question: 'Q?', details: '', method: 'consent', options: [], quorumPercent: 0 });
    store.applyLocal('assembly.attendance.set', circle, { assemblyId, member: carol, status: 'absent' });
    expect(() => store.applyLocal('vote.ballot', circle, { voteId, voter: carol, choice: 'agree', proxy: carol })).toThrow(refusal('proxy_is_voter', 'payload.proxy'));
    expect(() => store.applyLocal('vote.ballot', circle, { voteId, voter: carol, choice: 'agree', proxy: '@mallory:elsewhere.example' })).toThrow(refusal('not_member', 'payload.proxy'));
    store.applyLocal('vote.ballot', circle, { voteId, voter: carol, choice: 'agree', proxy: bob });
    const vote = new GovernanceQueries(ctx.db, () => alice, () => ctx.clock.now()).vote(circle, voteId);
    expect(vote.ballots[0]).toMatchObject({ voter: carol, proxy: bob, proxyName: 'Bob', actor: alice, voterAttendance: 'absent', state: 'counted' });
    expect(vote.attendance).toEqual({ [carol]: 'absent' });
    expect(voteResultsMarkdown(vote, 'en', 'UTC').text).toContain('| Carol (proxy held by Bob) (recorded by Alice) | Agree |');
  });
});
