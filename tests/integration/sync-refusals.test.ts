// Sync tells the truth, against a real Synapse with its DEFAULT rate limits (rc_message 0.2
// events/s after a burst of 10; federation switched off, as in every test homeserver):
// - a circle member on another server cannot be invited (Synapse: 403 "Federation denied");
//   the status says something was not accepted, naming the member and the circle, never
//   "synced", until the member dismisses it;
// - votes made offline and left open upload in a burst that the server rate limits (a poll
//   start and the facilitator's answer each): the status reads "waiting" with the time
//   sending resumes, never an error, and then synced, with every poll event on the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { clearCircleRooms, startPlenaryClient, type PlenaryClient } from '../helpers/plenary-client';
import { seedCircle } from '../helpers/governance-seed';
import { recordOfflineAssembly } from '../helpers/offline-assembly';
import { eventCountsInRoom, operationIdsInRoom } from '../helpers/room-ops';
import type { SyncRefusal, SyncStatusView } from '../../shared/contract/sync';
import { pollEndType, pollResponseType, pollStartType } from '../../main/core/sync/msc3381';

const dana = '@dana:elsewhere.example';

let server: SynapseServer;
let alice: RegisteredUser;
let bob: RegisteredUser;
let client: PlenaryClient;
let circle: string;
const seen: SyncStatusView[] = [];

/** Resolves with the first status (current or coming) that satisfies `ok`. */
function statusWhere(ok: (view: SyncStatusView) => boolean): Promise<SyncStatusView> {
  const sync = client.core.services.sync;
  return new Promise((resolve) => {
    if (ok(sync.view())) return resolve(sync.view());
    const stop = sync.onChange((view) => {
      if (!ok(view)) return;
      stop();
      resolve(view);
    });
  });
}

beforeAll(async () => {
  server = await SynapseServer.start({ rateLimits: 'default' });
  [alice, bob] = [await server.register('alice'), await server.register('bob')];
  // Circle rooms in the clear: the test counts the operations on the server through the raw API, which cannot read encrypted ones (encrypted circle rooms are tests/integration/sync-encrypted-circle and sync-key-bundles).
  client = await startPlenaryClient('alice', { coop: clearCircleRooms(server), pollTimeoutMs: 1_000 });
  client.core.services.sync.onChange((view) => seen.push(view));
});

afterAll(async () => {
  await client?.close();
  await server?.stop();
});

describe('sync refusals and rate limits under default limits', () => {
  it('reports a refused invitation, naming the member and the circle, and never reads as synced while it stands', { timeout: 60_000 }, async () => {
    await client.signIn(server, alice);
    const store = client.core.services.governance;
    circle = seedCircle(store, alice.userId, [bob.userId, dana]);

    const refused = await statusWhere((view) => view.state === 'refused' && view.pending === 0);
    expect(refused).toMatchObject({ refused: 1, problem: null });
    const [refusal, ...others] = await client.call<SyncRefusal[]>('sync.refusals');
    expect(others).toEqual([]);
    expect(refusal).toMatchObject({
      kind: 'invite',
      reason: 'other_server',
      circleId: circle,
      circleName: 'Technology operations',
      member: { id: dana, name: 'dana' },
      retryAt: null,
      canDismiss: true,
    });
    expect(refusal!.serverMessage).toMatch(/^M_FORBIDDEN: Federation denied with elsewhere\.example/);
    // Bob, on the coop's own server, was invited as the room was made.
    const roomId = client.core.services.sync.rooms.roomOf(circle)!;
    const members = (await (
      await fetch(`${server.baseUrl}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/members`, { headers: { Authorization: `Bearer ${alice.accessToken}` } })
    ).json()) as { chunk: { state_key: string; content: { membership: string } }[] };
    expect(members.chunk.map((m) => [m.state_key, m.content.membership])).toContainEqual([bob.userId, 'invite']);

    // Trying again asks the server once more; it refuses again, and the refusal stands.
    await client.call('sync.retryRefusal', { id: refusal!.id });
    await statusWhere((view) => view.state === 'refused' && client.logs.filter((r) => r.message === 'the coop server refused to invite a circle member').length === 2);
    const [again] = await client.call<SyncRefusal[]>('sync.refusals');
    expect(again).toMatchObject({ id: refusal!.id, attempts: 2 });
    expect(client.core.services.sync.view()).toMatchObject({ state: 'refused', refused: 1 });

    const firstRefused = seen.findIndex((view) => view.refused > 0);
    expect(seen.slice(firstRefused).filter((view) => view.state === 'idle')).toEqual([]);

    expect(await client.call('sync.dismissRefusal', { id: refusal!.id })).toEqual([]);
    expect(client.core.services.sync.view()).toMatchObject({ state: 'idle', refused: 0, pending: 0 });
  });

  it('reads a burst of offline votes that the server rate limits as waiting, with the time sending resumes, then synced', { timeout: 150_000 }, async () => {
    const store = client.core.services.governance;
    await client.call('matrix.disconnect');
    // 6 open votes: 1 operations event and 12 poll events, more than the burst of 10.
    const events = recordOfflineAssembly(store, circle, { votes: 6, self: alice.userId, proxyFor: bob.userId, close: false });
    expect(client.core.services.sync.view()).toMatchObject({ state: 'offline', pending: 18 + 12 });
    const from = seen.length;

    await client.call('matrix.connect');
    const waiting = await statusWhere((view) => view.state === 'waiting');
    expect(waiting.retryAt).toEqual(expect.any(Number));
    expect(waiting.problem).toBeNull();
    const synced = await statusWhere((view) => view.state === 'idle' && view.pending === 0);
    expect(synced.problem).toBeNull();

    const during = seen.slice(from);
    expect(during.filter((view) => view.state === 'error')).toEqual([]);
    // From the first wait until everything is sent it reads as waiting or uploading, never as synced.
    const firstWait = during.findIndex((view) => view.state === 'waiting');
    const lastPending = during.findLastIndex((view) => view.pending > 0);
    expect(during.slice(firstWait, lastPending + 1).filter((view) => view.state !== 'waiting' && view.state !== 'uploading')).toEqual([]);
    expect(client.logs.filter((r) => r.message === 'rate limited by the coop server; waiting').length).toBeGreaterThan(0);

    const roomId = client.core.services.sync.rooms.roomOf(circle)!;
    const counts = await eventCountsInRoom(server.baseUrl, alice.accessToken, roomId, [pollStartType, pollResponseType, pollEndType]);
    expect(counts).toEqual({ [pollStartType]: 6, [pollResponseType]: 6, [pollEndType]: 0 });
    expect(1 + counts[pollStartType]! + counts[pollResponseType]! + counts[pollEndType]!).toBe(events);
    expect(await operationIdsInRoom(server.baseUrl, alice.accessToken, roomId)).toHaveLength(4 + 6 * 3);
  });
});
