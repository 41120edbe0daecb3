// Marking a room as unread (MSC2867): the flag read from room account data in either
// spelling Element writes, a mark set here winning until it reached the server, reading the
// room taking the mark away, and the room list's "unread first" order.
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/core/store/database';
import { ChatStore } from '../../main/core/chat/chat-store';
import { ChatSync } from '../../main/core/chat/chat-sync';
import { markedUnreadFlag } from '../../main/core/chat/marked-unread';
import { orderRooms } from '../../shared/chat/room-order';
import type { SyncResponse } from '../../main/core/matrix/matrix-connection';

const room = '!r:hs';
const withAccountData = (next: string, events: { type: string; content: Record<string, unknown> }[]): SyncResponse => ({
  next_batch: next,
  rooms: { join: { [room]: { timeline: { events: [] }, account_data: { events } } } },
});

describe('the unread mark in room account data', () => {
  it('reads the stable and the unstable type, the stable one first', () => {
    expect(markedUnreadFlag([{ type: 'm.marked_unread', content: { unread: true } }])).toBe(true);
    expect(markedUnreadFlag([{ type: 'com.famedly.marked_unread', content: { unread: true } }])).toBe(true);
    expect(markedUnreadFlag([{ type: 'com.famedly.marked_unread', content: { unread: true } }, { type: 'm.marked_unread', content: { unread: false } }])).toBe(false);
    expect(markedUnreadFlag([{ type: 'm.fully_read', content: { event_id: '$x' } }])).toBeNull();
  });

  it('ignores a mark whose content is not a yes or no', () => {
    expect(markedUnreadFlag([{ type: 'm.marked_unread', content: { unread: 'yes' } }])).toBeNull();
    expect(markedUnreadFlag([{ type: 'm.marked_unread', content: {} }, { type: 'com.famedly.marked_unread', content: { unread: true } }])).toBe(true);
  });

  it('follows the mark set on another device, unless one set here is still waiting to be sent', () => {
    const store = new ChatStore(openDatabase(':memory:'));
    let changed = 0;
    const sync = new ChatSync(store, () => changed++);
    sync.onSync(withAccountData('b1', [{ type: 'm.marked_unread', content: { unread: true } }]), { initial: false });
    expect(store.room(room)).toMatchObject({ marked_unread: 1, marked_unread_pending: null });
    expect(changed).toBe(1);

    // Read here while offline: the server still says unread, but the member's choice waits to be sent.
    store.updateRoom(room, { marked_unread: 0, marked_unread_pending: 0 });
    sync.onSync(withAccountData('b2', [{ type: 'm.marked_unread', content: { unread: true } }]), { initial: false });
    expect(store.room(room)).toMatchObject({ marked_unread: 0, marked_unread_pending: 0 });

    store.updateRoom(room, { marked_unread_pending: null });
    sync.onSync(withAccountData('b3', [{ type: 'm.marked_unread', content: { unread: false } }]), { initial: false });
    expect(store.room(room)?.marked_unread).toBe(0);
    const before = changed;
    sync.onSync(withAccountData('b4', [{ type: 'm.marked_unread', content: { unread: false } }]), { initial: false });
    expect(changed).toBe(before); // the same mark again changes nothing and reports nothing
    expect(store.room(room)?.marked_unread).toBe(0);
  });
});

describe('the room list order', () => {
  const rooms = [
    { id: 'quiet-new', unread: 0, markedUnread: false, lastActivity: 50 },
    { id: 'busy-old', unread: 3, markedUnread: false, lastActivity: 10 },
    { id: 'marked', unread: 0, markedUnread: true, lastActivity: 20 },
    { id: 'quiet-old', unread: 0, markedUnread: false, lastActivity: 5 },
  ];

  it('goes by latest activity', () => {
    expect(orderRooms(rooms, false).map((r) => r.id)).toEqual(['quiet-new', 'marked', 'busy-old', 'quiet-old']);
  });

  it('puts rooms with unread messages or an unread mark first when asked, each group by activity', () => {
    expect(orderRooms(rooms, true).map((r) => r.id)).toEqual(['marked', 'busy-old', 'quiet-new', 'quiet-old']);
  });
});
