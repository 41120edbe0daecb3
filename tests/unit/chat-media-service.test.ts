// The chat media service with a stand-in server: bad hand-overs are refused with what was
// wrong, the message is sent only after the server named the upload, and a server that
// fails or answers something unusable sends no message.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatMediaService } from '../../main/core/chat/media-service';
import { createLogger } from '../../main/core/log';

const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup(server: (method: string, path: string, body: unknown) => Response | Promise<Response>, options: { encrypted?: boolean } = {}) {
  const sent: { roomId: string; content: Record<string, unknown> }[] = [];
  const requests: string[] = [];
  const downloadsDir = mkdtempSync(join(tmpdir(), 'plenary-media-unit-'));
  dirs.push(downloadsDir);
  const media = new ChatMediaService({
    matrix: {
      session: () => ({ userId: '@ana:x', homeserverUrl: 'http://x', deviceId: 'D' }),
      fetchRaw: async (method: string, path: string, init: { body?: unknown }) => {
        requests.push(`${method} ${path}`);
        let body: unknown = init.body;
        if (body instanceof ReadableStream) body = Buffer.from(await new Response(body).arrayBuffer());
        return server(method, path, body);
      },
    } as never,
    chat: {
      store: { room: (roomId: string) => (roomId === '!room:x' ? { room_id: roomId, encrypted: options.encrypted ? 1 : 0 } : undefined) },
      threadTarget: () => ({ rootId: '$root', latestEventId: '$latest' }),
      sendContent: (roomId: string, content: Record<string, unknown>) => {
        sent.push({ roomId, content });
        return { txnId: 't1' };
      },
    } as never,
    log: createLogger('test', () => undefined),
    clock: { now: () => Date.now() } as never,
    downloadsDir,
    onProgress: () => undefined,
  });
  return { media, sent, requests, downloadsDir };
}

const json = (value: unknown, status = 200) => new Response(JSON.stringify(value), { status, headers: { 'Content-Type': 'application/json' } });
const config = (max: number) => (method: string, path: string) => (path.endsWith('/config') ? json({ 'm.upload.size': max }) : json({ errcode: 'M_UNKNOWN' }, 500));

describe('chat media service', () => {
  it('falls back to the older media config endpoint', async () => {
    const { media, requests } = setup((_m, path) => (path === '/_matrix/media/v3/config' ? json({ 'm.upload.size': 1000 }) : json({ errcode: 'M_UNRECOGNIZED' }, 404)));
    expect(await media.config()).toEqual({ maxUploadBytes: 1000 });
    expect(requests).toEqual(['GET /_matrix/client/v1/media/config', 'GET /_matrix/media/v3/config']);
  });

  it('refuses an upload over the limit, or empty, before any byte; says when the room is encrypted', async () => {
    const { media, requests } = setup(config(1000));
    await expect(media.uploadStart({ roomId: '!room:x', name: 'a.bin', sizeBytes: 1001, mimetype: '' })).rejects.toMatchObject({ code: 'invalid_input', params: { reason: 'too_large', max: 1000 } });
    await expect(media.uploadStart({ roomId: '!room:x', name: 'a.bin', sizeBytes: 0, mimetype: '' })).rejects.toMatchObject({ params: { reason: 'empty' } });
    await expect(media.uploadStart({ roomId: '!other:x', name: 'a.bin', sizeBytes: 10, mimetype: '' })).rejects.toMatchObject({ code: 'not_found' });
    expect(requests.every((r) => r.endsWith('/config'))).toBe(true);
    const encrypted = setup(config(1000), { encrypted: true });
    // Taken (encrypted in main, tests/unit/chat-media-encrypted.test.ts); the page adds a thumbnail for an image.
    await expect(encrypted.media.uploadStart({ roomId: '!room:x', name: 'a.bin', sizeBytes: 10, mimetype: '' })).resolves.toMatchObject({ encrypted: true });
  });

  it('refuses chunks out of order, beyond the announced size, and a finish before every byte', async () => {
    const { media, sent } = setup(config(1000));
    const { uploadId } = await media.uploadStart({ roomId: '!room:x', name: 'a.bin', sizeBytes: 4, mimetype: '' });
    expect(() => media.uploadChunk(uploadId, 1, 'AAAA')).toThrow(/Expected chunk 0/);
    expect(() => media.uploadChunk(uploadId, 0, Buffer.alloc(5).toString('base64'))).toThrow(/more than the 4 bytes/);
    media.uploadChunk(uploadId, 0, Buffer.alloc(2).toString('base64'));
    await expect(media.uploadFinish(uploadId)).rejects.toMatchObject({ params: { reason: 'incomplete' } });
    expect(() => media.uploadChunk('0'.repeat(32), 0, 'AAAA')).toThrow(/cancelled or has expired/);
    expect(sent).toEqual([]);
  });

  it('sends the message only after the server named the upload, as m.image only for image bytes', async () => {
    let uploaded: Buffer | null = null;
    const { media, sent } = setup((method, path, body) => {
      if (path.endsWith('/config')) return json({ 'm.upload.size': 1000 });
      uploaded = body as Buffer;
      return json({ content_uri: 'mxc://x/abc' });
    });
    const { uploadId } = await media.uploadStart({ roomId: '!room:x', name: 'pic.txt', sizeBytes: png.length, mimetype: 'text/plain', threadRoot: '$root' });
    media.uploadChunk(uploadId, 0, png.toString('base64'));
    expect(await media.uploadFinish(uploadId, { width: 2, height: 1, blurhash: 'LEHV6nWB2yk8' })).toEqual({ txnId: 't1', contentUri: 'mxc://x/abc' });
    expect(uploaded).toEqual(png);
    expect(sent).toEqual([
      {
        roomId: '!room:x',
        content: {
          msgtype: 'm.image',
          body: 'pic.txt',
          filename: 'pic.txt',
          url: 'mxc://x/abc',
          info: { mimetype: 'image/png', size: png.length, w: 2, h: 1, 'xyz.amorgan.blurhash': 'LEHV6nWB2yk8' },
          'm.mentions': {},
          'm.relates_to': { rel_type: 'm.thread', event_id: '$root', is_falling_back: true, 'm.in_reply_to': { event_id: '$latest' } },
        },
      },
    ]);
  });

  it('sends no message when the server refuses the file, fails, or names no content URI', async () => {
    for (const answer of [json({ errcode: 'M_TOO_LARGE', error: 'too big' }, 413), json({ errcode: 'M_UNKNOWN' }, 500), json({ content_uri: 'https://evil/x' })]) {
      const { media, sent } = setup((_m, path) => (path.endsWith('/config') ? json({}) : answer));
      const { uploadId } = await media.uploadStart({ roomId: '!room:x', name: 'a.bin', sizeBytes: 3, mimetype: '' });
      media.uploadChunk(uploadId, 0, 'AAAA');
      await expect(media.uploadFinish(uploadId)).rejects.toBeTruthy();
      expect(sent).toEqual([]);
    }
  });

  it('hands over an image only when its bytes are one, and saves files without overwriting', async () => {
    const files: Record<string, Buffer> = { '/_matrix/client/v1/media/download/x/img': png, '/_matrix/client/v1/media/download/x/html': Buffer.from('<html><script>x</script></html>') };
    const { media, downloadsDir } = setup((_m, path) => (files[path] ? new Response(new Uint8Array(files[path]), { headers: { 'Content-Type': 'image/png' } }) : json({ errcode: 'M_NOT_FOUND' }, 404)));
    const image = await media.image('mxc://x/img', true);
    expect(image).toMatchObject({ mimetype: 'image/png', sizeBytes: png.length, chunks: 1 });
    expect(Buffer.from(media.imageChunk(image.imageId, 0).data, 'base64')).toEqual(png);
    await expect(media.image('mxc://x/html', true)).rejects.toMatchObject({ params: { reason: 'not_image' } });
    // The thumbnail is missing: the image itself, still checked.
    expect((await media.image('mxc://x/img', false)).mimetype).toBe('image/png');

    writeFileSync(join(downloadsDir, 'page.html'), 'mine');
    const saved = await media.download('mxc://x/html', 'page.html');
    expect(saved.fileName).toBe('page (1).html');
    expect(readFileSync(join(downloadsDir, 'page.html'), 'utf8')).toBe('mine');
    await expect(media.open(saved.savedId)).rejects.toMatchObject({ code: 'forbidden', params: { reason: 'unsafe_type', extension: 'html' } });
    await expect(media.download('mxc://x/gone', 'gone.pdf')).rejects.toMatchObject({ code: 'not_found', params: { reason: 'media_missing' } });
  });
});
