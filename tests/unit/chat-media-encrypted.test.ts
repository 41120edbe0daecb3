// The chat media service in an end-to-end encrypted room, with a stand-in server: the server
// only receives ciphertext (no file name), the message names the file with `file` (and the
// image's thumbnail with info.thumbnail_file), and what comes back is checked by its SHA-256
// before it is decrypted, shown or saved. Malformed EncryptedFiles are refused before any fetch.
import { createDecipheriv, createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatMediaService } from '../../main/core/chat/media-service';
import { createLogger } from '../../main/core/log';
import { makePng } from '../helpers/png';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const json = (value: unknown, status = 200) => new Response(JSON.stringify(value), { status, headers: { 'Content-Type': 'application/json' } });

function setup(options: { synced?: boolean } = {}) {
  const synced = options.synced ?? true;
  const outbox: { room_id: string; event_id: string; content: string }[] = [];
  const sent: { roomId: string; content: Record<string, unknown> }[] = [];
  const uploads: { query: Record<string, string>; type: string; body: Buffer }[] = [];
  const media: Record<string, Buffer> = {};
  const events = new Map<string, { event_id: string; room_id: string; content: string }>();
  const requests: string[] = [];
  const downloadsDir = mkdtempSync(join(tmpdir(), 'plenary-media-e2ee-'));
  dirs.push(downloadsDir);
  const service = new ChatMediaService({
    matrix: {
      session: () => ({ userId: '@ana:x', homeserverUrl: 'http://x', deviceId: 'D' }),
      fetchRaw: async (method: string, path: string, init: { body?: unknown; query?: Record<string, string>; headers?: Record<string, string> }) => {
        requests.push(`${method} ${path}`);
        if (path.endsWith('/config')) return json({ 'm.upload.size': 10_000_000 });
        if (method === 'POST') {
          const body = Buffer.from(await new Response(init.body as BodyInit).arrayBuffer());
          const id = `m${uploads.length}`;
          uploads.push({ query: init.query ?? {}, type: init.headers?.['Content-Type'] ?? '', body });
          media[id] = body;
          return json({ content_uri: `mxc://x/${id}` });
        }
        const id = path.split('/').at(-1)!;
        return media[id] ? new Response(new Uint8Array(media[id])) : json({ errcode: 'M_NOT_FOUND' }, 404);
      },
    } as never,
    chat: {
      store: { room: () => ({ room_id: '!room:x', encrypted: 1 }), event: (id: string) => events.get(id), outbox: (roomId: string) => outbox.filter((row) => row.room_id === roomId) },
      threadTarget: () => ({ rootId: '$root', latestEventId: '$latest' }),
      sendContent: (roomId: string, content: Record<string, unknown>) => {
        sent.push({ roomId, content });
        const row = { event_id: `$e${sent.length}`, room_id: roomId, content: JSON.stringify(content) };
        // As if it had come back from the server, decrypted, and been cached; or only sent,
        // its copy not back through /sync yet (the outbox row has its event id).
        if (synced) events.set(row.event_id, row);
        else outbox.push(row);
        return { txnId: `t${sent.length}` };
      },
    } as never,
    log: createLogger('test', () => undefined),
    clock: { now: () => Date.now() } as never,
    downloadsDir,
    onProgress: () => undefined,
  });
  return { service, sent, uploads, media, events, requests, downloadsDir };
}

async function send(s: ReturnType<typeof setup>, name: string, bytes: Buffer, extra?: Parameters<ChatMediaService['uploadFinish']>[2]) {
  const { uploadId, encrypted } = await s.service.uploadStart({ roomId: '!room:x', name, sizeBytes: bytes.length, mimetype: 'application/octet-stream' });
  expect(encrypted).toBe(true);
  s.service.uploadChunk(uploadId, 0, bytes.toString('base64'));
  return s.service.uploadFinish(uploadId, extra ? { width: 64, height: 48, blurhash: 'LEHV6nWB2yk8' } : undefined, extra);
}

function decryptWith(file: { key: { k: string }; iv: string }, ciphertext: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-ctr', Buffer.from(file.key.k, 'base64url'), Buffer.from(file.iv, 'base64'));
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('files in an encrypted room', () => {
  it('uploads only ciphertext, without the file name, and names it with `file`; an image also gets an encrypted thumbnail', async () => {
    const s = setup();
    const image = makePng(64, 48, (x, y) => [x * 4, y * 5, 0, 255]);
    const thumb = makePng(32, 24, (x, y) => [x * 8, y * 10, 0, 255]);
    await send(s, 'secret-plan.png', image, { data: thumb.toString('base64'), width: 32, height: 24 });
    expect(s.uploads).toHaveLength(2);
    for (const upload of s.uploads) {
      expect(upload.type).toBe('application/octet-stream');
      expect(upload.query).toEqual({});
    }
    expect(s.uploads[0]!.body.equals(image)).toBe(false);
    const content = s.sent[0]!.content as { url?: string; file: { url: string; key: { k: string }; iv: string; hashes: { sha256: string } }; info: Record<string, unknown> };
    expect(content.url).toBeUndefined();
    expect(content).toMatchObject({ msgtype: 'm.image', body: 'secret-plan.png', file: { url: 'mxc://x/m0', v: 'v2' }, info: { mimetype: 'image/png', size: image.length, w: 64, h: 48 } });
    expect(decryptWith(content.file, s.uploads[0]!.body).equals(image)).toBe(true);
    const thumbFile = content.info.thumbnail_file as typeof content.file;
    expect(thumbFile.url).toBe('mxc://x/m1');
    expect(content.info.thumbnail_info).toEqual({ mimetype: 'image/png', size: thumb.length, w: 32, h: 24 });
    expect(decryptWith(thumbFile, s.uploads[1]!.body).equals(thumb)).toBe(true);

    // Read back through the message: the thumbnail, then the full image, decrypted in main.
    const read = async (full: boolean) => {
      const held = await s.service.image(content.file.url, full, { roomId: '!room:x', eventId: '$e1' });
      return Buffer.from(s.service.imageChunk(held.imageId, 0).data, 'base64');
    };
    expect(sha(await read(false))).toBe(sha(thumb));
    expect(sha(await read(true))).toBe(sha(image));
  });

  it('shows the member’s own image just sent, before its copy comes back through /sync, from what the outbox sent', async () => {
    const s = setup({ synced: false });
    const image = makePng(16, 12, (x, y) => [x * 9, y * 9, 0, 255]);
    await send(s, 'site.png', image);
    const content = s.sent[0]!.content as { file: { url: string } };
    const held = await s.service.image(content.file.url, true, { roomId: '!room:x', eventId: '$e1' });
    expect(sha(Buffer.from(s.service.imageChunk(held.imageId, 0).data, 'base64'))).toBe(sha(image));
    // A message that is neither cached nor in the outbox is still refused.
    await expect(s.service.image(content.file.url, true, { roomId: '!room:x', eventId: '$nowhere' })).rejects.toMatchObject({ params: { reason: 'media_missing' } });
  });

  it('refuses a thumbnail that is not an image', async () => {
    const s = setup();
    const image = makePng(8, 8, () => [1, 2, 3, 255]);
    await expect(send(s, 'a.png', image, { data: Buffer.from('<svg onload=x>').toString('base64'), width: 8, height: 8 })).rejects.toMatchObject({ params: { reason: 'not_image' } });
    expect(s.sent).toEqual([]);
  });

  it('saves the decrypted file, and refuses one the server changed without saving anything', async () => {
    const s = setup();
    const doc = Buffer.from('Minutes of the assembly: approved 12 to 3.\n'.repeat(50));
    await send(s, 'minutes.txt', doc);
    const file = (s.sent[0]!.content as { file: { url: string } }).file;
    const saved = await s.service.download(file.url, 'minutes.txt', { roomId: '!room:x', eventId: '$e1' });
    expect(readFileSync(join(saved.folder, saved.fileName)).equals(doc)).toBe(true);

    // The server swaps the bytes: same length, one bit changed.
    const stored = s.media.m0!;
    stored[10] = stored[10]! ^ 0x40;
    await expect(s.service.download(file.url, 'minutes.txt', { roomId: '!room:x', eventId: '$e1' })).rejects.toMatchObject({ code: 'file_damaged', params: { reason: 'tampered' } });
    await expect(s.service.image(file.url, true, { roomId: '!room:x', eventId: '$e1' })).rejects.toMatchObject({ params: { reason: 'tampered' } });
    expect(readdirSync(s.downloadsDir)).toEqual(['minutes.txt']);
  });

  it('refuses a malformed EncryptedFile with its reason before fetching anything', async () => {
    const s = setup();
    const good = { url: 'mxc://x/m0', key: { kty: 'oct', key_ops: ['encrypt', 'decrypt'], alg: 'A256CTR', k: Buffer.alloc(32, 1).toString('base64url'), ext: true }, iv: Buffer.alloc(16).toString('base64').replace(/=+$/, ''), hashes: { sha256: Buffer.alloc(32).toString('base64').replace(/=+$/, '') }, v: 'v2' };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...good, key: { ...good.key, alg: 'A128CBC' } }, 'algorithm'],
      [{ ...good, key: { ...good.key, k: Buffer.alloc(16, 1).toString('base64url') } }, 'key'],
      [{ ...good, hashes: {} }, 'hash'],
      [{ ...good, v: 'v0' }, 'version'],
    ];
    for (const [index, [file, problem]] of cases.entries()) {
      s.events.set(`$bad${index}`, { event_id: `$bad${index}`, room_id: '!room:x', content: JSON.stringify({ msgtype: 'm.file', body: 'x.pdf', file }) });
      const before = s.requests.length;
      await expect(s.service.download('mxc://x/m0', 'x.pdf', { roomId: '!room:x', eventId: `$bad${index}` })).rejects.toMatchObject({ params: { reason: 'bad_encrypted_file', problem } });
      expect(s.requests.length).toBe(before);
    }
    // A message not decrypted yet names no file to fetch.
    s.events.set('$locked', { event_id: '$locked', room_id: '!room:x', type: 'm.room.encrypted', content: JSON.stringify({ algorithm: 'm.megolm.v1.aes-sha2', ciphertext: 'AAAA' }) } as never);
    await expect(s.service.download('mxc://x/m0', 'x.pdf', { roomId: '!room:x', eventId: '$locked' })).rejects.toMatchObject({ params: { reason: 'not_decrypted' } });
    // A message from another room is not read for this one.
    await expect(s.service.download('mxc://x/m0', 'x.pdf', { roomId: '!other:x', eventId: '$bad0' })).rejects.toMatchObject({ code: 'not_found' });
  });
});
