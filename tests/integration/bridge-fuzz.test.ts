// The browser bridge never dies of bad input. `start-web.ts` runs as its own process (as
// `npm run start:web` runs it); fast-check sends it well over a thousand malformed things:
// raw HTTP requests with broken request lines, percent-encodings, headers and bytes; socket
// messages that are not JSON, not requests, binary or over the size limit; and raw frames no
// WebSocket client would send. Afterwards the same process still serves the app and answers
// calls, its memory stayed bounded, and its log holds a bounded number of lines.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebProcess, type WebProcess } from '../helpers/web-process';

let dir = '';
let web: WebProcess;
let baselineMb = 0;
let sent = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'plenary-fuzz-'));
  web = await startWebProcess(dir);
  // Warm up: the page and a call, so the baseline includes what serving normally costs.
  for (let i = 0; i < 5; i++) await fetch(`http://127.0.0.1:${web.port}/`).then((r) => r.text());
  const ws = await openSocket();
  await call(ws, 'app.info');
  ws.close();
  baselineMb = web.rssMb();
});

afterAll(async () => {
  await web?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Sends raw bytes on a fresh TCP connection and resolves when the server has closed it. */
function rawExchange(bytes: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(web.port, '127.0.0.1');
    let reply = '';
    socket.on('data', (chunk) => (reply += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => resolve(reply));
    socket.on('connect', () => socket.end(bytes));
  });
}

function openSocket(): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${web.port}/bridge?token=${web.token}`, { origin: `http://127.0.0.1:${web.port}`, maxPayload: 64 * 1024 * 1024 });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function call(ws: WebSocket, channel: string, input: unknown = {}, id = 1): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const parsed = JSON.parse(data.toString()) as Record<string, unknown>;
      if (parsed.id !== id) return;
      ws.off('message', onMessage);
      resolve(parsed);
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, channel, input }));
  });
}

/** Sends one message and waits for its answer, or for the socket to close (too large, invalid frame). */
function sendAndSettle(ws: WebSocket, data: string | Buffer, binary = false): Promise<'answered' | 'closed'> {
  return new Promise((resolve) => {
    if (ws.readyState !== ws.OPEN) return resolve('closed');
    const done = (how: 'answered' | 'closed') => {
      ws.off('message', onMessage);
      ws.off('close', onClose);
      resolve(how);
    };
    const onMessage = (raw: WebSocket.RawData) => {
      const parsed = JSON.parse(raw.toString()) as Record<string, unknown>;
      if (!('event' in parsed)) done('answered');
    };
    const onClose = () => done('closed');
    ws.on('message', onMessage);
    ws.on('close', onClose);
    ws.send(data, { binary });
  });
}

const token = fc.stringMatching(/^[!-~]{0,12}$/);
const percentJunk = fc.array(fc.constantFrom('%', '%E0%A4%A', '%zz', '%00', '%C3', '%2e%2e%2f', '..', '/', 'a', '\u00e9', '%ff%fe', '%%'), { maxLength: 12 }).map((parts) => parts.join(''));
const headerLine = fc.oneof(
  fc.tuple(token, fc.string({ maxLength: 40 })).map(([name, value]) => `${name}: ${value}`),
  fc.constant('Host: 127.0.0.1'),
  fc.constant(`X-Long: ${'a'.repeat(20_000)}`),
  fc.constant('Content-Length: -1'),
  fc.constant('Content-Length: 99999999999999999999'),
  fc.constant('Transfer-Encoding: chunked, identity'),
  fc.constant('Connection: Upgrade\r\nUpgrade: websocket'),
  fc.string({ maxLength: 30 }),
);
const httpRequest = fc.oneof(
  fc.tuple(fc.constantFrom('GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS', 'BREW', ''), percentJunk, fc.array(headerLine, { maxLength: 6 }), fc.boolean()).map(
    ([method, path, headers, withHost]) => Buffer.from(`${method} /${path} HTTP/1.1\r\n${withHost ? 'Host: PLACEHOLDER\r\n' : ''}${headers.join('\r\n')}\r\n\r\n`, 'latin1'),
  ),
  fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes)),
  fc.tuple(percentJunk, fc.constantFrom('/bridge', '/bridge?token=', '/other', 'http://[::1', '//x')).map(([junk, path]) =>
    Buffer.from(`GET ${path}${junk} HTTP/1.1\r\nHost: PLACEHOLDER\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${junk}\r\nOrigin: ${junk}\r\n\r\n`, 'latin1'),
  ),
);

const socketMessage = fc.oneof(
  fc.string({ maxLength: 200 }).map((text) => ({ data: text, binary: false })),
  fc.json({ maxDepth: 6 }).map((text) => ({ data: text, binary: false })),
  fc.record({ id: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)), channel: fc.oneof(fc.constantFrom('app.info', 'data.importChunk', 'governance.apply', 'settings.set', 'data.restore', 'x'), fc.string()), input: fc.anything() }).map((message) => ({
    data: JSON.stringify(message) ?? 'null',
    binary: false,
  })),
  fc.constant({ data: `[${'['.repeat(100_000)}`, binary: false }),
  fc.constant({ data: JSON.stringify({ id: 1, channel: 'app.info', input: JSON.parse(`${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`) as unknown }), binary: false }),
  fc.uint8Array({ maxLength: 256 }).map((bytes) => ({ data: Buffer.from(bytes), binary: true })),
);

/** A valid upgrade, then frames that break the protocol (bad opcodes, unmasked, reserved bits, lying lengths). */
function rawFrames(frames: Buffer): Promise<string> {
  const key = randomBytes(16).toString('base64');
  const upgrade = `GET /bridge?token=${web.token} HTTP/1.1\r\nHost: 127.0.0.1:${web.port}\r\nOrigin: http://127.0.0.1:${web.port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${key}\r\n\r\n`;
  return rawExchange(Buffer.concat([Buffer.from(upgrade), frames]));
}

describe('the bridge process under malformed input', () => {
  it('answers or closes every malformed HTTP request, and keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(httpRequest, async (bytes) => {
        sent++;
        const reply = await rawExchange(Buffer.from(bytes.toString('latin1').replaceAll('PLACEHOLDER', `127.0.0.1:${web.port}`), 'latin1'));
        // Either nothing (the parser gave up on garbage) or a well-formed HTTP answer.
        return reply === '' || reply.startsWith('HTTP/1.1 ');
      }),
      { numRuns: 500 },
    );
    expect(web.child.exitCode).toBeNull();
  });

  it('answers malformed socket messages with an error, closes on oversized ones, and keeps serving', async () => {
    let ws = await openSocket();
    await fc.assert(
      fc.asyncProperty(socketMessage, async ({ data, binary }) => {
        sent++;
        const how = await sendAndSettle(ws, data, binary);
        if (how === 'closed') ws = await openSocket();
        return true;
      }),
      { numRuns: 400 },
    );
    // Over the 4 MB limit: the server closes the socket with 1009, it does not buffer it.
    for (let i = 0; i < 5; i++) {
      sent++;
      const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
      ws.send('x'.repeat(5 * 1024 * 1024));
      expect(await closed).toBe(1009);
      ws = await openSocket();
    }
    expect(await call(ws, 'app.info', {}, 77)).toMatchObject({ id: 77, ok: true, value: { runtime: 'web' } });
    ws.close();
  });

  it('survives frames that break the WebSocket protocol', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 64 }), async (bytes) => {
        sent++;
        const reply = await rawFrames(Buffer.from(bytes));
        return reply.startsWith('HTTP/1.1 101 ');
      }),
      { numRuns: 150 },
    );
    expect(web.child.exitCode).toBeNull();
  });

  it('still serves the app and answers calls afterwards, with bounded memory and a bounded log', async () => {
    expect(sent).toBeGreaterThanOrEqual(1000);
    const page = await fetch(`http://127.0.0.1:${web.port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const ws = await openSocket();
    expect(await call(ws, 'governance.circles', {}, 5)).toEqual({ id: 5, ok: true, value: [] });
    ws.close();
    // Nothing the fuzzing sent is held on to: growth stays far below what was sent (> 25 MB
    // in oversized messages alone).
    expect(web.rssMb() - baselineMb).toBeLessThan(64);
    // One line per kind of refusal a minute, not one per request.
    const warnings = web.output().split('\n').filter((line) => line.startsWith('[warn]'));
    expect(warnings.length, warnings.map((w) => w.slice(0, 100)).join('\n')).toBeLessThan(100);
    expect(web.child.exitCode).toBeNull();
  });
});
