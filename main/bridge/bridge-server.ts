// The browser bridge: the same core and contract the desktop app uses, served to a
// browser over a loopback WebSocket. Bound to 127.0.0.1 only, guarded by a random token
// and an Origin check, so other local pages and other machines cannot drive it.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Core } from '../core/app-core';
import type { Logger } from '../core/log';
import { expectedOrigin, isAllowedHost, parseBridgeRequest, tokensMatch } from './bridge-protocol';
import { serveStatic } from './static-files';

export const bridgePath = '/bridge';
/** Large enough for a 60 KB chat message or an operation batch, small enough to refuse floods. */
export const maxMessageBytes = 4 * 1024 * 1024;

export interface BridgeOptions {
  core: Core;
  /** Folder with the built renderer (dist/renderer). */
  staticDir: string;
  log: Logger;
  port?: number;
  token?: string;
}

export interface Bridge {
  port: number;
  token: string;
  /** The page URL, token in the fragment so it never reaches a server log or Referer. */
  url: string;
  close(): Promise<void>;
}

function refuse(socket: Duplex, status: number, reason: string): void {
  const body = JSON.stringify({ error: reason });
  socket.end(
    `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Bad Request'}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const { core, log } = options;
  const token = options.token ?? randomBytes(32).toString('base64url');
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });
  let port = 0;

  const server: Server = createServer((req, res) => {
    if (!isAllowedHost(req.headers.host, port)) {
      log.warn('refused HTTP request with a foreign Host header', { host: req.headers.host });
      res.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Misdirected request');
      return;
    }
    void serveStatic(options.staticDir, req, res);
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== bridgePath) {
      log.warn('refused bridge connection on an unknown path', { path: url.pathname });
      return refuse(socket, 400, `Unknown path ${url.pathname}; the bridge listens on ${bridgePath}`);
    }
    if (!isAllowedHost(req.headers.host, port)) {
      log.warn('refused bridge connection with a foreign Host header', { host: req.headers.host });
      return refuse(socket, 403, 'Host not allowed');
    }
    const origin = req.headers.origin;
    if (origin !== expectedOrigin(port)) {
      log.warn('refused bridge connection from a foreign Origin', { origin: origin ?? null });
      return refuse(socket, 403, `Origin ${origin ?? '(none)'} is not allowed; open the URL printed by npm run start:web`);
    }
    if (!tokensMatch(url.searchParams.get('token'), token)) {
      log.warn('refused bridge connection with a missing or wrong token');
      return refuse(socket, 401, 'Missing or wrong bridge token; open the URL printed by npm run start:web');
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('error', (error) => log.warn('bridge socket error', { reason: error.message }));
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        log.warn('rejected binary bridge message');
        ws.send(JSON.stringify({ id: null, ok: false, error: { code: 'malformed_request', message: 'Binary messages are not accepted' } }));
        return;
      }
      const parsed = parseBridgeRequest(data.toString());
      if (!parsed.ok) {
        log.warn('rejected malformed bridge message', { reason: parsed.reason });
        ws.send(JSON.stringify({ id: parsed.id, ok: false, error: { code: 'malformed_request', message: parsed.reason } }));
        return;
      }
      const { id, channel, input } = parsed.request;
      void core.dispatch(channel, input, { transport: 'bridge' }).then((outcome) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, ...outcome }));
      });
    });
  });

  const unsubscribe = core.events.subscribe((event, payload) => {
    const message = JSON.stringify({ event, payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(message);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;

  return {
    port,
    token,
    url: `${expectedOrigin(port)}/#token=${token}`,
    close: async () => {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
