// The app badge and tray tooltip for unread chat: a count for the dock/taskbar and a short
// text, computed here so the shell only applies it.
export interface UnreadBadge {
  /** Unread messages in all rooms plus invitations waiting for an answer, as Element counts (0 clears the badge). */
  count: number;
  /** Invitations among the count. */
  invites: number;
  /** Mentions among them, which deserve attention first. */
  highlights: number;
  /** What the badge shows: '' when nothing is unread, '99+' past 99. */
  text: string;
}

export function unreadBadge(rooms: readonly { unread: number; highlights: number }[], invites = 0): UnreadBadge {
  const unread = rooms.reduce((sum, room) => sum + Math.max(0, room.unread), 0);
  const highlights = rooms.reduce((sum, room) => sum + Math.max(0, room.highlights), 0);
  const count = unread + Math.max(0, invites);
  return { count, invites: Math.max(0, invites), highlights, text: count === 0 ? '' : count > 99 ? '99+' : String(count) };
}
