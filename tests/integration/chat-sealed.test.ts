// The decrypted text of an encrypted room never lands in the main store file: it is kept in
// the sealed database (main/core/chat/sealed-chat.ts), which is encrypted on disk. Against a
// real Synapse (default rate limits) with an independent Element-like member in another
// process (tests/helpers/element-crypto-peer.ts) who sends a unique marker in an encrypted
// room and another in a clear room.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { startTestCore, type TestCore } from '../helpers/test-core';
import { MemorySecretStore } from '../../main/core/secrets/secret-store';
import { startCryptoPeer, type CryptoPeer } from '../helpers/element-crypto-peer-process';
import { storePaths } from '../../main/core/store/store-files';
import { sealedChatFile, sealedChatKeySecret } from '../../main/core/chat/sealed-chat';
import type { ChatTimeline } from '../../shared/contract/chat';

let server: SynapseServer;
let peer: CryptoPeer;
let alice: TestCore;
let aliceUser: RegisteredUser;
let bobUser: RegisteredUser;
let secretRoom: string;
let clearRoom: string;
const dataDir = mkdtempSync(join(tmpdir(), 'plenary-sealed-'));
const secrets = new MemorySecretStore();
const marker = `sealed-marker-${randomBytes(6).toString('hex')}`;
const ownMarker = `own-marker-${randomBytes(6).toString('hex')}`;
const clearMarker = `clear-marker-${randomBytes(6).toString('hex')}`;
const mainFile = storePaths(dataDir).file;
const sealedFile = join(dataDir, sealedChatFile);

async function aliceSees(roomId: string, check: (timeline: ChatTimeline) => boolean, what: string): Promise<ChatTimeline> {
  let timeline: ChatTimeline | null = null;
  for (let i = 0; i < 100; i++) {
    await alice.core.services.matrix.syncNow().catch(() => undefined);
    timeline = await alice.call('chat.timeline', { roomId, limit: 200 });
    if (check(timeline)) return timeline;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`Alice never saw ${what}; last timeline: ${JSON.stringify(timeline?.items.map((i) => [i.kind, i.body.slice(0, 60)]))}`);
}

async function found(text: string): Promise<{ roomId: string; eventId: string; fromPos: number }[]> {
  const result = await alice.call('chatSearch.search', { text });
  return result.groups.flatMap((group) => group.hits.map((hit) => ({ roomId: hit.roomId, eventId: hit.eventId, fromPos: hit.fromPos })));
}

/** The main store's bytes as they are on disk now: the file and its write-ahead log. */
function mainStoreBytes(): Buffer {
  return Buffer.concat([mainFile, `${mainFile}-wal`].filter((file) => existsSync(file)).map((file) => readFileSync(file)));
}

let secretEventId: string;

beforeAll(async () => {
  server = await SynapseServer.start();
  aliceUser = await server.register('alice', { password: 'alice-password' });
  bobUser = await server.register('bob', { password: 'bob-password' });
  alice = startTestCore({ dataDir, secrets });
  await alice.call('matrix.signInWithPassword', { homeserverUrl: server.baseUrl, user: aliceUser.localpart, password: 'alice-password' });
  peer = startCryptoPeer();
  await peer.call('start', { baseUrl: server.baseUrl, userId: bobUser.userId, accessToken: bobUser.accessToken, deviceId: bobUser.deviceId });
  ({ roomId: secretRoom } = await peer.call<{ roomId: string }>('createRoom', { name: 'Stewards (private)', invite: [aliceUser.userId], encrypted: true }));
  ({ roomId: clearRoom } = await peer.call<{ roomId: string }>('createRoom', { name: 'Lobby', invite: [aliceUser.userId], encrypted: false }));
  for (const roomId of [secretRoom, clearRoom]) await alice.core.services.matrix.request('POST', `/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, { body: {} });
  await aliceSees(secretRoom, () => [secretRoom, clearRoom].every((id) => alice.core.services.chat.rooms().some((r) => r.roomId === id)), 'both rooms');
}, 120_000);

afterAll(async () => {
  await peer?.stop();
  alice?.close({ keepData: true });
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the text of encrypted rooms on disk', () => {
  it('shows and finds the encrypted room\'s marker, which is in neither the main store file nor the sealed file', async () => {
    const sent = await peer.call<{ eventId: string; wireType: string }>('send', { roomId: secretRoom, content: { msgtype: 'm.text', body: `Keep this quiet: ${marker}` } });
    expect(sent.wireType).toBe('m.room.encrypted');
    secretEventId = sent.eventId;
    await peer.call('send', { roomId: clearRoom, content: { msgtype: 'm.text', body: `Anyone may read ${clearMarker}` } });
    const timeline = await aliceSees(secretRoom, (t) => t.items.some((i) => i.body === `Keep this quiet: ${marker}`), 'the marker');
    expect(timeline.encrypted).toBe(true);
    await aliceSees(clearRoom, (t) => t.items.some((i) => i.body === `Anyone may read ${clearMarker}`), 'the clear marker');

    // Search finds both, each in its room, and the hit opens the room at the message.
    expect(await found(marker)).toEqual([expect.objectContaining({ roomId: secretRoom, eventId: secretEventId })]);
    expect(await found(clearMarker)).toEqual([expect.objectContaining({ roomId: clearRoom })]);
    const [hit] = await found(marker);
    const jumped = await alice.call('chat.timeline', { roomId: secretRoom, fromPos: hit!.fromPos, limit: 50 });
    expect(jumped.items.some((i) => i.eventId === secretEventId && i.body === `Keep this quiet: ${marker}`)).toBe(true);

    // What the member writes there is sealed too, while it waits to be sent and after its echo.
    await alice.call('chat.send', { roomId: secretRoom, text: `My answer: ${ownMarker}` });
    await peer.call('waitFor', { roomId: secretRoom, body: `My answer: ${ownMarker}` });
    await aliceSees(secretRoom, (t) => t.items.some((i) => i.body === `My answer: ${ownMarker}` && i.eventId !== null), 'her own message echoed');
    expect(await found(ownMarker)).toEqual([expect.objectContaining({ roomId: secretRoom })]);

    // While Plenary runs: the main store (file and write-ahead log) never held the markers; the clear room's is there.
    await expect.poll(() => mainStoreBytes().includes(clearMarker), { timeout: 10_000 }).toBe(true);
    expect(mainStoreBytes().includes(marker)).toBe(false);
    expect(mainStoreBytes().includes(ownMarker)).toBe(false);
    // The sealed file is written a moment after the write, and holds only ciphertext.
    await expect.poll(() => existsSync(sealedFile), { timeout: 10_000 }).toBe(true);
    expect(readFileSync(sealedFile).includes(marker)).toBe(false);
    expect(readFileSync(sealedFile).subarray(0, 8).toString('ascii')).toBe('PLNSEAL1');
  });

  it('after a restart the marker is still found, and still in no file', async () => {
    alice.close({ keepData: true });
    expect(mainStoreBytes().includes(marker)).toBe(false);
    expect(mainStoreBytes().includes(clearMarker)).toBe(true);
    expect(readFileSync(sealedFile).includes(marker)).toBe(false);
    alice = startTestCore({ dataDir, secrets });
    // Found from the sealed file, before any sync.
    expect(await found(marker)).toEqual([expect.objectContaining({ roomId: secretRoom, eventId: secretEventId })]);
    const timeline = await alice.call('chat.timeline', { roomId: secretRoom, limit: 200 });
    expect(timeline.items.some((i) => i.eventId === secretEventId && i.body === `Keep this quiet: ${marker}`)).toBe(true);
  });

  it('a damaged sealed file is set aside and the encrypted room loads again from the server', async () => {
    alice.close({ keepData: true });
    const bytes = readFileSync(sealedFile);
    bytes[bytes.length - 1]! ^= 0xff;
    writeFileSync(sealedFile, bytes);
    alice = startTestCore({ dataDir, secrets });
    expect(existsSync(`${sealedFile}.damaged`)).toBe(true);
    // The room was emptied; back-fill reads it again from the server's latest event, decrypted.
    let timeline = await alice.call('chat.timeline', { roomId: secretRoom, limit: 200 });
    for (let round = 0; round < 10 && !timeline.items.some((i) => i.eventId === secretEventId); round++) {
      const gap = timeline.items.find((i) => i.key.startsWith('gap:'));
      await alice.call('chat.paginate', gap ? { roomId: secretRoom, gapPos: Number(gap.key.slice(4)) } : { roomId: secretRoom });
      timeline = await alice.call('chat.timeline', { roomId: secretRoom, limit: 200 });
    }
    expect(timeline.items.find((i) => i.eventId === secretEventId)).toMatchObject({ kind: 'text', body: `Keep this quiet: ${marker}` });
    expect(await found(marker)).toEqual([expect.objectContaining({ roomId: secretRoom, eventId: secretEventId })]);
    expect(mainStoreBytes().includes(marker)).toBe(false);
  });

  it('signing out deletes the sealed file and its key', async () => {
    alice.core.services.chat.store.sealed!.save();
    expect(existsSync(sealedFile)).toBe(true);
    const key = secrets.get(sealedChatKeySecret);
    expect(key).toBeTruthy();
    await alice.call('matrix.signOut', {});
    await expect.poll(() => existsSync(sealedFile)).toBe(false);
    expect(existsSync(`${sealedFile}.damaged`)).toBe(false);
    expect(secrets.get(sealedChatKeySecret)).not.toBe(key);
    expect(await found(marker)).toEqual([]);
  });
});
