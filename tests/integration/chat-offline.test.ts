// Chat when the network comes and goes, against a real Synapse: a gap left by a `limited`
// sync is back-filled in order; messages written offline are kept, shown as pending, and
// sent in order exactly once on reconnect; the cache reads offline after a restart; and
// signing out wipes it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SynapseServer } from '../helpers/synapse';
import { TcpProxy } from '../helpers/tcp-proxy';
import { aliceSees, bobEvents, bobReceives, sharedRoom, startChatFixture, type ChatFixture } from '../helpers/chat-fixture';
import { startTestCore } from '../helpers/test-core';
import type { ChatItem } from '../../shared/contract/chat';

let server: SynapseServer;
const fixtures: ChatFixture[] = [];
const proxies: TcpProxy[] = [];

beforeAll(async () => {
  // Relaxed rate limits: it queues and replays many messages at once to prove their order and that nothing is lost or doubled, not how fast the server lets them through. Waiting out 429s under Synapse's defaults is proven in
  // sync-rate-limits.test.ts and the sync tests that run with the default limits.
  server = await SynapseServer.start({ rateLimits: 'relaxed' });
});

afterAll(async () => {
  for (const f of fixtures) f.close();
  for (const p of proxies) await p.close();
  await server?.stop();
});

async function fixtureBehindProxy(): Promise<{ f: ChatFixture; proxy: TcpProxy }> {
  const proxy = await TcpProxy.start(Number(new URL(server.baseUrl).port));
  proxies.push(proxy);
  const f = await startChatFixture(server, { homeserverUrl: proxy.url, matrix: { timelineLimit: 10, pollTimeoutMs: 1000 } });
  fixtures.push(f);
  return { f, proxy };
}

const texts = (items: ChatItem[]) => items.filter((i) => i.kind === 'text').map((i) => i.body);

describe('chat offline and across gaps', () => {
  it('back-fills the gap a limited sync leaves, in order, and then history up to the room start', async () => {
    const f = await startChatFixture(server, { matrix: { timelineLimit: 10, pollTimeoutMs: 1000 } });
    fixtures.push(f);
    const roomId = await sharedRoom(f, { name: 'Product' });
    await f.bob.sendTextMessage(roomId, 'before the gap');
    await aliceSees(f, roomId, (t) => texts(t.items).includes('before the gap'), 'the first message');

    await f.alice.call('matrix.disconnect', {});
    const sent = Array.from({ length: 25 }, (_, i) => `while away ${String(i + 1).padStart(2, '0')}`);
    for (const text of sent) await f.bob.sendTextMessage(roomId, text);
    await f.alice.call('matrix.connect', {});
    await f.alice.core.services.matrix.syncNow();

    let timeline = await f.alice.call('chat.timeline', { roomId, limit: 100 });
    // Two gaps: history above the room's first synced events, and the one left while away.
    const gap = timeline.items.find((i) => i.kind === 'gap' && i.pos > 0);
    expect(gap, 'a gap between the cached message and the new batch').toBeDefined();
    expect(texts(timeline.items)).toContain('before the gap');
    expect(texts(timeline.items).filter((t) => t.startsWith('while away')).length).toBeLessThan(25);
    const gapPos = Math.ceil(gap!.pos);

    let rounds = 0;
    while (timeline.items.some((i) => i.kind === 'gap' && i.pos > 0) && rounds++ < 10) {
      await f.alice.call('chat.paginate', { roomId, gapPos });
      timeline = await f.alice.call('chat.timeline', { roomId, limit: 200 });
    }
    const all = texts(timeline.items);
    const from = all.indexOf('before the gap');
    expect(all.slice(from)).toEqual(['before the gap', ...sent]);

    // Scrolling further up reaches the room's creation.
    let guard = 0;
    while (!timeline.atStart && guard++ < 10) {
      const result = await f.alice.call('chat.paginate', { roomId });
      timeline = await f.alice.call('chat.timeline', { roomId, limit: 200 });
      if (result.atStart) break;
    }
    expect(timeline.atStart).toBe(true);
    expect(timeline.items[0]?.change?.what).toBe('created');
    expect(timeline.items.some((i) => i.kind === 'gap')).toBe(false);
  });

  it('pages through the cache with beforePos and refreshes with fromPos', async () => {
    const f = await startChatFixture(server);
    fixtures.push(f);
    const roomId = await sharedRoom(f, { name: 'Community' });
    for (let i = 1; i <= 12; i++) await f.alice.call('chat.send', { roomId, text: `m${i}` });
    await f.alice.core.services.chat.flushOutbox();
    await aliceSees(f, roomId, (t) => t.items.filter((i) => i.kind === 'text' && i.pending === null && i.eventId).length === 12 && f.alice.core.services.chat.store.outbox(roomId).length === 0, 'all twelve');
    const latest = await f.alice.call('chat.timeline', { roomId, limit: 5 });
    expect(texts(latest.items)).toEqual(['m8', 'm9', 'm10', 'm11', 'm12']);
    expect(latest.moreCached).toBe(true);
    const older = await f.alice.call('chat.timeline', { roomId, limit: 5, beforePos: latest.items[0]!.pos });
    expect(texts(older.items)).toEqual(['m3', 'm4', 'm5', 'm6', 'm7']);
    const refresh = await f.alice.call('chat.timeline', { roomId, fromPos: older.items[0]!.pos });
    expect(texts(refresh.items)).toEqual(['m3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9', 'm10', 'm11', 'm12']);
  });

  it('queues messages written offline, shows them pending, and sends them in order exactly once', async () => {
    const { f, proxy } = await fixtureBehindProxy();
    const roomId = await sharedRoom(f, { name: 'Organisational operations' });
    proxy.drop();
    await expect.poll(() => f.alice.core.services.matrix.status().status, { timeout: 10_000 }).toBe('offline');

    const written = ['offline one', 'offline two', 'offline three'];
    for (const text of written) await f.alice.call('chat.send', { roomId, text });
    await f.alice.core.services.chat.flushOutbox();
    const pending = await f.alice.call('chat.timeline', { roomId, limit: 50 });
    const queued = pending.items.filter((i) => i.pending === 'queued');
    expect(queued.map((i) => i.body)).toEqual(written);
    expect(queued.every((i) => i.mine && i.key.startsWith('txn:'))).toBe(true);
    expect((await f.alice.call('chat.rooms', {})).find((r) => r.roomId === roomId)?.pendingCount).toBe(3);

    // The queue survives a restart of the app while offline.
    const dataDir = f.alice.dataDir;
    const secrets = f.alice.secrets;
    f.alice.close({ keepData: true });
    const restarted = startTestCore({ dataDir, secrets, matrix: { timelineLimit: 10, pollTimeoutMs: 1000 } });
    f.alice = restarted;
    const again = await restarted.call('chat.timeline', { roomId, limit: 50 });
    expect(again.items.filter((i) => i.pending === 'queued').map((i) => i.body)).toEqual(written);

    const lastArrives = bobReceives(f, roomId, (e) => e.getContent().body === 'offline three');
    proxy.pass();
    await restarted.call('matrix.connect', {});
    await lastArrives;
    await restarted.core.services.chat.flushOutbox();
    const bodies = bobEvents(f, roomId).map((e) => e.getContent().body as string);
    expect(bodies.filter((b) => b.startsWith('offline'))).toEqual(written);
    const settled = await aliceSees(f, roomId, (t) => t.items.filter((i) => i.body.startsWith('offline') && i.pending === null && i.eventId !== null).length === 3, 'her sent messages');
    expect(settled.items.filter((i) => i.body.startsWith('offline')).map((i) => i.body)).toEqual(written);
    expect((await restarted.call('chat.rooms', {})).find((r) => r.roomId === roomId)?.pendingCount).toBe(0);
  });

  it('does not duplicate a message whose first send reached the server but whose answer was lost', async () => {
    const f = await startChatFixture(server);
    fixtures.push(f);
    const roomId = await sharedRoom(f, { name: 'Stewards' });
    const { chat, matrix } = f.alice.core.services;
    // Simulate the lost answer: the event went out with the outbox's txnId, but the outbox still says queued.
    await f.alice.call('matrix.disconnect', {});
    const { txnId } = await f.alice.call('chat.send', { roomId, text: 'exactly once' });
    const entry = chat.store.outboxEntry(txnId)!;
    const first = await matrix.sendEvent(roomId, 'm.room.message', JSON.parse(entry.content) as Record<string, unknown>, txnId);
    await f.alice.call('matrix.connect', {});
    await chat.flushOutbox();
    await bobReceives(f, roomId, (e) => e.getContent().body === 'exactly once');
    await f.bob.sendTextMessage(roomId, 'marker after');
    await bobReceives(f, roomId, (e) => e.getContent().body === 'marker after');
    expect(bobEvents(f, roomId).filter((e) => e.getContent().body === 'exactly once').map((e) => e.getId())).toEqual([first.event_id]);
  });

  it('marks a message the server refuses as failed, holds back what follows it, and retries or discards it', async () => {
    const f = await startChatFixture(server);
    fixtures.push(f);
    const roomId = await sharedRoom(f, { name: 'Refusals' });
    await f.bob.sendTextMessage(roomId, 'who wants to speak?');
    const question = (await aliceSees(f, roomId, (t) => texts(t.items).includes('who wants to speak?'), 'the question')).items.find((i) => i.body === 'who wants to speak?')!;
    // Bob takes away Alice's right to speak.
    await f.bob.sendStateEvent(roomId, 'm.room.power_levels' as never, { users: { [f.aliceUser.userId]: -1 }, events_default: 0 } as never, '');
    await f.alice.core.services.matrix.syncNow();
    const { txnId } = await f.alice.call('chat.send', { roomId, text: 'let me speak' });
    await f.alice.call('chat.send', { roomId, text: 'and another thing' });
    await f.alice.call('chat.react', { roomId, eventId: question.eventId!, key: '🙋' });
    await f.alice.core.services.chat.flushOutbox();
    const failed = await f.alice.call('chat.timeline', { roomId, limit: 20 });
    const item = failed.items.find((i) => i.txnId === txnId)!;
    expect(item.pending).toBe('failed');
    expect(item.error).toMatch(/M_FORBIDDEN/);
    expect(item.failure).toBe('forbidden');
    // What she wrote after it waits for it, so the room never reads her out of order.
    expect(failed.items.find((i) => i.body === 'and another thing')?.pending).toBe('held');
    // The refused reaction is not counted, and is listed on the message it was for.
    const refusedOn = failed.items.find((i) => i.eventId === question.eventId)!;
    expect(refusedOn.reactions).toEqual([]);
    expect(refusedOn.unsent).toMatchObject([{ what: 'reaction', key: '🙋', error: expect.stringMatching(/M_FORBIDDEN/) as string }]);

    await f.bob.sendStateEvent(roomId, 'm.room.power_levels' as never, { users: {}, events_default: 0 } as never, '');
    await f.alice.core.services.matrix.syncNow();
    await f.alice.call('chat.retry', { txnId });
    // Reacting again with the same key retries the refused reaction instead of withdrawing it.
    await f.alice.call('chat.react', { roomId, eventId: question.eventId!, key: '🙋' });
    await f.alice.core.services.chat.flushOutbox();
    await bobReceives(f, roomId, (e) => e.getContent().body === 'and another thing');
    await bobReceives(f, roomId, (e) => e.getType() === 'm.reaction');
    const bodies = bobEvents(f, roomId).map((e) => e.getContent().body as string | undefined);
    expect(bodies.filter((b) => b === 'let me speak' || b === 'and another thing')).toEqual(['let me speak', 'and another thing']);
    // While syncing is paused nothing is sent, so a queued message can still be discarded.
    await f.alice.call('matrix.disconnect', {});
    const { txnId: second } = await f.alice.call('chat.send', { roomId, text: 'never mind' });
    await f.alice.core.services.chat.flushOutbox();
    expect(f.alice.core.services.chat.store.outboxEntry(second)?.state).toBe('queued');
    await f.alice.call('chat.discard', { txnId: second });
    const after = await f.alice.call('chat.timeline', { roomId, limit: 20 });
    expect(after.items.some((i) => i.body === 'never mind')).toBe(false);
  });

  it('reads the cached chat offline after a restart', async () => {
    const { f, proxy } = await fixtureBehindProxy();
    const roomId = await sharedRoom(f, { name: 'Offline reading' });
    // More than a sync timeline holds while paused: the cache has a gap left to fill.
    await f.alice.call('matrix.disconnect', {});
    for (let i = 1; i <= 14; i++) await f.bob.sendTextMessage(roomId, `news ${i}`);
    await f.bob.sendTextMessage(roomId, 'read me on the train');
    await f.alice.call('matrix.connect', {});
    await aliceSees(f, roomId, (t) => texts(t.items).includes('read me on the train'), 'the message');
    const dataDir = f.alice.dataDir;
    const secrets = f.alice.secrets;
    f.alice.close({ keepData: true });
    proxy.drop();
    const offline = startTestCore({ dataDir, secrets, matrix: { timelineLimit: 10, pollTimeoutMs: 1000 } });
    f.alice = offline;
    await expect.poll(() => offline.core.services.matrix.status().status, { timeout: 10_000 }).toBe('offline');
    const rooms = await offline.call('chat.rooms', {});
    expect(rooms.find((r) => r.roomId === roomId)).toMatchObject({ name: 'Offline reading', lastMessage: { body: 'read me on the train' } });
    const timeline = await offline.call('chat.timeline', { roomId, limit: 50 });
    expect(texts(timeline.items)).toContain('read me on the train');
    const gap = timeline.items.find((i) => i.kind === 'gap' && i.pos > 0)!;
    expect(gap).toBeDefined();
    const outcome = await offline.core.dispatch('chat.paginate', { roomId, gapPos: Math.ceil(gap.pos) }, { transport: 'test' });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'offline' } });
    proxy.pass();
  });

  it('wipes the chat cache on sign-out', async () => {
    const f = await startChatFixture(server);
    fixtures.push(f);
    const roomId = await sharedRoom(f, { name: 'Leaving' });
    await f.bob.sendTextMessage(roomId, 'private words');
    await aliceSees(f, roomId, (t) => texts(t.items).includes('private words'), 'the message');
    await f.alice.call('matrix.signOut', {});
    expect(await f.alice.call('chat.rooms', {})).toEqual([]);
    const db = f.alice.core.services.db;
    for (const table of ['chat_rooms', 'chat_events', 'chat_members', 'chat_gaps', 'chat_outbox']) {
      expect((db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n, table).toBe(0);
    }
  });
});
