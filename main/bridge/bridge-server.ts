// The browser bridge: the same core and contract the desktop app uses, served to a
// browser over a loopback WebSocket. Bound to 127.0.0.1 only, guarded by a random token
// and an Origin check, so other local pages and other machines cannot drive it.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Core } from '../core/app-core';
import type { Logger } from '../core/log';
import { rateLimitedLog } from '../core/rate-limited-log';
import { bridgeRequestUrl, expectedOrigin, isAllowedHost, parseBridgeRequest, tokensMatch } from './bridge-protocol';
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

// Nothing a client sends may end the process: every handler below answers malformed input
// with an error, and logs each kind of refusal once a minute at most (a flood of bad requests
// logs one line, not thousands). The entry point adds a process-level guard (process-guard.ts).
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const { core } = options;
  const log = rateLimitedLog(options.log);
  const token = options.token ?? randomBytes(32).toString('base64url');
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });
  let port = 0;

  const server: Server = createServer((req, res) => {
    if (!isAllowedHost(req.headers.host, port)) {
      log.warn('foreign-host', 'refused HTTP request with a foreign Host header', { host: String(req.headers.host).slice(0, 120) });
      res.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Misdirected request');
      return;
    }
    serveStatic(options.staticDir, req, res).catch((error: unknown) => {
      log.warn('static-failed', 'could not answer an HTTP request', { reason: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end();
    });
  });

  // Requests Node's HTTP parser cannot read (bad request line, headers, sizes) arrive here.
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    log.warn(`client-error:${error.code ?? ''}`, 'refused a malformed HTTP request', { reason: error.code ?? error.message });
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (error) => log.warn('upgrade-socket', 'bridge connection failed before it opened', { reason: error.message }));
    const url = bridgeRequestUrl(req.url);
    if (!url) {
      log.warn('bad-upgrade-url', 'refused bridge connection with an unreadable address');
      return refuse(socket, 400, 'The address is not a valid URL');
    }
    if (url.pathname !== bridgePath) {
      log.warn('unknown-path', 'refused bridge connection on an unknown path', { path: url.pathname.slice(0, 120) });
      return refuse(socket, 400, `Unknown path; the bridge listens on ${bridgePath}`);
    }
    if (!isAllowedHost(req.headers.host, port)) {
      log.warn('foreign-host', 'refused bridge connection with a foreign Host header', { host: String(req.headers.host).slice(0, 120) });
      return refuse(socket, 403, 'Host not allowed');
    }
    const origin = req.headers.origin;
    if (origin !== expectedOrigin(port)) {
      log.warn('foreign-origin', 'refused bridge connection from a foreign Origin', { origin: origin?.slice(0, 120) ?? null });
      return refuse(socket, 403, `Origin ${origin?.slice(0, 120) ?? '(none)'} is not allowed; open the URL printed by npm run start:web`);
    }
    if (!tokensMatch(url.searchParams.get('token'), token)) {
      log.warn('bad-token', 'refused bridge connection with a missing or wrong token');
      return refuse(socket, 401, 'Missing or wrong bridge token; open the URL printed by npm run start:web');
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  /** Sends one answer; an answer that cannot be encoded becomes an internal error, never a throw. */
  const answer = (ws: WebSocket, id: number | null, outcome: object) => {
    if (ws.readyState !== ws.OPEN) return;
    let text: string;
    try {
      text = JSON.stringify({ id, ...outcome });
    } catch (error) {
      log.warn('unencodable-answer', 'could not encode a bridge answer', { reason: error instanceof Error ? error.message : String(error) });
      text = JSON.stringify({ id, ok: false, error: { code: 'internal', message: 'The answer could not be encoded' } });
    }
    ws.send(text);
  };

  wss.on('connection', (ws: WebSocket) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    // Invalid frames and messages over maxPayload end here: ws closes the socket (1002, 1009).
    ws.on('error', (error: Error & { code?: string }) => log.warn(`socket:${error.code ?? ''}`, 'bridge socket error', { reason: error.message }));
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        log.warn('binary', 'rejected binary bridge message');
        answer(ws, null, { ok: false, error: { code: 'malformed_request', message: 'Binary messages are not accepted' } });
        return;
      }
      const parsed = parseBridgeRequest(data.toString());
      if (!parsed.ok) {
        log.warn(`malformed:${parsed.reason}`, 'rejected malformed bridge message', { reason: parsed.reason });
        answer(ws, parsed.id, { ok: false, error: { code: 'malformed_request', message: parsed.reason } });
        return;
      }
      const { id, channel, input } = parsed.request;
      core.dispatch(channel, input, { transport: 'bridge' }).then(
        (outcome) => answer(ws, id, outcome),
        (error: unknown) => {
          log.warn('dispatch-failed', 'a bridge call failed unexpectedly', { reason: error instanceof Error ? error.message : String(error) });
          answer(ws, id, { ok: false, error: { code: 'internal', message: 'The call failed unexpectedly' } });
        },
      );
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
