// Files and images in an end-to-end encrypted room against a real Synapse (default rate
// limits: a handful of uploads and messages), with the Element-like member in another process
// (tests/helpers/element-crypto-peer.ts: matrix-js-sdk with its Rust crypto, and its own
// attachment encryption written with node:crypto in tests/helpers/element-attachments.ts — none
// of main/'s code). Both ways byte for byte (SHA-256 of the plaintext); the server only ever
// holds ciphertext; a ciphertext swapped on the server is refused and nothing is saved; a
// malformed EncryptedFile is refused with its reason.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { startTestCore, type TestCore } from '../helpers/test-core';
import { startCryptoPeer, type CryptoPeer } from '../helpers/element-crypto-peer-process';
import { makePng } from '../helpers/png';
import type { ChatItem, ChatTimeline } from '../../shared/contract/chat';
import type { MatrixRawEvent } from '../../main/core/matrix/matrix-connection';

let server: SynapseServer;
let peer: CryptoPeer;
let alice: TestCore;
let aliceUser: RegisteredUser;
let bobUser: RegisteredUser;
let roomId: string;
const dataDir = mkdtempSync(join(tmpdir(), 'plenary-e2ee-media-'));
const downloads = mkdtempSync(join(tmpdir(), 'plenary-e2ee-downloads-'));

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function aliceSees(check: (timeline: ChatTimeline) => boolean, what: string): Promise<ChatTimeline> {
  let timeline: ChatTimeline | null = null;
  for (let i = 0; i < 100; i++) {
    await alice.core.services.matrix.syncNow().catch(() => undefined);
    if (alice.core.services.chat.rooms().some((r) => r.roomId === roomId)) {
      timeline = await alice.call('chat.timeline', { roomId, limit: 200 });
      if (check(timeline)) return timeline;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`Alice never saw ${what}; last timeline: ${JSON.stringify(timeline?.items.map((i) => [i.kind, i.body.slice(0, 60)]))}`);
}

const itemOf = async (eventId: string): Promise<ChatItem> => (await aliceSees((t) => t.items.some((i) => i.eventId === eventId && i.kind === 'file'), `the file ${eventId}`)).items.find((i) => i.eventId === eventId)!;

async function readImage(uri: string, full: boolean, eventId: string): Promise<Buffer> {
  const image = await alice.call('chatMedia.image', { uri, full, message: { roomId, eventId } });
  const parts: Buffer[] = [];
  for (let index = 0; index < image.chunks; index++) parts.push(Buffer.from((await alice.call('chatMedia.imageChunk', { imageId: image.imageId, index })).data, 'base64'));
  return Buffer.concat(parts);
}

beforeAll(async () => {
  server = await SynapseServer.start();
  aliceUser = await server.register('alice', { password: 'alice-password' });
  bobUser = await server.register('bob', { password: 'bob-password' });
  alice = startTestCore({ dataDir, media: { downloadsDir: downloads } });
  await alice.call('matrix.signInWithPassword', { homeserverUrl: server.baseUrl, user: aliceUser.localpart, password: 'alice-password' });
  peer = startCryptoPeer();
  await peer.call('start', { baseUrl: server.baseUrl, userId: bobUser.userId, accessToken: bobUser.accessToken, deviceId: bobUser.deviceId });
  ({ roomId } = await peer.call<{ roomId: string }>('createRoom', { name: 'Treasury (private)', invite: [aliceUser.userId], encrypted: true }));
  await alice.core.services.matrix.request('POST', `/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, { body: {} });
  await aliceSees(() => true, 'the room');
}, 120_000);

afterAll(async () => {
  await peer?.stop();
  alice?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(downloads, { recursive: true, force: true });
});

describe('files and images in an encrypted room shared with an Element-like client', () => {
  it('opens the image and the file the other client encrypted: the same bytes (SHA-256), decrypted in main', async () => {
    const image = makePng(640, 480, (x, y) => [(x * 3) % 256, (y * 5) % 256, (x ^ y) % 256, 255]);
    const thumb = makePng(80, 60, (x, y) => [x * 3, y * 4, 90, 255]);
    // The thumbnail first, encrypted on its own (as Element), then the image naming it.
    const sentThumb = await peer.call<{ eventId: string; file: Record<string, unknown> }>('sendEncryptedFile', { roomId, name: 'thumb-carrier.png', msgtype: 'm.image', mimetype: 'image/png', data: thumb.toString('base64') });
    const sentImage = await peer.call<{ eventId: string; url: string }>('sendEncryptedFile', {
      roomId,
      name: 'budget-chart.png',
      msgtype: 'm.image',
      mimetype: 'image/png',
      data: image.toString('base64'),
      info: { w: 640, h: 480, thumbnail_file: sentThumb.file, thumbnail_info: { mimetype: 'image/png', w: 80, h: 60, size: thumb.length } },
    });
    const doc = Buffer.from('Treasurer’s report, confidential: 3,400 in the reserve.\n'.repeat(400));
    const sentDoc = await peer.call<{ eventId: string; url: string }>('sendEncryptedFile', { roomId, name: 'report.txt', mimetype: 'text/plain', data: doc.toString('base64') });

    const imageItem = await itemOf(sentImage.eventId);
    expect(imageItem.media).toMatchObject({ msgtype: 'm.image', encrypted: true, problem: null, url: sentImage.url, width: 640, height: 480, name: 'budget-chart.png' });
    // Nothing the page gets names the key.
    expect(JSON.stringify(imageItem)).not.toMatch(/"k"|A256CTR|hashes/);
    expect(sha256(await readImage(sentImage.url, false, sentImage.eventId))).toBe(sha256(thumb));
    expect(sha256(await readImage(sentImage.url, true, sentImage.eventId))).toBe(sha256(image));

    const docItem = await itemOf(sentDoc.eventId);
    expect(docItem.media).toMatchObject({ msgtype: 'm.file', encrypted: true, url: sentDoc.url });
    const saved = await alice.call('chatMedia.download', { uri: sentDoc.url, name: 'report.txt', message: { roomId, eventId: sentDoc.eventId } });
    expect(sha256(readFileSync(join(saved.folder, saved.fileName)))).toBe(sha256(doc));
    // Without its message the content URI alone is ciphertext: never handed over as an image.
    await expect(alice.call('chatMedia.image', { uri: sentImage.url, full: true })).rejects.toMatchObject({ params: { reason: 'not_image' } });
  });

  it('sends a file and an image the other client decrypts with its own code; the server only sees ciphertext', async () => {
    const doc = Buffer.from('Minutes, not for the server: the vote passed 9 to 2.\n'.repeat(300));
    const { uploadId, encrypted } = await alice.call('chatMedia.uploadStart', { roomId, name: 'minutes.txt', sizeBytes: doc.length, mimetype: 'text/plain' });
    expect(encrypted).toBe(true);
    await alice.call('chatMedia.uploadChunk', { uploadId, index: 0, data: doc.toString('base64') });
    const { contentUri } = await alice.call('chatMedia.uploadFinish', { uploadId });

    const opened = await peer.call<{ encrypted: boolean; sha256: string; ciphertext: string; content: Record<string, unknown> }>('openEncryptedFile', { roomId, body: 'minutes.txt' });
    expect(opened.encrypted).toBe(true);
    expect(opened.sha256).toBe(sha256(doc));
    expect(opened.content.url).toBeUndefined();
    expect(opened.content).toMatchObject({ msgtype: 'm.file', file: { url: contentUri, v: 'v2', key: { alg: 'A256CTR', kty: 'oct', ext: true, key_ops: ['encrypt', 'decrypt'] } }, info: { mimetype: 'text/plain', size: doc.length } });
    // What the server holds is not the plaintext, nor does it contain any of it.
    const onServer = Buffer.from(opened.ciphertext, 'base64');
    expect(onServer.length).toBe(doc.length);
    expect(onServer.equals(doc)).toBe(false);
    expect(onServer.includes(Buffer.from('the vote passed'))).toBe(false);
    // And the event on the server is Megolm ciphertext: no file name, no key.
    const eventId = (await aliceSees((t) => t.items.some((i) => i.body === 'minutes.txt' && i.eventId !== null && i.pending === null), 'her file sent')).items.find((i) => i.body === 'minutes.txt')!.eventId!;
    const raw = await alice.core.services.matrix.request<MatrixRawEvent>('GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/event/${encodeURIComponent(eventId)}`);
    expect(raw.type).toBe('m.room.encrypted');
    expect(JSON.stringify(raw.content)).not.toMatch(/minutes\.txt|A256CTR/);

    // An image with the thumbnail the page drew: both encrypted, both opened by the other client.
    const image = makePng(1200, 900, (x, y) => [(x * 7) % 256, (y * 3) % 256, 40, 255]);
    const thumb = makePng(800, 600, (x, y) => [(x * 7) % 256, (y * 3) % 256, 40, 255]);
    const started = await alice.call('chatMedia.uploadStart', { roomId, name: 'site-photo.png', sizeBytes: image.length, mimetype: 'image/png' });
    for (let index = 0, offset = 0; offset < image.length; index++, offset += started.chunkBytes) {
      await alice.call('chatMedia.uploadChunk', { uploadId: started.uploadId, index, data: image.subarray(offset, offset + started.chunkBytes).toString('base64') });
    }
    await alice.call('chatMedia.uploadFinish', { uploadId: started.uploadId, image: { width: 1200, height: 900, blurhash: 'LEHV6nWB2yk8pyo0adR*.7kCMdnj' }, thumbnail: { data: thumb.toString('base64'), width: 800, height: 600 } });
    const photo = await peer.call<{ sha256: string; content: { info: Record<string, unknown> }; thumbnail: { sha256: string } | null }>('openEncryptedFile', { roomId, body: 'site-photo.png' });
    expect(photo.sha256).toBe(sha256(image));
    expect(photo.thumbnail?.sha256).toBe(sha256(thumb));
    expect(photo.content.info).toMatchObject({ w: 1200, h: 900, 'xyz.amorgan.blurhash': 'LEHV6nWB2yk8pyo0adR*.7kCMdnj', thumbnail_info: { mimetype: 'image/png', w: 800, h: 600, size: thumb.length } });
    expect(photo.content.info.thumbnail_url).toBeUndefined();
  });

  it('refuses a file whose ciphertext was swapped on the server, and saves nothing', async () => {
    const original = Buffer.from('Pay 120 to the printer.\n'.repeat(40));
    const sent = await peer.call<{ eventId: string; file: Record<string, unknown> }>('sendEncryptedFile', { roomId, name: 'invoice.txt', mimetype: 'text/plain', data: original.toString('base64') });
    // Different bytes of the same length re-uploaded, and a message naming them with the original key and hash.
    const forged = Buffer.from('Pay 9120 to the printer\n'.repeat(40));
    const { url } = await peer.call<{ url: string }>('upload', { data: forged.toString('base64') });
    const tampered = await peer.call<{ eventId: string }>('send', { roomId, content: { msgtype: 'm.file', body: 'invoice-copy.txt', filename: 'invoice-copy.txt', file: { ...sent.file, url }, info: { mimetype: 'text/plain', size: original.length } } });
    const item = await itemOf(tampered.eventId);
    expect(item.media).toMatchObject({ encrypted: true, problem: null, url });
    const before = readdirSync(downloads).length;
    await expect(alice.call('chatMedia.download', { uri: url, name: 'invoice-copy.txt', message: { roomId, eventId: tampered.eventId } })).rejects.toMatchObject({ code: 'file_damaged', params: { reason: 'tampered' } });
    expect(readdirSync(downloads).length).toBe(before);
    // The genuine one still opens.
    const saved = await alice.call('chatMedia.download', { uri: String(sent.file.url), name: 'invoice.txt', message: { roomId, eventId: sent.eventId } });
    expect(sha256(readFileSync(join(saved.folder, saved.fileName)))).toBe(sha256(original));
  });

  it('refuses a malformed EncryptedFile with its reason', async () => {
    const sent = await peer.call<{ eventId: string; file: { key: Record<string, unknown> } }>('sendEncryptedFile', { roomId, name: 'ok.txt', mimetype: 'text/plain', data: Buffer.from('fine').toString('base64') });
    const bad = await peer.call<{ eventId: string }>('send', { roomId, content: { msgtype: 'm.file', body: 'odd.bin', file: { ...sent.file, key: { ...sent.file.key, alg: 'A128CBC' } }, info: { size: 4 } } });
    const item = await itemOf(bad.eventId);
    expect(item.media).toMatchObject({ encrypted: true, problem: 'algorithm', url: null });
    // Asked anyway (an older page): refused before anything is fetched or decrypted.
    await expect(alice.call('chatMedia.download', { uri: String((sent.file as { url?: string }).url), name: 'odd.bin', message: { roomId, eventId: bad.eventId } })).rejects.toMatchObject({
      params: { reason: 'bad_encrypted_file', problem: 'algorithm' },
    });
  });
});
