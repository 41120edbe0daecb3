// MSC3381 events that mirror Plenary votes for Element users: a poll start when a vote is
// created, a response when the member votes for themselves, an end when it closes or (for
// any member whose end Element accepts) when its deadline passes. Queued in the same
// transaction as the operation, each with a transaction id derived from what it mirrors, so
// retries never duplicate. A response or end goes once the server has the operation it
// mirrors (every replica then reads the operation before its mirror, see inbound.ts
// linkMirror). One the server refuses stays queued, held by its refusal (Refusals), until
// the member retries or dismisses it; the others go on. Nothing is mirrored to a poll whose
// start was withdrawn (redacted).
import type { Db } from '../store/database';
import type { Logger } from '../log';
import type { MatrixConnection } from '../matrix/matrix-connection';
import type { Refusals } from './refusals';
import { classifyFailure } from './retry-policy';
import type { GovernanceOperation } from '../../../shared/governance/operation-types';
import type { Translate } from '../i18n/translator';
import { buildPollEnd, buildPollResponse, buildPollStart, pollEndType, pollResponseType, pollStartType } from './msc3381';
import { answersForChoice, ballotKey, closeKey, isPublishedAsPoll, pollForVote, voteKey } from './poll-mapping';
import type { GovernanceReads } from './governance-reads';
import { sendingOrder, type QueuedPollEvent } from './poll-publication-policy';

type Kind = 'start' | 'response' | 'end';
/** SQL for the operation a queued response or end mirrors (named in its marker). */
const mirroredOp = `coalesce(json_extract(o.content_json, '$."${ballotKey}".opId'), json_extract(o.content_json, '$."${closeKey}".opId'))`;
const eventTypes: Record<Kind, string> = { start: pollStartType, response: pollResponseType, end: pollEndType };

export class PollOutbox {
  constructor(
    private readonly db: Db,
    private readonly reads: GovernanceReads,
    private readonly translate: Translate,
    private readonly refusals: Refusals,
    private readonly log: Logger,
  ) {}

  private queue(txnId: string, circle: string, voteId: string, kind: Kind, content: Record<string, unknown>): void {
    this.db
      .prepare('INSERT OR IGNORE INTO sync_poll_outbox (txn_id, circle, vote_id, kind, content_json) VALUES (?, ?, ?, ?, ?)')
      .run(txnId, circle, voteId, kind, JSON.stringify(content));
  }

  /** Whether the vote's poll start was withdrawn (redacted): Element no longer shows it. */
  private pollWithdrawn(voteId: string): boolean {
    return this.db.prepare('SELECT 1 FROM sync_vote_polls WHERE vote_id = ? AND withdrawn = 1').get(voteId) !== undefined;
  }

  /** The circle's time zone, for a time poll's slots in Element. */
  private circleZone(circle: string): string | null {
    return (this.db.prepare('SELECT timezone FROM gov_circles WHERE circle = ?').get(circle) as { timezone: string | null } | undefined)?.timezone ?? null;
  }

  /** Queues the poll events a local operation implies. Call inside its transaction. */
  enqueueFor(op: GovernanceOperation): void {
    if ((op.type === 'vote.ballot' || op.type === 'vote.close') && this.pollWithdrawn(op.payload.voteId)) return;
    // A vote adopted from a member's proposal already has its poll (proposals.ts).
    if (op.type === 'vote.create' && isPublishedAsPoll(op.payload.method) && !this.db.prepare('SELECT 1 FROM sync_vote_polls WHERE vote_id = ?').get(op.payload.voteId)) {
      const poll = pollForVote(
        { method: op.payload.method, question: op.payload.question, options: op.payload.options, maxChoices: op.payload.maxChoices ?? null, hideResults: op.payload.hideResults === true, circleZone: this.circleZone(op.circle) },
        (position) => this.translate(`governance:consent.${position}`),
      );
      this.queue(`plenary.poll.start.${op.payload.voteId}`, op.circle, op.payload.voteId, 'start', buildPollStart(poll, { [voteKey]: { voteId: op.payload.voteId, method: op.payload.method, opId: op.id } }));
    } else if (op.type === 'vote.ballot' && op.payload.voter === op.actor) {
      const vote = this.reads.vote(op.payload.voteId);
      if (!vote || !isPublishedAsPoll(vote.method)) return;
      const answers = answersForChoice(vote, op.payload.choice, pollForVote(vote, (p) => p).maxSelections);
      // The start event id is filled in when sending (it may not be known yet).
      this.queue(`plenary.poll.response.${op.id}`, op.circle, op.payload.voteId, 'response', buildPollResponse('', answers, { [ballotKey]: { voteId: op.payload.voteId, opId: op.id } }));
    } else if (op.type === 'vote.close') {
      const vote = this.reads.vote(op.payload.voteId);
      if (!vote || !isPublishedAsPoll(vote.method)) return;
      this.queue(`plenary.poll.end.${op.payload.voteId}`, op.circle, op.payload.voteId, 'end', buildPollEnd('', this.translate('sync:pollClosed', { question: vote.question }), { [closeKey]: { voteId: op.payload.voteId, opId: op.id } }));
    }
  }

  pendingCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM sync_poll_outbox').get() as { n: number }).n;
  }

  /**
   * Queues the end of every published vote whose deadline has passed, which this member may
   * end as Element sees it (the poll's sender, or power to redact others' events), and
   * which no end Element accepts has closed yet. Without it Element would show the poll open
   * for good. The transaction id is the vote's own end's, so each app sends at most one; when
   * several members' apps pass the deadline, the first end the server received is the one
   * that counts, on both sides.
   */
  queueDeadlineEnds(now: number, mayEnd: (roomId: string, pollCreator: string) => boolean): number {
    const due = this.db
      .prepare(
        `SELECT v.circle, v.vote_id, v.question, v.closes_at, p.room_id, p.creator FROM gov_votes v JOIN sync_vote_polls p ON p.vote_id = v.vote_id AND p.withdrawn = 0
         WHERE v.created_v IS NOT NULL AND v.closes_at IS NOT NULL AND v.closes_at <= ?
           AND NOT EXISTS (SELECT 1 FROM sync_poll_outbox o WHERE o.vote_id = v.vote_id AND o.kind = 'end')
           AND NOT EXISTS (SELECT 1 FROM ops WHERE type IN ('vote.create', 'vote.close') AND type = 'vote.close' AND circle = v.circle
             AND json_extract(payload, '$.voteId') = v.vote_id AND withdrawn = 0 AND poll_ts IS NOT NULL)`,
      )
      .all(now) as { circle: string; vote_id: string; question: string; closes_at: number; room_id: string; creator: string }[];
    let queued = 0;
    for (const vote of due) {
      if (!mayEnd(vote.room_id, vote.creator)) continue;
      const summary = this.translate('sync:pollClosed', { question: vote.question });
      this.queue(`plenary.poll.end.${vote.vote_id}`, vote.circle, vote.vote_id, 'end', buildPollEnd('', summary, { [closeKey]: { voteId: vote.vote_id, deadline: vote.closes_at } }));
      queued++;
    }
    if (queued > 0) this.log.info('queued poll ends for votes past their deadline', { count: queued });
    return queued;
  }

  /** The next deadline of a published vote not yet past `now` (ms), or null. */
  nextDeadline(now: number): number | null {
    return (
      (this.db
        .prepare('SELECT min(v.closes_at) FROM gov_votes v JOIN sync_vote_polls p ON p.vote_id = v.vote_id AND p.withdrawn = 0 WHERE v.created_v IS NOT NULL AND v.closed_v IS NULL AND v.closes_at > ?')
        .pluck()
        .get(now) as number | null) ?? null
    );
  }

  /**
   * Poll events that could go now: starts once their circle's operations are on the server
   * (receivers bind a poll to its vote only after the vote's creation, inbound.ts), and
   * responses and ends whose poll's start is known and whose operation the server already has.
   */
  sendable(): { txnId: string; circle: string }[] {
    return this.db
      .prepare(
        `SELECT txn_id AS txnId, circle FROM sync_poll_outbox o
         WHERE (kind = 'start' AND NOT EXISTS (SELECT 1 FROM sync_outbox q WHERE q.circle = o.circle))
            OR (EXISTS (SELECT 1 FROM sync_vote_polls p WHERE p.vote_id = o.vote_id) AND NOT EXISTS (SELECT 1 FROM sync_outbox s WHERE s.op_id = ${mirroredOp}))
         ORDER BY seq`,
      )
      .all() as { txnId: string; circle: string }[];
  }

  /** Circles with poll events waiting, in the order they were queued. */
  pendingCircles(): string[] {
    return (this.db.prepare('SELECT circle FROM sync_poll_outbox GROUP BY circle ORDER BY min(seq)').all() as { circle: string }[]).map((r) => r.circle);
  }

  /** Which poll event a transaction id is, and the vote it mirrors (for the refusal list). */
  describe(txnId: string): { event: Kind; voteId: string } | null {
    const row = this.db.prepare('SELECT kind, vote_id FROM sync_poll_outbox WHERE txn_id = ?').get(txnId) as { kind: Kind; vote_id: string } | undefined;
    return row ? { event: row.kind, voteId: row.vote_id } : null;
  }

  /** A circle's queued poll events, in queue order (for poll-publication-policy.ts). */
  queued(circle: string): QueuedPollEvent[] {
    return this.db.prepare('SELECT txn_id AS txnId, vote_id AS voteId, kind FROM sync_poll_outbox WHERE circle = ? ORDER BY seq').all(circle) as QueuedPollEvent[];
  }

  /** Removes queued poll events another event replaces (a results message), with their refusals. Call inside its transaction. */
  remove(circle: string, txnIds: readonly string[]): void {
    const remove = this.db.prepare('DELETE FROM sync_poll_outbox WHERE txn_id = ?');
    for (const txnId of txnIds) {
      remove.run(txnId);
      this.refusals.clear({ kind: 'poll', circle, subject: txnId });
    }
  }

  /**
   * The member lets a refused poll event go. A refused start takes its vote's responses and
   * end with it: without a start, Element has no poll to attach them to.
   */
  drop(txnId: string): void {
    const row = this.db.prepare('SELECT circle, kind, vote_id FROM sync_poll_outbox WHERE txn_id = ?').get(txnId) as { circle: string; kind: Kind; vote_id: string } | undefined;
    if (!row) return;
    const known = this.db.prepare('SELECT 1 FROM sync_vote_polls WHERE vote_id = ?').get(row.vote_id);
    const dropped =
      row.kind === 'start' && !known
        ? (this.db.prepare('DELETE FROM sync_poll_outbox WHERE vote_id = ? RETURNING txn_id').all(row.vote_id) as { txn_id: string }[])
        : (this.db.prepare('DELETE FROM sync_poll_outbox WHERE txn_id = ? RETURNING txn_id').all(txnId) as { txn_id: string }[]);
    for (const { txn_id } of dropped) this.refusals.clear({ kind: 'poll', circle: row.circle, subject: txn_id });
    this.log.info('dropped refused poll events', { circle: row.circle, events: dropped.length });
  }

  /**
   * Sends what can be sent for a circle: starts always (first: what Element users can
   * answer), then responses and ends once their poll's start event id is known. Returns how
   * many were sent. What the server refuses is
   * recorded and skipped; other failures (offline, 5xx) propagate, and the next run sends
   * the same events with the same transaction ids.
   */
  async flush(circle: string, roomId: string, connection: Pick<MatrixConnection, 'sendEvent'>, self: string): Promise<number> {
    const rows = sendingOrder(
      this.db
        .prepare(`SELECT seq, txn_id, vote_id, kind, content_json, EXISTS (SELECT 1 FROM sync_outbox s WHERE s.op_id = ${mirroredOp}) AS waiting FROM sync_poll_outbox o WHERE circle = ? ORDER BY seq`)
        .all(circle) as {
        seq: number;
        txn_id: string;
        vote_id: string;
        kind: Kind;
        content_json: string;
        waiting: number;
      }[],
    );
    const startOf = this.db.prepare('SELECT event_id, answers_json FROM sync_vote_polls WHERE vote_id = ?');
    // A start goes after the operations creating its vote; they are held while any of the circle's are.
    const opsWaiting = this.db.prepare('SELECT 1 FROM sync_outbox WHERE circle = ? LIMIT 1');
    const rememberStart = this.db.prepare('INSERT OR IGNORE INTO sync_vote_polls (vote_id, room_id, event_id, creator, answers_json) VALUES (?, ?, ?, ?, ?)');
    const done = this.db.prepare('DELETE FROM sync_poll_outbox WHERE seq = ?');
    let sent = 0;
    for (const row of rows) {
      const key = { kind: 'poll' as const, circle, subject: row.txn_id };
      if (this.refusals.holds(key) || row.waiting === 1) continue;
      if (row.kind === 'start' && opsWaiting.get(circle)) continue;
      const content = JSON.parse(row.content_json) as Record<string, unknown>;
      if (row.kind !== 'start') {
        const start = startOf.get(row.vote_id) as { event_id: string; answers_json: string } | undefined;
        if (!start) continue; // the poll's start has not been seen yet; try after the next sync
        content['m.relates_to'] = { rel_type: 'm.reference', event_id: start.event_id };
        const response = content[pollResponseType] as { answers: string[] } | undefined;
        if (response) {
          // Polls made in Element have their own answer ids; Plenary's option ids map onto them.
          const answerOf = JSON.parse(start.answers_json) as Record<string, string>;
          response.answers = response.answers.map((option) => answerOf[option] ?? option);
        }
      }
      let event_id: string;
      try {
        ({ event_id } = await connection.sendEvent(roomId, eventTypes[row.kind], content, row.txn_id));
      } catch (error) {
        const action = classifyFailure(error, 0);
        if (action.kind !== 'refused') throw error;
        this.log.warn('the coop server refused a poll event', { circle, kind: row.kind, status: action.error.status, errcode: action.error.errcode });
        this.refusals.record(key, action.error, { transient: action.transient });
        continue;
      }
      this.refusals.clear(key);
      this.db.transaction(() => {
        if (row.kind === 'start') rememberStart.run(row.vote_id, roomId, event_id, self, '{}');
        done.run(row.seq);
      })();
      sent++;
    }
    if (sent > 0) this.log.info('mirrored votes as Matrix polls', { circle, events: sent });
    return sent;
  }
}
