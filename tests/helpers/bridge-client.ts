// A raw WebSocket client for the bridge, for tests that poke at it the way an attacker or
// a buggy page would.
import WebSocket from 'ws';
import type { Bridge } from '../../main/bridge/bridge-server';

export interface Refusal {
  status: number;
  body: string;
}

/** Opens a socket; resolves with the socket or with the HTTP refusal. */
export function openBridgeSocket(
  bridge: Bridge,
  options: { token?: string | null; origin?: string | null; path?: string } = {},
): Promise<{ ws: WebSocket } | { refused: Refusal }> {
  const token = options.token === undefined ? bridge.token : options.token;
  const path = options.path ?? '/bridge';
  const url = `ws://127.0.0.1:${bridge.port}${path}${token === null ? '' : `?token=${encodeURIComponent(token)}`}`;
  const origin = options.origin === undefined ? `http://127.0.0.1:${bridge.port}` : options.origin;
  const ws = new WebSocket(url, origin === null ? {} : { origin });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ refused: { status: res.statusCode ?? 0, body } }));
    });
    ws.once('error', reject);
  });
}

export function request(ws: WebSocket, message: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const parsed = JSON.parse(data.toString()) as Record<string, unknown>;
      if ('event' in parsed) return;
      ws.off('message', onMessage);
      resolve(parsed);
    };
    ws.on('message', onMessage);
    ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  });
}
