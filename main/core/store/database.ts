// Opens the local SQLite store and brings its schema up to date. WAL lets the UI read
// while sync writes; every migration runs in its own transaction so a crash leaves the
// schema either before or after a step, never half-way.
import Database from 'better-sqlite3';
import { migrations, type Migration } from './migrations';

export type Db = Database.Database;

export interface OpenOptions {
  /** Run migrations up to and including this id (tests of a single step use it). */
  until?: string;
  readonly?: boolean;
}

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const db = new Database(file, options.readonly ? { readonly: true } : {});
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  if (!options.readonly) migrate(db, migrations, options.until);
  return db;
}

export function appliedMigrations(db: Db): string[] {
  return (db.prepare('SELECT id FROM schema_migrations ORDER BY id').all() as { id: string }[]).map((r) => r.id);
}

export function migrate(db: Db, list: readonly Migration[], until?: string): string[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const done = new Set(appliedMigrations(db));
  const ran: string[] = [];
  for (const migration of list) {
    if (until !== undefined && migration.id > until) break;
    if (done.has(migration.id)) continue;
    db.transaction(() => {
      migration.up(db);
      db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)').run(migration.id, Date.now());
    })();
    ran.push(migration.id);
  }
  return ran;
}
