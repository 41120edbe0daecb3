// Migrations tested on data: every committed fixture (a realistic store at one past schema
// level, tests/fixtures/stores/) is upgraded through the real start path to the latest schema,
// whatever migrations the list holds by then, and checked row by row: every row of every
// table it had is still there with the same values, the governance tables still equal the
// fold of the log, and the copy made before the upgrade holds exactly the fixture's rows.
// A failing step on any fixture leaves the file as it was.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations, type Migration } from '../../main/core/store/migrations';
import { openStore } from '../../main/core/store/open-store';
import { storePaths } from '../../main/core/store/store-files';
import { appliedMigrations } from '../../main/core/store/database';
import { GovernanceStore } from '../../main/core/store/governance-store';
import { createLogger, memorySink } from '../../main/core/log';
import { loadDump } from '../helpers/sql-dump';
import { repoRoot } from '../helpers/paths';

const fixturesDir = join(repoRoot, 'tests/fixtures/stores');
const fixtures = readdirSync(fixturesDir)
  .filter((name) => name.endsWith('.sql'))
  .map((name) => name.replace(/\.sql$/, ''))
  .sort();

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

type Snapshot = Record<string, { columns: string[]; order: string; rows: unknown[][] }>;

/** Every row of every table, in a stable order, with the table's columns at that time. */
function snapshot(file: string): Snapshot {
  const db = new Database(file, { readonly: true });
  try {
    const out: Snapshot = {};
    const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string; sql: string }[];
    for (const { name, sql } of tables) {
      const columns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(name) as string[];
      const order = /WITHOUT\s+ROWID/i.test(sql) ? columns.map((_, i) => String(i + 1)).join(', ') : 'rowid';
      out[name] = { columns, order, rows: db.prepare(`SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM "${name}" ORDER BY ${order}`).raw().all() as unknown[][] };
    }
    return out;
  } finally {
    db.close();
  }
}

function fixtureStore(level: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), `plenary-fixture-${level}-`));
  dirs.push(dir);
  const file = join(dir, 'plenary.sqlite');
  loadDump(file, readFileSync(join(fixturesDir, `${level}.sql`), 'utf8'));
  return { dir, file };
}

const open = (dir: string, list: readonly Migration[] = migrations) =>
  openStore({ paths: storePaths(dir), appVersion: '0.1.0-test', now: () => Date.parse('2026-12-07T10:00:00Z'), log: createLogger('test', memorySink().sink), migrations: list });

describe('store fixtures', () => {
  it('exist for every schema level but the newest (run tests/fixtures/stores/make-fixtures.ts after adding a migration)', () => {
    const levels = migrations.map((m) => m.id);
    const missing = levels.slice(0, -1).filter((id) => !fixtures.includes(id));
    expect(missing, `no fixture for ${missing.join(', ')}: run "npx tsx tests/fixtures/stores/make-fixtures.ts" and commit the new .sql files`).toEqual([]);
    // A fixture for a level no migration has any more means a migration was renamed or removed.
    expect(fixtures.filter((id) => !levels.includes(id))).toEqual([]);
  });

  it('are stores at exactly their level, holding rows', () => {
    for (const level of fixtures) {
      const { file } = fixtureStore(level);
      const db = new Database(file, { readonly: true });
      expect(appliedMigrations(db), level).toEqual(migrations.filter((m) => m.id <= level).map((m) => m.id));
      db.close();
      const data = snapshot(file);
      expect(data.settings?.rows.length, level).toBeGreaterThan(0);
    }
  });
});

describe.each(fixtures)('a store at %s', (level) => {
  it('upgrades to the latest schema keeping every row, after a whole copy in the backups folder', () => {
    const { dir, file } = fixtureStore(level);
    const before = snapshot(file);
    const pending = migrations.filter((m) => m.id > level).map((m) => m.id);

    const result = open(dir);
    if (!result.ok) throw new Error(`${level} did not open: ${result.problem.kind} ${result.problem.detail}`);
    expect(result.ran).toEqual(pending);
    expect(appliedMigrations(result.db)).toEqual(migrations.map((m) => m.id));
    expect(result.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(result.db.pragma('foreign_key_check')).toEqual([]);
    // The rows as the upgrade left them, read before the check below rebuilds the fold (a
    // rebuild may queue derived work, such as the archive's index, that is not the upgrade's).
    const upgradedRows = new Map(
      Object.entries(before).map(([table, { columns, order }]) => [
        table,
        result.db.prepare(`SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM "${table}" ORDER BY ${order}`).raw().all() as unknown[][],
      ]),
    );
    let digests: [string, string] | null = null;
    if (before.ops) {
      // The materialized tables are still exactly the fold of the log.
      const store = new GovernanceStore(result.db, { actor: 'local:00000000-0000-4000-8000-000000000009', now: () => Date.now() });
      const upgraded = store.stateDigest();
      store.rebuild();
      digests = [upgraded, store.stateDigest()];
    }
    result.db.close();
    if (digests) expect(digests[0]).toBe(digests[1]);

    // Columns a pending step re-spells (a format conversion) are checked through the fold above.
    const rewritten = migrations.filter((m) => m.id > level).flatMap((m) => m.rewrites ?? []);
    const mask = (table: string, columns: string[], list: unknown[][]) => {
      const hidden = new Set(rewritten.filter((r) => r.table === table).map((r) => columns.indexOf(r.column)));
      return hidden.size === 0 ? list : list.map((row) => row.map((value, i) => (hidden.has(i) ? '(rewritten)' : value)));
    };
    for (const [table, { columns, rows: original }] of Object.entries(before)) {
      const after = mask(table, columns, upgradedRows.get(table)!);
      const rows = mask(table, columns, original);
      // schema_migrations gains the new steps; every other table keeps exactly its rows.
      if (table === 'schema_migrations') expect(after.slice(0, rows.length), table).toEqual(rows);
      else if (table === 'meta') expect(after.filter(([key]) => key !== 'store_opened_by' && key !== 'store_integrity_next'), table).toEqual(rows);
      else expect(after, `${level}: ${table}`).toEqual(rows);
    }

    if (pending.length > 0) {
      expect(result.upgradeBackup).not.toBeNull();
      expect(snapshot(result.upgradeBackup!)).toEqual(before);
    } else {
      expect(result.upgradeBackup).toBeNull();
    }
  });

  it('is left exactly as it was when a step of the upgrade fails', () => {
    const { dir, file } = fixtureStore(level);
    const before = snapshot(file);
    const failing: Migration = {
      id: '29991231T2359-fails',
      up(db) {
        // Everything but the tables SQLite keeps behind a full-text index (emptied with it).
        const virtual = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'").pluck().all() as string[];
        const shadow = (table: string) => virtual.some((vt) => table.startsWith(`${vt}_`));
        for (const table of Object.keys(before)) if (table !== 'schema_migrations' && !shadow(table)) db.exec(`DELETE FROM "${table}"`);
        throw new Error('the step failed half-way');
      },
    };
    const result = open(dir, [...migrations, failing]);
    expect(!result.ok && result.problem).toMatchObject({ kind: 'upgrade_failed', detail: 'the step failed half-way' });
    expect(snapshot(file)).toEqual(before);
  });
});
