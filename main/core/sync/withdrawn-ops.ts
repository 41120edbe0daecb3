// This replica's own operations that every other replica refuses. Each replica judges every
// operation it receives by the same rule at the operation's place in the room's history
// (history-authority.ts), this one included: when its own event comes back from the server
// and an operation in it is refused there (a facilitator demoted while offline renamed the
// circle, say), the operation is withdrawn here too, the same way on every device, and the
// member is told what was not accepted and why. Until then it was shown as made.
import type { Db } from '../store/database';
import type { GovernanceStore } from '../store/governance-store';
import type { NotAcceptedChange } from '../../../shared/contract/sync';
import type { Authorization } from '../../../shared/governance/authorization';
import type { GovernanceReads } from './governance-reads';

type Refused = Extract<Authorization, { ok: false }>;

export class WithdrawnOps {
  /** Told when the list changes. */
  onChange: () => void = () => {};

  constructor(
    private readonly db: Db,
    private readonly store: Pick<GovernanceStore, 'withdrawLocal'>,
    private readonly reads: GovernanceReads,
    private readonly now: () => number,
  ) {}

  /** Withdraws one of this replica's operations that its event showed refused. Returns whether it was one (in the log as made here). */
  withdraw(opId: string, refusal: Refused, eventId: string): boolean {
    const keep = this.db.prepare(
      "INSERT OR REPLACE INTO ops_not_accepted (op_id, circle, op_json, cause, reason, detail, event_id, withdrawn_at) VALUES (?, ?, ?, 'refused', ?, ?, ?, ?)",
    );
    // Normally long uploaded (its event came back); if a copy still waits, it is not sent again.
    const unqueue = this.db.prepare('DELETE FROM sync_outbox WHERE op_id = ?');
    const withdrawn = this.store.withdrawLocal([opId], (op) => {
      keep.run(op.id, op.circle, JSON.stringify(op), refusal.reason, refusal.detail.slice(0, 500), eventId, this.now());
      unqueue.run(op.id);
    });
    if (withdrawn.length > 0) this.onChange();
    return withdrawn.length > 0;
  }

  /** Whether an operation id was withdrawn here (an import must not bring it back). */
  has(opId: string): boolean {
    return this.db.prepare('SELECT 1 FROM ops_not_accepted WHERE op_id = ?').get(opId) !== undefined;
  }

  list(limit = 100): NotAcceptedChange[] {
    const rows = this.db.prepare('SELECT op_id, circle, op_json, reason, detail, withdrawn_at, acknowledged FROM ops_not_accepted ORDER BY withdrawn_at DESC, op_id LIMIT ?').all(limit) as {
      op_id: string;
      circle: string;
      op_json: string;
      reason: NotAcceptedChange['reason'];
      detail: string;
      withdrawn_at: number;
      acknowledged: number;
    }[];
    return rows.map((r) => {
      const op = JSON.parse(r.op_json) as { type: string; hlc: string };
      return {
        opId: r.op_id,
        circleId: r.circle,
        circleName: this.reads.circle(r.circle)?.name ?? null,
        type: op.type,
        madeAt: Number(op.hlc.slice(0, 13)),
        reason: r.reason,
        detail: r.detail,
        withdrawnAt: r.withdrawn_at,
        acknowledged: r.acknowledged === 1,
      };
    });
  }

  /** Not yet acknowledged by the member (counted in the sync status). */
  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM ops_not_accepted WHERE acknowledged = 0').get() as { n: number }).n;
  }

  acknowledge(opId: string): boolean {
    const changed = this.db.prepare('UPDATE ops_not_accepted SET acknowledged = 1 WHERE op_id = ? AND acknowledged = 0').run(opId).changes > 0;
    if (changed) this.onChange();
    return changed;
  }
}
