// The outbox of local operations waiting for the coop server. Rows are written in the
// same transaction as the operation (GovernanceStore's onLocalOperation hook), so an
// operation exists locally if and only if it is queued for upload.
//
// Exactly-once upload: before the first attempt, a batch id is assigned to the rows of the
// next event and persisted. Every retry, including after a crash or a kill, rebuilds the
// same content from the same rows and sends it with the same transaction id, which Synapse
// answers with the original event. Receivers also deduplicate by operation id, which covers
// the rare case where a new login (new device) retries an old batch.
import type { Db } from '../store/database';
import type { Operation } from '../../../shared/governance/operation';
import { newId } from '../../../shared/governance/ids';
import { fittingPrefix, maxOpsContentBytes } from './ops-event';

export interface PendingBatch {
  batchId: string;
  circle: string;
  ops: Operation[];
}

/** How many queued rows are considered when forming one batch (bounds the packing work). */
const packWindow = 20_000;

export class Outbox {
  constructor(private readonly db: Db) {}

  /** Queues a local operation. Call inside the transaction that applies it. */
  enqueue(op: Operation): void {
    this.db.prepare('INSERT OR IGNORE INTO sync_outbox (op_id, circle, op_json) VALUES (?, ?, ?)').run(op.id, op.circle, JSON.stringify(op));
  }

  pendingCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM sync_outbox').get() as { n: number }).n;
  }

  pendingCountOf(circle: string): number {
    return (this.db.prepare('SELECT count(*) AS n FROM sync_outbox WHERE circle = ?').get(circle) as { n: number }).n;
  }

  pendingCircles(): string[] {
    return (this.db.prepare('SELECT circle FROM sync_outbox GROUP BY circle ORDER BY min(seq)').all() as { circle: string }[]).map((r) => r.circle);
  }

  /**
   * The next batch to send for a circle: a batch assigned earlier and not yet confirmed
   * (resent as it was), or else a new one packed from the oldest queued operations and
   * persisted before it is returned. Operations too large for any event are returned in
   * `tooLarge` and left queued for the caller to report.
   */
  nextBatch(circle: string, limit = maxOpsContentBytes): { batch: PendingBatch | null; tooLarge: Operation[] } {
    // One IMMEDIATE transaction from reading to assigning: even if a second process opened
    // the same store, it could never pack the same operations into another batch.
    return this.db
      .transaction(() => {
        const assigned = this.db
          .prepare('SELECT batch_id FROM sync_outbox WHERE circle = ? AND batch_id IS NOT NULL ORDER BY seq LIMIT 1')
          .get(circle) as { batch_id: string } | undefined;
        if (assigned) return { batch: this.loadBatch(assigned.batch_id), tooLarge: [] };

        const rows = this.db
          .prepare('SELECT op_json FROM sync_outbox WHERE circle = ? AND batch_id IS NULL ORDER BY seq LIMIT ?')
          .all(circle, packWindow) as { op_json: string }[];
        if (rows.length === 0) return { batch: null, tooLarge: [] };
        const ops = rows.map((r) => JSON.parse(r.op_json) as Operation);
        // Only the next batch is packed and assigned now; later ones are packed when their
        // turn comes, when more operations may have joined them. Operations too large for
        // any event are skipped (and reported) so they do not block the ones behind them.
        const tooLarge: Operation[] = [];
        let start = 0;
        let count = 0;
        while (start < ops.length && (count = fittingPrefix(circle, ops.slice(start), limit)) === 0) tooLarge.push(ops[start++]!);
        if (count === 0) return { batch: null, tooLarge };
        const first = ops.slice(start, start + count);
        const batchId = newId();
        const assign = this.db.prepare('UPDATE sync_outbox SET batch_id = ? WHERE op_id = ? AND batch_id IS NULL');
        for (const op of first) assign.run(batchId, op.id);
        return { batch: { batchId, circle, ops: first }, tooLarge };
      })
      .immediate();
  }

  private loadBatch(batchId: string): PendingBatch {
    const rows = this.db.prepare('SELECT circle, op_json FROM sync_outbox WHERE batch_id = ? ORDER BY seq').all(batchId) as { circle: string; op_json: string }[];
    return { batchId, circle: rows[0]!.circle, ops: rows.map((r) => JSON.parse(r.op_json) as Operation) };
  }

  /**
   * The server stored the batch's event: the operations leave the outbox, and the log
   * records which event carries them (see store/op-events.ts: if that event is redacted, by
   * another device of this member for example, they are withdrawn here too). Its receipt
   * time is filled in when this device reads the event back.
   */
  confirm(batchId: string, eventId?: string): number {
    return this.db.transaction(() => {
      if (eventId) {
        this.db
          .prepare('INSERT OR IGNORE INTO op_events (op_id, event_id, server_ts, carries, poll) SELECT op_id, ?, NULL, 1, 0 FROM sync_outbox WHERE batch_id = ?')
          .run(eventId, batchId);
      }
      return this.db.prepare('DELETE FROM sync_outbox WHERE batch_id = ?').run(batchId).changes;
    })();
  }

  /** The server refused the batch as too large: forget the assignment so it is packed smaller. */
  unassign(batchId: string): void {
    this.db.prepare('UPDATE sync_outbox SET batch_id = NULL WHERE batch_id = ?').run(batchId);
  }
}
