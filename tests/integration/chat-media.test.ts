// Files and images against a real Synapse (issue 18, item 2), with a plain matrix-js-sdk client
// on the other side, as Element: what Plenary uploads the other client downloads byte for byte
// (SHA-256), and what that client sends Plenary downloads through authenticated media
// (MSC3916) byte for byte. A file over the server's limit is refused before any byte is
// sent; a connection dropped mid-upload, or a cancel, sends no message; bytes that are not an
// image are never handed over as one.
//
// This file's Synapse takes uploads of at most 1 MiB (max_upload_size), so "over the limit"
// needs a 1.1 MB file, not 50 MB. Rate limits stay at Synapse's defaults: a handful of calls.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SynapseServer } from '../helpers/synapse';
import { TcpProxy } from '../helpers/tcp-proxy';
import { makePng } from '../helpers/png';
import { aliceSees, bobReceives, sharedRoom, startChatFixture, type ChatFixture } from '../helpers/chat-fixture';
import type { ChatUploadProgress } from '../../shared/contract/chat-media';
import type { TestCore } from '../helpers/test-core';

const maxUpload = 1024 * 1024;
let server: SynapseServer;
let proxy: TcpProxy;
let f: ChatFixture;
let roomId: string;
let downloads: string;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const random = (size: number) => Buffer.from(Array.from({ length: size }, (_, i) => (i * 7919 + (i >> 8) * 31) & 0xff));

beforeAll(async () => {
  server = await SynapseServer.start({ rateLimits: 'default', extraConfig: { max_upload_size: `${maxUpload}` } });
  proxy = await TcpProxy.start(Number(new URL(server.baseUrl).port));
  downloads = mkdtempSync(join(tmpdir(), 'plenary-downloads-'));
  // Plenary reaches the server through a proxy, to cut its connection mid-upload.
  f = await startChatFixture(server, { homeserverUrl: proxy.url, media: { downloadsDir: downloads } });
  roomId = await sharedRoom(f, { name: 'Files' });
});

afterAll(async () => {
  f?.close();
  await proxy?.close();
  await server?.stop();
  if (downloads) rmSync(downloads, { recursive: true, force: true });
});

/** Hands the bytes to Plenary's core a chunk at a time, as the page does. */
async function handOver(alice: TestCore, input: { name: string; mimetype: string; bytes: Buffer }): Promise<string> {
  const { uploadId, chunkBytes } = await alice.call('chatMedia.uploadStart', { roomId, name: input.name, sizeBytes: input.bytes.length, mimetype: input.mimetype });
  for (let index = 0, offset = 0; offset < input.bytes.length; index++, offset += chunkBytes) {
    await alice.call('chatMedia.uploadChunk', { uploadId, index, data: input.bytes.subarray(offset, offset + chunkBytes).toString('base64') });
  }
  return uploadId;
}

async function bobDownloads(uri: string): Promise<Buffer> {
  const [serverName, mediaId] = uri.slice('mxc://'.length).split('/');
  const response = await fetch(`${server.baseUrl}/_matrix/client/v1/media/download/${encodeURIComponent(serverName!)}/${mediaId}`, {
    headers: { Authorization: `Bearer ${f.bobUser.accessToken}` },
  });
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

async function readImage(alice: TestCore, uri: string, full: boolean): Promise<{ mimetype: string; bytes: Buffer }> {
  const image = await alice.call('chatMedia.image', { uri, full });
  const parts: Buffer[] = [];
  for (let index = 0; index < image.chunks; index++) parts.push(Buffer.from((await alice.call('chatMedia.imageChunk', { imageId: image.imageId, index })).data, 'base64'));
  return { mimetype: image.mimetype, bytes: Buffer.concat(parts) };
}

const progressOf = (alice: TestCore, uploadId: string) => alice.events.filter((e) => e.name === 'chatMedia.upload').map((e) => e.payload as ChatUploadProgress).filter((p) => p.uploadId === uploadId);

describe('files and images with a plain matrix-js-sdk client on the other side', () => {
  it('states the server’s upload limit from its media config', async () => {
    expect(await f.alice.call('chatMedia.config', {})).toEqual({ maxUploadBytes: maxUpload });
  });

  it('uploads an image and a file the other client downloads byte for byte, the message sent only after the upload', async () => {
    const png = makePng(64, 48);
    const uploadId = await handOver(f.alice, { name: 'chart.png', mimetype: 'image/png', bytes: png });
    const received = bobReceives(f, roomId, (e) => e.getContent().body === 'chart.png');
    const { contentUri } = await f.alice.call('chatMedia.uploadFinish', { uploadId, image: { width: 64, height: 48, blurhash: 'LEHV6nWB2yk8pyo0adR*.7kCMdnj' } });
    const event = await received;
    expect(event.getContent()).toMatchObject({
      msgtype: 'm.image',
      url: contentUri,
      info: { mimetype: 'image/png', size: png.length, w: 64, h: 48, 'xyz.amorgan.blurhash': 'LEHV6nWB2yk8pyo0adR*.7kCMdnj' },
    });
    expect(sha256(await bobDownloads(contentUri))).toBe(sha256(png));
    const progress = progressOf(f.alice, uploadId);
    expect(progress.at(-1)).toEqual({ uploadId, sent: png.length, total: png.length });

    // A PDF whose page claims it is an image is still sent as a file: images are decided by their bytes.
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), random(300_000)]);
    const fileUpload = await handOver(f.alice, { name: 'report.pdf', mimetype: 'image/png', bytes: pdf });
    const fileEvent = bobReceives(f, roomId, (e) => e.getContent().body === 'report.pdf');
    const file = await f.alice.call('chatMedia.uploadFinish', { uploadId: fileUpload });
    expect((await fileEvent).getContent()).toMatchObject({ msgtype: 'm.file', url: file.contentUri, info: { mimetype: 'image/png', size: pdf.length } });
    expect(sha256(await bobDownloads(file.contentUri))).toBe(sha256(pdf));
  });

  it('sends a file into a thread as a thread reply (m.thread), as Element does', async () => {
    const { event_id: rootId } = await f.bob.sendMessage(roomId, { msgtype: 'm.text', body: 'The slides, please' } as never);
    await aliceSees(f, roomId, (t) => t.items.some((i) => i.eventId === rootId), 'the thread root');
    const slides = Buffer.concat([Buffer.from('%PDF-1.5\n'), random(10_000)]);
    const { uploadId, chunkBytes } = await f.alice.call('chatMedia.uploadStart', { roomId, name: 'slides.pdf', sizeBytes: slides.length, mimetype: 'application/pdf', threadRoot: rootId });
    expect(chunkBytes).toBeGreaterThan(slides.length);
    await f.alice.call('chatMedia.uploadChunk', { uploadId, index: 0, data: slides.toString('base64') });
    const received = bobReceives(f, roomId, (e) => e.getContent().body === 'slides.pdf');
    await f.alice.call('chatMedia.uploadFinish', { uploadId });
    const event = await received;
    expect(event.threadRootId).toBe(rootId);
    expect(event.getContent()['m.relates_to']).toMatchObject({ rel_type: 'm.thread', event_id: rootId, is_falling_back: true });
  });

  it('downloads what the other client sends (an image and a file) through authenticated media, byte for byte', async () => {
    const png = makePng(300, 200);
    const { content_uri: imageUri } = await f.bob.uploadContent(new Uint8Array(png), { type: 'image/png', name: 'photo.png' });
    const { event_id: imageEvent } = await f.bob.sendMessage(roomId, { msgtype: 'm.image', body: 'photo.png', url: imageUri, info: { mimetype: 'image/png', size: png.length, w: 300, h: 200 } } as never);
    const odt = random(200_000);
    const { content_uri: fileUri } = await f.bob.uploadContent(new Uint8Array(odt), { type: 'application/vnd.oasis.opendocument.text', name: 'minutes.odt' });
    const { event_id: fileEvent } = await f.bob.sendMessage(roomId, { msgtype: 'm.file', body: 'minutes.odt', url: fileUri, info: { mimetype: 'application/vnd.oasis.opendocument.text', size: odt.length } } as never);

    const timeline = await aliceSees(f, roomId, (t) => t.items.some((i) => i.eventId === fileEvent), 'the other client’s file');
    const image = timeline.items.find((i) => i.eventId === imageEvent)!;
    expect(image.kind).toBe('file');
    expect(image.media).toMatchObject({ msgtype: 'm.image', url: imageUri, width: 300, height: 200, name: 'photo.png' });

    const full = await readImage(f.alice, imageUri, true);
    expect(full.mimetype).toBe('image/png');
    expect(sha256(full.bytes)).toBe(sha256(png));
    const thumbnail = await readImage(f.alice, imageUri, false);
    expect(['image/png', 'image/jpeg']).toContain(thumbnail.mimetype);

    const saved = await f.alice.call('chatMedia.download', { uri: fileUri, name: 'minutes.odt' });
    expect(saved).toMatchObject({ fileName: 'minutes.odt', folder: downloads });
    expect(sha256(readFileSync(join(downloads, 'minutes.odt')))).toBe(sha256(odt));
    // Saved again, it never overwrites: "minutes (1).odt".
    expect((await f.alice.call('chatMedia.download', { uri: fileUri, name: 'minutes.odt' })).fileName).toBe('minutes (1).odt');
    // The browser bridge cannot open files: it says where the file is.
    expect(await f.alice.call('chatMedia.open', { savedId: saved.savedId })).toEqual({ opened: false, path: join(downloads, 'minutes.odt') });
  });

  it('never hands over as an image bytes that are not one, and never opens a program', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const { content_uri: svgUri } = await f.bob.uploadContent(new Uint8Array(svg), { type: 'image/png', name: 'innocent.png' });
    await expect(f.alice.call('chatMedia.image', { uri: svgUri, full: true })).rejects.toMatchObject({ code: 'invalid_input', params: { reason: 'not_image' } });

    const script = Buffer.from('#!/bin/sh\necho hi\n');
    const { content_uri: scriptUri } = await f.bob.uploadContent(new Uint8Array(script), { type: 'text/plain', name: 'notes.sh' });
    const saved = await f.alice.call('chatMedia.download', { uri: scriptUri, name: '../../notes.sh' });
    expect(saved.fileName).toBe('_.._notes.sh');
    expect(readdirSync(downloads)).toContain('_.._notes.sh');
    await expect(f.alice.call('chatMedia.open', { savedId: saved.savedId })).rejects.toMatchObject({ code: 'forbidden', params: { reason: 'unsafe_type', extension: 'sh' } });
  });

  it('refuses a file over the server’s limit before any byte is sent (and the server would refuse it too)', async () => {
    const before = proxy.bytesUp;
    await expect(f.alice.call('chatMedia.uploadStart', { roomId, name: 'video.mkv', sizeBytes: maxUpload + 1, mimetype: 'video/x-matroska' })).rejects.toMatchObject({
      code: 'invalid_input',
      params: { reason: 'too_large', max: maxUpload, size: maxUpload + 1 },
    });
    // Nothing but the sync's long polls went out: far less than the file.
    expect(proxy.bytesUp - before).toBeLessThan(maxUpload / 10);
    // The limit is real: the server itself refuses such a file from the other client.
    await expect(f.bob.uploadContent(new Uint8Array(random(maxUpload + 1)), { type: 'application/octet-stream' })).rejects.toMatchObject({ httpStatus: 413 });
  });

  it('fails clearly when the connection drops mid-upload, sends no message, and sends the file once asked again', async () => {
    const bytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), random(900_000)]);
    const uploadId = await handOver(f.alice, { name: 'budget.pdf', mimetype: 'application/pdf', bytes });
    proxy.pause();
    const finishing = f.alice.call('chatMedia.uploadFinish', { uploadId });
    finishing.catch(() => undefined);
    await expect.poll(() => progressOf(f.alice, uploadId).some((p) => p.sent > 0)).toBe(true);
    proxy.reset();
    await expect(finishing).rejects.toMatchObject({ code: 'offline', params: { reason: 'connection_dropped' } });
    proxy.pass();
    // Nothing was sent for half a file: no message here, none queued.
    const timeline = await f.alice.call('chat.timeline', { roomId, limit: 200 });
    expect(timeline.items.some((i) => i.body === 'budget.pdf')).toBe(false);

    // The bytes are still held: asked again, it goes out whole.
    const received = bobReceives(f, roomId, (e) => e.getContent().body === 'budget.pdf');
    const { contentUri } = await f.alice.call('chatMedia.uploadFinish', { uploadId });
    expect((await received).getContent().url).toBe(contentUri);
    expect(sha256(await bobDownloads(contentUri))).toBe(sha256(bytes));
  });

  it('cancels an upload: the request is aborted and no message is sent', async () => {
    const bytes = random(600_000);
    const uploadId = await handOver(f.alice, { name: 'cancel-me.bin', mimetype: 'application/octet-stream', bytes });
    proxy.pause();
    const finishing = f.alice.call('chatMedia.uploadFinish', { uploadId });
    finishing.catch(() => undefined);
    await expect.poll(() => progressOf(f.alice, uploadId).some((p) => p.sent > 0)).toBe(true);
    await f.alice.call('chatMedia.uploadCancel', { uploadId });
    await expect(finishing).rejects.toMatchObject({ code: 'conflict', params: { reason: 'cancelled' } });
    proxy.pass();
    await expect(f.alice.call('chatMedia.uploadFinish', { uploadId })).rejects.toMatchObject({ code: 'not_found', params: { reason: 'upload_gone' } });
    // A later message arrives, and the cancelled file never did.
    const marker = bobReceives(f, roomId, (e) => e.getContent().body === 'after the cancel');
    await f.alice.call('chat.send', { roomId, text: 'after the cancel' });
    await marker;
    expect(f.bob.getRoom(roomId)!.getLiveTimeline().getEvents().some((e) => e.getContent().body === 'cancel-me.bin')).toBe(false);
  });
});
