// The chat's sync consumer and timeline builder on an in-memory store: batches processed
// twice change nothing, a limited batch leaves a gap, the outbox is settled by the echo,
// and edits count only from the original sender.
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/core/store/database';
import { ChatStore } from '../../main/core/chat/chat-store';
import { ChatSync, type SyncChanges } from '../../main/core/chat/chat-sync';
import { buildTimeline } from '../../main/core/chat/timeline-view';
import type { MatrixRawEvent, SyncResponse } from '../../main/core/matrix/matrix-connection';

const room = '!r:hs';
let n = 0;
const ev = (type: string, sender: string, content: Record<string, unknown>, extra: Partial<MatrixRawEvent> = {}): MatrixRawEvent => ({
  event_id: `$e${++n}`,
  type,
  sender,
  origin_server_ts: 1_000_000 + n,
  content,
  ...extra,
});
const msg = (sender: string, body: string, extra: Record<string, unknown> = {}) => ev('m.room.message', sender, { msgtype: 'm.text', body, ...extra });
const batch = (next: string, events: MatrixRawEvent[], timeline: { limited?: boolean; prev_batch?: string } = {}, extra: Record<string, unknown> = {}): SyncResponse => ({
  next_batch: next,
  rooms: { join: { [room]: { timeline: { events, prev_batch: 'p', ...timeline }, ...extra } } },
});

function setup() {
  const store = new ChatStore(openDatabase(':memory:'));
  const changes: SyncChanges[] = [];
  const sync = new ChatSync(store, (c) => changes.push(c));
  const view = () => buildTimeline(store, room, { limit: 100 }, { me: { userId: '@me:hs', displayName: null }, elementUrl: 'https://app.element.io' });
  return { store, sync, changes, view };
}

describe('chat sync consumer', () => {
  it('is idempotent: processing the same batch twice changes nothing', () => {
    const { store, sync, view } = setup();
    const response = batch('b1', [
      ev('m.room.create', '@bo:hs', { creator: '@bo:hs' }, { state_key: '' }),
      ev('m.room.name', '@bo:hs', { name: 'Product' }, { state_key: '' }),
      msg('@bo:hs', 'hello'),
    ]);
    sync.onSync(response, { initial: true });
    const first = view();
    sync.onSync(response, { initial: true });
    expect(view()).toEqual(first);
    expect(store.room(room)?.name).toBe('Product');
    // The batch starts at the room's creation: no history above it to fetch.
    expect(first.items.map((i) => i.kind)).toEqual(['change', 'change', 'text']);
    expect(first.atStart).toBe(true);
  });

  it('keeps the coop space out of the rooms people chat in', () => {
    const { store, sync } = setup();
    const space = '!space:hs';
    sync.onSync(
      {
        next_batch: 'b1',
        rooms: {
          join: {
            [space]: { timeline: { events: [ev('m.room.create', '@bo:hs', { type: 'm.space', room_version: '11' }, { state_key: '' })], prev_batch: 'p' } },
            [room]: { timeline: { events: [ev('m.room.create', '@bo:hs', { room_version: '11' }, { state_key: '' }), msg('@bo:hs', 'hi')], prev_batch: 'p' } },
          },
        },
      },
      { initial: true },
    );
    expect(store.room(space)?.room_type).toBe('m.space');
    expect(store.rooms().map((r) => r.room_id).sort()).toEqual([space, room].sort());
    expect(store.chatRooms().map((r) => r.room_id)).toEqual([room]);
  });

  it('records a gap before a limited batch and reports live events', () => {
    const { sync, changes, view } = setup();
    sync.onSync(batch('b1', [msg('@bo:hs', 'one')]), { initial: true });
    sync.onSync(batch('b2', [msg('@bo:hs', 'five'), msg('@bo:hs', 'six')], { limited: true, prev_batch: 'tok' }), { initial: false });
    const kinds = view().items.map((i) => (i.kind === 'gap' ? 'gap' : i.body));
    expect(kinds).toEqual(['gap', 'one', 'gap', 'five', 'six']);
    expect(changes.at(-1)?.live.map((l) => l.event.content.body)).toEqual(['five', 'six']);
    expect(changes[0]?.live).toEqual([]);
  });

  it('settles an outbox entry when its echo arrives, by transaction id', () => {
    const { store, sync, view } = setup();
    sync.onSync(batch('b1', [msg('@bo:hs', 'hi')]), { initial: true });
    store.enqueue({ txn_id: 't1', room_id: room, type: 'm.room.message', content: JSON.stringify({ msgtype: 'm.text', body: 'mine' }), created_at: 5 });
    expect(view().items.at(-1)).toMatchObject({ key: 'txn:t1', pending: 'queued', body: 'mine', mine: true });
    sync.onSync(batch('b2', [ev('m.room.message', '@me:hs', { msgtype: 'm.text', body: 'mine' }, { unsigned: { transaction_id: 't1' } })]), { initial: false });
    expect(store.outbox(room)).toEqual([]);
    // The echo keeps the same key, so the row on screen does not jump.
    expect(view().items.at(-1)).toMatchObject({ key: 'txn:t1', pending: null });
  });

  it('applies edits from the original sender only, and counts reactions once per sender', () => {
    const { sync, view } = setup();
    const original = msg('@bo:hs', 'v1');
    sync.onSync(
      batch('b1', [
        original,
        msg('@eve:hs', '* evil', { 'm.new_content': { msgtype: 'm.text', body: 'evil' }, 'm.relates_to': { rel_type: 'm.replace', event_id: original.event_id } }),
        msg('@bo:hs', '* v2', { 'm.new_content': { msgtype: 'm.text', body: 'v2' }, 'm.relates_to': { rel_type: 'm.replace', event_id: original.event_id } }),
        ev('m.reaction', '@eve:hs', { 'm.relates_to': { rel_type: 'm.annotation', event_id: original.event_id, key: '👍' } }),
        ev('m.reaction', '@eve:hs', { 'm.relates_to': { rel_type: 'm.annotation', event_id: original.event_id, key: '👍' } }),
        ev('m.reaction', '@me:hs', { 'm.relates_to': { rel_type: 'm.annotation', event_id: original.event_id, key: '👍' } }),
      ]),
      { initial: true },
    );
    const item = view().items.find((i) => i.eventId === original.event_id)!;
    expect(item).toMatchObject({ body: 'v2', edited: true });
    expect(item.reactions).toEqual([{ key: '👍', count: 2, mine: true, senders: ['@eve:hs', '@me:hs'] }]);
    expect(view().items.filter((i) => i.kind === 'text')).toHaveLength(1);
  });

  it('forgets rooms the member left and takes unread counts and the read marker from the server', () => {
    const { store, sync } = setup();
    sync.onSync(batch('b1', [msg('@bo:hs', 'x')], {}, { unread_notifications: { notification_count: 4, highlight_count: 1 }, account_data: { events: [{ type: 'm.fully_read', content: { event_id: '$x' } }] } }), { initial: true });
    expect(store.room(room)).toMatchObject({ notification_count: 4, highlight_count: 1, fully_read: '$x' });
    sync.onSync({ next_batch: 'b2', rooms: { leave: { [room]: {} } } }, { initial: false });
    expect(store.room(room)).toBeUndefined();
  });
});
