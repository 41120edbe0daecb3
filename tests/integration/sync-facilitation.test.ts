// A facilitator's new operations through a real Synapse: a member without a Matrix account
// linked to one, a proxy ballot with its proxy holder, a vote closed, reopened and closed
// again, and an action item; all of it reaches a member's replica identically. The member
// ticks off their own action item (accepted everywhere without facilitator rights), while a
// reopen sent by a member without them is kept aside, never applied.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { converge, startPlenaryClient, type PlenaryClient } from '../helpers/plenary-client';
import { opsEvent } from '../helpers/room-ops';
import { newId } from '../../shared/governance/ids';
import { formatHlc } from '../../shared/governance/hlc';
import { operationSchemaVersion } from '../../shared/governance/operation';
import type { AssemblyDetail, VoteDetail } from '../../shared/governance/views';

let server: SynapseServer;
let users: Record<'alice' | 'bob' | 'dana', RegisteredUser>;
const clients: PlenaryClient[] = [];

beforeAll(async () => {
  // Relaxed rate limits: it replays a whole assembly from several replicas; what is proven is the outcome on every replica. Waiting out 429s under Synapse's defaults is proven in
  // sync-rate-limits.test.ts and the sync tests that run with the default limits.
  server = await SynapseServer.start({ rateLimits: 'relaxed' });
  users = { alice: await server.register('alice'), bob: await server.register('bob'), dana: await server.register('dana') };
});

afterAll(async () => {
  for (const client of clients) await client.close();
  await server?.stop();
});

describe("a facilitator's operations through Synapse", () => {
  it('converge on every replica, with owners ticking off their action items and reopens only from facilitators', async () => {
    const alice = await startPlenaryClient('alice');
    clients.push(alice);
    await alice.signIn(server, users.alice);
    const gov = alice.core.services.governance;
    const me = users.alice.userId;
    const dana = 'local:3f0c2b1a-9d8e-4c7b-a6f5-e4d3c2b1a098';
    const circle = newId();
    const [assemblyId, voteId, yes, no, actionId] = [newId(), newId(), newId(), newId(), newId()];
    gov.applyLocalBatch([
      { type: 'circle.create', circle, payload: { name: 'Hosting', purpose: '', timezone: 'UTC' } },
      { type: 'circle.member.set', circle, payload: { member: me, displayName: 'Alice', role: 'facilitator', timezone: 'UTC' } },
      { type: 'circle.member.set', circle, payload: { member: users.bob.userId, displayName: 'Bob', role: 'member', timezone: 'UTC' } },
      { type: 'circle.member.set', circle, payload: { member: dana, displayName: 'Dana', role: 'member', timezone: 'UTC' } },
      { type: 'assembly.create', circle, payload: { assemblyId, title: 'AGM' } },
      { type: 'assembly.open', circle, payload: { assemblyId } },
      { type: 'vote.create', circle, payload: { voteId, assemblyId, question: 'Move?', details: '', method: 'single', options: [{ id: yes, label: 'Yes' }, { id: no, label: 'No' }], quorumPercent: 0 } },
      { type: 'vote.ballot', circle, payload: { voteId, voter: dana, choice: yes, proxy: users.bob.userId } },
      { type: 'assembly.action.set', circle, payload: { assemblyId, actionId, text: 'Ask for quotes', owner: users.bob.userId, due: '2027-01-15' } },
    ]);
    gov.applyLocal('vote.close', circle, { voteId });
    gov.applyLocal('vote.reopen', circle, { voteId });
    gov.applyLocal('vote.close', circle, { voteId });
    await alice.call('governance.linkMember', { circleId: circle, member: dana, account: users.dana.userId });
    await alice.syncNow();

    const bob = await startPlenaryClient('bob');
    clients.push(bob);
    await bob.signIn(server, users.bob);
    await converge([alice, bob]);
    const vote = await bob.call<VoteDetail>('governance.vote', { circleId: circle, voteId });
    expect(vote).toMatchObject({ status: 'closed', results: { winners: [yes] } });
    expect(vote.closures.map((c) => c.kind)).toEqual(['close', 'reopen', 'close']);
    expect(vote.ballots.map((b) => [b.voter, b.proxy, b.actor, b.state])).toEqual([[users.dana.userId, users.bob.userId, me, 'counted']]);

    // Bob ticks off his own action item: no facilitator rights needed, on either replica.
    await bob.call('governance.apply', { type: 'assembly.action.done', circle, payload: { assemblyId, actionId, owner: users.bob.userId, done: true } });
    await converge([alice, bob]);
    const assembly = await alice.call<AssemblyDetail>('governance.assembly', { circleId: circle, assemblyId });
    expect(assembly.actions.map((a) => [a.text, a.ownerName, a.done])).toEqual([['Ask for quotes', 'Bob', true]]);
    expect(alice.core.services.sync.view().quarantined).toBe(0);

    // A reopen from Bob's own client (he is no facilitator there) is kept aside.
    const roomId = alice.core.services.sync.rooms.roomOf(circle)!;
    const wall = Date.now();
    const reopen = { id: newId(wall), hlc: formatHlc({ wall, counter: 0, node: 'bob-client' }), actor: users.bob.userId, circle, type: 'vote.reopen', payload: { voteId }, v: operationSchemaVersion };
    const event = opsEvent(circle, [reopen]);
    const sent = await fetch(`${server.baseUrl}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/${encodeURIComponent(event.type)}/${newId()}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${users.bob.accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(event.content),
    });
    expect(sent.status).toBe(200);
    await expect.poll(async () => (await alice.syncNow()).quarantined, { timeout: 20_000 }).toBe(1);
    expect((await alice.call<VoteDetail>('governance.vote', { circleId: circle, voteId })).status).toBe('closed');
  });
});
