// Redactions never split replicas, against Synapse with its default rate limits and room
// version: replica A syncs a circle uploaded in two batches; the member's second device
// redacts the second batch, and another member redacts their own latest poll answer;
// replica B joins afterwards and sees only the redacted shells. Both end equal: the batch's
// members and vote are withdrawn on both, the redacted answer counts on neither (the
// member's earlier answer counts, as in Element), and both list who withdrew what.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PollResponseEvent } from 'matrix-js-sdk/lib/extensible_events_v1/PollResponseEvent.js';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { clearCircleRooms, startPlenaryClient, type PlenaryClient } from '../helpers/plenary-client';
import { joinRaw, loginRaw, redactRaw, sendRaw, type RawClient } from '../helpers/matrix-raw';
import { syncUntil } from '../helpers/wait-for';
import { newId } from '../../shared/governance/ids';
import type { VoteDetail } from '../../shared/governance/views';
import type { WithdrawnItem } from '../../shared/contract/sync';

const pollResponseType = 'org.matrix.msc3381.poll.response';

// Circle rooms in the clear, whatever the default: the test is about redactions, made (with a poll answer) through the raw API without crypto.
let server: SynapseServer;
let alice: RegisteredUser;
let bob: RegisteredUser;
let carol: RegisteredUser;
const clients: PlenaryClient[] = [];

beforeAll(async () => {
  server = await SynapseServer.start({ rateLimits: 'default' });
  [alice, bob, carol] = [await server.register('alice'), await server.register('bob'), await server.register('carol')];
});

afterAll(async () => {
  for (const client of clients) await client.close();
  await server?.stop();
});

const raw = (user: RegisteredUser): RawClient => ({ baseUrl: server.baseUrl, userId: user.userId, accessToken: user.accessToken });
const memberIds = (client: PlenaryClient) => client.core.services.db.prepare('SELECT member FROM gov_members WHERE set_v > removed_v ORDER BY member').pluck().all();
const voteIds = (client: PlenaryClient) => client.core.services.db.prepare('SELECT vote_id FROM gov_votes WHERE created_v IS NOT NULL ORDER BY vote_id').pluck().all();

describe('redactions', () => {
  it('withdraw the same operations on a replica that synced before and on one that joins after', async () => {
    const a = await startPlenaryClient('alice-laptop', { coop: clearCircleRooms(server) });
    clients.push(a);
    await a.signIn(server, alice);
    const store = a.core.services.governance;
    const circle = newId();
    const [yes, no] = [newId(), newId()];
    const kept = newId();
    store.applyLocal('circle.create', circle, { name: 'Technology operations', purpose: '', timezone: 'UTC' });
    store.applyLocal('circle.member.set', circle, { member: alice.userId, displayName: 'Alice', role: 'facilitator', timezone: 'UTC' });
    store.applyLocal('circle.member.set', circle, { member: bob.userId, displayName: 'Bob', role: 'member', timezone: 'UTC' });
    store.applyLocal('vote.create', circle, { voteId: kept, question: 'Renew the contract?', details: '', method: 'single', options: [{ id: yes, label: 'Yes' }, { id: no, label: 'No' }], quorumPercent: 0 });
    await a.syncNow();
    // The second batch: a member, a change of Bob's name and a second vote.
    const carolSet = store.applyLocal('circle.member.set', circle, { member: carol.userId, displayName: 'Carol', role: 'member', timezone: 'UTC' });
    store.applyLocal('circle.member.set', circle, { member: bob.userId, displayName: 'Bob B.', role: 'member', timezone: 'UTC' });
    const withdrawnVote = newId();
    store.applyLocal('vote.create', circle, { voteId: withdrawnVote, question: 'Move hosts?', details: '', method: 'single', options: [{ id: newId(), label: 'Move' }, { id: newId(), label: 'Stay' }], quorumPercent: 0 });
    await a.syncNow();
    expect(a.core.services.sync.view().pending).toBe(0);
    const db = a.core.services.db;
    const batchEvent = db.prepare('SELECT event_id FROM op_events WHERE op_id = ? AND carries = 1').pluck().get(carolSet.id) as string;
    expect(batchEvent).toMatch(/^\$/);
    const roomId = a.core.services.sync.rooms.roomOf(circle)!;
    const start = await syncUntil(
      () => a.syncNow(),
      () => db.prepare('SELECT event_id FROM sync_vote_polls WHERE vote_id = ?').pluck().get(kept) as string | undefined,
      "the kept vote's poll start",
    );
    expect(memberIds(a)).toEqual([alice.userId, bob.userId, carol.userId].sort());

    // Bob answers in Element, changes his mind, then redacts his latest answer.
    await joinRaw(raw(bob), roomId);
    await sendRaw(raw(bob), roomId, pollResponseType, PollResponseEvent.from([yes], start).serialize().content);
    const second = await sendRaw(raw(bob), roomId, pollResponseType, PollResponseEvent.from([no], start).serialize().content);
    const bobCounts = async () => (await a.call<VoteDetail>('governance.vote', { circleId: circle, voteId: kept })).results.options.map((o) => o.votes);
    await syncUntil(() => a.syncNow(), async () => JSON.stringify(await bobCounts()) === '[0,1]', "Bob's second answer on replica A");
    await redactRaw(raw(bob), roomId, second);

    // Alice's second device withdraws the second batch.
    const phone = await loginRaw(server.baseUrl, alice.localpart, alice.password);
    await redactRaw(phone, roomId, batchEvent, 'sent to the wrong circle');
    await syncUntil(() => a.syncNow(), () => a.core.services.sync.view().withdrawn >= 2, 'both redactions on replica A');
    expect(memberIds(a)).toEqual([alice.userId, bob.userId].sort());
    expect(a.core.services.db.prepare('SELECT display_name FROM gov_members WHERE member = ?').pluck().get(bob.userId)).toBe('Bob');
    expect(voteIds(a)).toEqual([kept]);
    // The redacted answer does not count; Bob's earlier one does, as in Element.
    expect(await bobCounts()).toEqual([1, 0]);

    // Replica B joins afterwards (Carol was invited before the redaction) and sees only shells.
    const b = await startPlenaryClient('carol-desktop', { coop: clearCircleRooms(server) });
    clients.push(b);
    await b.signIn(server, carol);
    await syncUntil(() => b.syncNow(), () => b.digest() === a.digest(), 'replica B to equal replica A');
    expect(memberIds(b)).toEqual([alice.userId, bob.userId].sort());
    expect(voteIds(b)).toEqual([kept]);
    const onB = await b.call<VoteDetail>('governance.vote', { circleId: circle, voteId: kept });
    const onA = await a.call<VoteDetail>('governance.vote', { circleId: circle, voteId: kept });
    expect(onB.results).toEqual(onA.results);

    // Both list the withdrawal: who, when, why, and what it took away on each.
    const listed = (items: WithdrawnItem[]) => items.find((w) => w.eventId === batchEvent);
    const withdrawnOnA = listed(await a.call<WithdrawnItem[]>('sync.withdrawals'));
    const withdrawnOnB = listed(await b.call<WithdrawnItem[]>('sync.withdrawals'));
    expect(withdrawnOnA).toMatchObject({ redactedBy: alice.userId, sender: alice.userId, reason: 'sent to the wrong circle', operations: 3, circleId: circle });
    expect(withdrawnOnB).toMatchObject({ redactedBy: alice.userId, sender: alice.userId, reason: 'sent to the wrong circle', operations: 0 });
    expect(withdrawnOnB?.redactedAt).toBe(withdrawnOnA?.redactedAt);
    expect((await b.call<WithdrawnItem[]>('sync.withdrawals')).some((w) => w.eventId === second && w.redactedBy === bob.userId)).toBe(true);
    expect(a.core.services.sync.view().quarantined).toBe(0);
  });
});
