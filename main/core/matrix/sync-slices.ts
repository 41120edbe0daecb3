// A /sync response cut into pieces of one event each, for a consumer that keeps failing on a
// batch: delivered piece by piece, only the pieces it fails on are skipped (sync-loop.ts).
// Each piece is a valid response on its own. A room's first piece carries what comes before
// its timeline (state, summary, `limited` and `prev_batch`, so a gap is still seen and
// back-filled); its last carries what describes the room after it (ephemeral events,
// account data, unread counts). Invitations, departures and the account data each come as
// a piece of their own.
import type { MatrixRawEvent, SyncJoinedRoom, SyncResponse } from './matrix-connection';

export interface SyncSlice {
  response: SyncResponse;
  /** The room the piece concerns, or null (the account data). */
  roomId: string | null;
  /** The one timeline event the piece carries, or null (a room's state, an invitation, a departure). */
  event: MatrixRawEvent | null;
}

function joinedSlices(roomId: string, room: SyncJoinedRoom, wrap: (room: SyncJoinedRoom) => SyncResponse): SyncSlice[] {
  const events = room.timeline?.events ?? [];
  if (events.length <= 1) return [{ response: wrap(room), roomId, event: events[0] ?? null }];
  const { timeline, ephemeral, account_data: accountData, unread_notifications: unread, ...before } = room;
  return events.map((event, i) => {
    const first = i === 0;
    const last = i === events.length - 1;
    const piece: SyncJoinedRoom = {
      ...(first ? before : {}),
      timeline: { events: [event], ...(first && timeline?.limited !== undefined ? { limited: timeline.limited } : {}), ...(first && timeline?.prev_batch ? { prev_batch: timeline.prev_batch } : {}) },
      ...(last && ephemeral ? { ephemeral } : {}),
      ...(last && accountData ? { account_data: accountData } : {}),
      ...(last && unread ? { unread_notifications: unread } : {}),
    };
    return { response: wrap(piece), roomId, event };
  });
}

export function sliceResponse(response: SyncResponse): SyncSlice[] {
  const base = { next_batch: response.next_batch };
  const slices: SyncSlice[] = [];
  for (const [roomId, invite] of Object.entries(response.rooms?.invite ?? {})) {
    slices.push({ response: { ...base, rooms: { invite: { [roomId]: invite } } }, roomId, event: null });
  }
  for (const [roomId, room] of Object.entries(response.rooms?.join ?? {})) {
    slices.push(...joinedSlices(roomId, room, (piece) => ({ ...base, rooms: { join: { [roomId]: piece } } })));
  }
  for (const [roomId, room] of Object.entries(response.rooms?.leave ?? {})) {
    slices.push(...joinedSlices(roomId, room, (piece) => ({ ...base, rooms: { leave: { [roomId]: piece } } })));
  }
  if (response.account_data) slices.push({ response: { ...base, account_data: response.account_data }, roomId: null, event: null });
  return slices;
}
