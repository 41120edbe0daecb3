// Read receipts and typing notices as the server relays them in a room's ephemeral events.
// Their content is written by other members, so it is read defensively: anything that is not
// a Matrix user or event id is left out, and a list is capped.
const userIdPattern = /^@[^\s:]+:\S+$/;
const eventIdPattern = /^\$\S+$/;
const maxIdLength = 255;
/** More typists than this are "several people" anyway. */
const maxTypists = 50;

const isId = (value: unknown, pattern: RegExp): value is string => typeof value === 'string' && value.length <= maxIdLength && pattern.test(value);

export function typingUsers(content: Record<string, unknown>): string[] {
  const ids = Array.isArray(content.user_ids) ? content.user_ids : [];
  return [...new Set(ids.filter((id): id is string => isId(id, userIdPattern)))].slice(0, maxTypists);
}

export interface ReadReceipt {
  userId: string;
  eventId: string;
  ts: number;
}

/**
 * The main-timeline read receipts in an m.receipt event: public (m.read) and the member's
 * own private ones (m.read.private, which the server sends only to their owner). Receipts
 * in a thread (a thread_id other than "main") say nothing about the room's timeline.
 */
export function readReceipts(content: Record<string, unknown>): ReadReceipt[] {
  const out: ReadReceipt[] = [];
  for (const [eventId, byType] of Object.entries(content)) {
    if (!isId(eventId, eventIdPattern) || typeof byType !== 'object' || byType === null) continue;
    for (const type of ['m.read', 'm.read.private']) {
      const byUser = (byType as Record<string, unknown>)[type];
      if (typeof byUser !== 'object' || byUser === null) continue;
      for (const [userId, receipt] of Object.entries(byUser as Record<string, unknown>)) {
        if (!isId(userId, userIdPattern)) continue;
        const { ts, thread_id: thread } = (typeof receipt === 'object' && receipt !== null ? receipt : {}) as { ts?: unknown; thread_id?: unknown };
        if (thread !== undefined && thread !== 'main') continue;
        out.push({ userId, eventId, ts: typeof ts === 'number' && Number.isFinite(ts) ? ts : 0 });
      }
    }
  }
  return out;
}
