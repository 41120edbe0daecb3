// What sync keeps aside: received events (or some of their operations) that were invalid,
// not allowed, or could not be processed. Never applied; listed in Settings › Sync.
//
// The cost of a hostile member is bounded here. One event of 20,000 forged operations used to
// become 20,000 rows and 20,000 log lines on every replica; now:
// - one record per event, whatever number of its operations were refused, with the count
//   per reason (at most `maxReasons` reasons, the rest summed under one line), an excerpt of
//   at most `maxExcerptChars` characters and reasons of at most `maxReasonChars`;
// - each sender's records together stay under `senderCapBytes`: beyond it their oldest are
//   deleted, and how many (events and operations) is counted per sender in
//   sync_quarantine_dropped, so nothing disappears without a trace;
// - the log gets the first record of each sender, then at most one line a minute per sender
//   saying how many were left out (rate-limited-log.ts).
//
// Records are gathered while an event is processed (note) and written by commit(), inside
// the caller's transaction, so an event is recorded once with everything it had refused.
import type { Db } from '../store/database';
import type { Logger } from '../log';
import { rateLimitedLog, type RateLimitedLog } from '../rate-limited-log';
import type { MatrixRawEvent } from '../matrix/matrix-connection';
import type { QuarantineDropped, QuarantinedItem, QuarantineReason } from '../../../shared/contract/sync';

/** Distinct reasons kept per record; further ones are summed under the last. */
export const maxReasons = 8;
export const maxReasonChars = 300;
export const maxExcerptChars = 500;
/** Bytes of records kept per sender (the newest record is always kept). */
export const senderCapBytes = 128 * 1024;
/** What a record costs beyond its text: the row, its rowid and its two index entries (an estimate). */
export const recordOverheadBytes = 96;

/** The bytes a record takes, as SQL over sync_quarantine's columns (rows written before this module too). */
const recordBytesSql = `(${recordOverheadBytes} + length(event_id) + length(room_id) + length(sender) + length(event_type) + length(reason) + length(excerpt) + length(reasons_json))`;

interface Pending {
  roomId: string;
  event: Pick<MatrixRawEvent, 'event_id' | 'sender' | 'type' | 'content'>;
  refused: number;
  operations: number;
  reasons: Map<string, QuarantineReason>;
  /** Reasons beyond maxReasons: counted together, not kept one by one. */
  more: QuarantineReason | null;
}

export interface QuarantineOptions {
  db: Db;
  log: Logger;
  now(): number;
  senderCapBytes?: number;
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function excerptOf(content: unknown): string {
  try {
    return clip(JSON.stringify(content) ?? '', maxExcerptChars);
  } catch {
    return '';
  }
}

export class Quarantine {
  private readonly pending = new Map<string, Pending>();
  /** Operation counts noted before anything of the event was refused. */
  private readonly carried = new Map<string, number>();
  private readonly log: RateLimitedLog;
  private readonly cap: number;

  constructor(private readonly options: QuarantineOptions) {
    this.log = rateLimitedLog(options.log, { now: options.now });
    this.cap = options.senderCapBytes ?? senderCapBytes;
  }

  /** Notes that an event, or its operation `opIndex` (-1: the whole event), is refused for `reason`. */
  note(roomId: string, event: Pending['event'], opIndex: number, reason: string): void {
    const key = String(event.event_id);
    let entry = this.pending.get(key);
    if (!entry) {
      entry = { roomId, event, refused: 0, operations: 0, reasons: new Map(), more: null };
      this.pending.set(key, entry);
    }
    entry.refused++;
    const text = clip(reason, maxReasonChars);
    const known = entry.reasons.get(text);
    if (known) known.count++;
    else if (entry.reasons.size < maxReasons) entry.reasons.set(text, { reason: text, count: 1, first: opIndex });
    else if (entry.more) entry.more.count++;
    else entry.more = { reason: '', count: 1, first: opIndex };
  }

  /** How many operations the event carried, for the record's "n of m refused". */
  operations(event: Pick<MatrixRawEvent, 'event_id'>, count: number): void {
    const entry = this.pending.get(String(event.event_id));
    if (entry) entry.operations = count;
    else this.carried.set(String(event.event_id), count);
  }

  /** Writes one record per event noted since the last commit. Returns how many were written. */
  commit(): number {
    let written = 0;
    for (const [eventId, entry] of this.pending) {
      entry.operations ||= this.carried.get(eventId) ?? 0;
      if (this.write(entry)) written++;
    }
    this.pending.clear();
    this.carried.clear();
    return written;
  }

  /** Forgets what was noted and not committed (the transaction it belonged to rolled back). */
  discard(): void {
    this.pending.clear();
    this.carried.clear();
  }

  private write(entry: Pending): boolean {
    const { db, now } = this.options;
    const reasons = [...entry.reasons.values()];
    const main = reasons.reduce((best, r) => (r.count > best.count ? r : best), reasons[0]!);
    // Reasons beyond the first few are summed under an empty reason: "other reasons" in the list.
    if (entry.more) reasons.push({ reason: '', count: entry.more.count, first: entry.more.first });
    const sender = String(entry.event.sender ?? '').slice(0, 255);
    const changes = db
      .prepare(
        `INSERT OR IGNORE INTO sync_quarantine (event_id, op_index, room_id, sender, event_type, reason, excerpt, received_at, refused, operations, reasons_json)
         VALUES (?, -1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        String(entry.event.event_id).slice(0, 255),
        entry.roomId.slice(0, 255),
        sender,
        String(entry.event.type).slice(0, 255),
        main.reason,
        excerptOf(entry.event.content),
        now(),
        entry.refused,
        entry.operations,
        JSON.stringify(reasons),
      ).changes;
    if (changes === 0) return false;
    this.log.warn(`quarantine:${sender}`, 'quarantined a governance event', {
      roomId: entry.roomId,
      eventId: entry.event.event_id,
      sender,
      refused: entry.refused,
      operations: entry.operations,
      reason: main.reason,
    });
    this.enforceCap(sender);
    return true;
  }

  /** Deletes the sender's oldest records beyond the cap (never the newest), counting what went. */
  private enforceCap(sender: string): void {
    const { db, now } = this.options;
    const rows = db.prepare(`SELECT id, ${recordBytesSql} AS bytes, refused, received_at FROM sync_quarantine WHERE sender = ? ORDER BY id DESC`).all(sender) as {
      id: number;
      bytes: number;
      refused: number;
      received_at: number;
    }[];
    let total = 0;
    const drop: typeof rows = [];
    rows.forEach((row, i) => {
      total += row.bytes;
      if (i > 0 && total > this.cap) drop.push(row);
    });
    if (drop.length === 0) return;
    const remove = db.prepare('DELETE FROM sync_quarantine WHERE id = ?');
    for (const row of drop) remove.run(row.id);
    const refused = drop.reduce((n, r) => n + r.refused, 0);
    const firstAt = Math.min(...drop.map((r) => r.received_at));
    db.prepare(
      `INSERT INTO sync_quarantine_dropped (sender, events, refused, first_at, last_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (sender) DO UPDATE SET events = events + excluded.events, refused = refused + excluded.refused,
         first_at = min(first_at, excluded.first_at), last_at = excluded.last_at`,
    ).run(sender, drop.length, refused, firstAt, now());
    this.log.warn(`quarantine-cap:${sender}`, 'deleted old quarantine records of a sender over the size limit', { sender, events: drop.length, refused });
  }

  /** Records kept. */
  count(): number {
    return (this.options.db.prepare('SELECT count(*) AS n FROM sync_quarantine').get() as { n: number }).n;
  }

  /** The newest records first. */
  list(limit = 100): QuarantinedItem[] {
    const rows = this.options.db
      .prepare(
        'SELECT id, event_id, op_index, room_id, sender, event_type, reason, excerpt, received_at, refused, operations, reasons_json FROM sync_quarantine ORDER BY id DESC LIMIT ?',
      )
      .all(limit) as {
      id: number;
      event_id: string;
      op_index: number;
      room_id: string;
      sender: string;
      event_type: string;
      reason: string;
      excerpt: string;
      received_at: number;
      refused: number;
      operations: number;
      reasons_json: string;
    }[];
    return rows.map((r) => {
      const stored = JSON.parse(r.reasons_json) as QuarantineReason[];
      return {
        id: r.id,
        eventId: r.event_id,
        opIndex: r.op_index,
        roomId: r.room_id,
        sender: r.sender,
        eventType: r.event_type,
        reason: r.reason,
        // Rows from before records were kept per event hold one reason of their own.
        reasons: stored.length > 0 ? stored : [{ reason: r.reason, count: 1, first: r.op_index }],
        refused: r.refused,
        operations: r.operations,
        excerpt: r.excerpt,
        receivedAt: r.received_at,
      };
    });
  }

  /** Per sender, what the size limit deleted. */
  dropped(): QuarantineDropped[] {
    return (
      this.options.db.prepare('SELECT sender, events, refused, first_at, last_at FROM sync_quarantine_dropped ORDER BY last_at DESC').all() as {
        sender: string;
        events: number;
        refused: number;
        first_at: number;
        last_at: number;
      }[]
    ).map((r) => ({ sender: r.sender, events: r.events, refused: r.refused, firstAt: r.first_at, lastAt: r.last_at }));
  }
}
