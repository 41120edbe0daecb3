// The app badge and tray tooltip for unread chat: a count for the dock/taskbar and a short
// text, computed here so the shell only applies it.
export interface UnreadBadge {
  /** Sum of unread messages in all rooms (0 clears the badge). */
  count: number;
  /** Mentions among them, which deserve attention first. */
  highlights: number;
  /** What the badge shows: '' when nothing is unread, '99+' past 99. */
  text: string;
}

export function unreadBadge(rooms: readonly { unread: number; highlights: number }[]): UnreadBadge {
  const count = rooms.reduce((sum, room) => sum + Math.max(0, room.unread), 0);
  const highlights = rooms.reduce((sum, room) => sum + Math.max(0, room.highlights), 0);
  return { count, highlights, text: count === 0 ? '' : count > 99 ? '99+' : String(count) };
}
