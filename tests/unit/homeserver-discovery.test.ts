// Homeserver discovery: what a member may type, .well-known on loopback test servers,
// the fall-back to the server name, and refusing plain http to remote hosts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { discoverHomeserver, isLoopbackHost, parseSignInTarget, wellKnownUrl } from '../../main/core/matrix/homeserver-discovery';
import { PlenaryError } from '../../shared/errors';

const servers: Server[] = [];

async function serve(handler: (path: string) => { status: number; body: unknown } | null): Promise<number> {
  const server = createServer((req, res) => {
    const answer = handler(new URL(req.url ?? '/', 'http://x').pathname);
    if (!answer) return void res.writeHead(404).end();
    res.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  servers.push(server);
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

const homeserverRoutes = (path: string) =>
  path === '/_matrix/client/versions'
    ? { status: 200, body: { versions: ['v1.11'] } }
    : path === '/_matrix/client/v3/login'
      ? { status: 200, body: { flows: [{ type: 'm.login.password' }, { type: 'm.login.sso', identity_providers: [{ id: 'cas', name: 'Coop login' }] }, { type: 'm.login.token' }] } }
      : null;

let homeserverPort: number;
let delegatingPort: number;
let bareHomeserverPort: number;

beforeAll(async () => {
  homeserverPort = await serve(homeserverRoutes);
  delegatingPort = await serve((path) =>
    path === '/.well-known/matrix/client' ? { status: 200, body: { 'm.homeserver': { base_url: `http://127.0.0.1:${homeserverPort}/` } } } : null,
  );
  bareHomeserverPort = await serve(homeserverRoutes);
});

afterAll(async () => {
  for (const server of servers) await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('parseSignInTarget', () => {
  it('reads Matrix IDs, server names and URLs', () => {
    expect(parseSignInTarget('  @Ana:meet.coop ')).toEqual({ kind: 'matrix-id', localpart: 'ana', serverName: 'meet.coop' });
    expect(parseSignInTarget('@ana:127.0.0.1:8448')).toEqual({ kind: 'matrix-id', localpart: 'ana', serverName: '127.0.0.1:8448' });
    expect(parseSignInTarget('meet.coop')).toEqual({ kind: 'server-name', serverName: 'meet.coop' });
    expect(parseSignInTarget('https://matrix.meet.coop/')).toEqual({ kind: 'url', url: 'https://matrix.meet.coop' });
    expect(parseSignInTarget('http://127.0.0.1:8008')).toEqual({ kind: 'url', url: 'http://127.0.0.1:8008' });
  });

  it('refuses plain http to a remote host and says why', () => {
    const error = (() => {
      try {
        parseSignInTarget('http://matrix.meet.coop');
      } catch (e) {
        return e as PlenaryError;
      }
    })();
    expect(error).toBeInstanceOf(PlenaryError);
    expect(error?.params?.reason).toBe('insecure');
    expect(error?.field).toBe('input');
  });

  it('refuses what is neither', () => {
    expect(() => parseSignInTarget('ana')).toThrow(/not a Matrix ID/);
    expect(() => parseSignInTarget('@ana:bad host')).toThrow(PlenaryError);
  });

  it('uses http only for loopback server names', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('meet.coop')).toBe(false);
    expect(wellKnownUrl('meet.coop')).toBe('https://meet.coop');
    expect(wellKnownUrl('127.0.0.1:8448')).toBe('http://127.0.0.1:8448');
  });
});

describe('discoverHomeserver', () => {
  it('follows .well-known from a Matrix ID and lists the sign-in methods', async () => {
    const found = await discoverHomeserver(`@ana:127.0.0.1:${delegatingPort}`);
    expect(found).toEqual({
      homeserverUrl: `http://127.0.0.1:${homeserverPort}`,
      source: 'well-known',
      user: 'ana',
      serverName: `127.0.0.1:${delegatingPort}`,
      flows: { password: true, sso: true, identityProviders: [{ id: 'cas', name: 'Coop login' }] },
    });
  });

  it('falls back to the server name when there is no .well-known', async () => {
    const found = await discoverHomeserver(`@ana:127.0.0.1:${bareHomeserverPort}`);
    expect(found.source).toBe('server-name');
    expect(found.homeserverUrl).toBe(`http://127.0.0.1:${bareHomeserverPort}`);
  });

  it('accepts a homeserver URL directly', async () => {
    const found = await discoverHomeserver(`http://127.0.0.1:${homeserverPort}`);
    expect(found).toMatchObject({ source: 'url', user: null, serverName: null });
  });

  it('says when nothing answers', async () => {
    await expect(discoverHomeserver("@ana:127.0.0.1:1")).rejects.toMatchObject({
      code: 'not_found',
      params: { reason: 'no_homeserver', where: '127.0.0.1:1' },
    });
  });
});
