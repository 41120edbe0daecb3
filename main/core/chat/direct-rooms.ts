// Direct messages as Element keeps them: the member's m.direct account data maps each
// person to the rooms that are direct chats with them (client-server spec, "Direct
// Messaging"). Read defensively (anything may be in account data), and updated by adding
// a room to a person's list without losing what other clients wrote there.

export type DirectContent = Record<string, unknown>;

const userId = /^@[^\s:]+:[^\s]+$/;
const roomId = /^![^\s]+$/;

/** Room id → the other person, for every well-formed entry of m.direct. */
export function directRooms(content: unknown): Map<string, string> {
  const rooms = new Map<string, string>();
  if (typeof content !== 'object' || content === null || Array.isArray(content)) return rooms;
  for (const [user, list] of Object.entries(content as Record<string, unknown>)) {
    if (!userId.test(user) || !Array.isArray(list)) continue;
    for (const room of list) if (typeof room === 'string' && roomId.test(room) && !rooms.has(room)) rooms.set(room, user);
  }
  return rooms;
}

/** The direct chat with this person to reuse: the first of theirs the member is still in. */
export function existingDirectRoom(content: unknown, otherUserId: string, joined: (roomId: string) => boolean): string | null {
  for (const [room, user] of directRooms(content)) if (user === otherUserId && joined(room)) return room;
  return null;
}

/** m.direct with the room added to the person's list (first, as the one to use), everything else kept. */
export function withDirectRoom(content: unknown, otherUserId: string, room: string): DirectContent {
  const base: DirectContent = typeof content === 'object' && content !== null && !Array.isArray(content) ? { ...(content as DirectContent) } : {};
  const list = Array.isArray(base[otherUserId]) ? (base[otherUserId] as unknown[]).filter((r) => r !== room) : [];
  base[otherUserId] = [room, ...list];
  return base;
}
