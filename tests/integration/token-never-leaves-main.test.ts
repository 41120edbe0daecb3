// The Matrix access token lives only in main's SecretStore. After signing in against a
// real Synapse, every call of the contract is driven (with real input where we know one,
// `{}` otherwise, so calls added later are still exercised) and no result, error, event
// payload or log line may contain the token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callNames } from '../../shared/contract';
import { SynapseServer } from '../helpers/synapse';
import { startTestCore, type TestCore } from '../helpers/test-core';
import { accessTokenSecret } from '../../main/core/matrix/session-store';

let server: SynapseServer;
let c: TestCore;
let roomId: string;

beforeAll(async () => {
  server = await SynapseServer.start({ rateLimits: 'relaxed' });
  await server.register('alice', { password: 'alice-password' });
  c = startTestCore();
});

afterAll(async () => {
  c?.close();
  await server?.stop();
});

/** Valid input for the calls we know; sign-out is driven last on purpose. */
function inputFor(name: string): unknown {
  const inputs: Record<string, unknown> = {
    'settings.set': { key: 'doNotDisturb', value: true },
    'matrix.discover': { input: server.baseUrl },
    'matrix.signInWithPassword': { homeserverUrl: server.baseUrl, user: 'alice', password: 'alice-password' },
    'matrix.startSso': { homeserverUrl: server.baseUrl },
    'matrix.setElementUrl': { url: 'https://element.meet.coop' },
    'chat.timeline': { roomId, limit: 50 },
    'chat.paginate': { roomId },
    'chat.send': { roomId, text: 'Hello **circle**', clientId: 'leak-test-1' },
    'chat.markRead': { roomId },
  };
  return inputs[name] ?? {};
}

describe('the access token never leaves main', () => {
  it('appears in no call result, error, event or log line', async () => {
    await c.call('matrix.signInWithPassword', { homeserverUrl: server.baseUrl, user: 'alice', password: 'alice-password' });
    // Signing in again during the run mints a new token: every token ever stored is checked.
    const tokens = new Set([c.secrets.get(accessTokenSecret)!]);
    const created = await c.core.services.matrix.request<{ room_id: string }>('POST', '/_matrix/client/v3/createRoom', { body: { name: 'Stewards' } });
    roomId = created.room_id;
    await c.core.services.matrix.syncNow();

    const outcomes: unknown[] = [];
    const last = ['matrix.signOut'];
    for (const name of [...callNames.filter((n) => !last.includes(n)), ...last]) {
      outcomes.push({ name, outcome: await c.core.dispatch(name, inputFor(name), { transport: 'test' }) });
      const current = c.secrets.get(accessTokenSecret);
      if (current) tokens.add(current);
      // Re-entering a signed-in state for the calls after a sign-in-replacing call.
      if (name === 'matrix.startSso') await c.core.dispatch('matrix.cancelSso', {}, { transport: 'test' });
    }
    await c.core.services.matrix.syncNow().catch(() => undefined);

    const everything = JSON.stringify({ outcomes, events: c.events, logs: c.logs });
    expect(tokens.size).toBeGreaterThan(0);
    for (const token of tokens) {
      expect(token.length).toBeGreaterThan(10);
      expect(everything).not.toContain(token);
    }
    // The calls really ran signed in: the sign-out at the end succeeded.
    expect(outcomes.at(-1)).toMatchObject({ name: 'matrix.signOut', outcome: { ok: true, value: { session: null } } });
    expect(c.events.length).toBeGreaterThan(0);
  });
});
