import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrations } from '../../main/core/store/migrations';
import { appliedMigrations, migrate, openDatabase } from '../../main/core/store/database';
import { repoRoot } from '../helpers/paths';
import { materializedTables } from '../../main/core/store/governance-store';

const folder = join(repoRoot, 'main/core/store/migrations');

describe('migrations', () => {
  it('are listed in timestamp order, one per file, with ids matching their file names', () => {
    const files = readdirSync(folder)
      .filter((f) => /^\d{8}T\d{4}-[a-z0-9-]+\.ts$/.test(f))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(migrations.map((m) => m.id)).toEqual(files);
    expect([...migrations.map((m) => m.id)].sort()).toEqual(migrations.map((m) => m.id));
  });

  it('have unique timestamps (the one pair that landed sharing one stays: applied ids are recorded by full name)', () => {
    // schema_migrations keys on the whole id, so renaming a landed step would run it again on
    // every existing database. The known pair is allowed; no new step may share a timestamp.
    const known = new Set(['20261122T0300']);
    const byStamp = new Map<string, string[]>();
    for (const m of migrations) byStamp.set(m.id.slice(0, 13), [...(byStamp.get(m.id.slice(0, 13)) ?? []), m.id]);
    const shared = [...byStamp].filter(([stamp, ids]) => ids.length > 1 && !known.has(stamp));
    expect(shared).toEqual([]);
    expect(byStamp.get('20261122T0300')).toEqual(['20261122T0300-governance', '20261122T0300-matrix-session']);
  });

  it('create the governance tables and indices from an empty database', () => {
    const db = openDatabase(':memory:');
    const names = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')").all() as { name: string }[]).map((r) => r.name));
    for (const [table] of materializedTables) expect(names, table).toContain(table);
    for (const name of ['ops', 'ops_ballots', 'ops_members']) expect(names, name).toContain(name);
    db.close();
  });

  it('run from an empty database, each recorded once, and a second run does nothing', () => {
    const db = openDatabase(':memory:');
    expect(appliedMigrations(db)).toEqual(migrations.map((m) => m.id));
    expect(migrate(db, migrations)).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });

  it('roll back a failing step completely', () => {
    const db = new Database(':memory:');
    const broken = [
      {
        id: '20990101T0000-broken',
        up(d: Database.Database) {
          d.exec('CREATE TABLE half (x INTEGER)');
          throw new Error('step failed');
        },
      },
    ];
    expect(() => migrate(db, broken)).toThrow('step failed');
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    expect(appliedMigrations(db)).toEqual([]);
  });
});
