// Brings the decision archive's index up to date with the folded governance tables: the
// triggers of migrations/20261210T0200-decision-archive.ts mark what changed (archive_pending),
// and this re-reads exactly those votes and minutes, in one transaction, before a search.
// A marked vote or minutes item that is gone (withdrawn by a redaction, refolded away) or
// not complete (a vote still waiting for its create, minutes of an assembly not seen yet,
// empty minutes) leaves the index.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/database';

/** Entries per second of date in the rowid space (see the migration). */
const perSecond = 65_536;
/** Dates are clamped to 1970-5138 so rowids stay far inside SQLite's 64-bit range. */
const maxAt = 100_000_000_000_000;

/** The first rowid of entries dated `at` (ms). */
export function docBucket(at: number): number {
  return Math.floor(Math.min(Math.max(at, 0), maxAt) / 1000) * perSecond;
}

interface Key {
  kind: 'vote' | 'minutes';
  circle: string;
  ref_id: string;
  item_id: string;
}

interface Entry extends Key {
  at: number;
  method: string | null;
  closes_at: number | null;
  closed: number;
  has_outcome: number;
  title: string;
  body: string;
  outcome: string;
}

const wallOf = (stamp: string) => Number(stamp.slice(0, 13));

export class ArchiveIndex {
  private readonly hasPending: Statement;
  private readonly pending: Statement;
  private readonly clearPending: Statement;
  private readonly assemblyItems: Statement;
  private readonly indexedItems: Statement;
  private readonly existing: Statement;
  private readonly deleteDoc: Statement;
  private readonly deleteText: Statement;
  private readonly readVote: Statement;
  private readonly readMinutes: Statement;
  private readonly maxInBucket: Statement;
  private readonly maxDoc: Statement;
  private readonly insertDoc: Statement;
  private readonly insertText: Statement;

  constructor(private readonly db: Db) {
    this.hasPending = db.prepare('SELECT 1 FROM archive_pending LIMIT 1').pluck();
    this.pending = db.prepare('SELECT kind, circle, ref_id, item_id FROM archive_pending');
    this.clearPending = db.prepare('DELETE FROM archive_pending');
    this.assemblyItems = db.prepare('SELECT item_id FROM gov_minutes WHERE circle = ? AND assembly_id = ?').pluck();
    this.indexedItems = db.prepare("SELECT item_id FROM archive_docs WHERE kind = 'minutes' AND circle = ? AND ref_id = ?").pluck();
    this.existing = db.prepare('SELECT doc FROM archive_docs WHERE kind = ? AND circle = ? AND ref_id = ? AND item_id = ?').pluck();
    this.deleteDoc = db.prepare('DELETE FROM archive_docs WHERE doc = ?');
    this.deleteText = db.prepare('DELETE FROM archive_fts WHERE rowid = ?');
    this.readVote = db.prepare('SELECT created_v, method, closes_at, closed_v, question, details, outcome FROM gov_votes WHERE circle = ? AND vote_id = ?');
    this.readMinutes = db.prepare(
      `SELECT m.markdown, a.title, a.scheduled_at, a.created_v FROM gov_minutes m
       JOIN gov_assemblies a ON a.circle = m.circle AND a.assembly_id = m.assembly_id
       WHERE m.circle = ? AND m.assembly_id = ? AND m.item_id = ?`,
    );
    this.maxInBucket = db.prepare('SELECT max(doc) FROM archive_docs WHERE doc >= ? AND doc < ?').pluck();
    this.maxDoc = db.prepare('SELECT max(doc) FROM archive_docs').pluck();
    this.insertDoc = db.prepare(
      'INSERT INTO archive_docs (doc, kind, circle, ref_id, item_id, at, method, closes_at, closed, has_outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.insertText = db.prepare('INSERT INTO archive_fts (rowid, title, body, outcome) VALUES (?, ?, ?, ?)');
  }

  /** Re-indexes what changed since the last call. Returns how many entries were looked at. */
  refresh(): number {
    if (this.hasPending.get() === undefined) return 0;
    return this.db.transaction(() => {
      const keys = new Map<string, Key>();
      const add = (key: Key) => keys.set(`${key.kind}\u0000${key.circle}\u0000${key.ref_id}\u0000${key.item_id}`, key);
      for (const p of this.pending.all() as Key[]) {
        if (p.item_id !== '*') add(p);
        else {
          // An assembly changed: every item it has minutes for, and every item indexed before.
          const items = new Set([...(this.assemblyItems.all(p.circle, p.ref_id) as string[]), ...(this.indexedItems.all(p.circle, p.ref_id) as string[])]);
          for (const item_id of items) add({ kind: 'minutes', circle: p.circle, ref_id: p.ref_id, item_id });
        }
      }
      // Out with the old entries first, then in with the new ones in date order: FTS5 writes
      // its pending terms out whenever rowids stop rising, so this keeps that to a minimum.
      const old: number[] = [];
      const fresh: Entry[] = [];
      for (const key of keys.values()) {
        const doc = this.existing.get(key.kind, key.circle, key.ref_id, key.item_id) as number | undefined;
        if (doc !== undefined) old.push(doc);
        const entry = this.read(key);
        if (entry) fresh.push(entry);
      }
      for (const doc of old.sort((a, b) => a - b)) {
        this.deleteText.run(doc);
        this.deleteDoc.run(doc);
      }
      for (const e of fresh.sort((a, b) => a.at - b.at)) {
        const doc = this.nextDoc(e.at);
        this.insertDoc.run(doc, e.kind, e.circle, e.ref_id, e.item_id, e.at, e.method, e.closes_at, e.closed, e.has_outcome);
        this.insertText.run(doc, e.title, e.body, e.outcome);
      }
      this.clearPending.run();
      return keys.size;
    })();
  }

  private read(key: Key): Entry | null {
    if (key.kind === 'vote') {
      const v = this.readVote.get(key.circle, key.ref_id) as
        | { created_v: string | null; method: string | null; closes_at: number | null; closed_v: string | null; question: string | null; details: string | null; outcome: string | null }
        | undefined;
      if (!v || v.created_v === null) return null;
      return {
        ...key,
        at: wallOf(v.created_v),
        method: v.method,
        closes_at: v.closes_at,
        closed: v.closed_v !== null ? 1 : 0,
        has_outcome: (v.outcome ?? '').trim() !== '' ? 1 : 0,
        title: v.question ?? '',
        body: v.details ?? '',
        outcome: v.outcome ?? '',
      };
    }
    const m = this.readMinutes.get(key.circle, key.ref_id, key.item_id) as
      | { markdown: string; title: string | null; scheduled_at: number | null; created_v: string | null }
      | undefined;
    if (!m || m.created_v === null || m.markdown.trim() === '') return null;
    return { ...key, at: m.scheduled_at ?? wallOf(m.created_v), method: null, closes_at: null, closed: 0, has_outcome: 0, title: m.title ?? '', body: m.markdown, outcome: '' };
  }

  /** The next free rowid among those of its date's second (or, should that second be full, after every other). */
  private nextDoc(at: number): number {
    const bucket = docBucket(at);
    const max = this.maxInBucket.get(bucket, bucket + perSecond) as number | null;
    if (max === null) return bucket;
    if (max + 1 < bucket + perSecond) return max + 1;
    return (this.maxDoc.get() as number) + 1;
  }
}
