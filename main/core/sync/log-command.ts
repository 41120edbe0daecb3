// "!log 1h30 care onboarding" posted in a circle's room, from Element on a phone or any
// Matrix client, becomes the sender's contribution (README, "Logging work from Element").
//
// Why it cannot double-log: the contribution is derived from the event alone, on every
// replica that reads it, like a poll answer becomes a ballot (synthetic-ops.ts): its
// operation id and entry id are hashes of the event id, its clock and date come from
// origin_server_ts, its actor is the event's sender. No replica sends an operation for it,
// so there is nothing to send twice: reading the event again (a replay, a back-filled gap,
// a restart) folds the same operation, which deduplicates by id. A redaction of the message
// withdraws it everywhere, as for any event carrying operations. An edit (m.replace) is not
// a new command: the entry stays as first posted (change it in Plenary).
//
// Every replica must decide the same way, so the decision reads only what every replica
// knows at the event's place in the room: membership and the day's total from operations
// the server had received before the message (their own events' origin_server_ts), never
// this device's own unsent work; authorisation by the one rule, with the room's history.
//
// A withdrawn entry (a redacted message) lowers the day's total for the messages after it:
// those refused for passing 24 hours are judged again, as a replica reading the room only
// after the redaction judges them. (Known limit: an entry let in this way does not take back
// one logged after it that the two together now push past 24 hours, which a replica reading
// the room only later would refuse.)
//
// Who answers: exactly one replica in practice. The circle's facilitators at that point
// (power in the room, as the trust rules read it; without any, its members) are ranked by
// Matrix id. The first answers as soon as it reads the message; the next answers only if no
// answer is in the room after answerStepMs, the one after it after twice that, and so on,
// so an answer comes while any of them runs Plenary. Each answers once per message (kept in
// sync_log_replies), only while the message is recent, and never when an answer to it is
// already in the room (marked with answerKey). Two answers can only come from a replica that
// had not yet read the other's (two devices of one member, or a turn passing just as the one
// before comes back online).
import type { Db } from '../store/database';
import type { MatrixRawEvent } from '../matrix/matrix-connection';
import type { Operation } from '../../../shared/governance/operation';
import type { Locale } from '../../../shared/locales';
import { authorize, type AuthorityFacts } from '../../../shared/governance/authorization';
import { maxMinutesPerDay, parseLogCommand, isLogCommand, type LogCommandProblem } from '../../../shared/governance/log-command';
import { syntheticEntityId, syntheticHlc, syntheticOpId } from './synthetic-ops';
import type { ValueStream } from '../../../shared/governance/operation-types';

/** Marks Plenary's answer to a !log message: `{ event_id }` of the message answered. */
export const answerKey = 'coop.meet.plenary.log_answer';
/** Older messages get no answer (a replica reading the room's history for the first time stays quiet). */
export const answerWindowMs = 24 * 60 * 60 * 1000;
/** How long each facilitator's turn to answer lasts before the next one's. */
export const answerStepMs = 5 * 60 * 1000;

export type LogRefusal = LogCommandProblem | 'day_over_24h' | 'not_member' | 'not_allowed';

export type LogVerdict =
  | { ok: true; op: Operation; minutes: number; stream: ValueStream; date: string; description: string; locale: Locale | null; name: string }
  | { ok: false; refusal: LogRefusal; token: string; dayMinutes: number; locale: Locale | null; name: string };

/** Whether an event is a !log command this feature reads: a plain text message, not an edit. */
export function isLogCommandEvent(event: MatrixRawEvent): boolean {
  if (event.type !== 'm.room.message' || typeof event.content !== 'object' || event.content === null) return false;
  const content = event.content;
  if (content.msgtype !== 'm.text' || content['m.new_content'] !== undefined) return false;
  const relation = content['m.relates_to'] as Record<string, unknown> | undefined;
  if (relation?.rel_type === 'm.replace') return false;
  return isLogCommand(content.body);
}

/** The calendar day of an instant in a time zone (YYYY-MM-DD); UTC for a zone this computer does not know. */
export function dayIn(timestamp: number, timeZone: string): string {
  let zone = timeZone;
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: zone });
  } catch {
    zone = 'UTC';
  }
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(timestamp));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

interface MemberAsOf {
  member: string;
  displayName: string;
  timezone: string;
  role: string;
}

export class LogCommands {
  constructor(private readonly db: Db) {}

  /**
   * The circle's members as of a server time: each member's newest set or removal among the
   * live operations the server had received by then (linked local ids go by their account).
   */
  membersAsOf(circle: string, serverTs: number): Map<string, MemberAsOf> {
    const rows = this.db
      .prepare(
        `SELECT type, payload FROM ops WHERE circle = ? AND type IN ('circle.member.set', 'circle.member.remove') AND withdrawn = 0 AND held_until IS NULL
           AND server_ts IS NOT NULL AND server_ts <= ? ORDER BY hlc, id`,
      )
      .all(circle, serverTs) as { type: string; payload: string }[];
    const links = new Map(
      (
        this.db
          .prepare(`SELECT payload FROM ops WHERE circle = ? AND type = 'circle.member.link' AND withdrawn = 0 AND server_ts IS NOT NULL AND server_ts <= ? ORDER BY hlc, id`)
          .all(circle, serverTs) as { payload: string }[]
      )
        .map((r) => JSON.parse(r.payload) as { member: string; account: string })
        .reverse()
        .map((l) => [l.member, l.account]),
    );
    const members = new Map<string, MemberAsOf>();
    for (const row of rows) {
      const p = JSON.parse(row.payload) as { member: string; displayName?: string; timezone?: string; role?: string };
      const id = links.get(p.member) ?? p.member;
      if (row.type === 'circle.member.remove') members.delete(id);
      else members.set(id, { member: id, displayName: p.displayName ?? id, timezone: p.timezone ?? 'UTC', role: p.role ?? 'member' });
    }
    return members;
  }

  /** Minutes the member logged in the circle on a day, by entries the server had received by then. */
  private dayMinutes(circle: string, member: string, date: string, serverTs: number): number {
    const row = this.db
      .prepare(
        `SELECT coalesce(sum(json_extract(payload, '$.minutes')), 0) AS minutes FROM ops
         WHERE circle = ? AND type = 'contribution.create' AND withdrawn = 0 AND held_until IS NULL AND server_ts IS NOT NULL AND server_ts <= ?
           AND json_extract(payload, '$.member') = ? AND json_extract(payload, '$.date') = ?`,
      )
      .get(circle, serverTs, member, date) as { minutes: number };
    return row.minutes;
  }

  /** Reads a !log message and decides, as every replica does, what it logs or why not. */
  judge(circle: string, event: MatrixRawEvent, facts: AuthorityFacts): LogVerdict {
    const ts = Number.isSafeInteger(event.origin_server_ts) ? event.origin_server_ts : 0;
    const parsed = parseLogCommand(String(event.content.body));
    const members = this.membersAsOf(circle, ts);
    const sender = members.get(event.sender);
    const name = sender?.displayName ?? event.sender;
    const refuse = (refusal: LogRefusal, token = '', dayMinutes = 0): LogVerdict => ({ ok: false, refusal, token, dayMinutes, locale: parsed.locale, name });
    if (!sender) return refuse('not_member');
    if (!parsed.ok) return refuse(parsed.problem, parsed.token);
    const date = dayIn(ts, sender.timezone);
    const already = this.dayMinutes(circle, event.sender, date, ts);
    if (already + parsed.minutes > maxMinutesPerDay) return refuse('day_over_24h', '', already);
    const op: Operation = {
      id: syntheticOpId(`contribution.create:${event.event_id}`, ts),
      hlc: syntheticHlc(event.event_id, ts),
      actor: event.sender,
      circle,
      type: 'contribution.create',
      payload: {
        contributionId: syntheticEntityId(event.event_id, ts, 'contribution'),
        member: event.sender,
        date,
        minutes: parsed.minutes,
        stream: parsed.stream,
        description: parsed.description,
        tags: [],
      },
      v: 1,
    };
    const verdict = authorize(op, event.sender, facts);
    if (!verdict.ok) return refuse('not_allowed');
    return { ok: true, op, minutes: parsed.minutes, stream: parsed.stream, date, description: parsed.description, locale: parsed.locale, name };
  }

  /** Keeps a message refused for passing 24 hours in a day, to judge again if an earlier entry is withdrawn. */
  keepOverDay(circle: string, event: MatrixRawEvent): void {
    this.db
      .prepare('INSERT OR IGNORE INTO sync_log_over_day (event_id, circle, origin_server_ts, event_json) VALUES (?, ?, ?, ?)')
      .run(event.event_id, circle, event.origin_server_ts, JSON.stringify({ event_id: event.event_id, type: event.type, sender: event.sender, origin_server_ts: event.origin_server_ts, content: event.content }));
  }

  /** Messages of a circle refused for passing 24 hours in a day, oldest first. */
  overDay(circle: string): MatrixRawEvent[] {
    return (this.db.prepare('SELECT event_json FROM sync_log_over_day WHERE circle = ? ORDER BY origin_server_ts, event_id').pluck().all(circle) as string[]).map((json) => JSON.parse(json) as MatrixRawEvent);
  }

  /** A message judged again and now logged. */
  dropOverDay(eventId: string): void {
    this.db.prepare('DELETE FROM sync_log_over_day WHERE event_id = ?').run(eventId);
  }

  /** This member's turn to answer a !log message (0: at once; 1: after one step...), or null when not theirs: see the header. */
  answerRank(circle: string, event: MatrixRawEvent, facts: AuthorityFacts, me: string): number | null {
    const ts = Number.isSafeInteger(event.origin_server_ts) ? event.origin_server_ts : 0;
    const accounts = [...this.membersAsOf(circle, ts).keys()].filter((m) => m.startsWith('@')).sort();
    const facilitators = accounts.filter((m) => facts.facilitates(m));
    const rank = (facilitators.length > 0 ? facilitators : accounts).indexOf(me);
    return rank < 0 ? null : rank;
  }

  /** Keeps an answer until its turn (or until someone answers first). */
  defer(eventId: string, dueAt: number, answer: unknown): void {
    this.db.prepare('INSERT OR IGNORE INTO sync_log_pending (event_id, due_at, answer_json) VALUES (?, ?, ?)').run(eventId, dueAt, JSON.stringify(answer));
  }

  /** Answers whose turn has come, taken off the list; those already answered or too old are dropped. */
  due<T>(now: number): T[] {
    const rows = this.db.prepare('SELECT event_id, answer_json FROM sync_log_pending WHERE due_at <= ?').all(now) as { event_id: string; answer_json: string }[];
    const drop = this.db.prepare('DELETE FROM sync_log_pending WHERE event_id = ?');
    for (const row of rows) drop.run(row.event_id);
    return rows.map((r) => JSON.parse(r.answer_json) as T);
  }

  /** Notes that a message was answered (by this replica, or an answer seen in the room); false when it already was. */
  claimAnswer(eventId: string, roomId: string, answeredBy: string): boolean {
    return this.db.prepare('INSERT OR IGNORE INTO sync_log_replies (event_id, room_id, answered_by) VALUES (?, ?, ?)').run(eventId, roomId, answeredBy).changes === 1;
  }

  /** The message an answer in the room answers, or null when the event is not one of Plenary's answers. */
  static answered(event: MatrixRawEvent): string | null {
    if (event.type !== 'm.room.message' || typeof event.content !== 'object' || event.content === null) return null;
    const marker = event.content[answerKey] as Record<string, unknown> | undefined;
    return typeof marker?.event_id === 'string' ? marker.event_id : null;
  }
}

