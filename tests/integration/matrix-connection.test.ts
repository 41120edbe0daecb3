// The core's Matrix connection against a real Synapse: discovery, password sign-in, SSO
// through a CAS identity provider and the loopback redirect, the sync loop (resume after a
// restart, offline and back through a TCP proxy, a rejected token), sign-out, and the
// access token never leaving main.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { FakeCas, browse } from '../helpers/fake-cas';
import { TcpProxy } from '../helpers/tcp-proxy';
import { startTestCore, type TestCore } from '../helpers/test-core';
import { MemorySecretStore } from '../../main/core/secrets/secret-store';
import { accessTokenSecret } from '../../main/core/matrix/session-store';
import type { MatrixStatusView } from '../../shared/contract/matrix';

let server: SynapseServer;
let cas: FakeCas;
let alice: RegisteredUser;
const cores: TestCore[] = [];

beforeAll(async () => {
  cas = await FakeCas.start();
  // Relaxed rate limits: it signs in and out many times (password, SSO, token loss), and Synapse's default login limit (a burst of 3) would make it a test of waiting. Waiting out 429s under Synapse's defaults is proven in
  // sync-rate-limits.test.ts and the sync tests that run with the default limits.
  server = await SynapseServer.start({ rateLimits: 'relaxed', extraConfig: cas.synapseConfig() });
  alice = await server.register('alice', { password: 'alice-password' });
});

afterAll(async () => {
  for (const c of cores) c.close();
  await server?.stop();
  await cas?.stop();
});

function start(options: Parameters<typeof startTestCore>[0] = {}): TestCore {
  const c = startTestCore(options);
  cores.push(c);
  return c;
}

async function whoami(token: string): Promise<number> {
  const response = await fetch(`${server.baseUrl}/_matrix/client/v3/account/whoami`, { headers: { Authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  return response.status;
}

const online = (c: TestCore) => () => c.core.services.matrix.status().status;

describe('Matrix connection', () => {
  it('discovers the homeserver and its sign-in methods', async () => {
    const c = start();
    const found = await c.call('matrix.discover', { input: server.baseUrl });
    expect(found).toMatchObject({ homeserverUrl: server.baseUrl, source: 'url', flows: { password: true, sso: true } });
  });

  it('signs in with a password, keeps the token in the SecretStore only, and syncs', async () => {
    const c = start();
    const view = await c.call('matrix.signInWithPassword', { homeserverUrl: server.baseUrl, user: 'alice', password: 'alice-password' });
    expect(view.session).toMatchObject({ homeserverUrl: server.baseUrl, userId: alice.userId });
    const token = c.secrets.get(accessTokenSecret)!;
    expect(token).toMatch(/\S{10,}/);
    expect(JSON.stringify(view)).not.toContain(token);
    await expect.poll(online(c)).toBe('online');
    expect(await whoami(token)).toBe(200);
    const statusEvents = c.events.filter((e) => e.name === 'matrix.status').map((e) => (e.payload as MatrixStatusView).connection.status);
    expect(statusEvents).toContain('connecting');
    expect(statusEvents.at(-1)).toBe('online');
  });

  it('says in words when the password is wrong', async () => {
    const c = start();
    const outcome = await c.core.dispatch('matrix.signInWithPassword', { homeserverUrl: server.baseUrl, user: 'alice', password: 'nope' }, { transport: 'test' });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'forbidden', params: { reason: 'wrong_password' } } });
    expect(c.core.services.matrix.session()).toBeNull();
  });

  it('resumes from the stored since token after a restart', async () => {
    const secrets = new MemorySecretStore();
    const first = start({ secrets });
    await first.call('matrix.signInWithPassword', { homeserverUrl: server.baseUrl, user: 'alice', password: 'alice-password' });
    const initial: boolean[] = [];
    first.core.services.matrix.addConsumer({ onSync: (_r, ctx) => void initial.push(ctx.initial) });
    await first.core.services.matrix.syncNow();
    expect(initial.length).toBeGreaterThan(0);
    first.close({ keepData: true });

    const second = start({ secrets, dataDir: first.dataDir });
    const seen: boolean[] = [];
    second.core.services.matrix.addConsumer({ onSync: (_r, ctx) => void seen.push(ctx.initial) });
    await expect.poll(online(second)).toBe('online');
    expect(seen[0]).toBe(false);
    expect(second.core.services.matrix.session()?.userId).toBe(alice.userId);
  });

  it('goes offline when the network drops, and back online when it returns', async () => {
    const proxy = await TcpProxy.start(Number(new URL(server.baseUrl).port));
    try {
      const c = start({ matrix: { timelineLimit: 10, pollTimeoutMs: 1000 } });
      await c.call('matrix.signInWithPassword', { homeserverUrl: proxy.url, user: 'alice', password: 'alice-password' });
      await expect.poll(online(c)).toBe('online');
      proxy.drop();
      await expect.poll(() => c.core.services.matrix.status(), { timeout: 10_000 }).toMatchObject({ status: 'offline', reason: 'network' });
      await expect(c.core.services.matrix.syncNow()).rejects.toThrow(/failed/);
      proxy.pass();
      await c.call('matrix.connect', {});
      await expect.poll(online(c), { timeout: 10_000 }).toBe('online');
    } finally {
      await proxy.close();
    }
  });

  it('pauses and resumes syncing on request', async () => {
    const c = start();
    await c.call('matrix.signInWithPassword', { homeserverUrl: server.baseUrl, user: 'alice', password: 'alice-password' });
    const paused = await c.call('matrix.disconnect', {});
    expect(paused).toMatchObject({ paused: true, connection: { status: 'offline', reason: 'paused' } });
    const resumed = await c.call('matrix.connect', {});
    expect(resumed.paused).toBe(false);
    await expect.poll(online(c)).toBe('online');
  });

  it('reports an expired session when the token is revoked elsewhere', async () => {
    const c = start({ matrix: { timelineLimit: 10, pollTimeoutMs: 500 } });
    await c.call('matrix.signInWithPassword', { homeserverUrl: server.baseUrl, user: 'alice', password: 'alice-password' });
    await expect.poll(online(c)).toBe('online');
    const token = c.secrets.get(accessTokenSecret)!;
    await fetch(`${server.baseUrl}/_matrix/client/v3/logout`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: '{}' });
    await expect.poll(() => c.core.services.matrix.status(), { timeout: 10_000 }).toMatchObject({ status: 'error', code: 'session_expired' });
  });

  it('signs out: logs the device out, forgets the token and tells the caches', async () => {
    const c = start();
    await c.call('matrix.signInWithPassword', { homeserverUrl: server.baseUrl, user: 'alice', password: 'alice-password' });
    const token = c.secrets.get(accessTokenSecret)!;
    const changes: (string | null)[] = [];
    c.core.services.matrix.onSessionChange((change) => changes.push(change.next?.userId ?? null));
    const view = await c.call('matrix.signOut', {});
    expect(view).toMatchObject({ session: null, connection: { status: 'signed-out' } });
    expect(c.secrets.get(accessTokenSecret)).toBeUndefined();
    expect(changes).toEqual([null]);
    expect(await whoami(token)).toBe(401);
  });

  it('signs in with SSO through the system browser and a loopback redirect (CAS identity provider)', async () => {
    const opened: string[] = [];
    const c = start({
      openSystemBrowser: async (url) => {
        opened.push(url);
        // The "system browser": Synapse -> CAS login -> Synapse ticket check -> our loopback listener.
        void browse(url);
      },
    });
    const started = await c.call('matrix.startSso', { homeserverUrl: server.baseUrl });
    expect(started.openedExternally).toBe(true);
    expect(started.url).toMatch(new RegExp(`^${server.baseUrl}/_matrix/client/v3/login/sso/redirect\\?redirectUrl=http%3A%2F%2F127\\.0\\.0\\.1%3A\\d+%2Fsso-callback%2F`));
    expect(opened).toEqual([started.url]);
    await expect.poll(() => c.core.services.matrix.session()?.userId, { timeout: 15_000 }).toBe('@carol:localhost');
    expect(c.core.services.matrix.view().sso).toEqual({ state: 'idle' });
    await expect.poll(online(c)).toBe('online');
    expect(await whoami(c.secrets.get(accessTokenSecret)!)).toBe(200);
  });

  it('in the browser bridge, hands the SSO URL to the page and can cancel', async () => {
    const c = start();
    const started = await c.call('matrix.startSso', { homeserverUrl: server.baseUrl });
    expect(started.openedExternally).toBe(false);
    expect(c.core.services.matrix.view().sso.state).toBe('waiting');
    const cancelled = await c.call('matrix.cancelSso', {});
    expect(cancelled.sso).toEqual({ state: 'idle' });
    const redirectUrl = decodeURIComponent(started.url.split('redirectUrl=')[1]!);
    await expect(fetch(`${redirectUrl}?loginToken=late`)).rejects.toThrow();
  });
});
