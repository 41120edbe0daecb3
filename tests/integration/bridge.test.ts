// The browser bridge against the real core and SQLite: it answers the contract, pushes
// events, and refuses bad tokens, foreign origins, unknown channels and malformed input,
// each with a clear error and a log line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { startWebApp, type WebApp } from '../helpers/web-app';
import { openBridgeSocket, request } from '../helpers/bridge-client';

let app: WebApp;
let ws: WebSocket;

beforeAll(async () => {
  app = await startWebApp();
  const opened = await openBridgeSocket(app.bridge);
  if (!('ws' in opened)) throw new Error(`bridge refused the right token: ${JSON.stringify(opened.refused)}`);
  ws = opened.ws;
});

afterAll(async () => {
  ws?.close();
  await app?.close();
});

const warned = (text: string) => app.logs.some((r) => r.level === 'warn' && r.message.includes(text));

describe('browser bridge', () => {
  it('prints a loopback URL with the token in the fragment', () => {
    expect(app.bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
  });

  it('answers contract calls from the real core', async () => {
    const reply = await request(ws, { id: 1, channel: 'app.info', input: {} });
    expect(reply).toMatchObject({ id: 1, ok: true, value: { runtime: 'web', version: '0.0.0-test' } });
  });

  it('pushes core events to the socket', async () => {
    const event = new Promise<Record<string, unknown>>((resolve) => {
      ws.on('message', (data) => {
        const parsed = JSON.parse(data.toString()) as Record<string, unknown>;
        if (parsed.event === 'settings.changed') resolve(parsed);
      });
    });
    await request(ws, { id: 2, channel: 'settings.set', input: { key: 'theme', value: 'dark' } });
    expect(await event).toMatchObject({ event: 'settings.changed', payload: { values: { theme: 'dark' } } });
  });

  it('rejects an unknown channel', async () => {
    const reply = await request(ws, { id: 3, channel: 'db.exec', input: { sql: 'DROP TABLE settings' } });
    expect(reply).toMatchObject({ id: 3, ok: false, error: { code: 'unknown_channel', message: 'Unknown channel "db.exec"' } });
    expect(warned('unknown channel')).toBe(true);
  });

  it('rejects input that fails the schema, naming the field', async () => {
    const reply = await request(ws, { id: 4, channel: 'settings.set', input: { key: 'theme', value: 'neon' } });
    expect(reply).toMatchObject({ id: 4, ok: false, error: { code: 'invalid_input', field: 'value' } });
  });

  it.each([
    ['not json at all', null, 'message is not valid JSON'],
    ['{"channel":"app.info"}', null, 'message needs an integer "id"'],
    ['{"id":9,"channel":null}', 9, 'message needs a string "channel"'],
  ])('rejects the malformed message %s', async (raw, id, reason) => {
    const reply = await request(ws, raw);
    expect(reply).toEqual({ id, ok: false, error: { code: 'malformed_request', message: reason } });
    expect(warned('malformed bridge message')).toBe(true);
  });

  it('refuses a connection without a token', async () => {
    const result = await openBridgeSocket(app.bridge, { token: null });
    expect(result).toMatchObject({ refused: { status: 401 } });
    expect('refused' in result && result.refused.body).toContain('Missing or wrong bridge token');
    expect(warned('missing or wrong token')).toBe(true);
  });

  it('refuses a wrong token', async () => {
    const result = await openBridgeSocket(app.bridge, { token: 'x'.repeat(43) });
    expect(result).toMatchObject({ refused: { status: 401 } });
  });

  it('refuses a foreign Origin even with the right token', async () => {
    const result = await openBridgeSocket(app.bridge, { origin: 'https://evil.example' });
    expect(result).toMatchObject({ refused: { status: 403 } });
    expect('refused' in result && result.refused.body).toContain('Origin https://evil.example is not allowed');
    expect(warned('foreign Origin')).toBe(true);
  });

  it('refuses a connection with no Origin', async () => {
    const result = await openBridgeSocket(app.bridge, { origin: null });
    expect(result).toMatchObject({ refused: { status: 403 } });
  });

  it('refuses other paths', async () => {
    const result = await openBridgeSocket(app.bridge, { path: '/other' });
    expect(result).toMatchObject({ refused: { status: 400 } });
  });

  it('serves the renderer with the CSP and refuses foreign Host headers', async () => {
    const page = await fetch(`http://127.0.0.1:${app.bridge.port}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const { request: httpRequest } = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      httpRequest({ host: '127.0.0.1', port: app.bridge.port, path: '/', headers: { Host: 'attacker.example' } }, (res) => resolve(res.statusCode ?? 0)).end();
    });
    expect(status).toBe(421);
  });

  it('does not serve files outside the renderer folder', async () => {
    const response = await fetch(`http://127.0.0.1:${app.bridge.port}/..%2f..%2fpackage.json`);
    expect(response.status === 403 || response.status === 404 || (await response.text()).includes('<div id="root">')).toBe(true);
  });
});
