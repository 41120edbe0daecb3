// The offline-first governance store. Every change is an operation: made here
// (applyLocal: stamped, checked against the current state) or received through sync
// (applyRemote: checked for structure and clock only). Either way it is appended to the
// `ops` log and folded into the materialized tables in the same transaction, so the tables
// always equal the fold of the log. See governance-fold.ts for why any arrival order gives
// the same state.
import { createHash, randomBytes } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { Db } from './database';
import type { Logger } from '../log';
import { GovernanceFold } from './governance-fold';
import { GovernanceRules } from './governance-rules';
import { PlenaryError, type PlenaryErrorData } from '../../../shared/errors';
import { ClockSkewError, HybridClock, hlcWall, maxClockDriftMs } from '../../../shared/governance/hlc';
import { newId } from '../../../shared/governance/ids';
import { operationSchemaVersion } from '../../../shared/governance/operation';
import type { GovernanceOperation, OperationType } from '../../../shared/governance/operation-types';
import { validateOperation, validateOperationWithZod } from '../../../shared/governance/validate-operation';
import { fastValidate } from '../../../shared/governance/fast-validate';

export interface StoredOperation {
  seq: number;
  origin: 'local' | 'remote';
  op: GovernanceOperation;
}

export interface ApplyRemoteResult {
  /** Ids of operations new to this store, now folded in. */
  applied: string[];
  /** Ids already in the log (sync sends some operations more than once). */
  duplicates: string[];
  /** Operations refused, with why; nothing of them was written. */
  rejected: { id?: string; error: PlenaryErrorData }[];
}

export interface LocalChange {
  type: OperationType;
  circle: string;
  payload: unknown;
}

export interface GovernanceStoreOptions {
  /** Who local operations are made by. */
  actor: string;
  /** Wall clock in ms (injected so tests control time). */
  now: () => number;
  log?: Logger;
  /** Called after a commit with the circles whose state changed. */
  onChange?: (circles: string[]) => void;
}

/** The materialized tables, in digest order, each with the columns that order its rows uniquely. */
export const materializedTables: readonly (readonly [table: string, orderBy: string])[] = [
  ['gov_circles', 'circle'],
  ['gov_members', 'circle, member'],
  ['gov_member_links', 'circle, member'],
  ['gov_rooms', 'circle, room_id'],
  ['gov_assemblies', 'circle, assembly_id'],
  ['gov_agenda_items', 'circle, assembly_id, item_id'],
  ['gov_attendance', 'circle, assembly_id, member'],
  ['gov_minutes', 'circle, assembly_id, item_id'],
  ['gov_decisions', 'circle, assembly_id, item_id, vote_id'],
  ['gov_actions', 'circle, assembly_id, action_id'],
  ['gov_recordings', 'circle, assembly_id, recording_id'],
  ['gov_votes', 'circle, vote_id'],
  ['gov_vote_counts', 'circle, vote_id, stamp'],
  ['gov_vote_closures', 'circle, vote_id, stamp'],
  ['gov_late_accepts', 'circle, vote_id, ballot_op_id'],
  ['gov_contributions', 'circle, contribution_id'],
  ['gov_contribution_totals', 'member, stream, month, circle'],
];

function readOrCreateMeta(db: Db, key: string, create: () => string): string {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  if (row) return row.value;
  const value = create();
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(key, value);
  return value;
}

function idOf(raw: unknown): string | undefined {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id.slice(0, 64) : undefined;
}

export class GovernanceStore {
  /**
   * Called inside the transaction of every local operation, after it is folded in: sync
   * writes its outbox here so an operation is never stored without being queued.
   */
  onLocalOperation?: (op: GovernanceOperation, db: Db) => void;
  readonly clock: HybridClock;
  private readonly fold: GovernanceFold;
  private readonly rules: GovernanceRules;
  private readonly insertOp: Statement;
  private readonly saveClockStatement: Statement;

  constructor(
    readonly db: Db,
    private readonly options: GovernanceStoreOptions,
  ) {
    // The clock's node id is random per installation, so two computers never share one.
    const node = readOrCreateMeta(db, 'governance_clock_node', () => randomBytes(8).toString('hex'));
    const last = (db.prepare("SELECT value FROM meta WHERE key = 'governance_clock_last'").get() as { value: string } | undefined)?.value;
    this.clock = new HybridClock(node, options.now, last);
    this.fold = new GovernanceFold(db);
    this.rules = new GovernanceRules(db);
    this.insertOp = db.prepare('INSERT OR IGNORE INTO ops (id, hlc, actor, circle, type, payload, v, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.saveClockStatement = db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('governance_clock_last', ?)");
  }

  get actor(): string {
    return this.options.actor;
  }

  /** Makes one change on this computer. Throws a PlenaryError naming the field, writing nothing, when it is not valid now. */
  applyLocal(type: OperationType, circle: string, payload: unknown): GovernanceOperation {
    return this.applyLocalBatch([{ type, circle, payload }])[0]!;
  }

  /** Makes several changes atomically: all are written, or (on the first invalid one) none. */
  applyLocalBatch(changes: readonly LocalChange[]): GovernanceOperation[] {
    const now = this.options.now();
    const applied = this.db.transaction(() => {
      this.fold.begin();
      const ops = changes.map((change) => {
        const checked = validateOperation({
          id: newId(now),
          hlc: this.clock.tick(),
          actor: this.options.actor,
          circle: change.circle,
          type: change.type,
          payload: change.payload,
          v: operationSchemaVersion,
        });
        if (!checked.ok) throw checked.error;
        const op = checked.op;
        this.rules.check(op, now);
        this.insertOp.run(op.id, op.hlc, op.actor, op.circle, op.type, JSON.stringify(op.payload), op.v, 'local');
        this.fold.apply(op);
        this.onLocalOperation?.(op, this.db);
        return op;
      });
      this.fold.flush();
      this.saveClockStatement.run(this.clock.last());
      return ops;
    })();
    this.options.onChange?.([...new Set(applied.map((op) => op.circle))]);
    return applied;
  }

  /**
   * Folds in operations received from other replicas, in one transaction. Each is checked for
   * structure and for a clock too far ahead of ours (refused, not absorbed, so one computer
   * with a wrong date cannot drag every later timestamp forward). State-dependent oddities, such
   * as a ballot arriving before its vote, are not refused: the fold and the tally handle them.
   */
  applyRemote(ops: readonly unknown[], meta: { source?: string } = {}): ApplyRemoteResult {
    const result: ApplyRemoteResult = { applied: [], duplicates: [], rejected: [] };
    const circles = new Set<string>();
    const now = this.options.now();
    // Any timestamp above this string is too far ahead (13-digit walls compare as strings).
    const tooFar = `${String(now + maxClockDriftMs).padStart(13, '0')}-999999-\u007f`;
    let newest = '';
    this.db.transaction(() => {
      this.fold.begin();
      for (const raw of ops) {
        // The cheap exact check first: this loop runs for every operation sync delivers.
        let op = fastValidate(raw);
        if (!op) {
          const checked = validateOperationWithZod(raw);
          if (!checked.ok) {
            const id = idOf(raw);
            result.rejected.push(id === undefined ? { error: checked.error.toJSON() } : { id, error: checked.error.toJSON() });
            continue;
          }
          op = checked.op;
        }
        if (op.hlc > tooFar) {
          const skew = new ClockSkewError(hlcWall(op.hlc), now);
          result.rejected.push({ id: op.id, error: new PlenaryError('clock_skew', skew.message, { field: 'hlc' }).toJSON() });
          continue;
        }
        if (this.insertOp.run(op.id, op.hlc, op.actor, op.circle, op.type, JSON.stringify(op.payload), op.v, 'remote').changes === 0) {
          result.duplicates.push(op.id);
          continue;
        }
        this.fold.apply(op);
        result.applied.push(op.id);
        circles.add(op.circle);
        if (op.hlc > newest) newest = op.hlc;
      }
      this.fold.flush();
      if (newest) {
        this.clock.receive(newest);
        this.saveClockStatement.run(this.clock.last());
      }
    })();
    if (result.rejected.length > 0) {
      this.options.log?.warn('refused remote governance operations', {
        source: meta.source,
        count: result.rejected.length,
        first: result.rejected[0]!.error.message,
      });
    }
    if (circles.size > 0) this.options.onChange?.([...circles]);
    return result;
  }

  /**
   * Rebuilds every materialized table from the log, in one transaction. Used after the log
   * itself was rewritten (the local identity claimed by a Matrix id, see sync/claim-identity.ts);
   * the fold is deterministic, so the result is what applying the log from scratch gives.
   */
  rebuild(): void {
    this.db.transaction(() => {
      for (const [table] of materializedTables) this.db.prepare(`DELETE FROM ${table}`).run();
      // .all(), not .iterate(): better-sqlite3 refuses writes while a read cursor is open.
      const rows = this.db.prepare('SELECT id, hlc, actor, circle, type, payload, v FROM ops ORDER BY seq').all() as {
        id: string;
        hlc: string;
        actor: string;
        circle: string;
        type: OperationType;
        payload: string;
        v: number;
      }[];
      this.fold.begin();
      for (const row of rows) this.fold.apply({ ...row, payload: JSON.parse(row.payload) } as GovernanceOperation);
      this.fold.flush();
    })();
  }

  /** Operations after a log position, oldest first (sync reads the log with it). */
  opsSince(seq: number, limit: number): StoredOperation[] {
    const rows = this.db
      .prepare('SELECT seq, id, hlc, actor, circle, type, payload, v, origin FROM ops WHERE seq > ? ORDER BY seq LIMIT ?')
      .all(seq, limit) as { seq: number; id: string; hlc: string; actor: string; circle: string; type: OperationType; payload: string; v: number; origin: 'local' | 'remote' }[];
    return rows.map((r) => ({
      seq: r.seq,
      origin: r.origin,
      op: { id: r.id, hlc: r.hlc, actor: r.actor, circle: r.circle, type: r.type, payload: JSON.parse(r.payload), v: r.v } as GovernanceOperation,
    }));
  }

  opCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM ops').get() as { n: number }).n;
  }

  /**
   * A hash of every materialized table in primary-key order. Two replicas that folded the
   * same operations have the same digest, whatever order the operations came in.
   */
  stateDigest(): string {
    const hash = createHash('sha256');
    for (const [table, orderBy] of materializedTables) {
      hash.update(`#${table}\n`);
      // SELECT * leaves out rowids, which depend on arrival order.
      for (const row of this.db.prepare(`SELECT * FROM ${table} ORDER BY ${orderBy}`).raw().iterate()) {
        hash.update(JSON.stringify(row) + '\n');
      }
    }
    // Ballots live in the log; compared by content (payload text may differ in key order).
    hash.update('#ballots\n');
    const ballots = this.db.prepare(
      `SELECT circle, json_extract(payload, '$.voteId') AS vote, hlc, id, actor, json_extract(payload, '$.voter'), payload -> '$.choice', json_extract(payload, '$.reason'),
         json_extract(payload, '$.proxy')
       FROM ops WHERE type = 'vote.ballot' ORDER BY circle, vote, hlc, id`,
    );
    for (const row of ballots.raw().iterate()) hash.update(JSON.stringify(row) + '\n');
    return hash.digest('hex');
  }
}
