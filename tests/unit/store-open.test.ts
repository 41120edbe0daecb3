// Opening the store as the core starts: a damaged file, a file that is not a database and a
// file a later Plenary upgraded become problems the recovery screen names (never an
// exception); a refused file is left byte for byte as it was; an upgrade is backed up first
// and a failing step leaves the file as it was.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type OpenStoreOptions } from '../../main/core/store/open-store';
import { storePaths } from '../../main/core/store/store-files';
import { appliedMigrations, NewerSchemaError, migrate, openDatabase } from '../../main/core/store/database';
import { migrations, type Migration } from '../../main/core/store/migrations';
import { createLogger, memorySink } from '../../main/core/log';
import { boundedQuickCheck } from '../../main/core/store/integrity-check';
import { corruptTable, fileState, fromTheFuture, makeStore, notADatabase } from '../helpers/store-files';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'plenary-open-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function options(extra: Partial<OpenStoreOptions> = {}): OpenStoreOptions {
  return { paths: storePaths(dir), appVersion: '0.1.0', now: () => Date.parse('2026-12-07T10:00:00Z'), log: createLogger('test', memorySink().sink), ...extra };
}

function open(extra: Partial<OpenStoreOptions> = {}) {
  const result = openStore(options(extra));
  if (result.ok) result.db.close();
  return result;
}

describe('opening the store at start', () => {
  it('creates a new store, runs every step and records which Plenary opened it', () => {
    const result = openStore(options());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.ran).toEqual(migrations.map((m) => m.id));
    expect(result.upgradeBackup).toBeNull();
    expect(result.db.prepare("SELECT value FROM meta WHERE key = 'store_opened_by'").pluck().get()).toBe('0.1.0');
    result.db.close();
    expect(existsSync(join(dir, 'backups'))).toBe(false);
  });

  it('opens a sound store again without running anything', () => {
    makeStore(dir);
    const result = openStore(options({ appVersion: '0.2.0' }));
    expect(result.ok && result.ran).toEqual([]);
    if (!result.ok) return;
    expect(result.db.prepare('SELECT count(*) FROM gov_contributions').pluck().get()).toBe(20);
    expect(result.db.prepare("SELECT value FROM meta WHERE key = 'store_opened_by'").pluck().get()).toBe('0.2.0');
    result.db.close();
  });

  it('names a damaged table as corrupt, and does not open it for writing', () => {
    makeStore(dir);
    const file = join(dir, 'plenary.sqlite');
    corruptTable(file, 'gov_members');
    const before = fileState(file);
    const result = open();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.kind).toBe('corrupt');
    expect(result.problem.detail).toContain('gov_members');
    expect(fileState(file)).toEqual(before);
  });

  it('names a file that is not a database', () => {
    notADatabase(join(dir, 'plenary.sqlite'));
    const result = open();
    expect(!result.ok && result.problem).toMatchObject({ kind: 'not_a_database', detail: 'file is not a database' });
  });

  it('refuses a store a later Plenary upgraded, names that version, and writes nothing to it', () => {
    makeStore(dir);
    const file = join(dir, 'plenary.sqlite');
    fromTheFuture(file, '9.4.0');
    const before = fileState(file);
    expect(before).toMatchObject({ wal: false, shm: false });
    const result = open();
    expect(!result.ok && result.problem).toMatchObject({ kind: 'newer_schema', writtenBy: '9.4.0' });
    expect(!result.ok && result.problem.detail).toContain('29991231T2359-from-the-future');
    expect(fileState(file)).toEqual(before);
  });

  it('calls a store locked by another program locked, after a short wait', () => {
    makeStore(dir);
    const other = new Database(join(dir, 'plenary.sqlite'));
    other.pragma('locking_mode = EXCLUSIVE');
    other.exec('BEGIN EXCLUSIVE');
    try {
      const result = open({ lockWaitMs: 50 });
      expect(!result.ok && result.problem.kind).toBe('locked');
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
  });

  it('backs up a store with data before upgrading it, whole and readable', () => {
    const file = join(dir, 'plenary.sqlite');
    const older = migrations[migrations.length - 2]!.id;
    const db = openDatabase(file, { until: older });
    db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('theme', '"dark"');
    db.close();
    const result = openStore(options());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.ran).toEqual([migrations[migrations.length - 1]!.id]);
    result.db.close();
    expect(result.upgradeBackup).toBe(join(dir, 'backups', 'plenary-2026-12-07T10-00-00Z-upgrade.sqlite'));
    const backup = new Database(result.upgradeBackup!, { readonly: true });
    expect(appliedMigrations(backup).at(-1)).toBe(older);
    expect(backup.prepare("SELECT value FROM settings WHERE key = 'theme'").pluck().get()).toBe('"dark"');
    backup.close();
  });

  it('leaves the file as it was when a step fails, after backing it up', () => {
    makeStore(dir);
    const file = join(dir, 'plenary.sqlite');
    const broken: Migration = {
      id: '29990101T0000-broken',
      up(db) {
        db.exec('CREATE TABLE half_done (x INTEGER)');
        db.exec('DROP TABLE gov_circles');
        throw new Error('step failed');
      },
    };
    const good: Migration = { id: '29980101T0000-fine', up: (db) => db.exec('CREATE TABLE fine (x INTEGER)') };
    const snapshot = () => {
      const db = new Database(file, { readonly: true });
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
      const rows = db.prepare('SELECT count(*) FROM gov_contributions').pluck().get();
      db.close();
      return { tables, rows };
    };
    const before = snapshot();
    const result = open({ migrations: [...migrations, good, broken] });
    expect(!result.ok && result.problem).toMatchObject({ kind: 'upgrade_failed', detail: 'step failed' });
    // Neither the good step before it nor any part of the failing one stayed.
    expect(snapshot()).toEqual(before);
    expect(readdirSync(join(dir, 'backups'))).toEqual(['plenary-2026-12-07T10-00-00Z-upgrade.sqlite']);
  });
});

describe('migrate', () => {
  it('refuses a database holding steps it does not know', () => {
    const db = openDatabase(':memory:');
    db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)').run('29991231T2359-later', 0);
    expect(() => migrate(db, migrations)).toThrow(NewerSchemaError);
    db.close();
  });
});

describe('the bounded quick_check', () => {
  it('checks every table of a small store at once, and continues where it stopped when the budget runs out', () => {
    makeStore(dir);
    const db = new Database(join(dir, 'plenary.sqlite'), { readonly: true });
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
    const whole = boundedQuickCheck(db, { budgetMs: 10_000 });
    expect(whole).toEqual({ problems: [], checked: tables, next: null });
    // A clock that advances a second per reading: one table per run.
    let t = 0;
    const first = boundedQuickCheck(db, { budgetMs: 1, now: () => (t += 1000) });
    expect(first.checked).toEqual([tables[0]]);
    const second = boundedQuickCheck(db, { budgetMs: 1, startAt: first.next, now: () => (t += 1000) });
    expect(second.checked).toEqual([tables[1]]);
    const last = boundedQuickCheck(db, { budgetMs: 1, startAt: tables.at(-1)!, now: () => (t += 1000) });
    expect(last).toMatchObject({ checked: [tables.at(-1)], next: tables[0] });
    db.close();
  });
});
