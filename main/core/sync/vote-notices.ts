// The circle room's one "closing soon" notice per vote (README "Deadlines, reminders and
// outcomes"). Who sends it is decided by chatNoticeDue (shared/governance/vote-reminders.ts):
// only the Plenary that created the vote (its clock node made the vote.create), signed in as
// the vote's creator, inside the reminder window, and only if no notice for the vote is known
// here. Every other replica reaches the same answer from the same log, so the room gets one
// notice, not one per member or per replica.
//
// Known here means: a row in sync_vote_notices (queued, sent, seen or refused) or a notice
// carrying the vote's id already in the room as this computer has read it (another device
// of the same member sent it). The row is written before sending, with a transaction id
// derived from the vote, so a retry after a crash or a lost answer returns the event
// already sent instead of a copy.
import type { Db } from '../store/database';
import type { Logger } from '../log';
import type { MatrixConnection } from '../matrix/matrix-connection';
import type { Translate } from '../i18n/translator';
import type { GovernanceQueries } from '../governance/governance-queries';
import { classifyFailure } from './retry-policy';
import { chatNoticeDue, chatNoticeKey, chatNoticeTxnId } from '../../../shared/governance/vote-reminders';

export const voteNoticeEventType = 'm.room.message';

export class VoteNotices {
  constructor(
    private readonly db: Db,
    private readonly queries: Pick<GovernanceQueries, 'vote'>,
    private readonly translate: Translate,
    private readonly formatLocale: () => string,
    private readonly log: Logger,
  ) {}

  /** This installation's clock node (governance-store.ts keeps it in meta). */
  private node(): string {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = 'governance_clock_node'").get() as { value: string } | undefined;
    return row?.value ?? '';
  }

  /** Open votes created by `self`, closing within the lead time, with no notice known here. */
  private candidates(now: number, self: string, leadMs: number) {
    return this.db
      .prepare(
        `SELECT v.circle, v.vote_id, v.closes_at, v.created_by, v.created_v, c.timezone FROM gov_votes v
           JOIN gov_circles c ON c.circle = v.circle AND c.created_v IS NOT NULL AND c.archived_v IS NULL
         WHERE v.created_v IS NOT NULL AND v.closed_v IS NULL AND v.created_by = ? AND instr(v.created_v, '-' || ? || ' ') > 0 AND v.closes_at > ? AND v.closes_at <= ?
           AND NOT EXISTS (SELECT 1 FROM sync_vote_notices n WHERE n.circle = v.circle AND n.vote_id = v.vote_id)`,
      )
      .all(self, this.node(), now, now + leadMs) as { circle: string; vote_id: string; closes_at: number; created_by: string; created_v: string; timezone: string | null }[];
  }

  /** Whether the room, as read here, already holds a notice for the vote (sent by another device). */
  private seenInRoom(roomId: string, voteId: string): string | null {
    const row = this.db
      .prepare(`SELECT event_id FROM chat_events WHERE room_id = ? AND type = ? AND redacted = 0 AND json_extract(content, '$."${chatNoticeKey}".voteId') = ? LIMIT 1`)
      .get(roomId, voteNoticeEventType, voteId) as { event_id: string } | undefined;
    return row?.event_id ?? null;
  }

  /** Queues the notices this replica owes now. Returns how many it queued. */
  queueDue(now: number, self: string, leadMs: number, roomOf: (circle: string) => string | null): number {
    const insert = this.db.prepare('INSERT OR IGNORE INTO sync_vote_notices (circle, vote_id, txn_id, content_json, state, event_id) VALUES (?, ?, ?, ?, ?, ?)');
    let queued = 0;
    for (const row of this.candidates(now, self, leadMs)) {
      const roomId = roomOf(row.circle);
      if (!roomId) continue;
      const txnId = chatNoticeTxnId(row.vote_id);
      const seen = this.seenInRoom(roomId, row.vote_id);
      if (seen) {
        insert.run(row.circle, row.vote_id, txnId, '{}', 'seen', seen);
        continue;
      }
      let vote;
      try {
        vote = this.queries.vote(row.circle, row.vote_id);
      } catch {
        continue;
      }
      const notice = { circle: row.circle, voteId: row.vote_id, status: vote.status, closesAt: vote.closesAt, createdBy: row.created_by, createdStamp: row.created_v };
      if (!chatNoticeDue(notice, { account: self, node: this.node() }, now, leadMs, false)) continue;
      const time = formatIn(this.formatLocale(), row.closes_at, row.timezone);
      const undecided = vote.undecided.length;
      const body = `${this.translate('governance:voteReminders.chatNotice', { question: vote.question, time })} ${this.translate('governance:voteReminders.chatNoticeUndecided', { count: undecided })}`;
      const content = { msgtype: 'm.notice', body, [chatNoticeKey]: { voteId: row.vote_id, closesAt: row.closes_at } };
      if (insert.run(row.circle, row.vote_id, txnId, JSON.stringify(content), 'queued', null).changes === 1) queued++;
    }
    if (queued > 0) this.log.info('queued closing-soon notices for circle rooms', { votes: queued });
    return queued;
  }

  /** When this replica next owes a notice (the earliest reminder time still ahead), or null. */
  nextDue(now: number, self: string, leadMs: number): number | null {
    const row = this.db
      .prepare(
        `SELECT min(v.closes_at) AS at FROM gov_votes v WHERE v.created_v IS NOT NULL AND v.closed_v IS NULL AND v.created_by = ? AND instr(v.created_v, '-' || ? || ' ') > 0
           AND v.closes_at - ? > ? AND NOT EXISTS (SELECT 1 FROM sync_vote_notices n WHERE n.circle = v.circle AND n.vote_id = v.vote_id)`,
      )
      .get(self, this.node(), leadMs, now) as { at: number | null };
    return row.at === null ? null : row.at - leadMs;
  }

  pendingCount(): number {
    return (this.db.prepare("SELECT count(*) AS n FROM sync_vote_notices WHERE state = 'queued'").get() as { n: number }).n;
  }

  /** Circles with notices waiting. */
  pendingCircles(): string[] {
    return (this.db.prepare("SELECT DISTINCT circle FROM sync_vote_notices WHERE state = 'queued'").all() as { circle: string }[]).map((r) => r.circle);
  }

  /**
   * Sends the circle's queued notices. A refusal is logged and kept (never retried); other
   * failures (offline, 5xx) propagate and the next run sends the same notice again under the
   * same transaction id.
   */
  async flush(circle: string, roomId: string, connection: Pick<MatrixConnection, 'sendEvent'>): Promise<number> {
    const rows = this.db.prepare("SELECT vote_id, txn_id, content_json FROM sync_vote_notices WHERE circle = ? AND state = 'queued'").all(circle) as {
      vote_id: string;
      txn_id: string;
      content_json: string;
    }[];
    const mark = this.db.prepare('UPDATE sync_vote_notices SET state = ?, event_id = ? WHERE circle = ? AND vote_id = ?');
    let sent = 0;
    for (const row of rows) {
      // Another device's notice may have arrived since it was queued.
      const seen = this.seenInRoom(roomId, row.vote_id);
      if (seen) {
        mark.run('seen', seen, circle, row.vote_id);
        continue;
      }
      try {
        const { event_id } = await connection.sendEvent(roomId, voteNoticeEventType, JSON.parse(row.content_json) as Record<string, unknown>, row.txn_id);
        mark.run('sent', event_id, circle, row.vote_id);
        sent++;
      } catch (error) {
        const action = classifyFailure(error, 0);
        if (action.kind !== 'refused') throw error;
        this.log.warn('the coop server refused a closing-soon notice', { circle, status: action.error.status, errcode: action.error.errcode });
        mark.run('refused', null, circle, row.vote_id);
      }
    }
    return sent;
  }
}

/** A closing time as the circle reads it: in the circle's time zone, named. */
function formatIn(locale: string, at: number, timeZone: string | null): string {
  const options: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' };
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone: timeZone ?? 'UTC', timeZoneName: 'short' }).format(at);
  } catch {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC', timeZoneName: 'short' }).format(at);
  }
}
