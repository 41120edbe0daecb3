// The results messages of an upload (results-message.ts): votes that were opened and closed
// before their poll went out are taken out of the poll outbox and listed in one message per
// circle instead (poll-publication-policy.ts decides which). Taking them out and queueing the
// message happen in one transaction; the message's transaction id derives from the votes it
// lists, so a retry after a crash returns the message already sent instead of a copy. One
// the server refuses stays queued, held by its refusal, like a poll event.
import { createHash } from 'node:crypto';
import type { Db } from '../store/database';
import type { Logger } from '../log';
import type { MatrixConnection } from '../matrix/matrix-connection';
import type { Translate } from '../i18n/translator';
import type { GovernanceQueries } from '../governance/governance-queries';
import type { Refusals } from './refusals';
import type { PollOutbox } from './poll-outbox';
import { classifyFailure } from './retry-policy';
import { planPollPublication } from './poll-publication-policy';
import { resultsKey, resultsMessages, type ResultsVote } from './results-message';

export const resultsEventType = 'm.room.message';

export class ResultsOutbox {
  constructor(
    private readonly db: Db,
    private readonly queries: Pick<GovernanceQueries, 'vote'>,
    private readonly translate: Translate,
    private readonly refusals: Refusals,
    private readonly log: Logger,
  ) {}

  private vote(circle: string, voteId: string): ResultsVote | null {
    try {
      return this.queries.vote(circle, voteId);
    } catch {
      return null; // not (or no longer) known here: its poll events go as they are
    }
  }

  /**
   * Moves the circle's votes whose poll would be born closed from the poll outbox into
   * results messages. Returns how many votes it listed.
   */
  prepare(circle: string, polls: PollOutbox): number {
    const queued = polls.queued(circle);
    if (queued.length === 0) return 0;
    const known = this.db.prepare('SELECT 1 FROM sync_vote_polls WHERE vote_id = ?');
    const listed = this.db.prepare('SELECT 1 FROM sync_results_votes WHERE vote_id = ?');
    const votes = new Map<string, ResultsVote | null>();
    const voteOf = (voteId: string) => {
      if (!votes.has(voteId)) votes.set(voteId, this.vote(circle, voteId));
      return votes.get(voteId)!;
    };
    const plan = planPollPublication(queued, {
      vote: (voteId) => {
        const vote = voteOf(voteId);
        return vote ? { closed: vote.status === 'closed', pollKnown: known.get(voteId) !== undefined } : null;
      },
      listed: (voteId) => listed.get(voteId) !== undefined,
    });
    if (plan.summarize.length === 0) {
      if (plan.replaced.length > 0) polls.remove(circle, plan.replaced);
      return 0;
    }
    const messages = resultsMessages(
      this.translate,
      plan.summarize.map((voteId) => voteOf(voteId)!),
    );
    const queue = this.db.prepare('INSERT OR IGNORE INTO sync_results_outbox (txn_id, circle, vote_ids_json, content_json) VALUES (?, ?, ?, ?)');
    const list = this.db.prepare('INSERT OR IGNORE INTO sync_results_votes (vote_id, txn_id) VALUES (?, ?)');
    this.db.transaction(() => {
      for (const content of messages) {
        const voteIds = (content[resultsKey] as { voteIds: string[] }).voteIds;
        const txnId = resultsTxnId(voteIds);
        queue.run(txnId, circle, JSON.stringify(voteIds), JSON.stringify(content));
        for (const voteId of voteIds) list.run(voteId, txnId);
      }
      polls.remove(circle, plan.replaced);
    })();
    this.log.info('votes decided before their poll went out will be listed in a results message', { circle, votes: plan.summarize.length, messages: messages.length, replacedPollEvents: plan.replaced.length });
    return plan.summarize.length;
  }

  pendingCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM sync_results_outbox').get() as { n: number }).n;
  }

  /** Results messages waiting, with their circle. */
  sendable(): { txnId: string; circle: string }[] {
    return this.db.prepare('SELECT txn_id AS txnId, circle FROM sync_results_outbox ORDER BY seq').all() as { txnId: string; circle: string }[];
  }

  /** Which votes a results message lists (for the refusal list), or null when it is not one. */
  describe(txnId: string): { voteIds: string[] } | null {
    const row = this.db.prepare('SELECT vote_ids_json FROM sync_results_outbox WHERE txn_id = ?').get(txnId) as { vote_ids_json: string } | undefined;
    return row ? { voteIds: JSON.parse(row.vote_ids_json) as string[] } : null;
  }

  /** The member lets a refused results message go. */
  drop(txnId: string): boolean {
    const row = this.db.prepare('DELETE FROM sync_results_outbox WHERE txn_id = ? RETURNING circle').get(txnId) as { circle: string } | undefined;
    if (!row) return false;
    this.refusals.clear({ kind: 'poll', circle: row.circle, subject: txnId });
    this.log.info('dropped a refused results message', { circle: row.circle });
    return true;
  }

  /**
   * Sends the circle's results messages. What the server refuses is recorded and skipped;
   * other failures (offline, 5xx) propagate and the next run sends the same message again,
   * under the same transaction id.
   */
  async flush(circle: string, roomId: string, connection: Pick<MatrixConnection, 'sendEvent'>): Promise<number> {
    const rows = this.db.prepare('SELECT seq, txn_id, content_json FROM sync_results_outbox WHERE circle = ? ORDER BY seq').all(circle) as { seq: number; txn_id: string; content_json: string }[];
    const done = this.db.prepare('DELETE FROM sync_results_outbox WHERE seq = ?');
    let sent = 0;
    for (const row of rows) {
      const key = { kind: 'poll' as const, circle, subject: row.txn_id };
      if (this.refusals.holds(key)) continue;
      try {
        await connection.sendEvent(roomId, resultsEventType, JSON.parse(row.content_json) as Record<string, unknown>, row.txn_id);
      } catch (error) {
        const action = classifyFailure(error, 0);
        if (action.kind !== 'refused') throw error;
        this.log.warn('the coop server refused a results message', { circle, status: action.error.status, errcode: action.error.errcode });
        this.refusals.record(key, action.error, { transient: action.transient });
        continue;
      }
      this.refusals.clear(key);
      done.run(row.seq);
      sent++;
    }
    if (sent > 0) this.log.info('published the results of votes decided before their poll went out', { circle, messages: sent });
    return sent;
  }
}

/** Stable for the same votes, so a retry of the same message never duplicates it. */
export function resultsTxnId(voteIds: readonly string[]): string {
  return `plenary.results.${createHash('sha256').update(voteIds.join(',')).digest('hex').slice(0, 40)}`;
}
