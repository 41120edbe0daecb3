// Does a message mention the member, and should that raise a desktop notification? Pure
// functions so every rule is unit-tested. Mentions follow the spec's intentional mentions
// (m.mentions, Matrix 1.7): when an event carries m.mentions, only it counts; older
// clients' events without it are matched on the body (user id, display name, @room).

export interface Me {
  userId: string;
  displayName: string | null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whole-word, case-insensitive match that also works next to punctuation and in CJK text. */
function containsName(body: string, name: string): boolean {
  if (name.trim().length < 2) return false;
  return new RegExp(`(^|[^\\p{L}\\p{N}_])${escapeRegExp(name)}($|[^\\p{L}\\p{N}_])`, 'iu').test(body);
}

export function mentionsMe(content: Record<string, unknown>, me: Me): boolean {
  const intentional = content['m.mentions'];
  if (intentional && typeof intentional === 'object') {
    const { user_ids: userIds, room } = intentional as { user_ids?: unknown; room?: unknown };
    return (Array.isArray(userIds) && userIds.includes(me.userId)) || room === true;
  }
  const body = typeof content.body === 'string' ? content.body : '';
  if (body === '') return false;
  return body.includes(me.userId) || /(^|\s)@room\b/.test(body) || (me.displayName !== null && containsName(body, me.displayName));
}

export interface NotifyInput {
  /** The event came in a live sync, not the first sync of a session or a back-fill of history. */
  live: boolean;
  fromMe: boolean;
  /** An edit (m.replace) or other relation: the original already notified. */
  isRelation: boolean;
  isMessage: boolean;
  mentioned: boolean;
  /** The body contains one of the member's keywords (their content push rules). */
  keyword?: boolean;
  /** The room's level (push rules): muted rooms never notify; otherwise mentions and keywords do. */
  level?: 'all' | 'mentions' | 'mute';
  doNotDisturb: boolean;
  /** Sent so long ago that a notification now would be noise (e.g. after a long offline spell). */
  ageMs: number;
}

export const maxNotifyAgeMs = 60 * 60 * 1000;

export function shouldNotify(input: NotifyInput): boolean {
  return (
    input.live &&
    input.isMessage &&
    !input.fromMe &&
    !input.isRelation &&
    input.level !== 'mute' &&
    (input.mentioned || input.keyword === true) &&
    !input.doNotDisturb &&
    input.ageMs <= maxNotifyAgeMs
  );
}
