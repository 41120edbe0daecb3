// The outbox keeps the member's messages in the order they were written, even when the
// server refuses one: what follows it in that room waits (shown as held) until it is
// retried or discarded, other rooms go on, and a refused edit or reaction holds nothing
// back and is listed on its message instead of vanishing.
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/core/store/database';
import { ChatStore } from '../../main/core/chat/chat-store';
import { Outbox } from '../../main/core/chat/outbox';
import { buildTimeline } from '../../main/core/chat/timeline-view';
import { sendFailureOf } from '../../main/core/chat/send-failure';
import { MatrixHttpError, type MatrixConnection } from '../../main/core/matrix/matrix-connection';
import { createLogger, memorySink } from '../../main/core/log';
import { ChatSync } from '../../main/core/chat/chat-sync';

const roomA = '!a:hs';
const roomB = '!b:hs';

/** A homeserver that refuses bodies listed in `refuse` with M_FORBIDDEN and records the rest in order. */
function setup() {
  const store = new ChatStore(openDatabase(':memory:'));
  const refuse = new Set<string>();
  const delivered: { roomId: string; type: string; body: string }[] = [];
  let n = 0;
  const label = (content: Record<string, unknown>): string => {
    const rel = content['m.relates_to'] as { key?: string } | undefined;
    const fresh = content['m.new_content'] as { body?: string } | undefined;
    return String(fresh?.body ?? content.body ?? rel?.key ?? '');
  };
  const matrix = {
    session: () => ({ homeserverUrl: 'http://hs', userId: '@me:hs', deviceId: 'D' }),
    sendEvent: (roomId: string, type: string, content: Record<string, unknown>) => {
      const body = label(content);
      if (refuse.has(body)) return Promise.reject(new MatrixHttpError(403, 'M_FORBIDDEN', 'You cannot speak here'));
      delivered.push({ roomId, type, body });
      return Promise.resolve({ event_id: `$sent${++n}` });
    },
  } as unknown as MatrixConnection;
  const outbox = new Outbox({ store, matrix, log: createLogger('test', memorySink().sink), now: () => 1_000, canSend: () => true, changed: () => undefined });
  const view = (roomId: string) => buildTimeline(store, roomId, { limit: 100 }, { me: { userId: '@me:hs', displayName: null }, elementUrl: 'https://app.element.io' });
  const text = (body: string) => ({ msgtype: 'm.text', body });
  return { store, refuse, delivered, outbox, view, text };
}

describe('outbox order', () => {
  it('holds back what follows a refused message in its room, and sends it all in order after a retry', async () => {
    const { store, refuse, delivered, outbox, view, text } = setup();
    refuse.add('one');
    const one = outbox.enqueue(roomA, 'm.room.message', text('one'));
    outbox.enqueue(roomA, 'm.room.message', text('two'));
    outbox.enqueue(roomB, 'm.room.message', text('elsewhere'));
    outbox.enqueue(roomA, 'm.room.message', text('three'));
    // A reaction written after the refused message does not wait for it.
    outbox.enqueue(roomA, 'm.reaction', { 'm.relates_to': { rel_type: 'm.annotation', event_id: '$old', key: '👍' } });
    await outbox.flush();

    // The other room is not held up, nor is the reaction.
    expect(delivered.map((d) => d.body)).toEqual(['elsewhere', '👍']);
    const pending = view(roomA).items.map((i) => [i.body, i.pending]);
    expect(pending).toEqual([
      ['one', 'failed'],
      ['two', 'held'],
      ['three', 'held'],
    ]);
    expect(view(roomA).items[0]).toMatchObject({ error: expect.stringMatching(/M_FORBIDDEN/) as string, failure: 'forbidden' });

    refuse.clear();
    expect(store.requeue(one)).toBe(true);
    await outbox.flush();
    expect(delivered.map((d) => d.body)).toEqual(['elsewhere', '👍', 'one', 'two', 'three']);
    expect(view(roomA).items.every((i) => i.pending === null)).toBe(true);
  });

  it('lets the held messages go when the refused one is discarded', async () => {
    const { store, refuse, delivered, outbox, text } = setup();
    refuse.add('rude');
    const rude = outbox.enqueue(roomA, 'm.room.message', text('rude'));
    outbox.enqueue(roomA, 'm.room.message', text('polite'));
    await outbox.flush();
    expect(delivered).toEqual([]);
    store.removeOutbox(rude);
    await outbox.flush();
    expect(delivered.map((d) => d.body)).toEqual(['polite']);
  });

  it('does not hold anything back for a refused edit or reaction, and lists it on its message', async () => {
    const { store, refuse, delivered, outbox, view, text } = setup();
    // A message already on the server, cached by the sync consumer.
    new ChatSync(store, () => undefined).onSync(
      { next_batch: 'b1', rooms: { join: { [roomA]: { timeline: { events: [{ event_id: '$orig', type: 'm.room.message', sender: '@me:hs', origin_server_ts: 1, content: text('first draft') }], prev_batch: 'p' } } } } },
      { initial: true },
    );
    refuse.add('second draft');
    refuse.add('🎉');
    outbox.enqueue(roomA, 'm.room.message', { msgtype: 'm.text', body: ' * second draft', 'm.new_content': text('second draft'), 'm.relates_to': { rel_type: 'm.replace', event_id: '$orig' } });
    outbox.enqueue(roomA, 'm.reaction', { 'm.relates_to': { rel_type: 'm.annotation', event_id: '$orig', key: '🎉' } });
    outbox.enqueue(roomA, 'm.room.message', text('after them'));
    await outbox.flush();
    expect(delivered.map((d) => d.body)).toEqual(['after them']);

    const original = view(roomA).items.find((i) => i.eventId === '$orig')!;
    // The refused edit does not pretend to be saved, and the refused reaction is not counted.
    expect(original.body).toBe('first draft');
    expect(original.reactions).toEqual([]);
    expect(original.unsent.map((u) => [u.what, u.key])).toEqual([
      ['edit', null],
      ['reaction', '🎉'],
    ]);
    expect(original.unsent.every((u) => /M_FORBIDDEN/.test(u.error) && u.failure === 'forbidden')).toBe(true);
  });
});

describe('sendFailureOf', () => {
  it('turns the stored refusal into a reason the page translates', () => {
    expect(sendFailureOf("M_FORBIDDEN: You don't have permission to post that to the room.")).toBe('forbidden');
    expect(sendFailureOf('M_TOO_LARGE: event too large')).toBe('too_large');
    expect(sendFailureOf('M_NOT_FOUND: Unknown room')).toBe('room_gone');
    expect(sendFailureOf('M_BAD_JSON: nope')).toBe('other');
    expect(sendFailureOf('socket hang up')).toBe('other');
    expect(sendFailureOf(null)).toBeNull();
  });
});
