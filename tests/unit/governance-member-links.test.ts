// Members without a Matrix account: added under a local member id, they vote (by proxy),
// attend and log work; once a facilitator links the id to their account, all of it counts
// under the account, on every replica, whatever order the link arrives in.
import { describe, expect, it } from 'vitest';
import { makeStore, remoteOp, alice, bob, t0, ids } from '../helpers/governance';
import { GovernanceQueries } from '../../main/core/governance/governance-queries';
import { groupMembers } from '../../main/core/store/member-directory';

const dana = 'local:6f1c9a52-3b0e-4c8e-9d1f-2a7b5c4e8f01';
const danaAccount = '@dana:meet.coop';

function setup() {
  const ctx = makeStore();
  const { store, db, clock } = ctx;
  const circle = ids();
  store.applyLocalBatch([
    { type: 'circle.create', circle, payload: { name: 'Care', purpose: '', timezone: 'UTC' } },
    { type: 'circle.member.set', circle, payload: { member: alice, displayName: 'Alice', role: 'facilitator', timezone: 'UTC' } },
    { type: 'circle.member.set', circle, payload: { member: bob, displayName: 'Bob', role: 'member', timezone: 'UTC' } },
    { type: 'circle.member.set', circle, payload: { member: dana, displayName: 'Dana', role: 'member', timezone: 'Europe/Madrid' } },
  ]);
  const queries = new GovernanceQueries(db, () => alice, () => clock.now());
  return { ...ctx, circle, queries };
}

describe('members without a Matrix account', () => {
  it('vote, attend and log work under a local id, which all follows their account once linked', () => {
    const { store, circle, queries, clock } = setup();
    const [yes, no, voteId, assemblyId] = [ids(), ids(), ids(), ids()];
    store.applyLocal('assembly.create', circle, { assemblyId, title: 'AGM' });
    store.applyLocal('assembly.open', circle, { assemblyId });
    store.applyLocal('assembly.attendance.set', circle, { assemblyId, member: dana, status: 'present' });
    store.applyLocal('vote.create', circle, { voteId, question: 'Adopt?', details: '', method: 'single', options: [{ id: yes, label: 'Yes' }, { id: no, label: 'No' }], quorumPercent: 100 });
    store.applyLocal('vote.ballot', circle, { voteId, voter: dana, choice: yes });
    store.applyLocal('contribution.create', circle, { contributionId: ids(), member: dana, date: '2026-11-20', minutes: 90, stream: 'care', description: 'Rota', tags: [] });
    expect(queries.members(circle).map((m) => m.member)).toEqual([alice, bob, dana]);

    clock.advance(1000);
    store.applyLocalBatch([
      { type: 'circle.member.link', circle, payload: { member: dana, account: danaAccount } },
      { type: 'circle.member.set', circle, payload: { member: danaAccount, displayName: 'Dana', role: 'member', timezone: 'Europe/Madrid' } },
    ]);
    expect(queries.members(circle).map((m) => [m.member, m.displayName])).toEqual([
      [alice, 'Alice'],
      [bob, 'Bob'],
      [danaAccount, 'Dana'],
    ]);
    const vote = queries.vote(circle, voteId);
    expect(vote.ballots.map((b) => [b.voter, b.voterName, b.state])).toEqual([[danaAccount, 'Dana', 'counted']]);
    expect(vote.results.quorum).toMatchObject({ electorate: 3, turnout: 1 });
    expect(vote.undecided.map((m) => m.member)).toEqual([alice, bob]);
    // Dana now votes as herself: her newest ballot replaces the one recorded for her.
    clock.advance(1000);
    store.applyRemote([remoteOp('vote.ballot', circle, { voteId, voter: danaAccount, choice: no }, { wall: clock.now(), actor: danaAccount })]);
    expect(queries.vote(circle, voteId).results).toMatchObject({ winners: [no], superseded: 1 });

    expect(queries.assembly(circle, assemblyId).attendance.find((a) => a.member === danaAccount)?.status).toBe('present');
    const page = queries.contributions({ member: danaAccount }, 10, 0);
    expect(page).toMatchObject({ total: 1, totalMinutes: 90 });
    expect(page.items[0]).toMatchObject({ member: danaAccount, memberName: 'Dana' });
    expect(queries.contributionSummary(['member'], {})).toEqual([{ member: danaAccount, memberName: 'Dana', minutes: 90, entries: 1 }]);
  });

  it('removing the account removes the member, local id included', () => {
    const { store, circle, queries, clock } = setup();
    store.applyLocal('circle.member.link', circle, { member: dana, account: danaAccount });
    clock.advance(1000);
    store.applyLocal('circle.member.remove', circle, { member: danaAccount });
    expect(queries.members(circle).map((m) => m.member)).toEqual([alice, bob]);
  });

  it('refuses to link an id twice, a Matrix id as the local one, or someone who is not a member', () => {
    const { store, circle } = setup();
    store.applyLocal('circle.member.link', circle, { member: dana, account: danaAccount });
    expect(() => store.applyLocal('circle.member.link', circle, { member: dana, account: bob })).toThrow(expect.objectContaining({ params: expect.objectContaining({ reason: 'already_linked' }) }));
    expect(() => store.applyLocal('circle.member.link', circle, { member: bob, account: danaAccount })).toThrow(expect.objectContaining({ field: 'payload.member' }));
    expect(() => store.applyLocal('circle.member.link', circle, { member: 'local:00000000-0000-4000-8000-000000000000', account: danaAccount })).toThrow(
      expect.objectContaining({ params: expect.objectContaining({ reason: 'not_member' }) }),
    );
  });

  it('settles concurrent links the same way on every replica: the earliest wins', () => {
    const circle = ids();
    const base = [
      remoteOp('circle.create', circle, { name: 'Care', purpose: '', timezone: 'UTC' }, { wall: t0 }),
      remoteOp('circle.member.set', circle, { member: alice, displayName: 'Alice', role: 'facilitator', timezone: 'UTC' }, { wall: t0 }),
      remoteOp('circle.member.set', circle, { member: dana, displayName: 'Dana', role: 'member', timezone: 'UTC' }, { wall: t0 }),
    ];
    const first = remoteOp('circle.member.link', circle, { member: dana, account: danaAccount }, { wall: t0 + 1000, node: 'a' });
    const second = remoteOp('circle.member.link', circle, { member: dana, account: bob }, { wall: t0 + 2000, node: 'b' });
    const digests = [
      [first, second],
      [second, first],
    ].map((order) => {
      const { store, db } = makeStore();
      store.applyRemote(base);
      for (const op of order) store.applyRemote([op]);
      const members = new GovernanceQueries(db, () => alice, () => t0).members(circle).map((m) => m.member);
      expect(members).toEqual([alice, danaAccount]);
      return store.stateDigest();
    });
    expect(digests[1]).toBe(digests[0]);
  });

  it('reads a member as one last-writer-wins element over all their ids', () => {
    const row = (member: string, set_v: string, removed_v = '') => ({ member, display_name: member, role: 'member' as const, timezone: 'UTC', set_v, removed_v });
    const links = new Map([[dana, danaAccount]]);
    expect([...groupMembers([row(dana, '2'), row(danaAccount, '1')], links).values()]).toMatchObject([{ member: danaAccount, displayName: dana, ids: [danaAccount, dana].sort() }]);
    expect(groupMembers([row(dana, '2'), row(danaAccount, '1', '3')], links).size).toBe(0);
    expect(groupMembers([row(dana, '4'), row(danaAccount, '1', '3')], links).size).toBe(1);
  });
});
