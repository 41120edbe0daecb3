// The Synapse helper against a real homeserver: register through the shared-secret admin
// API, log in with matrix-js-sdk, create a room, send an event and receive it back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, ClientEvent, MsgType, RoomEvent, type MatrixClient, type MatrixEvent } from 'matrix-js-sdk';
import { SynapseServer } from '../helpers/synapse';

let server: SynapseServer;
const clients: MatrixClient[] = [];

beforeAll(async () => {
  // Relaxed rate limits: it checks the test server itself; one case starts a second homeserver with the default limits. Waiting out 429s under Synapse's defaults is proven in
  // sync-rate-limits.test.ts and the sync tests that run with the default limits.
  server = await SynapseServer.start({ rateLimits: 'relaxed' });
});

afterAll(async () => {
  for (const client of clients) client.stopClient();
  await server?.stop();
});

async function startSyncing(client: MatrixClient): Promise<void> {
  await new Promise<void>((resolve) => {
    client.once(ClientEvent.Sync, (state) => {
      if (state === 'PREPARED') resolve();
    });
    void client.startClient({ initialSyncLimit: 10 });
  });
}

describe('Synapse test helper', () => {
  it('binds to loopback only', () => {
    expect(server.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('registers users, logs in with matrix-js-sdk, creates a room, sends and receives an event', async () => {
    const alice = await server.register('alice', { password: 'alice-password' });
    const bob = await server.register('bob');
    expect(alice.userId).toBe('@alice:localhost');

    const aliceClient = createClient({ baseUrl: server.baseUrl });
    const login = await aliceClient.loginRequest({ type: 'm.login.password', identifier: { type: 'm.id.user', user: 'alice' }, password: 'alice-password' });
    expect(login.user_id).toBe('@alice:localhost');
    const alice2 = createClient({ baseUrl: server.baseUrl, accessToken: login.access_token, userId: login.user_id, deviceId: login.device_id });
    const bobClient = createClient({ baseUrl: server.baseUrl, accessToken: bob.accessToken, userId: bob.userId, deviceId: bob.deviceId });
    clients.push(alice2, bobClient);

    const { room_id: roomId } = await alice2.createRoom({ name: 'Technology operations', invite: [bob.userId] });
    await bobClient.joinRoom(roomId);
    await startSyncing(bobClient);

    const received = new Promise<MatrixEvent>((resolve) => {
      bobClient.on(RoomEvent.Timeline, (event) => {
        if (event.getRoomId() === roomId && event.getType() === 'm.room.message' && event.getSender() === alice.userId) resolve(event);
      });
    });
    const sent = await alice2.sendMessage(roomId, { msgtype: MsgType.Text, body: 'Hello from the assembly' });
    const event = await received;
    expect(event.getId()).toBe(sent.event_id);
    expect(event.getContent().body).toBe('Hello from the assembly');
  });

  it('refuses registration with a wrong shared-secret MAC', async () => {
    const url = `${server.baseUrl}/_synapse/admin/v1/register`;
    const { nonce } = (await (await fetch(url)).json()) as { nonce: string };
    const response = await fetch(url, { method: 'POST', body: JSON.stringify({ nonce, username: 'mallory', password: 'x', mac: '00' }) });
    expect(response.status).toBe(403);
  });

  it('starts a second homeserver with default rate limits', async () => {
    const limited = await SynapseServer.start({ rateLimits: 'default' });
    try {
      const carol = await limited.register('carol');
      const client = createClient({ baseUrl: limited.baseUrl, accessToken: carol.accessToken, userId: carol.userId });
      const { room_id: roomId } = await client.createRoom({});
      // Synapse's default rc_message allows a burst of 10, then answers 429 M_LIMIT_EXCEEDED.
      let limitedAt = -1;
      for (let i = 0; i < 30 && limitedAt < 0; i++) {
        const response = await fetch(`${limited.baseUrl}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/t${i}`, {
          method: 'PUT',
          headers: { Authorization: `Bearer ${carol.accessToken}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ msgtype: 'm.text', body: `m${i}` }),
        });
        if (response.status === 429) {
          const body = (await response.json()) as { errcode: string; retry_after_ms?: number };
          expect(body.errcode).toBe('M_LIMIT_EXCEEDED');
          limitedAt = i;
        }
      }
      expect(limitedAt).toBeGreaterThan(0);
    } finally {
      await limited.stop();
    }
  });
});
