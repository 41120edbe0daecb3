// The room list's order: by latest activity (as the core lists rooms), or, when the member
// asks for it, rooms with something unread first (unread messages, mentions, or their own
// unread mark), each group still by latest activity, as Element's "Show unread first".
export interface OrderedRoom {
  unread: number;
  markedUnread: boolean;
  lastActivity: number;
}

export function hasUnread(room: OrderedRoom): boolean {
  return room.unread > 0 || room.markedUnread;
}

export function orderRooms<T extends OrderedRoom>(rooms: readonly T[], unreadFirst: boolean): T[] {
  const byActivity = [...rooms].sort((a, b) => b.lastActivity - a.lastActivity);
  if (!unreadFirst) return byActivity;
  return [...byActivity.filter(hasUnread), ...byActivity.filter((room) => !hasUnread(room))];
}
