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
let eventId: string;

beforeAll(async () => {
  // Relaxed rate limits: it calls every chat and sign-in call through the bridge once, several sign-ins among them. Waiting out 429s under Synapse's defaults is proven in
  // sync-rate-limits.test.ts and the sync tests that run with the default limits.
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
    'chat.send': { roomId, text: 'Hello **circle**', replyTo: eventId },
    'chat.edit': { roomId, eventId, text: 'Edited **circle**' },
    'chat.react': { roomId, eventId, key: '👍' },
    'chat.retry': { txnId: 'no-such-entry' },
    'chat.discard': { txnId: 'no-such-entry' },
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
    ({ event_id: eventId } = await c.core.services.matrix.sendEvent(roomId, 'm.room.message', { msgtype: 'm.text', body: 'first' }, 'leak-test-first'));
    await c.core.services.matrix.syncNow();

    const outcomes: unknown[] = [];
    let unsent = -1;
    const last = ['matrix.disconnect', 'matrix.connect', 'matrix.signOut'];
    for (const name of [...callNames.filter((n) => !last.includes(n)), ...last]) {
      // Before pausing: let the outbox really send what the chat calls queued.
      if (name === 'matrix.disconnect') {
        await c.core.services.chat.flushOutbox();
        unsent = c.core.services.chat.store.outbox().filter((e) => e.state !== 'sent').length;
      }
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
    // Sending, editing and reacting really happened (the token was in use for them).
    expect(unsent).toBe(0);
    const ok = (name: string) => (outcomes as { name: string; outcome: { ok: boolean } }[]).find((o) => o.name === name)?.outcome.ok;
    expect(['chat.send', 'chat.edit', 'chat.react', 'chat.timeline', 'chat.markRead', 'matrix.discover'].map(ok)).toEqual([true, true, true, true, true, true]);
  });
});
