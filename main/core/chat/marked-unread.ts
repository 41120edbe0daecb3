// Marking a room as unread (MSC2867, stable in Matrix 1.12 as m.marked_unread): a flag in
// the member's room account data, so Element on their phone shows the same dot. Element
// wrote the unstable com.famedly.marked_unread before servers advertised 1.12; both are
// read, the stable one wins when a batch carries both, and Plenary writes the stable one.
export const markedUnreadType = 'm.marked_unread';
const unstableMarkedUnreadType = 'com.famedly.marked_unread';

/** The flag a batch of room account data sets, or null when it says nothing (or nothing readable). */
export function markedUnreadFlag(events: readonly { type: string; content: Record<string, unknown> }[]): boolean | null {
  for (const type of [markedUnreadType, unstableMarkedUnreadType]) {
    const unread = events.findLast((event) => event.type === type)?.content.unread;
    if (typeof unread === 'boolean') return unread;
  }
  return null;
}
