// Clocks against Synapse with its default rate limits: a member whose computer's clock is 3 h
// ahead sends changes; another member's app holds them (never refused, never lost) and
// applies them when its own clock gets there, and the sender is told both that its clock is
// ahead and that others hold its changes. And a ballot backdated before a vote's close, which
// the server received after it, is late: the server's receipt time decides.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { clearCircleRooms, startPlenaryClient, type PlenaryClient } from '../helpers/plenary-client';
import { OffsetClock } from '../helpers/offset-clock';
import { syncUntil } from '../helpers/wait-for';
import { joinRaw, sendRaw } from '../helpers/matrix-raw';
import { opsEvent } from '../helpers/room-ops';
import { newId } from '../../shared/governance/ids';
import { formatHlc } from '../../shared/governance/hlc';
import type { VoteDetail } from '../../shared/governance/views';
import type { Operation } from '../../shared/governance/operation';

const threeHours = 3 * 3600_000;

// Circle rooms in the clear, whatever the default: the test is about clocks, and its backdated operations are sent through the raw API without crypto.
let server: SynapseServer;
let alice: RegisteredUser;
let bob: RegisteredUser;
let carol: RegisteredUser;
let mallory: RegisteredUser;
const clients: PlenaryClient[] = [];

beforeAll(async () => {
  server = await SynapseServer.start({ rateLimits: 'default' });
  [alice, bob, carol, mallory] = [await server.register('alice'), await server.register('bob'), await server.register('carol'), await server.register('mallory')];
});

afterAll(async () => {
  for (const client of clients) await client.close();
  await server?.stop();
});

const circleCount = (client: PlenaryClient) => client.core.services.db.prepare('SELECT count(*) FROM gov_circles WHERE created_v IS NOT NULL').pluck().get() as number;

describe('clocks', () => {
  it("holds a clock-ahead sender's changes until the receiver's clock reaches them, and tells the sender", async () => {
    const ahead = await startPlenaryClient('alice-ahead', { clock: new OffsetClock(threeHours), coop: clearCircleRooms(server) });
    clients.push(ahead);
    await ahead.signIn(server, alice);
    const store = ahead.core.services.governance;
    const circle = newId();
    store.applyLocal('circle.create', circle, { name: 'Care circle', purpose: '', timezone: 'UTC' });
    store.applyLocal('circle.member.set', circle, { member: alice.userId, displayName: 'Alice', role: 'facilitator', timezone: 'UTC' });
    store.applyLocal('circle.member.set', circle, { member: bob.userId, displayName: 'Bob', role: 'member', timezone: 'UTC' });
    await ahead.syncNow();

    // The sender learns that its clock is ahead and that other members' apps hold its changes.
    const told = await syncUntil(() => ahead.syncNow(), () => ahead.core.services.sync.view().clock.heldByOthers, 'the sender to be told');
    expect(told.count).toBe(3);
    const skew = ahead.core.services.sync.view().clock.skewMs!;
    expect(Math.abs(skew - threeHours)).toBeLessThan(60_000);

    const bobClock = new OffsetClock(0);
    const receiver = await startPlenaryClient('bob', { clock: bobClock, coop: clearCircleRooms(server) });
    clients.push(receiver);
    await receiver.signIn(server, bob);
    const held = await syncUntil(() => receiver.syncNow(), () => receiver.core.services.sync.view().clock.heldHere, 'the changes to be held on the receiver');
    expect(held.count).toBe(3);
    expect(circleCount(receiver)).toBe(0);
    expect(receiver.core.services.sync.view()).toMatchObject({ quarantined: 0, clock: { skewMs: null } });
    // Reading again changes nothing: whether a change applies never depends on when a replica syncs.
    await receiver.syncNow();
    expect(circleCount(receiver)).toBe(0);

    // Bob's computer reaches the time the changes carry (moved on rather than waited for).
    bobClock.offsetMs = threeHours;
    await syncUntil(() => receiver.syncNow(), () => receiver.digest() === ahead.digest(), 'the receiver to apply the held changes');
    expect(circleCount(receiver)).toBe(1);
    expect(receiver.core.services.sync.view().clock.heldHere).toBeNull();
  });

  it('calls a ballot backdated before the close late when the server received it after the close', async () => {
    const facilitator = await startPlenaryClient('carol', { coop: clearCircleRooms(server) });
    clients.push(facilitator);
    await facilitator.signIn(server, carol);
    const store = facilitator.core.services.governance;
    const circle = newId();
    const voteId = newId();
    const [keep, scrap] = [newId(), newId()];
    store.applyLocal('circle.create', circle, { name: 'Stewards', purpose: '', timezone: 'UTC' });
    store.applyLocal('circle.member.set', circle, { member: carol.userId, displayName: 'Carol', role: 'facilitator', timezone: 'UTC' });
    store.applyLocal('circle.member.set', circle, { member: mallory.userId, displayName: 'Mallory', role: 'member', timezone: 'UTC' });
    const created = store.applyLocal('vote.create', circle, { voteId, question: 'Keep the old server?', details: '', method: 'single', options: [{ id: keep, label: 'Keep' }, { id: scrap, label: 'Scrap' }], quorumPercent: 0 });
    store.applyLocal('vote.ballot', circle, { voteId, voter: carol.userId, choice: keep });
    store.applyLocal('vote.close', circle, { voteId });
    await facilitator.syncNow();
    const roomId = facilitator.core.services.sync.rooms.roomOf(circle)!;

    // Mallory's client claims a time just after the vote was created, long before the close.
    await joinRaw({ baseUrl: server.baseUrl, userId: mallory.userId, accessToken: mallory.accessToken }, roomId);
    const backdated = Number(created.hlc.slice(0, 13)) + 1;
    const ballot: Operation = {
      id: newId(backdated),
      hlc: formatHlc({ wall: backdated, counter: 0, node: 'mallory' }),
      actor: mallory.userId,
      circle,
      type: 'vote.ballot',
      payload: { voteId, voter: mallory.userId, choice: scrap },
      v: 1,
    };
    const { type, content } = opsEvent(circle, [ballot]);
    await sendRaw({ baseUrl: server.baseUrl, userId: mallory.userId, accessToken: mallory.accessToken }, roomId, type, content);

    const detail = () => facilitator.call<VoteDetail>('governance.vote', { circleId: circle, voteId });
    const seen = await syncUntil(() => facilitator.syncNow(), async () => (await detail()).ballots.find((b) => b.voter === mallory.userId), "Mallory's ballot");
    expect(seen.state).toBe('late');
    expect(seen.at).toBeLessThan(seen.receivedAt!);
    const results = (await detail()).results;
    expect(results.options.map((o) => o.votes)).toEqual([1, 0]);
    expect(results.late).toBe(1);
  });
});
