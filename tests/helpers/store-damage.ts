// Store files the way things go wrong on members' computers: a table's page overwritten (a
// crash on a disk that lied about syncing), a file that is not a database at all, a store a
// later Plenary upgraded. Plain better-sqlite3 and file writes, nothing from main/, so
// end-to-end tests (which drive the real process) can use them too.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import Database from 'better-sqlite3';

/** Overwrites the first page of a table's b-tree with garbage; quick_check then reports it. */
export function corruptTable(file: string, table = 'gov_circles'): void {
  const db = new Database(file, { readonly: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const rootpage = db.prepare('SELECT rootpage FROM sqlite_master WHERE name = ?').pluck().get(table) as number;
  db.close();
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (rootpage - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
}

/** A file at the store's name that is not a SQLite database. */
export function notADatabase(file: string): void {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, Buffer.from('These are the minutes of the general assembly, saved over the store by mistake.\n'.repeat(200)));
  } finally {
    closeSync(fd);
  }
}

/** Marks a store as upgraded by a later Plenary: a schema step this build does not know, and that version in the meta row. */
export function fromTheFuture(file: string, version = '9.4.0', step = '29991231T2359-from-the-future'): void {
  const db = new Database(file);
  db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)').run(step, Date.now());
  db.prepare("INSERT INTO meta (key, value) VALUES ('store_opened_by', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(version);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/** SHA-256 of a file and whether its -wal and -shm exist: "nothing was written to it". */
export function fileState(file: string): { sha256: string; wal: boolean; shm: boolean } {
  return { sha256: createHash('sha256').update(readFileSync(file)).digest('hex'), wal: existsSync(`${file}-wal`), shm: existsSync(`${file}-shm`) };
}
