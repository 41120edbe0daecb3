// Threads against a real Synapse (issue 18, item 1): a thread reply Plenary sends is a thread
// reply for a plain matrix-js-sdk client (as Element), and one that client sends shows in
// Plenary's thread and in the root's summary, not inline. Default rate limits: a few calls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { THREAD_RELATION_TYPE } from 'matrix-js-sdk';
import { SynapseServer } from '../helpers/synapse';
import { aliceSees, bobReceives, sharedRoom, startChatFixture, waitForRoom, type ChatFixture } from '../helpers/chat-fixture';

let server: SynapseServer;
let f: ChatFixture;
let roomId: string;

beforeAll(async () => {
  server = await SynapseServer.start();
  f = await startChatFixture(server);
  roomId = await sharedRoom(f, { name: 'Threads' });
  await waitForRoom(f, roomId);
});

afterAll(async () => {
  f?.close();
  await server?.stop();
});

describe('threads with a plain matrix-js-sdk client on the other side', () => {
  it('sends a thread reply the other client sees as one, and shows the other client’s reply in the thread', async () => {
    const { event_id: rootId } = await f.bob.sendMessage(roomId, { msgtype: 'm.text', body: 'Who brings the projector?' } as never);
    await aliceSees(f, roomId, (t) => t.items.some((i) => i.eventId === rootId), 'the root');

    const received = bobReceives(f, roomId, (e) => e.getContent().body === 'I can');
    await f.alice.call('chat.send', { roomId, text: 'I can', threadRoot: rootId });
    const mine = await received;
    expect(mine.isRelation(THREAD_RELATION_TYPE.name)).toBe(true);
    expect(mine.threadRootId).toBe(rootId);
    expect(mine.getContent()['m.relates_to']).toEqual({ rel_type: 'm.thread', event_id: rootId, is_falling_back: true, 'm.in_reply_to': { event_id: rootId } });

    const { event_id: bobReply } = await f.bob.sendMessage(roomId, {
      msgtype: 'm.text',
      body: 'Thanks!',
      'm.relates_to': { rel_type: 'm.thread', event_id: rootId, is_falling_back: true, 'm.in_reply_to': { event_id: mine.getId()! } },
    } as never);
    const room = await aliceSees(f, roomId, (t) => t.items.find((i) => i.eventId === rootId)?.thread?.count === 2, 'the summary with two replies');
    expect(room.items.some((i) => i.eventId === bobReply || i.body === 'I can')).toBe(false);
    expect(room.items.find((i) => i.eventId === rootId)!.thread).toMatchObject({ count: 2, latestBody: 'Thanks!', unread: 1 });

    const thread = await f.alice.call('chat.thread', { roomId, rootId });
    expect(thread.items.map((i) => i.body)).toEqual(['Who brings the projector?', 'I can', 'Thanks!']);
    expect(thread.items[2]!.replyTo).toBeNull();

    // The next reply falls back to the thread's latest event, as Element's do.
    const next = bobReceives(f, roomId, (e) => e.getContent().body === 'See you');
    await f.alice.call('chat.send', { roomId, text: 'See you', threadRoot: rootId });
    expect((await next).getContent()['m.relates_to']?.['m.in_reply_to']).toEqual({ event_id: bobReply });

    await f.alice.call('chat.markThreadRead', { roomId, rootId });
    expect((await f.alice.call('chat.timeline', { roomId, limit: 50 })).items.find((i) => i.eventId === rootId)!.thread!.unread).toBe(0);
  });

  it('notifies a mention in a thread reply (a new message, unlike an edit)', async () => {
    const { event_id: rootId } = await f.bob.sendMessage(roomId, { msgtype: 'm.text', body: 'Agenda for Friday' } as never);
    await aliceSees(f, roomId, (t) => t.items.some((i) => i.eventId === rootId), 'the second root');
    const before = f.notifications.length;
    const { event_id: replyId } = await f.bob.sendMessage(roomId, {
      msgtype: 'm.text',
      body: `${f.aliceUser.userId} can you add the budget?`,
      'm.mentions': { user_ids: [f.aliceUser.userId] },
      'm.relates_to': { rel_type: 'm.thread', event_id: rootId, is_falling_back: true, 'm.in_reply_to': { event_id: rootId } },
    } as never);
    await aliceSees(f, roomId, (t) => t.items.find((i) => i.eventId === rootId)?.thread?.count === 1, 'the reply in the summary');
    await expect.poll(() => f.notifications.slice(before).some((n) => n.eventId === replyId)).toBe(true);
  });

  it('refuses a thread root from another room with a clear error', async () => {
    const other = await sharedRoom(f, { name: 'Elsewhere' });
    await waitForRoom(f, other);
    const { event_id: foreign } = await f.bob.sendMessage(other, { msgtype: 'm.text', body: 'elsewhere' } as never);
    await aliceSees(f, other, (t) => t.items.some((i) => i.eventId === foreign), 'the other room’s message');
    await expect(f.alice.call('chat.send', { roomId, text: 'hi', threadRoot: foreign })).rejects.toThrow(/not in this room/);
  });
});
