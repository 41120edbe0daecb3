// Encrypted messages in the chat cache: one the crypto could not read yet is shown with why,
// and takes its decrypted form, in place, when it comes again decrypted (its key arrived).
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/core/store/database';
import { ChatStore } from '../../main/core/chat/chat-store';
import { ChatSync } from '../../main/core/chat/chat-sync';
import { buildTimeline } from '../../main/core/chat/timeline-view';
import { undecryptableReason } from '../../main/core/crypto/undecryptable';
import type { MatrixRawEvent, SyncResponse } from '../../main/core/matrix/matrix-connection';

const room = '!r:hs';
const batch = (events: MatrixRawEvent[]): SyncResponse => ({ next_batch: 'n', rooms: { join: { [room]: { timeline: { events } } } } });
const encrypted = (id: string, reason?: string): MatrixRawEvent => ({
  event_id: id,
  type: 'm.room.encrypted',
  sender: '@bo:hs',
  origin_server_ts: 1_000 + id.length,
  content: { algorithm: 'm.megolm.v1.aes-sha2', ciphertext: 'AAAA', session_id: 's1', device_id: 'D', ...(reason ? { 'coop.meet.plenary.utd': reason } : {}) },
});

describe('messages that could not be decrypted', () => {
  it('says why, and reads an unknown reason as a key still to come', () => {
    expect(undecryptableReason({ 'coop.meet.plenary.utd': 'withheld' })).toBe('withheld');
    expect(undecryptableReason({ 'coop.meet.plenary.utd': 'nonsense' })).toBe('missing_key');
    expect(undecryptableReason({})).toBe('missing_key');
  });

  it('are replaced in place by their decrypted form, and only an encrypted one is', () => {
    const store = new ChatStore(openDatabase(':memory:'));
    const sync = new ChatSync(store, () => undefined);
    const view = () => buildTimeline(store, room, { limit: 100 }, { me: { userId: '@me:hs', displayName: null }, elementUrl: 'https://app.element.io' });
    sync.onSync(batch([encrypted('$a', 'withheld'), encrypted('$b'), { event_id: '$c', type: 'm.room.message', sender: '@bo:hs', origin_server_ts: 5_000, content: { msgtype: 'm.text', body: 'clear' } }]), { initial: false });
    expect(view().items.map((i) => [i.eventId, i.kind, i.undecryptable])).toEqual([
      ['$a', 'encrypted', 'withheld'],
      ['$b', 'encrypted', 'missing_key'],
      ['$c', 'text', undefined],
    ]);
    // The key came: $a arrives decrypted (replayed to the consumers).
    sync.onSync(batch([{ ...encrypted('$a'), type: 'm.room.message', content: { msgtype: 'm.text', body: 'now readable' } }]), { initial: false });
    // A clear event claiming the id of one already shown never replaces it.
    sync.onSync(batch([{ event_id: '$c', type: 'm.room.message', sender: '@eve:hs', origin_server_ts: 6_000, content: { msgtype: 'm.text', body: 'forged' } }]), { initial: false });
    const items = view().items;
    expect(items.map((i) => [i.eventId, i.kind, i.body])).toEqual([
      ['$a', 'text', 'now readable'],
      ['$b', 'encrypted', ''],
      ['$c', 'text', 'clear'],
    ]);
  });
});
