// The Matrix request function against a local HTTP server: JSON both ways, the bearer
// token, Matrix errors with their errcode and rate-limit hint, and unreachable servers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { httpError, matrixRequest, matrixUrl, retryAfterMs } from '../../main/core/matrix/matrix-http';
import { MatrixHttpError, MatrixNetworkError } from '../../main/core/matrix/matrix-connection';
import { freePort } from '../helpers/free-port';

let server: Server;
let baseUrl: string;
const seen: { method?: string; url?: string; auth?: string | undefined; body?: string }[] = [];
const routes: Record<string, (req: IncomingMessage, res: ServerResponse, body: string) => void> = {
  '/_matrix/client/v3/echo': (req, res, body) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ got: body ? JSON.parse(body) : null })),
  '/_matrix/client/v3/limited': (_req, res) => res.writeHead(429, { 'Content-Type': 'application/json' }).end(JSON.stringify({ errcode: 'M_LIMIT_EXCEEDED', error: 'Too many requests', retry_after_ms: 1234 })),
  '/_matrix/client/v3/limited-header': (_req, res) => res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '7' }).end(JSON.stringify({ errcode: 'M_LIMIT_EXCEEDED', error: 'slow down' })),
  '/_matrix/client/v3/forbidden': (_req, res) => res.writeHead(403, { 'Content-Type': 'application/json' }).end(JSON.stringify({ errcode: 'M_FORBIDDEN', error: 'Invalid password' })),
  '/_matrix/client/v3/gateway': (_req, res) => res.writeHead(502, { 'Content-Type': 'text/html' }).end('<html>Bad gateway</html>'),
  '/_matrix/client/v3/html-ok': (_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>captive portal</html>'),
  '/_matrix/client/v3/slow': () => undefined,
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
      (routes[url.pathname] ?? ((_q, r) => r.writeHead(404).end()))(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('retryAfterMs', () => {
  it('prefers retry_after_ms from the body, then Retry-After in seconds or as a date', () => {
    expect(retryAfterMs({ retry_after_ms: 500 }, '9', 0)).toBe(500);
    expect(retryAfterMs({}, '9', 0)).toBe(9000);
    expect(retryAfterMs(null, new Date(60_000).toUTCString(), 0)).toBe(60_000);
    expect(retryAfterMs(null, 'soon', 0)).toBeUndefined();
    expect(retryAfterMs(null, null, 0)).toBeUndefined();
    expect(retryAfterMs({ retry_after_ms: -5 }, null, 0)).toBeUndefined();
  });

  it('builds errors with the errcode, or HTTP_<status> when the body is not Matrix JSON', () => {
    const error = httpError(413, { errcode: 'M_TOO_LARGE', error: 'event too large' }, '', null, 0);
    expect(error).toMatchObject({ status: 413, errcode: 'M_TOO_LARGE', message: 'event too large' });
    expect(httpError(502, null, '<html>bad</html>', null, 0)).toMatchObject({ errcode: 'HTTP_502', message: '<html>bad</html>' });
  });

  it('keeps path segments as encoded and adds the query', () => {
    expect(matrixUrl('https://hs.example/', '/_matrix/client/v3/rooms/%21a%3Ahs/messages', { dir: 'b', from: 't 1' })).toBe(
      'https://hs.example/_matrix/client/v3/rooms/%21a%3Ahs/messages?dir=b&from=t+1',
    );
  });
});

describe('matrixRequest', () => {
  it('sends JSON with the bearer token and parses the JSON answer', async () => {
    const result = await matrixRequest<{ got: unknown }>({ baseUrl, method: 'PUT', path: '/_matrix/client/v3/echo', accessToken: 'secret-token', body: { a: 1 }, query: { q: 'x y' } });
    expect(result.got).toEqual({ a: 1 });
    const last = seen.at(-1)!;
    expect(last.auth).toBe('Bearer secret-token');
    expect(last.method).toBe('PUT');
    expect(last.url).toBe('/_matrix/client/v3/echo?q=x+y');
  });

  it('maps a 429 to MatrixHttpError with retryAfterMs from the body or the header', async () => {
    await expect(matrixRequest({ baseUrl, method: 'GET', path: '/_matrix/client/v3/limited' })).rejects.toMatchObject({
      name: 'MatrixHttpError',
      status: 429,
      errcode: 'M_LIMIT_EXCEEDED',
      retryAfterMs: 1234,
    });
    await expect(matrixRequest({ baseUrl, method: 'GET', path: '/_matrix/client/v3/limited-header' })).rejects.toMatchObject({ retryAfterMs: 7000 });
  });

  it('maps Matrix errors and non-JSON failures', async () => {
    const forbidden = await matrixRequest({ baseUrl, method: 'POST', path: '/_matrix/client/v3/forbidden', body: {} }).catch((e: unknown) => e);
    expect(forbidden).toBeInstanceOf(MatrixHttpError);
    expect(forbidden).toMatchObject({ status: 403, errcode: 'M_FORBIDDEN', message: 'Invalid password' });
    await expect(matrixRequest({ baseUrl, method: 'GET', path: '/_matrix/client/v3/gateway' })).rejects.toMatchObject({ status: 502, errcode: 'HTTP_502' });
    await expect(matrixRequest({ baseUrl, method: 'GET', path: '/_matrix/client/v3/html-ok' })).rejects.toMatchObject({ errcode: 'M_NOT_JSON' });
  });

  it('reports a refused connection and a timeout as MatrixNetworkError', async () => {
    const closedPort = await freePort();
    const refused = await matrixRequest({ baseUrl: `http://127.0.0.1:${closedPort}`, method: 'GET', path: '/_matrix/client/versions' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(MatrixNetworkError);
    expect((refused as Error).message).toContain('ECONNREFUSED');
    const slow = await matrixRequest({ baseUrl, method: 'GET', path: '/_matrix/client/v3/slow', timeoutMs: 100 }).catch((e: unknown) => e);
    expect(slow).toBeInstanceOf(MatrixNetworkError);
    expect((slow as Error).message).toContain('timed out');
  });

  it('lets a caller abort without calling it a network failure', async () => {
    const controller = new AbortController();
    const pending = matrixRequest({ baseUrl, method: 'GET', path: '/_matrix/client/v3/slow', signal: controller.signal }).catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 20);
    const error = await pending;
    expect(error).not.toBeInstanceOf(MatrixNetworkError);
    expect((error as Error).name).toBe('AbortError');
  });
});
