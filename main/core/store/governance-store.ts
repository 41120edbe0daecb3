// The offline-first governance store. Every change is an operation: made here
// (applyLocal: stamped, checked against the current state) or received through sync
// (applyRemote: checked for structure only). Either way it is appended to the `ops` log and
// folded into the materialized tables in the same transaction, so the tables always equal
// the fold of the log's live operations. See governance-fold.ts for why any arrival order
// gives the same state. Two things keep an operation in the log without folding it:
// - held: its clock is more than maxClockDriftMs ahead of this computer's; it is folded
//   when this computer's clock gets there (releaseDue), so a wrong clock elsewhere never
//   loses a change and never makes the result depend on when a replica synced;
// - withdrawn: every event that carried it was redacted on the coop server (see
//   op-events.ts); the circles it touched are folded again without it.
// One thing takes an operation out of the log: withdrawLocal, for this replica's own
// operations every other replica refuses (sync/withdrawn-ops.ts); nobody else ever had them.
import { createHash, randomBytes } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { Db } from './database';
import type { Logger } from '../log';
import { GovernanceFold } from './governance-fold';
import { GovernanceRules } from './governance-rules';
import type { RoomGrantsFacilitator } from './local-authority';
import { PlenaryError, type PlenaryErrorData } from '../../../shared/errors';
import { HybridClock, dueAt, hlcWall, maxClockDriftMs } from '../../../shared/governance/hlc';
import { newId } from '../../../shared/governance/ids';
import { operationSchemaVersion } from '../../../shared/governance/operation';
import type { GovernanceOperation, OperationType } from '../../../shared/governance/operation-types';
import { validateOperation, validateOperationWithZod } from '../../../shared/governance/validate-operation';
import { fastValidate } from '../../../shared/governance/fast-validate';
import { OpEvents, type OpEvent } from './op-events';
import { rateLimitedLog, type RateLimitedLog } from '../rate-limited-log';
import { linkTables } from './link-fold';

export interface StoredOperation {
  seq: number;
  origin: 'local' | 'remote';
  op: GovernanceOperation;
}

export interface ApplyRemoteResult {
  /** Ids of operations new to this store, now folded in. */
  applied: string[];
  /** Ids already in the log with the same content (sync sends some operations more than once). */
  duplicates: string[];
  /** Ids new to this store whose clock is ahead of this computer's: logged, folded in when their time comes. */
  held: string[];
  /**
   * Operations refused, with why; nothing of them was written. An id already in the log with
   * other content is refused as a `conflict`: the first copy stands, the other is reported.
   */
  rejected: { id?: string; error: PlenaryErrorData }[];
}

export interface LocalChange {
  type: OperationType;
  circle: string;
  payload: unknown;
}

/** A Matrix event withdrawn (redacted) on the coop server, for the audit list. */
export interface Withdrawal {
  eventId: string;
  roomId: string;
  circle: string | null;
  /** Who sent the withdrawn event and its type, when known ('' when only its shell was seen). */
  sender: string;
  eventType: string;
  redactedBy: string;
  redactionId: string;
  /** The redaction's receipt time on the server. */
  redactedAt: number;
  reason: string;
  /** The poll start a withdrawn answer or end referred to (withdrawn with it). */
  refersTo?: string | null;
}

export interface RemoteMeta {
  source?: string;
  /** The event the operations came in (sync); absent for imports. */
  event?: OpEvent;
}

export interface GovernanceStoreOptions {
  /** Who local operations are made by. */
  actor: string;
  /** Wall clock in ms (injected so tests control time). */
  now: () => number;
  log?: Logger;
  /** Called after a commit with the circles whose state changed. */
  onChange?: (circles: string[]) => void;
  /**
   * Whether the circle's room gives a member facilitator rights, as sync last saw it (null:
   * no room known). Local operations need them as every other replica will (local-authority.ts).
   */
  roomGrantsFacilitator?: RoomGrantsFacilitator;
}

/** The materialized tables, in digest order, each with the columns that order its rows uniquely. */
export const materializedTables: readonly (readonly [table: string, orderBy: string])[] = [
  ['gov_circles', 'circle'],
  ['gov_members', 'circle, member'],
  ['gov_member_links', 'circle, member'],
  ['gov_delegations', 'circle, member'],
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
  ...linkTables,
];

function readOrCreateMeta(db: Db, key: string, create: () => string): string {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  if (row) return row.value;
  const value = create();
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(key, value);
  return value;
}

/** JSON with object keys sorted, so two equal values compare equal whatever their key order. */
function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${sortedJson(record[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

interface StoredEnvelope {
  hlc: string;
  actor: string;
  circle: string;
  type: string;
  payload: string;
  v: number;
}

/** The first field in which a received operation differs from the one stored under its id, or null. */
function differingField(stored: StoredEnvelope, op: GovernanceOperation): string | null {
  for (const field of ['hlc', 'actor', 'circle', 'type', 'v'] as const) if (stored[field] !== op[field]) return field;
  const payload = JSON.stringify(op.payload);
  if (payload === stored.payload) return null;
  return sortedJson(JSON.parse(stored.payload)) === sortedJson(op.payload) ? null : 'payload';
}

function envelopeOf(op: GovernanceOperation): StoredEnvelope {
  return { hlc: op.hlc, actor: op.actor, circle: op.circle, type: op.type, payload: JSON.stringify(op.payload), v: op.v };
}

function reusedIdMessage(id: string, field: string): string {
  return `operation id ${id} was already received with other content (its ${field} differs); this copy is not applied`;
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
  private readonly storedOp: Statement;
  private readonly saveClockStatement: Statement;
  readonly events: OpEvents;
  private readonly refusedLog: RateLimitedLog | null;

  constructor(
    readonly db: Db,
    private readonly options: GovernanceStoreOptions,
  ) {
    // The clock's node id is random per installation, so two computers never share one.
    const node = readOrCreateMeta(db, 'governance_clock_node', () => randomBytes(8).toString('hex'));
    const last = (db.prepare("SELECT value FROM meta WHERE key = 'governance_clock_last'").get() as { value: string } | undefined)?.value;
    this.clock = new HybridClock(node, options.now, last);
    this.fold = new GovernanceFold(db);
    this.rules = new GovernanceRules(db, options.roomGrantsFacilitator);
    this.insertOp = db.prepare('INSERT OR IGNORE INTO ops (id, hlc, actor, circle, type, payload, v, origin, held_until, server_ts, poll_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.storedOp = db.prepare('SELECT hlc, actor, circle, type, payload, v FROM ops WHERE id = ?');
    // One line per source, then at most one a minute: a member sending refused operations
    // by the thousand must not fill the log.
    this.refusedLog = options.log ? rateLimitedLog(options.log, { now: options.now }) : null;
    this.saveClockStatement = db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('governance_clock_last', ?)");
    this.events = new OpEvents(db);
    this.holdWhatIsAhead();
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
    this.holdWhatIsAhead();
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
        this.insertOp.run(op.id, op.hlc, op.actor, op.circle, op.type, JSON.stringify(op.payload), op.v, 'local', null, null, null);
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
   * structure; one whose clock is more than maxClockDriftMs ahead of this computer's is held
   * (logged, folded in by releaseDue once this computer's clock gets there), neither refused
   * nor absorbed: one computer with a wrong date cannot drag every later timestamp forward,
   * and its changes still arrive. State-dependent oddities, such as a ballot arriving before
   * its vote, are not refused: the fold and the tally handle them. With `meta.event`, the
   * event they came in is recorded (see op-events.ts), for operations already here too.
   */
  applyRemote(ops: readonly unknown[], meta: RemoteMeta = {}): ApplyRemoteResult {
    const result: ApplyRemoteResult = { applied: [], duplicates: [], held: [], rejected: [] };
    const circles = new Set<string>();
    const now = this.options.now();
    // Any timestamp above this string is too far ahead (13-digit walls compare as strings).
    const tooFar = `${String(now + maxClockDriftMs).padStart(13, '0')}-999999-\u007f`;
    let newest = '';
    this.db.transaction(() => {
      this.holdWhatIsAhead();
      this.fold.begin();
      const valid: GovernanceOperation[] = [];
      // Operations of this delivery by id, for an id reused within it.
      const batch = new Map<string, GovernanceOperation>();
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
        // An id already in the log for other content was reused (by mistake or to overwrite
        // history): the first copy stands everywhere, and this one is not linked to the event
        // either, so it can neither keep the first copy live nor bring it back once withdrawn.
        const earlier = batch.get(op.id);
        const conflict = this.reusedIdField(op, earlier);
        if (conflict !== null) {
          result.rejected.push({ id: op.id, error: new PlenaryError('conflict', reusedIdMessage(op.id, conflict), { field: conflict }).toJSON() });
          continue;
        }
        if (!earlier) batch.set(op.id, op);
        valid.push(op);
      }
      const event = meta.event;
      if (event) {
        this.events.record(
          valid.map((op) => op.id),
          event,
        );
        // A replay of an event already withdrawn brings nothing back.
        if (this.events.isWithdrawn(event.eventId)) return;
      }
      // A new operation's times come from the one event it came in.
      const serverTs = event?.carries ? event.serverTs : null;
      const pollTs = event?.poll ? event.serverTs : null;
      for (const op of valid) {
        const payload = JSON.stringify(op.payload);
        const ahead = op.hlc > tooFar;
        if (this.insertOp.run(op.id, op.hlc, op.actor, op.circle, op.type, payload, op.v, 'remote', ahead ? dueAt(op.hlc) : null, serverTs, pollTs).changes === 0) {
          // The same operation again (checked above): sync sends some more than once.
          result.duplicates.push(op.id);
          continue;
        }
        if (ahead) {
          result.held.push(op.id);
          continue;
        }
        result.applied.push(op.id);
        this.fold.apply(op);
        circles.add(op.circle);
        if (op.hlc > newest) newest = op.hlc;
      }
      if (event) {
        // A known operation seen in another event: its times change, and it may be live again.
        const revived = this.events
          .refresh(result.duplicates)
          .filter((change) => change.withdrawnBefore && !change.withdrawnNow)
          .map((change) => change.id);
        for (const op of this.liveOps(revived)) {
          this.fold.apply(op);
          circles.add(op.circle);
        }
      }
      this.fold.flush();
      if (newest) {
        this.clock.receive(newest);
        this.saveClockStatement.run(this.clock.last());
      }
    })();
    if (result.rejected.length > 0) {
      this.refusedLog?.warn(`refused:${meta.source === 'import' ? 'import' : 'sync'}`, 'refused remote governance operations', {
        source: meta.source,
        count: result.rejected.length,
        first: result.rejected[0]!.error.message,
      });
    }
    if (result.held.length > 0) {
      this.options.log?.info('held operations from a clock ahead of this computer', { source: meta.source, count: result.held.length });
    }
    if (circles.size > 0) this.options.onChange?.([...circles]);
    return result;
  }

  /**
   * Why a received operation would be refused as a reused id (already in the log, or
   * `earlier` in the same delivery, with other content), or null: what applyRemote checks
   * first, for callers that must know before they act on the operation (sync's trust
   * history). Reads only.
   */
  reusedIdConflict(op: GovernanceOperation, earlier?: GovernanceOperation): string | null {
    const field = this.reusedIdField(op, earlier);
    return field === null ? null : reusedIdMessage(op.id, field);
  }

  private reusedIdField(op: GovernanceOperation, earlier?: GovernanceOperation): string | null {
    const stored = this.storedOp.get(op.id) as StoredEnvelope | undefined;
    if (stored) return differingField(stored, op);
    return earlier ? differingField(envelopeOf(earlier), op) : null;
  }

  /**
   * Records that operations already in the log are shown through (or carried by) an event,
   * e.g. the poll answer that mirrors a ballot for Element, or the event an upload became.
   */
  recordEvent(opIds: readonly string[], event: OpEvent): void {
    this.db.transaction(() => {
      this.events.record(opIds, event);
      this.events.refresh(opIds);
    })();
  }

  /**
   * Withdraws events redacted on the coop server: their operations (those no live event
   * still carries) leave the fold, and the circles they touched are folded again from the
   * log. Returns the operations withdrawn now. Recording an event twice changes nothing.
   */
  withdrawEvents(withdrawals: readonly Withdrawal[]): { opIds: string[]; circles: string[] } {
    const circles = new Set<string>();
    const withdrawn: string[] = [];
    this.db.transaction(() => {
      const record = this.db.prepare(
        `INSERT OR IGNORE INTO withdrawn_events (event_id, room_id, circle, sender, event_type, redacted_by, redaction_id, redacted_at, reason, refers_to, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const count = this.db.prepare('UPDATE withdrawn_events SET operations = operations + ? WHERE event_id = ?');
      for (const w of withdrawals) {
        const added = record.run(w.eventId, w.roomId, w.circle, w.sender, w.eventType, w.redactedBy, w.redactionId, w.redactedAt, w.reason.slice(0, 500), w.refersTo ?? null, this.options.now()).changes;
        if (added === 0) continue;
        const changes = this.events.refresh(this.events.opsOf(w.eventId));
        const now = changes.filter((c) => c.withdrawnNow && !c.withdrawnBefore);
        if (now.length > 0) count.run(now.length, w.eventId);
        for (const change of now) {
          withdrawn.push(change.id);
          circles.add(change.circle);
        }
      }
      if (circles.size > 0) this.refold([...circles]);
    })();
    if (withdrawn.length > 0) this.options.log?.info('withdrew redacted operations', { events: withdrawals.length, operations: withdrawn.length });
    if (circles.size > 0) this.options.onChange?.([...circles]);
    return { opIds: withdrawn, circles: [...circles] };
  }

  /** When the next held operation is due (ms), or null when none is held. */
  nextHeldAt(): number | null {
    return (this.db.prepare('SELECT min(held_until) FROM ops WHERE held_until IS NOT NULL AND withdrawn = 0').pluck().get() as number | null) ?? null;
  }

  /** Folds in held operations whose time has come. Returns how many. */
  releaseDue(): number {
    const circles = new Set<string>();
    let released = 0;
    this.db.transaction(() => {
      this.holdWhatIsAhead();
      const now = this.options.now();
      const rows = this.opRows('WHERE held_until IS NOT NULL AND held_until <= ? AND withdrawn = 0 ORDER BY seq', now);
      if (rows.length === 0) return;
      this.db.prepare('UPDATE ops SET held_until = NULL WHERE held_until IS NOT NULL AND held_until <= ? AND withdrawn = 0').run(now);
      let newest = '';
      this.fold.begin();
      for (const op of rows) {
        this.fold.apply(op);
        circles.add(op.circle);
        if (op.hlc > newest) newest = op.hlc;
      }
      this.fold.flush();
      this.clock.receive(newest);
      this.saveClockStatement.run(this.clock.last());
      released = rows.length;
    })();
    if (released > 0) this.options.log?.info('applied held operations whose time came', { count: released });
    if (circles.size > 0) this.options.onChange?.([...circles]);
    return released;
  }

  /** Held operations: how many, and when the last of them is due (ms); null when none. */
  heldSummary(origin?: 'local' | 'remote'): { count: number; until: number } | null {
    const row = this.db
      .prepare(`SELECT count(*) AS count, max(held_until) AS until FROM ops WHERE held_until IS NOT NULL AND withdrawn = 0 ${origin ? 'AND origin = ?' : ''}`)
      .get(...(origin ? [origin] : [])) as { count: number; until: number | null };
    return row.count > 0 && row.until !== null ? { count: row.count, until: row.until } : null;
  }

  /**
   * When this computer's clock was set back (it was ahead when earlier changes were made or
   * accepted), operations now ahead of it by more than the allowed drift are held, exactly as
   * every other replica holds them, and the clock resumes from the wall clock (bounded
   * advance, see hlc.ts). Cheap unless that happened: the clock is never behind the log.
   */
  private holdWhatIsAhead(): void {
    if (!this.clock.isAheadOfWall()) return;
    this.db.transaction(() => {
      const limit = `${String(this.options.now() + maxClockDriftMs).padStart(13, '0')}-999999-\u007f`;
      const ahead = this.db.prepare('SELECT id, circle, hlc FROM ops WHERE hlc > ? AND held_until IS NULL').all(limit) as { id: string; circle: string; hlc: string }[];
      const hold = this.db.prepare('UPDATE ops SET held_until = ? WHERE id = ?');
      for (const row of ahead) hold.run(dueAt(row.hlc), row.id);
      if (ahead.length > 0) {
        this.refold([...new Set(ahead.map((r) => r.circle))]);
        this.options.log?.warn("this computer's clock was ahead when changes were made; they are held until their time", {
          count: ahead.length,
          until: Math.max(...ahead.map((r) => hlcWall(r.hlc))),
        });
      }
      this.clock.tick();
      this.saveClockStatement.run(this.clock.last());
    })();
  }

  /** Live operations among `ids` (not held, not withdrawn), in log order. */
  private liveOps(ids: readonly string[]): GovernanceOperation[] {
    if (ids.length === 0) return [];
    return this.opRows(`WHERE id IN (${ids.map(() => '?').join(', ')}) AND withdrawn = 0 AND held_until IS NULL ORDER BY seq`, ...ids);
  }

  private opRows(where: string, ...args: unknown[]): GovernanceOperation[] {
    // .all(), not .iterate(): better-sqlite3 refuses writes while a read cursor is open.
    const rows = this.db.prepare(`SELECT id, hlc, actor, circle, type, payload, v FROM ops ${where}`).all(...args) as {
      id: string;
      hlc: string;
      actor: string;
      circle: string;
      type: OperationType;
      payload: string;
      v: number;
    }[];
    return rows.map((row) => ({ ...row, payload: JSON.parse(row.payload) }) as GovernanceOperation);
  }

  /**
   * Folds some circles again from the log's live operations (after withdrawing operations,
   * which the fold cannot take back). Call inside a transaction. Every materialized table is
   * keyed by circle, so the other circles stay as they are.
   */
  private refold(circles: readonly string[]): void {
    const placeholders = circles.map(() => '?').join(', ');
    for (const [table] of materializedTables) this.db.prepare(`DELETE FROM ${table} WHERE circle IN (${placeholders})`).run(...circles);
    const ops = this.opRows(`WHERE circle IN (${placeholders}) AND withdrawn = 0 AND held_until IS NULL ORDER BY seq`, ...circles);
    this.fold.begin();
    for (const op of ops) this.fold.apply(op);
    this.fold.flush();
  }

  /**
   * Rebuilds every materialized table from the log, in one transaction. Used after the log
   * itself was rewritten (the local identity claimed by a Matrix id, see sync/claim-identity.ts);
   * the fold is deterministic, so the result is what applying the log from scratch gives.
   */
  rebuild(): void {
    this.db.transaction(() => {
      for (const [table] of materializedTables) this.db.prepare(`DELETE FROM ${table}`).run();
      const ops = this.opRows('WHERE withdrawn = 0 AND held_until IS NULL ORDER BY seq');
      this.fold.begin();
      for (const op of ops) this.fold.apply(op);
      this.fold.flush();
    })();
  }

  /**
   * Takes operations made on this computer out of the log, because the other replicas refuse
   * them, and rebuilds the circles they touched from the rest of the log, so this replica ends
   * in the state the others are in (the fold of the same operations). `keep` records each one
   * (inside the same transaction, in ops_not_accepted) so the member can be told. Operations
   * received from others, or not in the log, are left alone. A rebuild reads the circle's
   * whole log: withdrawals are rare, and correctness beats speed here.
   *
   * Unlike withdrawEvents (a redaction), the operation leaves the log: no event of it is live
   * for anyone, no later event can bring it back (every replica refuses it by the same rule),
   * and the log then holds exactly what the other replicas hold. Its event links go with it.
   * Export therefore never carries it, and import skips ids in ops_not_accepted.
   */
  withdrawLocal(opIds: readonly string[], keep: (op: GovernanceOperation) => void): GovernanceOperation[] {
    if (opIds.length === 0) return [];
    const read = this.db.prepare("SELECT id, hlc, actor, circle, type, payload, v FROM ops WHERE id = ? AND origin = 'local'");
    const remove = this.db.prepare('DELETE FROM ops WHERE id = ?');
    const unlink = this.db.prepare('DELETE FROM op_events WHERE op_id = ?');
    const withdrawn = this.db.transaction(() => {
      const ops: GovernanceOperation[] = [];
      for (const id of opIds) {
        const row = read.get(id) as { id: string; hlc: string; actor: string; circle: string; type: OperationType; payload: string; v: number } | undefined;
        if (!row) continue;
        const op = { ...row, payload: JSON.parse(row.payload) } as GovernanceOperation;
        keep(op);
        remove.run(id);
        unlink.run(id);
        ops.push(op);
      }
      if (ops.length > 0) this.refold([...new Set(ops.map((op) => op.circle))]);
      return ops;
    })();
    if (withdrawn.length > 0) {
      this.options.log?.warn('withdrew local operations the other replicas refuse', { count: withdrawn.length, first: withdrawn[0]!.type });
      this.options.onChange?.([...new Set(withdrawn.map((op) => op.circle))]);
    }
    return withdrawn;
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
       FROM ops WHERE type = 'vote.ballot' AND withdrawn = 0 AND held_until IS NULL ORDER BY circle, vote, hlc, id`,
    );
    for (const row of ballots.raw().iterate()) hash.update(JSON.stringify(row) + '\n');
    return hash.digest('hex');
  }
}
