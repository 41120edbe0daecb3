// Who a vote counts: only members of the circle, as of the close once it has closed, read
// from the log so every replica agrees; and how a result without quorum is shown in exports.
import { describe, expect, it } from 'vitest';
import { makeStore, remoteOp, alice, bob, carol, t0, ids } from '../helpers/governance';
import { GovernanceQueries } from '../../main/core/governance/governance-queries';
import { minutesMarkdown, voteResultsMarkdown } from '../../main/core/governance/governance-exports';

const mallory = '@mallory:elsewhere.example';

function setup() {
  const ctx = makeStore();
  const { store, db, clock } = ctx;
  const circle = ids();
  store.applyLocalBatch([
    { type: 'circle.create', circle, payload: { name: 'Tech', purpose: '', timezone: 'UTC' } },
    { type: 'circle.member.set', circle, payload: { member: alice, displayName: 'Alice', role: 'facilitator', timezone: 'UTC' } },
    { type: 'circle.member.set', circle, payload: { member: bob, displayName: 'Bob', role: 'member', timezone: 'UTC' } },
    { type: 'circle.member.set', circle, payload: { member: carol, displayName: 'Carol', role: 'member', timezone: 'UTC' } },
  ]);
  const [yes, no] = [ids(), ids()];
  const queries = new GovernanceQueries(db, () => alice, () => clock.now());
  const vote = (quorumPercent: number, extra: Record<string, unknown> = {}) => {
    const voteId = ids();
    store.applyLocal('vote.create', circle, { voteId, question: 'Adopt?', details: '', method: 'single', options: [{ id: yes, label: 'Yes' }, { id: no, label: 'No' }], quorumPercent, ...extra });
    return voteId;
  };
  return { ...ctx, circle, yes: yes!, no: no!, queries, vote };
}

describe('the electorate of a vote', () => {
  it('does not count ballots that arrive by sync from non-members, and shows them as such', () => {
    const { store, circle, yes, no, queries, vote, clock } = setup();
    const voteId = vote(0);
    store.applyLocal('vote.ballot', circle, { voteId, voter: alice, choice: yes });
    for (const n of [1, 2]) store.applyRemote([remoteOp('vote.ballot', circle, { voteId, voter: `@x${n}:elsewhere.example`, choice: no }, { wall: clock.now(), actor: `@x${n}:elsewhere.example` })]);
    const detail = queries.vote(circle, voteId);
    expect(detail.results).toMatchObject({ winners: [yes], notMembers: ['@x1:elsewhere.example', '@x2:elsewhere.example'], quorum: { electorate: 3, turnout: 1 } });
    expect(detail.results.options.map((o) => o.votes)).toEqual([1, 0]);
    expect(Object.fromEntries(detail.ballots.map((b) => [b.voter, b.state]))).toEqual({ [alice]: 'counted', '@x1:elsewhere.example': 'not_member', '@x2:elsewhere.example': 'not_member' });
    expect(voteResultsMarkdown(detail, 'en', 'UTC').text).toContain('Ballots from non-members, not counted: 2');
  });

  it('fixes the electorate at the close: membership changes afterwards leave the result alone', () => {
    const { store, circle, yes, queries, vote, clock } = setup();
    const voteId = vote(50);
    store.applyLocal('vote.ballot', circle, { voteId, voter: alice, choice: yes });
    store.applyLocal('vote.ballot', circle, { voteId, voter: carol, choice: yes });
    clock.advance(1000);
    // Carol leaves before the close: her ballot no longer counts.
    store.applyLocal('circle.member.remove', circle, { member: carol });
    clock.advance(1000);
    store.applyLocal('vote.close', circle, { voteId });
    const before = queries.vote(circle, voteId).results;
    expect(before.quorum).toMatchObject({ electorate: 2, turnout: 1, required: 1, met: true });
    expect(before.notMembers).toEqual([carol]);
    clock.advance(1000);
    store.applyLocal('circle.member.remove', circle, { member: bob });
    store.applyLocal('circle.member.set', circle, { member: mallory, displayName: 'M', role: 'member', timezone: 'UTC' });
    store.applyLocal('circle.member.set', circle, { member: carol, displayName: 'Carol', role: 'member', timezone: 'UTC' });
    expect(queries.vote(circle, voteId).results).toEqual(before);
    // A membership change that happened before the close but arrives late does count.
    store.applyRemote([remoteOp('circle.member.set', circle, { member: '@dan:meet.coop', displayName: 'Dan', role: 'member', timezone: 'UTC' }, { wall: t0 + 500 })]);
    expect(queries.vote(circle, voteId).results.quorum).toMatchObject({ electorate: 3, required: 2, met: false });
  });

  it('uses the closing time as the close when no one closed the vote', () => {
    const { store, circle, yes, queries, vote, clock } = setup();
    const voteId = vote(100, { closesAt: t0 + 10_000 });
    for (const voter of [alice, bob, carol]) store.applyLocal('vote.ballot', circle, { voteId, voter, choice: yes });
    clock.advance(20_000);
    store.applyLocal('circle.member.set', circle, { member: mallory, displayName: 'M', role: 'member', timezone: 'UTC' });
    expect(queries.vote(circle, voteId).results.quorum).toMatchObject({ electorate: 3, turnout: 3, met: true });
    expect(queries.vote(circle, voteId).undecided).toEqual([]);
  });

  it('says a closed vote that missed quorum has no result, in the export too', () => {
    const { store, circle, yes, queries, vote } = setup();
    const voteId = vote(100);
    store.applyLocal('vote.ballot', circle, { voteId, voter: alice, choice: yes });
    store.applyLocal('vote.close', circle, { voteId });
    const detail = queries.vote(circle, voteId);
    expect(detail.results.winners).toEqual([yes]);
    const text = voteResultsMarkdown(detail, 'en', 'UTC').text;
    expect(text).toContain('- Result: **No result: quorum not met**');
    expect(text).not.toContain('- Result: **Yes**');
  });
});

describe('decisions linked to an assembly', () => {
  function withAssembly() {
    const ctx = setup();
    const assemblyId = ids();
    const itemId = ids();
    ctx.store.applyLocal('assembly.create', ctx.circle, { assemblyId, title: 'AGM' });
    ctx.store.applyLocal('assembly.agenda.set', ctx.circle, { assemblyId, itemId, title: 'Budget', position: 0 });
    ctx.store.applyLocal('assembly.open', ctx.circle, { assemblyId });
    return { ...ctx, assemblyId, itemId };
  }

  it('includes a vote put outside the assembly and linked to an item in the assembly and its minutes', () => {
    const { store, circle, queries, vote, assemblyId, itemId } = withAssembly();
    const voteId = vote(0);
    store.applyLocal('assembly.decision.link', circle, { assemblyId, itemId, voteId });
    const assembly = queries.assembly(circle, assemblyId);
    expect(assembly.votes.map((v) => v.id)).toEqual([voteId]);
    expect(assembly.agenda[0]!.decisions).toEqual([voteId]);
    expect(minutesMarkdown(assembly, 'en', 'UTC').text).toContain('#### Decision: Adopt?');
  });

  it('refuses to link a vote put during another assembly, or a vote of another circle', () => {
    const { store, circle, vote, assemblyId, itemId } = withAssembly();
    const other = ids();
    store.applyLocal('assembly.create', circle, { assemblyId: other, title: 'Other' });
    store.applyLocal('assembly.open', circle, { assemblyId: other });
    const foreign = vote(0, { assemblyId: other });
    expect(() => store.applyLocal('assembly.decision.link', circle, { assemblyId, itemId, voteId: foreign })).toThrow(expect.objectContaining({ params: expect.objectContaining({ reason: 'vote_other_assembly' }) }));
    const elsewhere = ids();
    store.applyLocal('circle.create', elsewhere, { name: 'Care', purpose: '', timezone: 'UTC' });
    const theirs = ids();
    store.applyLocal('vote.create', elsewhere, { voteId: theirs, question: 'Q', details: '', method: 'consent', options: [], quorumPercent: 0 });
    expect(() => store.applyLocal('assembly.decision.link', circle, { assemblyId, itemId, voteId: theirs })).toThrow(expect.objectContaining({ params: expect.objectContaining({ reason: 'vote_missing' }) }));
  });
});
