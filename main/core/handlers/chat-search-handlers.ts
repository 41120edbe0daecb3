import type { Handlers } from '../dispatch';
import type { CoreServices } from '../core-services';
import { ChatSearch } from '../chat/chat-search';
import { groupHitsByRoom } from '../../../shared/contract/chat-search';

export function chatSearchHandlers(core: CoreServices): Pick<Handlers, 'chatSearch.search'> {
  // Encrypted rooms' messages are searched in the sealed database, read at each search (signing out replaces it).
  const search = new ChatSearch(core.db, () => core.chat.store.sealed?.db ?? null);
  return {
    'chatSearch.search': (input) => {
      // Signed out, the cache is empty anyway; the names come from the room list.
      const rooms = core.chat.rooms();
      if (rooms.length === 0) return { groups: [], more: false };
      const names = new Map(rooms.map((room) => [room.roomId, room.circleName ?? room.name]));
      const { hits, more } = search.search(input);
      const listed = hits.filter((hit) => names.has(hit.roomId));
      return { groups: groupHitsByRoom(listed, (roomId) => names.get(roomId) ?? roomId), more };
    },
  };
}
