// Threads (m.thread, Matrix client-server spec "Threading"): which thread an event belongs
// to, every reply of a thread, and the summary its root shows in the room. Hostile or odd
// relations never break the timeline: a reply whose root is in another room or not cached is
// shown inline as a plain message, and a reply to a reply (nested threads are not allowed)
// counts as a reply to the first root.
export interface ThreadRow {
  event_id: string;
  room_id: string;
  pos: number;
  sender: string;
  rel_type: string | null;
  relates_to: string | null;
  redacted: number;
}

/** How far a chain of thread replies to thread replies is followed before giving up. */
const maxDepth = 8;

/** The root of the thread `row` is a reply in, or null when it is not (or not validly) in one. */
export function threadRootOf<R extends ThreadRow>(row: R, lookup: (eventId: string) => R | undefined): string | null {
  if (row.rel_type !== 'm.thread' || !row.relates_to) return null;
  const seen = new Set<string>([row.event_id]);
  let target = row.relates_to;
  for (let depth = 0; depth < maxDepth; depth++) {
    if (seen.has(target)) return null;
    seen.add(target);
    const parent = lookup(target);
    if (!parent || parent.room_id !== row.room_id) return null;
    if (parent.rel_type !== 'm.thread' || !parent.relates_to) return parent.event_id;
    target = parent.relates_to;
  }
  return null;
}

/**
 * Every reply of the thread under rootId, oldest first, read through `relationsOf` (the cache's
 * events relating to given ids). Replies to replies are followed; other rooms are ignored.
 */
export function threadReplies<R extends ThreadRow>(rootId: string, roomId: string, relationsOf: (eventIds: readonly string[]) => R[]): R[] {
  const found = new Map<string, R>();
  let frontier = [rootId];
  for (let depth = 0; depth < maxDepth && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const row of relationsOf(frontier)) {
      if (row.rel_type !== 'm.thread' || row.room_id !== roomId || row.event_id === rootId || found.has(row.event_id)) continue;
      found.set(row.event_id, row);
      next.push(row.event_id);
    }
    frontier = next;
  }
  return [...found.values()].sort((a, b) => a.pos - b.pos);
}

export interface ThreadSummaryInput<R extends ThreadRow> {
  replies: readonly R[];
  me: string;
  /** Position the member has read up to in this thread (or the room's read marker), or null: nothing read. */
  readPos: number | null;
}

export interface ThreadSummaryCounts<R> {
  count: number;
  latest: R | null;
  unread: number;
}

/** Replies, the latest one, and how many others wrote after the member's read position. */
export function threadSummary<R extends ThreadRow>({ replies, me, readPos }: ThreadSummaryInput<R>): ThreadSummaryCounts<R> {
  const live = replies.filter((r) => r.redacted === 0);
  const latest = live.reduce<R | null>((a, r) => (a === null || r.pos > a.pos ? r : a), null);
  // Writing in a thread reads it up to there, as in Element.
  const mine = live.filter((r) => r.sender === me).map((r) => r.pos);
  const readTo = Math.max(readPos ?? -Infinity, ...mine);
  const unread = live.filter((r) => r.sender !== me && r.pos > readTo).length;
  return { count: live.length, latest, unread };
}
