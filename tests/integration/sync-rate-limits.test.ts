// Synapse with its default rate limits (rc_message: 0.2 events/s after a burst of 10):
// 2,000 offline operations upload completely, honouring every 429 M_LIMIT_EXCEEDED with
// its retry_after_ms. Events are kept small here so the limit is actually hit; the test's
// timeout is the time bound.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { clearCircleRooms, startPlenaryClient, type PlenaryClient } from '../helpers/plenary-client';
import { seedCircle, seedContributions } from '../helpers/governance-seed';
import { duplicates, operationIdsInRoom } from '../helpers/room-ops';

let server: SynapseServer;
let alice: RegisteredUser;
const clients: PlenaryClient[] = [];

beforeAll(async () => {
  server = await SynapseServer.start({ rateLimits: 'default' });
  alice = await server.register('alice');
});

afterAll(async () => {
  for (const client of clients) await client.close();
  await server?.stop();
});

describe('sync under default rate limits', () => {
  it('uploads 2,000 offline operations completely, waiting out every 429', { timeout: 170_000 }, async () => {
    // Circle rooms in the clear: the test counts the operations on the server through the raw API, which cannot read encrypted ones (encrypted circle rooms are tests/integration/sync-encrypted-circle and sync-key-bundles).
    const client = await startPlenaryClient('alice', { coop: clearCircleRooms(server), sync: { maxEventBytes: 8_000 } });
    clients.push(client);
    const store = client.core.services.governance;
    const circle = seedCircle(store, store.actor, []);
    seedContributions(store, circle, store.actor, 1998, 9);
    expect(client.core.services.sync.view().pending).toBe(2000);

    await client.signIn(server, alice);
    const started = Date.now();
    let status = await client.syncNow();
    while (status.pending > 0 && Date.now() - started < 150_000) {
      await new Promise((r) => setTimeout(r, 1_000));
      status = await client.syncNow();
    }
    expect(status).toMatchObject({ pending: 0, state: 'idle' });
    expect(client.logs.some((r) => r.message === 'rate limited by the coop server; waiting')).toBe(true);

    const ids = await operationIdsInRoom(server.baseUrl, alice.accessToken, client.core.services.sync.rooms.roomOf(circle)!);
    expect(ids).toHaveLength(2000);
    expect(duplicates(ids)).toEqual([]);
  });
});
