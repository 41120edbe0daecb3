// Sharing an encrypted circle room's key history with a member invited later (MSC4268
// room-key bundles), against a real Synapse with its default rate limits. Three Plenary
// desktops (real cores): Alice facilitates an encrypted circle with Mallory, records
// operations, then adds Bob. Alice's Plenary builds the room's key bundle, uploads it
// encrypted and sends its details to Bob's device before inviting him; Bob's Plenary takes
// it when it joins, before reading the room, so the operations from before he came fold and
// his replica converges with Alice's. A bundle from Mallory (a member, not Bob's inviter)
// is ignored, and one whose bytes do not match its hash is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { startPlenaryClient, type PlenaryClient } from '../helpers/plenary-client';
import { seedCircle, seedContributions } from '../helpers/governance-seed';
import * as Rust from '@matrix-org/matrix-sdk-crypto-wasm';
import type { MatrixRawEvent } from '../../main/core/matrix/matrix-connection';
import type { CoopConfigInput } from '../../shared/coop-config';

let server: SynapseServer;
let users: Record<'alice' | 'bob' | 'mallory', RegisteredUser>;
let alice: PlenaryClient;
let bob: PlenaryClient;
let mallory: PlenaryClient;

const encrypted = (baseUrl: string): CoopConfigInput => ({ version: 1, coop: { name: 'Test coop' }, matrix: { homeserver: baseUrl, encryptCircleRooms: true } });

beforeAll(async () => {
  server = await SynapseServer.start();
  users = { alice: await server.register('alice'), bob: await server.register('bob'), mallory: await server.register('mallory') };
  alice = await startPlenaryClient('alice', { coop: encrypted(server.baseUrl) });
  bob = await startPlenaryClient('bob', { coop: encrypted(server.baseUrl) });
  mallory = await startPlenaryClient('mallory', { coop: encrypted(server.baseUrl) });
  // A bundle goes only to devices their owner's cross-signing identity signed, and is only
  // taken from such a device (MSC4268, as the Rust crypto enforces): each password sign-in
  // sets cross-signing up, the accounts having none.
  for (const [client, user] of [[alice, users.alice], [bob, users.bob], [mallory, users.mallory]] as const) {
    await client.signIn(server, user);
    expect(await client.call('verification.crossSigning', {})).toEqual({ ready: true, deviceSigned: true });
  }
}, 180_000);

afterAll(async () => {
  for (const client of [alice, bob, mallory]) await client?.close();
  await server?.stop();
});

async function until<T>(clients: PlenaryClient[], check: () => T | null | undefined | false | Promise<T | null | undefined | false>, what: string): Promise<T> {
  for (let i = 0; i < 150; i++) {
    for (const client of clients) await client.syncNow().catch(() => undefined);
    const value = await check();
    if (value) return value;
  }
  const notes = clients.flatMap((c) => c.logs.filter((r) => r.level !== 'debug' && /bundle|key history|shar|decrypt|could not/i.test(r.message)).map((r) => `${c.name}: ${r.message} ${JSON.stringify(r.fields ?? {})}`));
  throw new Error(`never saw ${what}\n${notes.slice(-30).join('\n')}`);
}

async function encryptedEvents(client: PlenaryClient, roomId: string): Promise<MatrixRawEvent[]> {
  const page = await client.core.services.matrix.request<{ chunk: MatrixRawEvent[] }>('GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages`, {
    query: { dir: 'b', limit: '200', filter: JSON.stringify({ types: ['m.room.encrypted'] }) },
  });
  return page.chunk;
}

/** How many of the room's encrypted events this client's keys open. */
async function readable(client: PlenaryClient, roomId: string): Promise<{ total: number; opened: number }> {
  const events = await encryptedEvents(client, roomId);
  const opened = await client.core.services.crypto.decryptEvents(roomId, events);
  return { total: events.length, opened: opened.filter((e) => e.type !== 'm.room.encrypted').length };
}

/** What a modified client could send: a bundle from a device the crypto would not send one from. */
async function sendBundleByHand(from: PlenaryClient, roomId: string, to: { userId: string; deviceId: string }): Promise<void> {
  const engine = (await from.core.services.crypto.ready())!;
  const host = engine.host();
  const bundle = (await engine.buildKeyBundle(roomId))!;
  const upload = await from.core.services.matrix.fetchRaw('POST', '/_matrix/media/v3/upload', { headers: { 'Content-Type': 'application/octet-stream' }, body: new Uint8Array(bundle.data) });
  const { content_uri: url } = (await upload.json()) as { content_uri: string };
  await host.send(host.machine.queryKeysForUsers([new Rust.UserId(to.userId)]));
  const claim = await host.machine.getMissingSessions([new Rust.UserId(to.userId)]);
  if (claim) await host.send(claim as unknown as Rust.KeysQueryRequest);
  const device = (await host.machine.getDevice(new Rust.UserId(to.userId), new Rust.DeviceId(to.deviceId)))!;
  const content = await device.encryptToDeviceEvent('io.element.msc4268.room_key_bundle', { room_id: roomId, file: { ...JSON.parse(bundle.encryptionInfo), url } }, Rust.CollectStrategy.allDevices());
  await from.core.services.matrix.request('PUT', `/_matrix/client/v3/sendToDevice/m.room.encrypted/hostile-${Date.now()}`, { body: { messages: { [to.userId]: { [to.deviceId]: JSON.parse(content) } } } });
}

describe('room-key history for members invited later (MSC4268)', () => {
  it('a member added later reads every earlier operation and converges with the facilitator', async () => {
    const gov = alice.core.services.governance;
    const circle = seedCircle(gov, users.alice.userId, [users.mallory.userId]);
    seedContributions(gov, circle, users.alice.userId, 30);
    const roomId = await until([alice, mallory], () => mallory.core.services.sync.rooms.roomOf(circle), 'Mallory in the circle room');
    expect(await alice.core.services.crypto.isEncrypted(roomId)).toBe(true);
    const visibility = await alice.core.services.matrix.request<{ history_visibility: string }>('GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state/m.room.history_visibility/`);
    expect(visibility.history_visibility).toBe('shared');
    await until([alice, mallory], () => alice.core.services.sync.view().pending === 0 && mallory.core.services.governance.opCount() === gov.opCount(), 'Mallory’s replica caught up');
    const before = gov.opCount();

    // Bob is added later: his device never received the keys of what came before.
    gov.applyLocal('circle.member.set', circle, { member: users.bob.userId, displayName: 'Bob', role: 'member', timezone: 'UTC' });
    await until([alice, bob], () => bob.core.services.sync.rooms.roomOf(circle) === roomId && bob.core.services.governance.opCount() === gov.opCount(), 'Bob’s replica caught up');
    expect(bob.core.services.governance.opCount()).toBeGreaterThan(before);
    expect(bob.core.services.governance.stateDigest()).toBe(gov.stateDigest());
    expect(alice.logs.some((r) => r.message === 'shared the room’s key history with an invited member')).toBe(true);
    expect(bob.logs.some((r) => r.message === 'took the room-key bundle of the member who invited us')).toBe(true);
    const contributions = bob.core.services.db.prepare('SELECT COUNT(*) FROM gov_contributions WHERE circle = ?').pluck().get(circle) as number;
    expect(contributions).toBe(30);
  });

  it('ignores a bundle from a member who did not invite, and refuses one whose bytes do not match', async () => {
    const gov = alice.core.services.governance;
    const circle = seedCircle(gov, users.alice.userId, [users.mallory.userId]);
    seedContributions(gov, circle, users.alice.userId, 10, 7);
    const roomId = await until([alice, mallory], () => mallory.core.services.sync.rooms.roomOf(circle), 'Mallory in the second circle room');
    await until([alice, mallory], () => alice.core.services.sync.view().pending === 0 && mallory.core.services.governance.opCount() === gov.opCount(), 'Mallory caught up');

    // Mallory has the keys and sends Bob a bundle of them. Alice invites Bob outside
    // governance, with no bundle, and does not read the room while he joins (her Plenary would
    // otherwise share the history when it sees him join after her invitation).
    expect(await mallory.core.services.crypto.shareRoomHistory(roomId, users.bob.userId)).toBeGreaterThan(0);
    await alice.call('matrix.disconnect');
    await alice.core.services.matrix.request('POST', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/invite`, { body: { user_id: users.bob.userId } });
    await bob.syncNow();
    await bob.core.services.matrix.request('POST', `/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, { body: {} });
    await until([bob], () => bob.core.services.crypto.pendingKeyBundle(roomId), 'Bob waiting for Alice’s bundle');
    const withoutInviter = await readable(bob, roomId);
    expect(withoutInviter.total).toBeGreaterThan(0);
    // Mallory's keys were in Bob's hands, but only the inviter's bundle is ever taken.
    expect(withoutInviter.opened).toBe(0);
    expect(await bob.core.services.crypto.pendingKeyBundle(roomId)).toMatchObject({ inviter: users.alice.userId });

    // Alice's bundle, but the bytes Bob downloads are not what she uploaded: refused.
    const matrix = bob.core.services.matrix;
    const fetchRaw = matrix.fetchRaw.bind(matrix);
    matrix.fetchRaw = async (method, path, init) => {
      const response = await fetchRaw(method, path, init);
      if (method !== 'GET' || !path.includes('/media/download/')) return response;
      const bytes = new Uint8Array(await response.arrayBuffer());
      bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
      return new Response(bytes, { status: response.status });
    };
    // Alice reads the room again, sees Bob joined after her invitation, and shares the history.
    await alice.call('matrix.connect');
    const refused = await until([alice, bob], () => bob.logs.find((r) => r.message === 'the room-key bundle could not be taken' && (r.fields as { roomId?: string } | undefined)?.roomId === roomId), 'the tampered bundle refused');
    expect(refused.fields).toMatchObject({ inviter: users.alice.userId, reason: expect.stringMatching(/hash mismatch/i) });
    expect((await readable(bob, roomId)).opened).toBe(0);

    // The same bundle, downloaded as uploaded, opens the history: the hash was the only obstacle.
    matrix.fetchRaw = fetchRaw;
    expect(await bob.core.services.crypto.acceptKeyBundle(roomId, users.alice.userId)).toBe('imported');
    const after = await readable(bob, roomId);
    expect(after.opened).toBe(after.total);
  });
  it('ignores a bundle the inviter sent from a device their cross-signing identity did not sign', async () => {
    // Alice's second Plenary: the account has cross-signing already, so this device stays unsigned.
    const second = await startPlenaryClient('alice-2', { coop: encrypted(server.baseUrl) });
    try {
      await second.signIn(server, users.alice);
      expect(await second.call('verification.crossSigning', {})).toMatchObject({ deviceSigned: false });
      const gov = alice.core.services.governance;
      const circle = seedCircle(gov, users.alice.userId, [users.mallory.userId]);
      seedContributions(gov, circle, users.alice.userId, 5, 11);
      const roomId = await until([alice, mallory, second], () => mallory.core.services.sync.rooms.roomOf(circle), 'Mallory in the third circle room');
      await until([alice, mallory, second], async () => alice.core.services.sync.view().pending === 0 && (await readable(second, roomId)).opened > 0, 'the room keys on Alice’s second device');

      // From the unsigned device, Alice invites Bob; her signed one is away. The Rust crypto
      // will not share history from a device its owner did not sign…
      await alice.call('matrix.disconnect');
      await expect(second.core.services.crypto.shareRoomHistory(roomId, users.bob.userId)).rejects.toThrow(/not verified/);
      // …so a hostile client does it by hand: the bundle built, uploaded, and its details
      // Olm-encrypted to Bob's device as a room_key_bundle to-device message.
      await sendBundleByHand(second, roomId, bob.core.services.matrix.session()!);
      await second.core.services.matrix.request('POST', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/invite`, { body: { user_id: users.bob.userId } });
      await bob.syncNow();
      await bob.core.services.matrix.request('POST', `/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, { body: {} });
      const dropped = await until([bob], () => bob.logs.find((r) => r.message.startsWith('the room-key bundle of the member who invited us brought no keys') && (r.fields as { roomId?: string } | undefined)?.roomId === roomId), 'the unsigned device’s bundle dropped');
      expect(dropped.fields).toMatchObject({ inviter: users.alice.userId });
      const result = await readable(bob, roomId);
      expect(result.total).toBeGreaterThan(0);
      expect(result.opened).toBe(0);
      expect(bob.logs.some((r) => r.message === 'took the room-key bundle of the member who invited us' && (r.fields as { roomId?: string } | undefined)?.roomId === roomId)).toBe(false);
    } finally {
      await alice.call('matrix.connect');
      await second.close();
    }
  });
});
