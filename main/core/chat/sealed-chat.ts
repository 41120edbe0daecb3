// The decrypted text of end-to-end encrypted rooms, kept out of the main store: a sealed
// database (sealed-database.ts: SQLite in memory while Plenary runs, AES-256-GCM in its file
// under a key from the secret store) holds the content of each event of an encrypted room
// and the full-text index over it. The main store keeps the event's row (position, type,
// sender, time, relation) with a placeholder for its content (sealed-content.ts), so the
// timeline, gaps and receipts work on one table as for clear rooms; ChatStore fills the
// placeholders from here when it reads rows.
//
// Its tables have the names and the columns the chat search uses in the main store
// (chat_events, chat_search_docs, chat_search_fts with the same trigram tokenizer,
// chat_search_pending and its triggers), so ChatSearchIndex and ChatSearch read both alike.
//
// Writes are sealed to the file a moment after they happen (debounced) and on close.
// Signing out deletes the file and its key. A file sealed under a key the secret store no
// longer has, or a damaged one, is set aside and the database starts empty: ChatStore then
// empties the encrypted rooms it can no longer read so back-fill loads them again.
import { readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../store/database';
import type { Logger } from '../log';
import type { SecretStore } from '../secrets/secret-store';
import { deleteSealedDatabase, openSealedDatabase, sealedDatabaseKey, type SealedDatabase, type SealedFileProblem } from './sealed-database';

export const sealedChatFile = 'encrypted-rooms.sealed';
export const sealedChatKeySecret = 'chat.sealedDatabaseKey';
/** The main store's tokenizer for chat search (migrations/20261211T0300-chat-search.ts); Japanese needs trigram. */
export const chatSearchTokenizer = 'trigram remove_diacritics 1';

/** The sealed database's schema; idempotent (it runs at every open). */
export function sealedChatSchema(db: Db): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS chat_events (
      event_id TEXT PRIMARY KEY,
      room_id TEXT NOT NULL,
      pos INTEGER NOT NULL,
      type TEXT NOT NULL,
      sender TEXT NOT NULL,
      ts INTEGER NOT NULL,
      content TEXT NOT NULL,
      rel_type TEXT,
      relates_to TEXT,
      redacted INTEGER NOT NULL DEFAULT 0,
      shown INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX IF NOT EXISTS chat_events_room ON chat_events (room_id, pos);
    CREATE INDEX IF NOT EXISTS chat_events_relates ON chat_events (relates_to);
    -- What the member wrote to an encrypted room and is not sent yet (the main store's chat_outbox row holds a placeholder).
    CREATE TABLE IF NOT EXISTS chat_outbox (txn_id TEXT PRIMARY KEY, content TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS chat_search_docs (
      doc INTEGER PRIMARY KEY,
      event_id TEXT NOT NULL UNIQUE,
      room_id TEXT NOT NULL,
      ts INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS chat_search_docs_room ON chat_search_docs (room_id, doc);
    CREATE VIRTUAL TABLE IF NOT EXISTS chat_search_fts USING fts5(body, tokenize = '${chatSearchTokenizer}');
    CREATE TABLE IF NOT EXISTS chat_search_pending (event_id TEXT PRIMARY KEY) WITHOUT ROWID;
    CREATE TRIGGER IF NOT EXISTS chat_search_insert AFTER INSERT ON chat_events WHEN NEW.type = 'm.room.message' BEGIN
      INSERT INTO chat_search_pending SELECT coalesce(CASE WHEN NEW.rel_type = 'm.replace' THEN NEW.relates_to END, NEW.event_id)
        WHERE NOT EXISTS (SELECT 1 FROM chat_search_pending WHERE event_id = coalesce(CASE WHEN NEW.rel_type = 'm.replace' THEN NEW.relates_to END, NEW.event_id));
    END;
    CREATE TRIGGER IF NOT EXISTS chat_search_update AFTER UPDATE OF content, redacted ON chat_events WHEN NEW.type = 'm.room.message' BEGIN
      INSERT INTO chat_search_pending SELECT coalesce(CASE WHEN NEW.rel_type = 'm.replace' THEN NEW.relates_to END, NEW.event_id)
        WHERE NOT EXISTS (SELECT 1 FROM chat_search_pending WHERE event_id = coalesce(CASE WHEN NEW.rel_type = 'm.replace' THEN NEW.relates_to END, NEW.event_id));
    END;
    CREATE TRIGGER IF NOT EXISTS chat_search_delete AFTER DELETE ON chat_events WHEN OLD.type = 'm.room.message' BEGIN
      INSERT INTO chat_search_pending SELECT coalesce(CASE WHEN OLD.rel_type = 'm.replace' THEN OLD.relates_to END, OLD.event_id)
        WHERE NOT EXISTS (SELECT 1 FROM chat_search_pending WHERE event_id = coalesce(CASE WHEN OLD.rel_type = 'm.replace' THEN OLD.relates_to END, OLD.event_id));
    END;
  `);
}

/** The columns of a sealed event (its main-store row's, with the real content). */
export interface SealedEventRow {
  event_id: string;
  room_id: string;
  pos: number;
  type: string;
  sender: string;
  ts: number;
  content: string;
  rel_type: string | null;
  relates_to: string | null;
  redacted: number;
  shown: number;
}

export interface SealedChatOptions {
  dataDir: string;
  secrets: SecretStore;
  log: Logger;
  /** How long after a write the file is sealed (ms). */
  saveDelayMs?: number;
}

export class SealedChat {
  private sealed: SealedDatabase;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  /** Something was written since it was opened (a database never written to leaves its file, or its absence, as it was). */
  private written = false;
  /** Why the last open started empty although a file was there, or null. */
  problem: SealedFileProblem | null = null;

  constructor(private readonly options: SealedChatOptions) {
    this.sealed = this.open();
    // A file set aside is replaced by the fresh database soon, so it is not met again at the next start.
    if (this.problem !== null) this.changed();
  }

  get path(): string {
    return join(this.options.dataDir, sealedChatFile);
  }

  /** The database in memory (read it at each use: signing out replaces it). */
  get db(): Db {
    return this.sealed.db;
  }

  /** Temporary files a save left when Plenary stopped half-way (ciphertext, but clutter). */
  private removeTemporaries(): void {
    try {
      for (const name of readdirSync(this.options.dataDir)) {
        if (name.startsWith(`${sealedChatFile}.`) && name.endsWith('.tmp')) rmSync(join(this.options.dataDir, name), { force: true });
      }
    } catch {
      // No folder yet: nothing left over.
    }
  }

  private open(): SealedDatabase {
    this.removeTemporaries();
    const key = sealedDatabaseKey(this.options.secrets, sealedChatKeySecret);
    let opened: SealedDatabase;
    try {
      opened = openSealedDatabase(this.path, key, { schema: sealedChatSchema, onWrongKey: 'rebuild' });
    } catch (error) {
      // The file cannot even be read (permissions, a disk error): moved aside, never a crash.
      this.options.log.error('the encrypted rooms\' message database could not be read; it was set aside', { reason: error instanceof Error ? error.message : String(error) });
      try {
        renameSync(this.path, `${this.path}.damaged`);
      } catch {
        // Nothing more to do: the next save replaces it.
      }
      opened = openSealedDatabase(this.path, key, { schema: sealedChatSchema, onWrongKey: 'rebuild' });
      this.problem = 'damaged';
      return opened;
    }
    this.problem = opened.rebuilt;
    if (opened.rebuilt === 'damaged') {
      this.options.log.warn('the encrypted rooms\' message database was damaged; it was set aside and those rooms load again from the server', { keptAs: `${this.path}.damaged` });
    } else if (opened.rebuilt === 'wrong-key') {
      this.options.log.warn('the encrypted rooms\' message database was sealed under a key this device no longer has; it was set aside and those rooms load again from the server', { keptAs: `${this.path}.wrong-key` });
    }
    return opened;
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** Stores (or replaces) an event's row. */
  put(row: SealedEventRow): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO chat_events (event_id, room_id, pos, type, sender, ts, content, rel_type, relates_to, redacted, shown)
         VALUES (@event_id, @room_id, @pos, @type, @sender, @ts, @content, @rel_type, @relates_to, @redacted, @shown)`,
      )
      .run(row);
    this.changed();
  }

  /** The content of these events, by id (those it holds). */
  contents(eventIds: readonly string[]): Map<string, string> {
    const out = new Map<string, string>();
    const statement = this.db.prepare('SELECT event_id, content FROM chat_events WHERE event_id = ?');
    for (const id of new Set(eventIds)) {
      const row = statement.get(id) as { event_id: string; content: string } | undefined;
      if (row) out.set(row.event_id, row.content);
    }
    return out;
  }

  putOutbox(txnId: string, content: string): void {
    this.db.prepare('INSERT OR REPLACE INTO chat_outbox (txn_id, content) VALUES (?, ?)').run(txnId, content);
    this.changed();
  }

  /** The content of these outbox entries, by transaction id (those it holds). */
  outboxContents(txnIds: readonly string[]): Map<string, string> {
    const out = new Map<string, string>();
    const statement = this.db.prepare('SELECT content FROM chat_outbox WHERE txn_id = ?').pluck();
    for (const id of new Set(txnIds)) {
      const content = statement.get(id) as string | undefined;
      if (content !== undefined) out.set(id, content);
    }
    return out;
  }

  deleteOutbox(txnIds: readonly string[]): void {
    const statement = this.db.prepare('DELETE FROM chat_outbox WHERE txn_id = ?');
    let changes = 0;
    for (const id of txnIds) changes += statement.run(id).changes;
    if (changes > 0) this.changed();
  }

  /** Every event it holds, by id (the start-up check against the main store). */
  eventIds(): Set<string> {
    return new Set(this.db.prepare('SELECT event_id FROM chat_events').pluck().all() as string[]);
  }

  has(eventId: string): boolean {
    return this.db.prepare('SELECT 1 FROM chat_events WHERE event_id = ?').get(eventId) !== undefined;
  }

  redact(eventId: string): void {
    if (this.db.prepare("UPDATE chat_events SET redacted = 1, content = '{}' WHERE event_id = ?").run(eventId).changes > 0) this.changed();
  }

  deleteEvent(eventId: string): void {
    if (this.db.prepare('DELETE FROM chat_events WHERE event_id = ?').run(eventId).changes > 0) this.changed();
  }

  deleteRoom(roomId: string): void {
    if (this.db.prepare('DELETE FROM chat_events WHERE room_id = ?').run(roomId).changes > 0) this.changed();
  }

  wipe(): void {
    this.db.exec('DELETE FROM chat_events; DELETE FROM chat_outbox; DELETE FROM chat_search_docs; DELETE FROM chat_search_fts; DELETE FROM chat_search_pending;');
    this.changed();
  }

  private changed(): void {
    this.written = true;
    if (this.closed || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      // Sealed here (a few ms), written without blocking on the disk.
      this.sealed.saveInBackground().catch((error: unknown) => {
        this.options.log.error('the encrypted rooms\' message database could not be written', { reason: error instanceof Error ? error.message : String(error) });
      });
    }, this.options.saveDelayMs ?? 1000);
    this.saveTimer.unref?.();
  }

  /** Seals the database into its file now. */
  save(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    try {
      this.sealed.save();
    } catch (error) {
      this.options.log.error('the encrypted rooms\' message database could not be written', { reason: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Signing out: the file and its key are deleted, and an empty database (under a new key) takes its place. */
  forget(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    this.sealed.discard();
    deleteSealedDatabase(this.path);
    this.options.secrets.delete(sealedChatKeySecret);
    this.written = false;
    this.sealed = this.open();
  }

  /** Saves, then closes (quitting). */
  close(): void {
    if (this.closed) return;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    try {
      if (this.written) this.sealed.close();
      else this.sealed.discard();
    } catch (error) {
      this.options.log.error('the encrypted rooms\' message database could not be written on close', { reason: error instanceof Error ? error.message : String(error) });
    }
    this.closed = true;
  }
}
