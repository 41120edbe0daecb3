// The refusals that stand (sync_refusals): recorded when the coop server says no to
// something sync sent, cleared when it later succeeds or the member dismisses it. Automatic
// uploads skip what a refusal holds back until it is due again (only passing refusals
// are) or the member asks to retry, so a 403 is never resent in a loop.
import type { Db } from '../store/database';
import type { MatrixHttpError } from '../matrix/matrix-connection';
import type { SyncRefusalKind, SyncRefusalReason } from '../../../shared/contract/sync';
import { refusalReason, refusalRetryAt } from './refusal-policy';

export interface RefusalKey {
  kind: SyncRefusalKind;
  circle: string;
  /** The member (invite) or the poll event's transaction id (poll); '' otherwise. */
  subject?: string;
}

export interface RefusalRow {
  id: number;
  kind: SyncRefusalKind;
  circle: string;
  subject: string;
  reason: SyncRefusalReason;
  status: number;
  errcode: string;
  message: string;
  attempts: number;
  first_at: number;
  last_at: number;
  retry_at: number | null;
}

export class Refusals {
  /** Told whenever the set of refusals changes, so the status can follow. */
  onChange: () => void = () => {};

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  record(key: RefusalKey, error: MatrixHttpError, options: { transient: boolean; otherServer?: boolean }): RefusalRow {
    const subject = key.subject ?? '';
    const now = this.now();
    const reason = refusalReason(key.kind, error, options.otherServer ?? false);
    const previous = this.find(key);
    const attempts = (previous?.attempts ?? 0) + 1;
    this.db
      .prepare(
        `INSERT INTO sync_refusals (kind, circle, subject, reason, status, errcode, message, attempts, first_at, last_at, retry_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (kind, circle, subject) DO UPDATE SET reason = excluded.reason, status = excluded.status, errcode = excluded.errcode,
           message = excluded.message, attempts = excluded.attempts, last_at = excluded.last_at, retry_at = excluded.retry_at`,
      )
      .run(key.kind, key.circle, subject, reason, error.status, error.errcode, error.message.slice(0, 500), attempts, now, now, refusalRetryAt(options.transient, attempts, now));
    this.onChange();
    return this.find(key)!;
  }

  /** It went through: the refusal no longer stands. */
  clear(key: RefusalKey): void {
    const changes = this.db.prepare('DELETE FROM sync_refusals WHERE kind = ? AND circle = ? AND subject = ?').run(key.kind, key.circle, key.subject ?? '').changes;
    if (changes > 0) this.onChange();
  }

  find(key: RefusalKey): RefusalRow | undefined {
    return this.db.prepare('SELECT * FROM sync_refusals WHERE kind = ? AND circle = ? AND subject = ?').get(key.kind, key.circle, key.subject ?? '') as RefusalRow | undefined;
  }

  get(id: number): RefusalRow | undefined {
    return this.db.prepare('SELECT * FROM sync_refusals WHERE id = ?').get(id) as RefusalRow | undefined;
  }

  /** Whether a refusal holds this back now: it stands and is not due for another attempt. */
  holds(key: RefusalKey): boolean {
    const row = this.find(key);
    return row !== undefined && (row.retry_at === null || row.retry_at > this.now());
  }

  /** Refusals of a kind due for another attempt (passing ones whose time came, or ones the member retried). */
  due(kind: SyncRefusalKind): RefusalRow[] {
    return this.db.prepare('SELECT * FROM sync_refusals WHERE kind = ? AND retry_at IS NOT NULL AND retry_at <= ? ORDER BY id').all(kind, this.now()) as RefusalRow[];
  }

  /** The next time a passing refusal is tried again by itself, if any. */
  nextRetryAt(): number | null {
    return (this.db.prepare('SELECT min(retry_at) AS at FROM sync_refusals WHERE retry_at > ?').get(this.now()) as { at: number | null }).at;
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM sync_refusals').get() as { n: number }).n;
  }

  list(): RefusalRow[] {
    return this.db.prepare('SELECT * FROM sync_refusals ORDER BY last_at DESC, id DESC').all() as RefusalRow[];
  }

  /** The member asked to try again: due now (all of them when `id` is omitted). */
  retry(id?: number): void {
    if (id === undefined) this.db.prepare('UPDATE sync_refusals SET retry_at = ?').run(this.now());
    else this.db.prepare('UPDATE sync_refusals SET retry_at = ? WHERE id = ?').run(this.now(), id);
  }

  remove(id: number): void {
    if (this.db.prepare('DELETE FROM sync_refusals WHERE id = ?').run(id).changes > 0) this.onChange();
  }
}
