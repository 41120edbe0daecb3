// Applies Matrix state events to the cached room (name, topic, alias, encryption, members).
import type { MatrixRawEvent } from '../matrix/matrix-connection';
import type { ChatStore } from './chat-store';

const str = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);

/** Current state from /sync. `onlyMissingMembers` is for back-filled history, which must not overwrite newer state. */
export function applyStateEvent(store: ChatStore, roomId: string, event: MatrixRawEvent, options: { onlyMissingMembers?: boolean } = {}): void {
  if (event.state_key === undefined) return;
  const c = event.content;
  if (event.type === 'm.room.member') {
    if (options.onlyMissingMembers && store.displayNames(roomId, [event.state_key]).size > 0) return;
    store.setMember(roomId, event.state_key, str(c.displayname), typeof c.membership === 'string' ? c.membership : 'leave');
    return;
  }
  if (options.onlyMissingMembers || event.state_key !== '') return;
  switch (event.type) {
    case 'm.room.name':
      store.updateRoom(roomId, { name: str(c.name) });
      break;
    case 'm.room.topic':
      store.updateRoom(roomId, { topic: str(c.topic) });
      break;
    case 'm.room.canonical_alias':
      store.updateRoom(roomId, { canonical_alias: str(c.alias) });
      break;
    case 'm.room.create':
      store.updateRoom(roomId, { room_type: str(c.type) });
      break;
    case 'm.room.encryption':
      store.updateRoom(roomId, { encrypted: 1 });
      break;
  }
}
