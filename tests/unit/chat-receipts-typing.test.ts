// Read receipts and typing notices from a room's ephemeral events: read defensively (they
// are other members' words), receipts moving only forward and shown at the last item each
// member has read, typing lists replacing each other.
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/core/store/database';
import { ChatStore } from '../../main/core/chat/chat-store';
import { ChatSync, type SyncChanges } from '../../main/core/chat/chat-sync';
import { buildTimeline } from '../../main/core/chat/timeline-view';
import { readReceipts, typingUsers } from '../../main/core/chat/receipts';
import type { MatrixRawEvent, SyncResponse } from '../../main/core/matrix/matrix-connection';

const room = '!r:hs';
const me = '@me:hs';
let n = 0;
const msg = (sender: string, body: string): MatrixRawEvent => ({ event_id: `$m${++n}`, type: 'm.room.message', sender, origin_server_ts: 1_000 + n, content: { msgtype: 'm.text', body } });
const sync = (next: string, events: MatrixRawEvent[], ephemeral: { type: string; content: Record<string, unknown> }[] = []): SyncResponse => ({
  next_batch: next,
  rooms: { join: { [room]: { timeline: { events, prev_batch: 'p' }, ephemeral: { events: ephemeral } } } },
});
const receipt = (eventId: string, userId: string, extra: Record<string, unknown> = {}) => ({ type: 'm.receipt', content: { [eventId]: { 'm.read': { [userId]: { ts: 5, ...extra } } } } });

function setup() {
  const store = new ChatStore(openDatabase(':memory:'));
  const changes: SyncChanges[] = [];
  const consumer = new ChatSync(store, (c) => changes.push(c));
  const view = (typing: string[] = []) => buildTimeline(store, room, { limit: 100 }, { me: { userId: me, displayName: null }, elementUrl: 'https://app.element.io', typing });
  return { store, consumer, changes, view };
}

describe('receipts and typing as the server relays them', () => {
  it('reads public and own private receipts, leaving out thread receipts and anything that is not an id', () => {
    expect(
      readReceipts({
        $a: { 'm.read': { '@bo:hs': { ts: 10 }, 'not a user': { ts: 1 } }, 'm.read.private': { '@me:hs': { ts: 11 } } },
        $b: { 'm.read': { '@cy:hs': { ts: 12, thread_id: '$thread' }, '@di:hs': { ts: 13, thread_id: 'main' } } },
        'no-dollar': { 'm.read': { '@ed:hs': { ts: 14 } } },
        $c: 'not an object',
        $d: { 'm.read': { '@fa:hs': 'no receipt object' } },
      }),
    ).toEqual([
      { userId: '@bo:hs', eventId: '$a', ts: 10 },
      { userId: '@me:hs', eventId: '$a', ts: 11 },
      { userId: '@di:hs', eventId: '$b', ts: 13 },
      { userId: '@fa:hs', eventId: '$d', ts: 0 },
    ]);
  });

  it('takes typing lists of user ids only, without repeats, capped', () => {
    expect(typingUsers({ user_ids: ['@bo:hs', '@bo:hs', 42, 'bob', '@cy:hs'] })).toEqual(['@bo:hs', '@cy:hs']);
    expect(typingUsers({ user_ids: 'nope' })).toEqual([]);
    expect(typingUsers({ user_ids: Array.from({ length: 500 }, (_, i) => `@u${i}:hs`) })).toHaveLength(50);
  });

  it("shows each other member's receipt at the last item they read, never on their own message, and only forward", () => {
    const { consumer, view, changes } = setup();
    const [first, second, third] = [msg('@bo:hs', 'one'), msg(me, 'two'), msg('@bo:hs', 'three')];
    consumer.onSync(sync('b1', [first!, second!, third!]), { initial: true });
    consumer.onSync(sync('b2', [], [receipt(second!.event_id, '@cy:hs'), receipt(third!.event_id, '@bo:hs'), receipt(third!.event_id, me)]), { initial: false });
    expect(changes.at(-1)?.timelines.has(room)).toBe(true);
    const readBy = () => Object.fromEntries(view().items.filter((i) => i.kind === 'text').map((i) => [i.body, i.readBy]));
    // Bob's receipt sits on his own message: not shown; the member's own receipt is never shown.
    expect(readBy()).toEqual({ one: [], two: ['@cy:hs'], three: [] });
    // An older receipt (a replay, or out of order) does not move Cy back.
    consumer.onSync(sync('b3', [], [receipt(first!.event_id, '@cy:hs')]), { initial: false });
    expect(readBy()).toEqual({ one: [], two: ['@cy:hs'], three: [] });
    consumer.onSync(sync('b4', [], [receipt(third!.event_id, '@cy:hs')]), { initial: false });
    expect(readBy()).toEqual({ one: [], two: [], three: ['@cy:hs'] });
  });

  it('places a receipt on an event that is not shown (a reaction) at the item before it', () => {
    const { consumer, view } = setup();
    const question = msg('@bo:hs', 'question');
    const reaction: MatrixRawEvent = { event_id: '$react', type: 'm.reaction', sender: '@cy:hs', origin_server_ts: 9_999, content: { 'm.relates_to': { rel_type: 'm.annotation', event_id: question.event_id, key: '👍' } } };
    consumer.onSync(sync('b1', [question, reaction], [receipt('$react', '@cy:hs')]), { initial: true });
    expect(view().items.find((i) => i.body === 'question')?.readBy).toEqual(['@cy:hs']);
  });

  it('reports the whole typing list each time, and the timeline names who types, never the member', () => {
    const { consumer, changes, view } = setup();
    consumer.onSync(sync('b1', [msg('@bo:hs', 'hi')]), { initial: true });
    consumer.onSync(sync('b2', [], [{ type: 'm.typing', content: { user_ids: ['@bo:hs', me] } }]), { initial: false });
    expect(changes.at(-1)?.typing.get(room)).toEqual(['@bo:hs', me]);
    expect(view(['@bo:hs', me]).typing).toEqual(['@bo:hs']);
    consumer.onSync(sync('b3', [], [{ type: 'm.typing', content: { user_ids: [] } }]), { initial: false });
    expect(changes.at(-1)?.typing.get(room)).toEqual([]);
  });
});
