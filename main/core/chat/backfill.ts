// Back-pagination: fills a gap in the cache with GET /rooms/{roomId}/messages (dir=b) from
// the gap's token, a page at a time, until it meets an event already cached (the gap is
// closed) or the room's beginning. Back-filled events count down from the gap's position.
import type { MatrixConnection, MatrixRawEvent } from '../matrix/matrix-connection';
import { seg } from '../matrix/matrix-http';
import type { ChatStore } from './chat-store';
import { applyStateEvent } from './room-state';

export const backfillPageSize = 50;

interface MessagesResponse {
  chunk: MatrixRawEvent[];
  start?: string;
  end?: string;
  state?: MatrixRawEvent[];
}

/** Loads one page into the gap at gapPos (default: the oldest gap, i.e. history above everything). */
export async function backfill(store: ChatStore, matrix: MatrixConnection, roomId: string, gapPos?: number): Promise<{ loaded: number; atStart: boolean }> {
  const gaps = store.gaps(roomId);
  const gap = gapPos === undefined ? gaps[0] : gaps.find((g) => g.before_pos === gapPos);
  if (!gap) return { loaded: 0, atStart: gaps.length === 0 };
  const page = await matrix.request<MessagesResponse>('GET', `/_matrix/client/v3/rooms/${seg(roomId)}/messages`, {
    // A gap without a token (a room emptied to load again) starts from the server's latest event.
    query: { dir: 'b', ...(gap.token !== '' ? { from: gap.token } : {}), limit: String(backfillPageSize), filter: JSON.stringify({ lazy_load_members: true }) },
  });
  // History of an encrypted room is decrypted before it is cached, as /sync's is.
  if (matrix.decryptEvents) page.chunk = await matrix.decryptEvents(roomId, page.chunk);
  return store.transaction(() => {
    // The gap may have been filled meanwhile by another request.
    const current = store.gaps(roomId).find((g) => g.before_pos === gap.before_pos && g.token === gap.token);
    if (!current) return { loaded: 0, atStart: false };
    for (const event of page.state ?? []) applyStateEvent(store, roomId, event, { onlyMissingMembers: true });
    let next = current.next_pos;
    let loaded = 0;
    let met = false;
    let created = false;
    for (const event of page.chunk) {
      if (store.hasEvent(event.event_id)) {
        met = true;
        break;
      }
      // Nothing comes before a room's creation event.
      if (event.type === 'm.room.create') created = true;
      store.insertEvent(roomId, next--, event);
      if (event.type === 'm.room.redaction') {
        const target = event.redacts ?? (typeof event.content.redacts === 'string' ? event.content.redacts : undefined);
        if (target) store.redact(target);
      }
      loaded++;
    }
    const exhausted = page.chunk.length === 0 || !page.end || created;
    if (met || exhausted) store.deleteGap(roomId, current.before_pos);
    else store.updateGap(roomId, current.before_pos, page.end!, next);
    return { loaded, atStart: exhausted && store.gaps(roomId).length === 0 };
  });
}
