// Threads (m.thread): replies leave the room's timeline for their thread, the root shows a
// summary (count, latest reply, unread), and hostile relations never break the timeline.
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/core/store/database';
import { ChatStore } from '../../main/core/chat/chat-store';
import { buildTimeline } from '../../main/core/chat/timeline-view';
import { composeMessage } from '../../main/core/chat/message-content';
import { threadRootOf, threadSummary } from '../../main/core/chat/threads';
import type { MatrixRawEvent } from '../../main/core/matrix/matrix-connection';

const roomId = '!circle:meet.coop';
const otherRoom = '!other:meet.coop';
const ana = '@ana:meet.coop';
const bruno = '@bruno:meet.coop';

const threadRel = (root: string, latest = root) => ({ rel_type: 'm.thread', event_id: root, is_falling_back: true, 'm.in_reply_to': { event_id: latest } });

function setup() {
  const store = new ChatStore(openDatabase(':memory:'));
  store.ensureRoom(roomId);
  store.ensureRoom(otherRoom);
  let pos = 0;
  const add = (event: Partial<MatrixRawEvent> & { content: Record<string, unknown> }, room = roomId) => {
    const full = { event_id: `$e${pos}`, sender: ana, origin_server_ts: 1000 + pos, type: 'm.room.message', ...event } as MatrixRawEvent;
    store.insertEvent(room, pos++, full);
    return full.event_id;
  };
  const ctx = { me: { userId: bruno, displayName: null }, elementUrl: 'https://element.example' };
  const timeline = (readPos?: number) => buildTimeline(store, roomId, { limit: 50 }, { ...ctx, threadReadPos: () => readPos });
  const thread = (root: string) => buildTimeline(store, roomId, { limit: 1 }, { ...ctx, threadRoot: root });
  return { store, add, timeline, thread };
}

const text = (body: string, rel?: Record<string, unknown>) => ({ msgtype: 'm.text', body, ...(rel ? { 'm.relates_to': rel } : {}) });

describe('threads in the room timeline', () => {
  it('hides replies inline and shows the root’s summary: count, latest reply, unread', () => {
    const { add, timeline, thread } = setup();
    const root = add({ content: text('Who brings the projector?') });
    add({ content: text('I can', threadRel(root)) });
    add({ content: text('Meanwhile in the room') });
    const last = add({ sender: '@carla:meet.coop', content: text('Me too', threadRel(root, '$e1')) });
    const items = timeline().items;
    expect(items.map((i) => i.body)).toEqual(['Who brings the projector?', 'Meanwhile in the room']);
    expect(items[0]!.thread).toEqual({ rootId: root, count: 2, latestSenderName: '@carla:meet.coop', latestBody: 'Me too', unread: 2 });
    expect(items[1]!.thread ?? null).toBeNull();
    // Read up to the first reply: one unread.
    expect(timeline(1).items[0]!.thread!.unread).toBe(1);
    const t = thread(root);
    expect(t.threadRoot).toBe(root);
    expect(t.items.map((i) => i.eventId)).toEqual([root, '$e1', last]);
    // The fallback m.in_reply_to of a thread reply is not shown as a reply.
    expect(t.items[2]!.replyTo).toBeNull();
  });

  it('counts a thread as read up to the member’s own reply', () => {
    const { add, timeline } = setup();
    const root = add({ content: text('Root') });
    add({ content: text('a', threadRel(root)) });
    add({ sender: bruno, content: text('b', threadRel(root)) });
    expect(timeline().items[0]!.thread).toMatchObject({ count: 2, unread: 0, latestBody: 'b' });
    add({ content: text('c', threadRel(root)) });
    expect(timeline().items[0]!.thread).toMatchObject({ count: 3, unread: 1 });
  });

  it('keeps edits and reactions working inside a thread', () => {
    const { add, thread } = setup();
    const root = add({ content: text('Root') });
    const reply = add({ content: text('typo', threadRel(root)) });
    add({ content: { msgtype: 'm.text', body: '* fixed', 'm.new_content': { msgtype: 'm.text', body: 'fixed' }, 'm.relates_to': { rel_type: 'm.replace', event_id: reply } } });
    add({ type: 'm.reaction', sender: bruno, content: { 'm.relates_to': { rel_type: 'm.annotation', event_id: reply, key: '👍' } } });
    const item = thread(root).items[1]!;
    expect(item).toMatchObject({ body: 'fixed', edited: true });
    expect(item.reactions).toEqual([{ key: '👍', count: 1, mine: true, senders: [bruno] }]);
  });

  it('treats a reply to a thread reply (nested threads) as a reply to the root', () => {
    const { add, timeline, thread } = setup();
    const root = add({ content: text('Root') });
    const reply = add({ content: text('first', threadRel(root)) });
    const nested = add({ content: text('nested', threadRel(reply)) });
    expect(timeline().items.map((i) => i.body)).toEqual(['Root']);
    expect(timeline().items[0]!.thread!.count).toBe(2);
    expect(thread(root).items.map((i) => i.eventId)).toEqual([root, reply, nested]);
  });

  it('shows inline a thread reply whose root is in another room, missing, or itself', () => {
    const { add, timeline, thread } = setup();
    const foreign = add({ content: text('elsewhere') }, otherRoom);
    add({ content: text('to another room', threadRel(foreign)) });
    add({ content: text('to nothing', threadRel('$missing')) });
    add({ event_id: '$self', content: text('to itself', threadRel('$self')) });
    add({ event_id: '$loopA', content: text('loop a', threadRel('$loopB')) });
    add({ event_id: '$loopB', content: text('loop b', threadRel('$loopA')) });
    expect(timeline().items.map((i) => i.body)).toEqual(['to another room', 'to nothing', 'to itself', 'loop a', 'loop b']);
    expect(timeline().items.every((i) => (i.thread ?? null) === null)).toBe(true);
    // Opening a "thread" on an event of another room shows nothing of it.
    expect(thread(foreign).items).toEqual([]);
  });

  it('puts the member’s queued thread reply in its thread and in the root’s summary, not inline', () => {
    const { store, add, timeline, thread } = setup();
    const root = add({ content: text('Root') });
    store.enqueue({ txn_id: 't1', room_id: roomId, type: 'm.room.message', content: JSON.stringify(composeMessage('offline reply', { thread: { rootId: root, latestEventId: root } })), created_at: 5000 });
    expect(timeline().items.map((i) => i.body)).toEqual(['Root']);
    expect(timeline().items[0]!.thread).toMatchObject({ count: 1, latestBody: 'offline reply' });
    expect(thread(root).items.map((i) => [i.body, i.pending])).toEqual([
      ['Root', null],
      ['offline reply', 'queued'],
    ]);
  });
});

describe('composing a thread reply', () => {
  it('relates it to the root with a fallback reply to the latest event, as Element does', () => {
    const content = composeMessage('**yes**', { thread: { rootId: '$root', latestEventId: '$latest' } });
    expect(content['m.relates_to']).toEqual({ rel_type: 'm.thread', event_id: '$root', is_falling_back: true, 'm.in_reply_to': { event_id: '$latest' } });
    expect(content.body).toBe('**yes**');
    expect(content.formatted_body).toContain('<strong>yes</strong>');
  });
});

describe('thread summary', () => {
  it('ignores redacted replies and counts unread after the read position', () => {
    const row = (event_id: string, pos: number, sender = ana, redacted = 0) => ({ event_id, room_id: roomId, pos, sender, rel_type: 'm.thread', relates_to: '$r', redacted });
    const s = threadSummary({ replies: [row('$a', 1), row('$b', 2, ana, 1), row('$c', 3)], me: bruno, readPos: 1 });
    expect(s).toMatchObject({ count: 2, unread: 1 });
    expect(s.latest!.event_id).toBe('$c');
    expect(threadRootOf(row('$x', 4), () => undefined)).toBeNull();
  });
});

describe('thread read positions', () => {
  it('are kept in the store, only move forward, and go with a wipe', async () => {
    const { ThreadReads } = await import('../../main/core/chat/thread-reads');
    const reads = new ThreadReads(openDatabase(':memory:'));
    expect(reads.get('$r')).toBeUndefined();
    expect(reads.set(roomId, '$r', 5)).toBe(true);
    expect(reads.set(roomId, '$r', 3)).toBe(false);
    expect(reads.get('$r')).toBe(5);
    reads.wipe();
    expect(reads.get('$r')).toBeUndefined();
  });
});
