// Opens the local SQLite store and brings its schema up to date. WAL lets the UI read
// while sync writes. The pending migrations run in one transaction, so a crash or a failing
// step leaves the file exactly as it was before the upgrade, never half-way. A store that
// holds migrations this build does not know was written by a later Plenary: it is refused,
// never migrated (see store/open-store.ts, which also backs it up before an upgrade).
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
  if (!options.readonly) {
    try {
      migrate(db, migrations, options.until);
    } catch (error) {
      db.close();
      throw error;
    }
  }
  return db;
}

/** The store holds schema steps this build does not have: a later Plenary wrote it. */
export class NewerSchemaError extends Error {
  constructor(readonly unknownIds: string[]) {
    super(`the store was upgraded by a newer Plenary (schema steps ${unknownIds.join(', ')} are unknown to this version)`);
    this.name = 'NewerSchemaError';
  }
}

export function appliedMigrations(db: Db): string[] {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!exists) return [];
  return (db.prepare('SELECT id FROM schema_migrations ORDER BY id').all() as { id: string }[]).map((r) => r.id);
}

/** Applied steps that `list` does not contain. */
export function unknownMigrations(applied: readonly string[], list: readonly Migration[]): string[] {
  const known = new Set(list.map((m) => m.id));
  return applied.filter((id) => !known.has(id));
}

/** The steps of `list` (up to `until`) not applied yet, in order. */
export function pendingMigrations(applied: readonly string[], list: readonly Migration[], until?: string): Migration[] {
  const done = new Set(applied);
  return list.filter((m) => (until === undefined || m.id <= until) && !done.has(m.id));
}

export function migrate(db: Db, list: readonly Migration[], until?: string): string[] {
  const unknown = unknownMigrations(appliedMigrations(db), list);
  if (unknown.length > 0) throw new NewerSchemaError(unknown);
  const pending = pendingMigrations(appliedMigrations(db), list, until);
  if (pending.length === 0) {
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
    return [];
  }
  db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
    for (const migration of pending) {
      migration.up(db);
      db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)').run(migration.id, Date.now());
    }
  })();
  return pending.map((m) => m.id);
}
