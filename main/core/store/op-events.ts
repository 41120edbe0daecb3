// Which Matrix events each operation travelled in, and what follows for the operation (see
// the migration 20261209T1100-op-events for the tables):
// - withdrawn: every event known to carry it was withdrawn (redacted) on the coop server. A
//   replica that reads the room later never sees the content of a withdrawn event, so this
//   is the only rule under which replicas that synced before and after a redaction agree;
// - server_ts: the earliest receipt time of a live event carrying it (an operation can
//   travel twice, e.g. a retry from a new login); poll_ts: the earliest receipt time of a
//   live poll event Element counts it by. Lateness and the order of a voter's ballots are
//   judged by these, not by the clocks operations claim.
// An operation made here and not uploaded yet has no events: it is live, and has no server time.
import type { Statement } from 'better-sqlite3';
import type { Db } from './database';

/** One Matrix event an operation came in or is shown through. */
export interface OpEvent {
  eventId: string;
  /** origin_server_ts; null when only the event id is known (an upload not read back yet). */
  serverTs: number | null;
  /** The event carries the operation (false: it only mirrors it for Element). */
  carries: boolean;
  /** Element sees the operation through this event (a poll start, answer or end). */
  poll: boolean;
}

/** What a refresh changed for one operation. */
export interface OpStateChange {
  id: string;
  circle: string;
  withdrawnBefore: boolean;
  withdrawnNow: boolean;
}

export class OpEvents {
  private readonly upsert: Statement;
  private readonly refreshOne: Statement;
  private readonly readOne: Statement;

  constructor(private readonly db: Db) {
    this.upsert = db.prepare(
      `INSERT INTO op_events (op_id, event_id, server_ts, carries, poll) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (op_id, event_id) DO UPDATE SET server_ts = coalesce(op_events.server_ts, excluded.server_ts)`,
    );
    // One statement decides an operation's state from its events, so every path agrees.
    this.refreshOne = db.prepare(`
      UPDATE ops SET
        withdrawn = (EXISTS (SELECT 1 FROM op_events e WHERE e.op_id = ops.id AND e.carries = 1)
          AND NOT EXISTS (SELECT 1 FROM op_events e WHERE e.op_id = ops.id AND e.carries = 1
            AND NOT EXISTS (SELECT 1 FROM withdrawn_events w WHERE w.event_id = e.event_id))),
        server_ts = (SELECT min(e.server_ts) FROM op_events e WHERE e.op_id = ops.id AND e.carries = 1
          AND NOT EXISTS (SELECT 1 FROM withdrawn_events w WHERE w.event_id = e.event_id)),
        poll_ts = (SELECT min(e.server_ts) FROM op_events e WHERE e.op_id = ops.id AND e.poll = 1
          AND NOT EXISTS (SELECT 1 FROM withdrawn_events w WHERE w.event_id = e.event_id))
      WHERE id = ?`);
    this.readOne = db.prepare('SELECT circle, withdrawn FROM ops WHERE id = ?');
  }

  /** Records that operations travelled in (or are mirrored by) an event. Call inside a transaction. */
  record(opIds: readonly string[], event: OpEvent): void {
    for (const id of opIds) this.upsert.run(id, event.eventId, event.serverTs, event.carries ? 1 : 0, event.poll ? 1 : 0);
  }

  /** Recomputes withdrawn, server_ts and poll_ts of operations in the log; returns what changed. */
  refresh(opIds: Iterable<string>): OpStateChange[] {
    const changes: OpStateChange[] = [];
    for (const id of new Set(opIds)) {
      const before = this.readOne.get(id) as { circle: string; withdrawn: number } | undefined;
      if (!before) continue;
      this.refreshOne.run(id);
      const after = this.readOne.get(id) as { circle: string; withdrawn: number };
      changes.push({ id, circle: before.circle, withdrawnBefore: before.withdrawn === 1, withdrawnNow: after.withdrawn === 1 });
    }
    return changes;
  }

  /** Operations an event carries or mirrors. */
  opsOf(eventId: string): string[] {
    return this.db.prepare('SELECT op_id FROM op_events WHERE event_id = ?').pluck().all(eventId) as string[];
  }

  isWithdrawn(eventId: string): boolean {
    return this.db.prepare('SELECT 1 FROM withdrawn_events WHERE event_id = ?').get(eventId) !== undefined;
  }

  /** Whether every event known to carry an operation was withdrawn (an operation with none is live). */
  isOpWithdrawn(opId: string): boolean {
    return this.db.prepare('SELECT withdrawn FROM ops WHERE id = ?').pluck().get(opId) === 1;
  }
}
