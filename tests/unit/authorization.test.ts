// The one authorisation rule (shared/governance/authorization.ts): a table of cases for the
// rule itself, then the same cases made for real on both sides: as a local change (the store
// refuses or applies it) and as an operation received in the circle's room (inbound applies
// or quarantines it), from the same circle history. Both sides must give the same answer.
import { describe, expect, it } from 'vitest';
import { authorize, type AuthorityFacts, type AuthorizationReason } from '../../shared/governance/authorization';
import type { Operation } from '../../shared/governance/operation';
import type { GovernanceOperation, OperationType, PayloadOf } from '../../shared/governance/operation-types';
import { PlenaryError } from '../../shared/errors';
import { newId } from '../../shared/governance/ids';
import { makeStore, remoteOp, t0 } from '../helpers/governance';
import { inboundFixture } from '../helpers/inbound-fixture';
import { encodeOpsContent, opsEventType } from '../../main/core/sync/ops-event';
import type { MatrixRawEvent, SyncResponse } from '../../main/core/matrix/matrix-connection';

const fran = '@fran:meet.coop'; // facilitator, created the circle and its room
const xavi = '@xavi:meet.coop'; // whose rights each case is about
const yan = '@yan:meet.coop';

describe('authorize', () => {
  const facts = (
    over: Partial<{ facilitators: string[]; contribution: { member: string; author: string } | null; vote: { creator: string } | null; action: { owner: string } | null; links: Record<string, string> }> = {},
  ): AuthorityFacts => ({
    facilitates: (m) => (over.facilitators ?? [fran]).includes(m),
    contribution: () => (over.contribution === undefined ? { member: yan, author: fran } : over.contribution),
    vote: () => (over.vote === undefined ? { creator: fran } : over.vote),
    action: () => (over.action === undefined ? { owner: yan } : over.action),
    account: (m) => over.links?.[m] ?? m,
  });
  const linked = 'local:5b0e7c1e-4f2a-4c3e-9d1a-2f6b8e0c7a11';
  const op = (type: string, payload: Record<string, unknown>, actor = xavi) => ({ actor, type, payload });
  const cases: [string, ReturnType<typeof op>, AuthorityFacts, AuthorizationReason | 'ok'][] = [
    ['someone else signing', op('vote.ballot', { voter: xavi }), facts(), 'ok'],
    ['an actor who did not send it', op('vote.ballot', { voter: fran }, fran), facts(), 'not_sender'],
    ['a member renaming the circle', op('circle.update', { fields: { name: 'Mine' } }), facts(), 'not_facilitator'],
    ['a facilitator renaming the circle', op('circle.update', { fields: { name: 'Ours' } }), facts({ facilitators: [xavi] }), 'ok'],
    ['a member re-defining the circle', op('circle.create', { name: 'Mine' }), facts(), 'not_facilitator'],
    ['a member creating a vote', op('vote.create', { voteId: 'v' }), facts(), 'not_facilitator'],
    ['a proxy ballot by a member', op('vote.ballot', { voter: yan }), facts(), 'not_facilitator'],
    ['a proxy ballot by a facilitator', op('vote.ballot', { voter: yan }), facts({ facilitators: [xavi] }), 'ok'],
    ['work logged for someone else by a member', op('contribution.create', { contributionId: 'c', member: yan }), facts({ contribution: null }), 'not_facilitator'],
    ['own work logged', op('contribution.create', { contributionId: 'c', member: xavi }), facts({ contribution: null }), 'ok'],
    ['an entry someone else logged, logged again (an earlier stamp would make its author)', op('contribution.create', { contributionId: 'c', member: xavi }), facts(), 'not_owner'],
    ['one’s own entry sent again', op('contribution.create', { contributionId: 'c', member: xavi }), facts({ contribution: { member: xavi, author: xavi } }), 'ok'],
    ['editing someone else’s entry', op('contribution.update', { contributionId: 'c', fields: { minutes: 1 } }), facts(), 'not_owner'],
    ['deleting someone else’s entry', op('contribution.delete', { contributionId: 'c' }), facts(), 'not_owner'],
    ['editing one’s own entry', op('contribution.update', { contributionId: 'c', fields: { minutes: 1 } }), facts({ contribution: { member: xavi, author: fran } }), 'ok'],
    ['deleting an entry one logged', op('contribution.delete', { contributionId: 'c' }), facts({ contribution: { member: yan, author: xavi } }), 'ok'],
    ['a facilitator deleting anyone’s entry', op('contribution.delete', { contributionId: 'c' }), facts({ facilitators: [xavi] }), 'ok'],
    ['giving one’s entry to someone else', op('contribution.update', { contributionId: 'c', fields: { member: yan } }), facts({ contribution: { member: xavi, author: xavi } }), 'not_facilitator'],
    ['an entry unknown at this point', op('contribution.delete', { contributionId: 'c' }), facts({ contribution: null }), 'contribution_missing'],
    ['a member closing someone’s vote', op('vote.close', { voteId: 'v' }), facts(), 'not_vote_creator'],
    ['a creator closing their vote without facilitator rights', op('vote.close', { voteId: 'v' }), facts({ vote: { creator: xavi } }), 'ok'],
    ['a facilitator closing any vote', op('vote.close', { voteId: 'v' }), facts({ facilitators: [xavi] }), 'ok'],
    ['closing a vote unknown at this point', op('vote.close', { voteId: 'v' }), facts({ vote: null }), 'vote_missing'],
    ['a member reopening someone’s vote', op('vote.reopen', { voteId: 'v' }), facts(), 'not_vote_creator'],
    ['a creator reopening their vote without facilitator rights', op('vote.reopen', { voteId: 'v' }), facts({ vote: { creator: xavi } }), 'ok'],
    ['a facilitator reopening any vote', op('vote.reopen', { voteId: 'v' }), facts({ facilitators: [xavi] }), 'ok'],
    ['reopening a vote unknown at this point', op('vote.reopen', { voteId: 'v' }), facts({ vote: null }), 'vote_missing'],
    ['a member publishing the count of someone’s vote', op('vote.digest', { voteId: 'v' }), facts(), 'not_vote_creator'],
    ['a creator publishing the count of their vote', op('vote.digest', { voteId: 'v' }), facts({ vote: { creator: xavi } }), 'ok'],
    ['a facilitator publishing the count of any vote', op('vote.digest', { voteId: 'v' }), facts({ facilitators: [xavi] }), 'ok'],
    ['publishing the count of a vote unknown at this point', op('vote.digest', { voteId: 'v' }), facts({ vote: null }), 'vote_missing'],
    ['an owner ticking off their action item', op('assembly.action.done', { assemblyId: 'a', actionId: 'x', owner: xavi, done: true }), facts({ action: { owner: xavi } }), 'ok'],
    ['a member ticking off someone else’s action item', op('assembly.action.done', { assemblyId: 'a', actionId: 'x', owner: xavi, done: true }), facts(), 'not_action_owner'],
    ['a facilitator ticking off anyone’s action item', op('assembly.action.done', { assemblyId: 'a', actionId: 'x', owner: yan, done: false }), facts({ facilitators: [xavi] }), 'ok'],
    ['ticking off an action item unknown at this point', op('assembly.action.done', { assemblyId: 'a', actionId: 'x', owner: xavi, done: true }), facts({ action: null }), 'action_missing'],
    ['the account a local member was linked to ticking off their item', op('assembly.action.done', { assemblyId: 'a', actionId: 'x', owner: linked, done: true }), facts({ action: { owner: linked }, links: { [linked]: xavi } }), 'ok'],
    ['an account ticking off an unlinked local member’s item', op('assembly.action.done', { assemblyId: 'a', actionId: 'x', owner: linked, done: true }), facts({ action: { owner: linked } }), 'not_action_owner'],
    ['a member setting an action item', op('assembly.action.set', { assemblyId: 'a', actionId: 'x', owner: xavi }), facts(), 'not_facilitator'],
    ['a member removing an action item', op('assembly.action.remove', { assemblyId: 'a', actionId: 'x' }), facts({ action: { owner: xavi } }), 'not_facilitator'],
    ['a facilitator setting an action item', op('assembly.action.set', { assemblyId: 'a', actionId: 'x', owner: yan }), facts({ facilitators: [xavi] }), 'ok'],
    ['a member moving the assembly to an item', op('assembly.agenda.current', { assemblyId: 'a', itemId: 'i' }), facts(), 'not_facilitator'],
    ['a facilitator moving the assembly to an item', op('assembly.agenda.current', { assemblyId: 'a', itemId: null }), facts({ facilitators: [xavi] }), 'ok'],
    ['a member linking someone to an account', op('circle.member.link', { member: linked, account: xavi }), facts(), 'not_facilitator'],
    ['a facilitator linking a member to their account', op('circle.member.link', { member: linked, account: yan }), facts({ facilitators: [xavi] }), 'ok'],
    ['the linked account voting as the local member', op('vote.ballot', { voter: linked }), facts({ links: { [linked]: xavi } }), 'ok'],
    ['the linked account editing the local member’s entry', op('contribution.update', { contributionId: 'c', fields: { minutes: 1 } }), facts({ contribution: { member: linked, author: fran }, links: { [linked]: xavi } }), 'ok'],
    ['an operation anyone may make', op('assembly.recording.add', { assemblyId: 'a' }), facts(), 'ok'],
    ['junk in the payload', op('contribution.update', 'junk' as never), facts({ contribution: null }), 'contribution_missing'],
  ];
  it.each(cases)('%s', (_name, operation, given, expected) => {
    const verdict = authorize(operation, xavi, given);
    expect(verdict.ok ? 'ok' : verdict.reason).toBe(expected);
  });
});

// The same cases, made for real: locally by Xavi's store, and received by another member's
// replica from Xavi in the circle's room. The circle's history is the same for both.
const circle = newId(t0);
const roomId = '!circle:meet.coop';
const entries = { yans: newId(t0), xavis: newId(t0), logged: newId(t0) };
const voteId = newId(t0);
/** Fran's second vote, closed: for reopening. */
const closedVote = newId(t0);
const assemblyId = newId(t0);
const itemId = newId(t0);
const actions = { xavis: newId(t0), yans: newId(t0), linked: newId(t0) };
/** Members added without a Matrix account: one linked to Xavi's, one not linked yet. */
const xaviLocal = 'local:5b0e7c1e-4f2a-4c3e-9d1a-2f6b8e0c7a11';
const unlinked = 'local:9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f';
const options = [
  { id: newId(t0), label: 'Yes' },
  { id: newId(t0), label: 'No' },
];
let wall = t0;
const at = <T extends OperationType>(type: T, payload: PayloadOf<T>, actor: string) => remoteOp(type, circle, payload, { wall: wall++, actor, node: actor.slice(1, 5) });

/**
 * The circle's history: Fran's circle, Xavi with a role, entries of Yan's and Xavi's, one Xavi
 * logged and Fran gave to Yan, Fran's votes (one closed), an assembly in session with action
 * items of Xavi's, Yan's and of a member added without an account whom Fran linked to Xavi.
 */
function history(xaviRole: 'facilitator' | 'member'): GovernanceOperation[] {
  const entry = (contributionId: string, member: string) => ({ contributionId, member, date: '2026-11-20', minutes: 60, stream: 'care' as const, description: 'Work', tags: [] });
  return [
    at('circle.create', { name: 'Tech', purpose: '', timezone: 'UTC' }, fran),
    at('circle.member.set', { member: fran, displayName: 'Fran', role: 'facilitator', timezone: 'UTC' }, fran),
    // Xavi was first added without his account; the account's own entry, later, gives his role.
    at('circle.member.set', { member: xaviLocal, displayName: 'Xavi (paper)', role: 'member', timezone: 'UTC' }, fran),
    at('circle.member.set', { member: unlinked, displayName: 'Zed', role: 'member', timezone: 'UTC' }, fran),
    at('circle.member.set', { member: xavi, displayName: 'Xavi', role: xaviRole, timezone: 'UTC' }, fran),
    at('circle.member.set', { member: yan, displayName: 'Yan', role: 'member', timezone: 'UTC' }, fran),
    at('contribution.create', entry(entries.yans, yan), fran),
    at('contribution.create', entry(entries.xavis, xavi), fran),
    at('contribution.create', entry(entries.logged, xavi), xavi),
    at('contribution.update', { contributionId: entries.logged, fields: { member: yan } }, fran),
    at('vote.create', { voteId, question: 'Go?', details: '', method: 'single', options, quorumPercent: 0 }, fran),
    at('vote.create', { voteId: closedVote, question: 'Stop?', details: '', method: 'single', options, quorumPercent: 0 }, fran),
    at('vote.close', { voteId: closedVote }, fran),
    at('circle.member.link', { member: xaviLocal, account: xavi }, fran),
    at('assembly.create', { assemblyId, title: 'December', scheduledAt: null }, fran),
    at('assembly.agenda.set', { assemblyId, itemId, title: 'Budget', position: 0 }, fran),
    at('assembly.open', { assemblyId }, fran),
    at('assembly.action.set', { assemblyId, actionId: actions.xavis, text: 'Send the minutes', owner: xavi }, fran),
    at('assembly.action.set', { assemblyId, actionId: actions.yans, text: 'Book the room', owner: yan }, fran),
    at('assembly.action.set', { assemblyId, actionId: actions.linked, text: 'Print the ballots', owner: xaviLocal }, fran),
  ];
}

const realCases: [string, 'facilitator' | 'member', OperationType, Record<string, unknown>, AuthorizationReason | 'ok'][] = [
  ['a member renames the circle', 'member', 'circle.update', { fields: { name: 'Mine' } }, 'not_facilitator'],
  ['a facilitator renames the circle', 'facilitator', 'circle.update', { fields: { name: 'Ours' } }, 'ok'],
  ['a member edits someone else’s entry', 'member', 'contribution.update', { contributionId: entries.yans, fields: { minutes: 1 } }, 'not_owner'],
  ['a member deletes someone else’s entry', 'member', 'contribution.delete', { contributionId: entries.yans }, 'not_owner'],
  ['a member edits their own entry', 'member', 'contribution.update', { contributionId: entries.xavis, fields: { minutes: 90 } }, 'ok'],
  ['a member deletes an entry they logged', 'member', 'contribution.delete', { contributionId: entries.logged }, 'ok'],
  ['a member gives their entry to someone else', 'member', 'contribution.update', { contributionId: entries.xavis, fields: { member: yan } }, 'not_facilitator'],
  ['a facilitator edits someone else’s entry', 'facilitator', 'contribution.update', { contributionId: entries.yans, fields: { minutes: 5 } }, 'ok'],
  ['a member logs work for someone else', 'member', 'contribution.create', { contributionId: newId(t0), member: yan, date: '2026-11-21', minutes: 5, stream: 'care', description: '', tags: [] }, 'not_facilitator'],
  ['a member closes someone’s vote', 'member', 'vote.close', { voteId }, 'not_vote_creator'],
  ['a facilitator closes any vote', 'facilitator', 'vote.close', { voteId }, 'ok'],
  ['a member casts a ballot for someone else', 'member', 'vote.ballot', { voteId, voter: yan, choice: options[0]!.id }, 'not_facilitator'],
  ['a member votes', 'member', 'vote.ballot', { voteId, voter: xavi, choice: options[0]!.id }, 'ok'],
  ['a member creates a vote', 'member', 'vote.create', { voteId: newId(t0), question: 'Mine?', details: '', method: 'single', options, quorumPercent: 0 }, 'not_facilitator'],
  ['a member reopens someone’s vote', 'member', 'vote.reopen', { voteId: closedVote }, 'not_vote_creator'],
  ['a facilitator reopens any vote', 'facilitator', 'vote.reopen', { voteId: closedVote }, 'ok'],
  ['a member publishes a count for someone’s vote (a forged digest)', 'member', 'vote.digest', { voteId: closedVote, sha256: 'a'.repeat(64), ballots: 0, totals: {}, winners: [] }, 'not_vote_creator'],
  ['a facilitator publishes the count of any vote', 'facilitator', 'vote.digest', { voteId: closedVote, sha256: 'a'.repeat(64), ballots: 0, totals: {}, winners: [] }, 'ok'],
  ['a member ticks off their own action item', 'member', 'assembly.action.done', { assemblyId, actionId: actions.xavis, owner: xavi, done: true }, 'ok'],
  ['a member ticks off someone else’s action item', 'member', 'assembly.action.done', { assemblyId, actionId: actions.yans, owner: yan, done: true }, 'not_action_owner'],
  ['a facilitator ticks off anyone’s action item', 'facilitator', 'assembly.action.done', { assemblyId, actionId: actions.yans, owner: yan, done: true }, 'ok'],
  ['a member ticks off the item of the member linked to their account', 'member', 'assembly.action.done', { assemblyId, actionId: actions.linked, owner: xaviLocal, done: true }, 'ok'],
  ['a member votes as the member linked to their account', 'member', 'vote.ballot', { voteId, voter: xaviLocal, choice: options[1]!.id }, 'ok'],
  ['a member sets an action item', 'member', 'assembly.action.set', { assemblyId, actionId: newId(t0), text: 'Mine', owner: xavi }, 'not_facilitator'],
  ['a facilitator sets an action item', 'facilitator', 'assembly.action.set', { assemblyId, actionId: newId(t0), text: 'Yours', owner: yan }, 'ok'],
  ['a member removes an action item', 'member', 'assembly.action.remove', { assemblyId, actionId: actions.xavis }, 'not_facilitator'],
  ['a member moves the assembly to an item', 'member', 'assembly.agenda.current', { assemblyId, itemId }, 'not_facilitator'],
  ['a facilitator moves the assembly to an item', 'facilitator', 'assembly.agenda.current', { assemblyId, itemId }, 'ok'],
  ['a member links a member to an account', 'member', 'circle.member.link', { member: unlinked, account: yan }, 'not_facilitator'],
  ['a facilitator links a member to an account', 'facilitator', 'circle.member.link', { member: unlinked, account: yan }, 'ok'],
];

/** Xavi makes the change on his own computer: the store applies it or refuses it with a reason. */
function locally(role: 'facilitator' | 'member', type: OperationType, payload: Record<string, unknown>): AuthorizationReason | 'ok' {
  const { store } = makeStore({ actor: xavi, now: t0 + 60_000 });
  const applied = store.applyRemote(history(role));
  expect(applied.rejected).toEqual([]);
  try {
    store.applyLocal(type, circle, payload);
    return 'ok';
  } catch (error) {
    if (!(error instanceof PlenaryError)) throw error;
    return error.params?.reason as AuthorizationReason;
  }
}

/** Another member's replica receives it from Xavi, after the same history, in the circle's room. */
async function received(role: 'facilitator' | 'member', type: OperationType, payload: Record<string, unknown>): Promise<{ applied: boolean; reason: string | null }> {
  const f = inboundFixture({ self: '@zoe:meet.coop', now: t0 + 60_000 });
  f.rooms.remember(circle, roomId);
  let n = 0;
  const event = (sender: string, content: Record<string, unknown>, extra: Partial<MatrixRawEvent> = {}): MatrixRawEvent => ({ event_id: `$a${n++}`, type: opsEventType, sender, origin_server_ts: t0, content, ...extra });
  const state = [
    { event_id: '$create', type: 'm.room.create', state_key: '', sender: fran, origin_server_ts: t0, content: { room_version: '12' } },
    { event_id: '$levels', type: 'm.room.power_levels', state_key: '', sender: fran, origin_server_ts: t0, content: { users: role === 'facilitator' ? { [xavi]: 50 } : {}, users_default: 0 } },
  ];
  const timeline = history(role).map((op) => event(op.actor, encodeOpsContent(newId(t0), circle, [op as Operation]) as unknown as Record<string, unknown>));
  const mine: Operation = { id: newId(t0 + 1000), hlc: `${t0 + 1000}-000000-xavi`, actor: xavi, circle, type, payload, v: 1 };
  timeline.push(event(xavi, encodeOpsContent(newId(t0), circle, [mine]) as unknown as Record<string, unknown>));
  const response: SyncResponse = { next_batch: 's', rooms: { join: { [roomId]: { state: { events: state }, timeline: { events: timeline } } } } };
  await f.inbound.onSync(response);
  const applied = f.db.prepare('SELECT 1 FROM ops WHERE id = ?').get(mine.id) !== undefined;
  const reason = (f.db.prepare('SELECT reason FROM sync_quarantine').pluck().all() as string[])[0] ?? null;
  return { applied, reason };
}

describe('local and received operations', () => {
  it.each(realCases)('%s: the same answer on both sides', async (_name, role, type, payload, expected) => {
    const local = locally(role, type, payload);
    expect(local).toBe(expected);
    const remote = await received(role, type, payload);
    expect({ applied: remote.applied, quarantined: remote.reason !== null }).toEqual({ applied: expected === 'ok', quarantined: expected !== 'ok' });
  });
});
