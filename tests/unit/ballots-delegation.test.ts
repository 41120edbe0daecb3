// Issue 16, items 2, 6 and 7: hidden results, reasons off/optional/required, your own
// ballot, and standing delegation, from the pure rules to the store's refusals.
import { describe, expect, it } from 'vitest';
import { delegateFor, delegatedBallots, delegationProblem, delegationsAt } from '../../shared/governance/delegation';
import { tallyVote, type BallotRecord, type VoteDefinition } from '../../shared/governance/tally';
import { reasonProblem } from '../../shared/governance/reasons';
import { resultsHiddenNow, summaryAsShown, turnoutOnly } from '../../shared/governance/hidden-results';
import type { VoteSummary } from '../../shared/governance/views';
import { operationTypes } from '../../shared/governance/operation-types';
import { fastValidate } from '../../shared/governance/fast-validate';
import { validateOperationWithZod } from '../../shared/governance/validate-operation';
import { operationSchemaVersion } from '../../shared/governance/operation';
import { GovernanceStore } from '../../main/core/store/governance-store';
import { GovernanceQueries } from '../../main/core/governance/governance-queries';
import { alice, bob, carol, ids, makeStore } from '../helpers/governance';

const [A, B] = ['0000000000000000000000000A', '0000000000000000000000000B'];
const single: VoteDefinition = { method: 'single', options: [{ id: A!, label: 'Yes' }, { id: B!, label: 'No' }], maxChoices: null, quorumPercent: 0 };
let n = 0;
const ballot = (voter: string, choice: unknown): BallotRecord => {
  const opId = `OP${String(++n).padStart(24, '0')}`;
  return { opId, stamp: `${String(n).padStart(13, '0')}-000000-x ${opId}`, voter, actor: voter, choice, reason: null };
};
const members = (...ids: string[]) => new Set(ids);

describe('delegation, pure', () => {
  it('reads the delegations in force at a point: the newest set or revoke of each member before it', () => {
    const events = [
      { stamp: '2', member: 'a', delegate: 'b' },
      { stamp: '1', member: 'c', delegate: 'b' },
      { stamp: '4', member: 'a', delegate: null },
      { stamp: '3', member: 'c', delegate: 'd' },
    ];
    expect(delegationsAt(events, null)).toEqual(new Map([['c', 'd']]));
    expect(delegationsAt(events, '3')).toEqual(new Map([['a', 'b'], ['c', 'b']]));
    expect(delegationsAt([...events].reverse(), '4')).toEqual(new Map([['a', 'b'], ['c', 'd']]));
  });

  it('refuses a delegation to a non-member, to oneself, and one closing a cycle, naming the cycle', () => {
    const isMember = (id: string) => ['a', 'b', 'c'].includes(id);
    expect(delegationProblem(new Map(), 'a', 'z', isMember)).toEqual({ problem: 'delegate_not_member' });
    expect(delegationProblem(new Map(), 'a', 'a', isMember)).toEqual({ problem: 'delegation_self' });
    expect(delegationProblem(new Map([['b', 'a']]), 'a', 'b', isMember)).toEqual({ problem: 'delegation_cycle', chain: ['a', 'b', 'a'] });
    expect(delegationProblem(new Map([['b', 'c'], ['c', 'a']]), 'a', 'b', isMember)).toEqual({ problem: 'delegation_cycle', chain: ['a', 'b', 'c', 'a'] });
    expect(delegationProblem(new Map([['b', 'c']]), 'a', 'b', isMember)).toBeNull();
  });

  it('follows a chain to the first member with a ballot; stops at a cycle or a non-member', () => {
    const voted = (id: string) => id === 'c';
    const all = () => true;
    expect(delegateFor('a', new Map([['a', 'b'], ['b', 'c']]), voted, all)).toBe('c');
    expect(delegateFor('a', new Map([['a', 'b'], ['b', 'a']]), voted, all)).toBeNull();
    expect(delegateFor('a', new Map([['a', 'b'], ['b', 'c']]), voted, (id) => id !== 'b')).toBeNull();
    expect(delegateFor('a', new Map(), voted, all)).toBeNull();
  });
});

describe('tally with delegations in force at the close', () => {
  it('counts the delegate’s ballot once more for each member who delegated and did not vote', () => {
    const ballots = [ballot('@b', A), ballot('@d', B)];
    const r = tallyVote(single, ballots, members('@a', '@b', '@c', '@d'), null, { delegations: new Map([['@a', '@b'], ['@c', '@b']]) });
    expect(r.options.map((o) => o.votes)).toEqual([3, 1]);
    expect(r.delegated).toEqual([{ voter: '@a', via: '@b' }, { voter: '@c', via: '@b' }]);
    expect(r.quorum.turnout).toBe(4);
  });

  it('lets a member’s own ballot override their delegation, and end the chain for those delegating through them', () => {
    const ballots = [ballot('@b', A), ballot('@a', B), ballot('@c', A)];
    const r = tallyVote(single, ballots, members('@a', '@b', '@c', '@e'), null, { delegations: new Map([['@a', '@b'], ['@e', '@a']]) });
    // a voted B themself; e's delegation reaches a first, whose own ballot counts for e.
    expect(r.options.map((o) => o.votes)).toEqual([2, 2]);
    expect(r.delegated).toEqual([{ voter: '@e', via: '@a' }]);
  });

  it('is transitive through members who did not vote', () => {
    const r = tallyVote(single, [ballot('@c', B)], members('@a', '@b', '@c'), null, { delegations: new Map([['@a', '@b'], ['@b', '@c']]) });
    expect(r.options.map((o) => o.votes)).toEqual([0, 3]);
    expect(r.delegated).toEqual([{ voter: '@a', via: '@c' }, { voter: '@b', via: '@c' }]);
  });

  it('counts nothing for a cycle (made by two replicas offline) or a delegation to a non-member', () => {
    const delegations = new Map([['@a', '@b'], ['@b', '@a'], ['@c', '@z']]);
    const r = tallyVote(single, [ballot('@z', A), ballot('@d', B)], members('@a', '@b', '@c', '@d'), null, { delegations });
    expect(r.options.map((o) => o.votes)).toEqual([0, 1]);
    expect(r.delegated).toEqual([]);
    expect(r.notMembers).toEqual(['@z']);
  });

  it('leaves out delegators outside the electorate and adds no reason of the delegate', () => {
    const source = { ...ballot('@b', A), reason: 'mine' };
    const added = delegatedBallots([source], new Map([['@a', '@b'], ['@x', '@b']]), (id) => id !== '@x');
    expect(added).toEqual([expect.objectContaining({ voter: '@a', choice: A, reason: null, delegatedVia: '@b' })]);
  });
});

describe('reasons off, optional or required', () => {
  it('checks a reason against the vote’s setting', () => {
    expect(reasonProblem('required', undefined)).toBe('reason_required');
    expect(reasonProblem('required', '   ')).toBe('reason_required');
    expect(reasonProblem('required', 'because')).toBeNull();
    expect(reasonProblem('optional', undefined)).toBeNull();
    expect(reasonProblem('optional', 'x'.repeat(500))).toBeNull();
    expect(reasonProblem('optional', 'x'.repeat(501))).toBe('reason_too_long');
    expect(reasonProblem('off', 'a reason')).toBe('reasons_off');
    expect(reasonProblem('off', undefined)).toBeNull();
    // A vote made before the setting keeps taking reasons up to 1,000 characters.
    expect(reasonProblem(null, 'x'.repeat(1000))).toBeNull();
  });

  it('refuses hidden results on a show of hands, structurally', () => {
    const base = { voteId: ids(), question: 'Q', details: '', method: 'counted', options: [{ id: A, label: 'Yes' }, { id: B, label: 'No' }], quorumPercent: 0 };
    expect(operationTypes['vote.create'].schema.safeParse({ ...base, hideResults: true }).success).toBe(false);
    expect(operationTypes['vote.create'].schema.safeParse({ ...base, reasons: 'required' }).success).toBe(true);
  });
});

describe('hidden results, pure', () => {
  it('keeps only the turnout of a consent vote: no positions, concerns or outcome', () => {
    const consent: VoteDefinition = { method: 'consent', options: [], maxChoices: null, quorumPercent: 50 };
    const objection = { ...ballot('@b', 'object'), reason: 'Too soon' };
    const results = tallyVote(consent, [ballot('@a', 'agree'), objection], members('@a', '@b', '@c'));
    expect(results.consent?.concerns).toHaveLength(1);
    const hidden = turnoutOnly(results);
    expect(hidden.consent).toMatchObject({ positions: { agree: 0, abstain: 0, object: 0, block: 0 }, concerns: [] });
    expect(hidden.quorum).toEqual(results.quorum);
    expect(JSON.stringify(hidden)).not.toContain('Too soon');
  });

  it('hides only while open, and only where the vote says so', () => {
    const results = tallyVote(single, [ballot('@a', A)], members('@a', '@b'));
    const vote = { status: 'open', hideResults: true, resultsHidden: false, results } as unknown as VoteSummary;
    expect(summaryAsShown(vote)).toMatchObject({ resultsHidden: true, results: { winners: [] } });
    expect(summaryAsShown({ ...vote, status: 'closed' })).toMatchObject({ resultsHidden: false, results: { winners: [A] } });
    expect(summaryAsShown({ ...vote, hideResults: false })).toMatchObject({ resultsHidden: false, results: { winners: [A] } });
  });
});

describe('the fast check of vote.create agrees with the schema on the new settings', () => {
  it('accepts and refuses the same payloads', () => {
    const base = { voteId: ids(), question: 'Q', details: '', method: 'single', options: [{ id: A, label: 'Yes' }, { id: B, label: 'No' }], quorumPercent: 0 };
    const payloads = [
      { ...base, hideResults: true, reasons: 'required' },
      { ...base, hideResults: false, reasons: 'off' },
      { ...base, reasons: 'sometimes' },
      { ...base, hideResults: 'yes' },
      { ...base, method: 'counted', hideResults: true },
      { ...base, method: 'counted', hideResults: false },
    ];
    const raw = (payload: object) => ({ id: ids(), hlc: '1764000000000-000000-node', actor: alice, circle: ids(), type: 'vote.create', payload, v: operationSchemaVersion });
    expect(payloads.map((p) => validateOperationWithZod(raw(p)).ok)).toEqual([true, true, false, false, false, true]);
    expect(payloads.map((p) => fastValidate(raw(p)) !== null)).toEqual([true, true, false, false, false, true]);
  });
});

function circleWithVote(settings: { hideResults?: boolean; reasons?: 'off' | 'optional' | 'required' } = {}) {
  const ctx = makeStore();
  const circle = ids();
  const voteId = ids();
  ctx.store.applyLocalBatch([
    { type: 'circle.create', circle, payload: { name: 'Care', purpose: '', timezone: 'UTC' } },
    { type: 'circle.member.set', circle, payload: { member: alice, displayName: 'Alice', role: 'facilitator', timezone: 'UTC' } },
    { type: 'circle.member.set', circle, payload: { member: bob, displayName: 'Bob', role: 'member', timezone: 'UTC' } },
    { type: 'circle.member.set', circle, payload: { member: carol, displayName: 'Carol', role: 'member', timezone: 'UTC' } },
    { type: 'vote.create', circle, payload: { voteId, question: 'Adopt?', details: '', method: 'single', options: [{ id: A!, label: 'Yes' }, { id: B!, label: 'No' }], quorumPercent: 0, ...settings } },
  ]);
  const as = (actor: string) => new GovernanceStore(ctx.db, { actor, now: () => ctx.clock.now() });
  const queries = (actor = alice) => new GovernanceQueries(ctx.db, () => actor, () => ctx.clock.now());
  return { ...ctx, circle, voteId, as, queries };
}

const refusal = (reason: string) => expect.objectContaining({ params: expect.objectContaining({ reason }) });

describe('the store', () => {
  it('refuses a ballot without a required reason, one over 500 characters, and a reason where reasons are off', () => {
    const { store, circle, voteId } = circleWithVote({ reasons: 'required' });
    expect(() => store.applyLocal('vote.ballot', circle, { voteId, voter: alice, choice: A! })).toThrow(refusal('reason_required'));
    expect(() => store.applyLocal('vote.ballot', circle, { voteId, voter: alice, choice: A!, reason: 'x'.repeat(501) })).toThrow(refusal('reason_too_long'));
    store.applyLocal('vote.ballot', circle, { voteId, voter: alice, choice: A!, reason: 'It is fair.' });
    const off = circleWithVote({ reasons: 'off' });
    expect(() => off.store.applyLocal('vote.ballot', off.circle, { voteId: off.voteId, voter: alice, choice: A!, reason: 'why' })).toThrow(refusal('reasons_off'));
    const legacy = circleWithVote();
    legacy.store.applyLocal('vote.ballot', legacy.circle, { voteId: legacy.voteId, voter: alice, choice: A!, reason: 'x'.repeat(900) });
  });

  it('hides totals and others’ choices while open, shows turnout and your own ballot, and everything after the close', () => {
    const { store, as, circle, voteId, queries } = circleWithVote({ hideResults: true });
    as(bob).applyLocal('vote.ballot', circle, { voteId, voter: bob, choice: B! });
    store.applyLocal('vote.ballot', circle, { voteId, voter: alice, choice: A! });
    const seen = queries(alice).vote(circle, voteId);
    expect(seen.resultsHidden).toBe(true);
    expect(resultsHiddenNow(seen)).toBe(true);
    expect(seen.results.options.map((o) => o.votes)).toEqual([0, 0]);
    expect(seen.results.winners).toEqual([]);
    expect(seen.results.quorum.turnout).toBe(2);
    expect(seen.ballots.find((b) => b.voter === bob)).toMatchObject({ choice: null, hidden: true });
    expect(seen.myBallot).toMatchObject({ voter: alice, choice: A, hidden: false });
    expect(seen.undecided.map((m) => m.member)).toEqual([carol]);
    expect(queries(alice).votes({ circleId: circle })[0]!.results.options.map((o) => o.votes)).toEqual([0, 0]);
    store.applyLocal('vote.close', circle, { voteId });
    const closed = queries(bob).vote(circle, voteId);
    expect(closed.resultsHidden).toBe(false);
    expect(closed.results.options.map((o) => o.votes)).toEqual([1, 1]);
    expect(closed.ballots.find((b) => b.voter === alice)).toMatchObject({ choice: A, hidden: false });
  });

  it('lets a member delegate and revoke only their own vote, to a member, without a cycle', () => {
    const { store, as, circle, voteId, queries } = circleWithVote();
    // A facilitator cannot delegate someone else's vote.
    expect(() => store.applyLocal('circle.delegation.set', circle, { member: bob, delegate: alice })).toThrow(refusal('not_delegator'));
    expect(() => as(bob).applyLocal('circle.delegation.set', circle, { member: bob, delegate: '@zed:meet.coop' })).toThrow(refusal('delegate_not_member'));
    as(bob).applyLocal('circle.delegation.set', circle, { member: bob, delegate: carol });
    expect(() => as(carol).applyLocal('circle.delegation.set', circle, { member: carol, delegate: bob })).toThrow(
      expect.objectContaining({ message: expect.stringContaining(`${carol} → ${bob} → ${carol}`) as unknown, params: expect.objectContaining({ reason: 'delegation_cycle' }) }),
    );
    as(carol).applyLocal('vote.ballot', circle, { voteId, voter: carol, choice: B! });
    let vote = queries(bob).vote(circle, voteId);
    expect(vote.results.options.map((o) => o.votes)).toEqual([0, 2]);
    expect(vote.myDelegation).toEqual({ delegate: carol, name: 'Carol' });
    expect(vote.ballots.find((b) => b.voter === carol)!.delegatedFrom).toEqual([{ member: bob, name: 'Bob' }]);
    expect(vote.undecided.map((m) => m.member)).toEqual([alice]);
    // Bob's own ballot overrides the delegation.
    as(bob).applyLocal('vote.ballot', circle, { voteId, voter: bob, choice: A! });
    vote = queries(bob).vote(circle, voteId);
    expect(vote.results.options.map((o) => o.votes)).toEqual([1, 1]);
    expect(vote.delegated).toEqual([]);
    expect(vote.myBallot).toMatchObject({ voter: bob, choice: A });
    as(bob).applyLocal('circle.delegation.revoke', circle, { member: bob });
    expect(queries(bob).vote(circle, voteId).myDelegation).toBeNull();
    expect(() => as(bob).applyLocal('circle.delegation.revoke', circle, { member: bob })).toThrow(refusal('delegation_missing'));
  });

  it('counts the delegations in force at the close: a delegation set afterwards changes nothing', () => {
    const { store, as, circle, voteId, queries, clock } = circleWithVote();
    as(carol).applyLocal('vote.ballot', circle, { voteId, voter: carol, choice: B! });
    clock.advance(1_000);
    store.applyLocal('vote.close', circle, { voteId });
    clock.advance(60_000);
    as(bob).applyLocal('circle.delegation.set', circle, { member: bob, delegate: carol });
    expect(queries().vote(circle, voteId).results.options.map((o) => o.votes)).toEqual([0, 1]);
  });
});
