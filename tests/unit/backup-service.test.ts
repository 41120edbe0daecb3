// Backups with SQLite's online backup: a complete, self-contained file under its final name
// only once done, carrying changes made while it ran; the daily one when due; old ones
// rotated out on disk; a damaged one refused for restoring.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackupService } from '../../main/core/store/backup-service';
import { storePaths } from '../../main/core/store/store-files';
import { openDatabase, type Db } from '../../main/core/store/database';
import { GovernanceStore } from '../../main/core/store/governance-store';
import { FakeClock } from '../../main/core/clock';
import { createLogger, memorySink } from '../../main/core/log';
import { dayMs } from '../../main/core/policy/backup-rotation';
import { seedCircle, seedContributions } from '../helpers/governance-seed';
import { corruptTable, testActor } from '../helpers/store-files';

let dir = '';
let db: Db;
let store: GovernanceStore;
let clock: FakeClock;
let backups: BackupService;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'plenary-backups-'));
  db = openDatabase(join(dir, 'plenary.sqlite'));
  clock = new FakeClock(Date.parse('2026-12-07T09:00:00Z'));
  store = new GovernanceStore(db, { actor: testActor, now: () => clock.now() });
  backups = new BackupService({ paths: storePaths(dir), clock, log: createLogger('test', memorySink().sink), pagesPerStep: 1 });
  backups.attach(db);
});

afterEach(() => {
  backups.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = (file: string) => {
  const copy = new Database(file, { readonly: true });
  try {
    return copy.prepare('SELECT count(*) FROM gov_contributions').pluck().get() as number;
  } finally {
    copy.close();
  }
};

describe('the backup service', () => {
  it('copies the store a page at a time, including what was written meanwhile, into one self-contained file', async () => {
    const circle = seedCircle(store, testActor, []);
    seedContributions(store, circle, testActor, 300);
    const running = backups.backup('manual');
    expect(backups.running()).toBe(true);
    // Written while the copy is under way, through the same connection.
    seedContributions(store, circle, testActor, 50, 9);
    const view = await running;
    expect(backups.running()).toBe(false);
    const file = join(dir, 'backups', view.id);
    expect(view).toMatchObject({ id: 'plenary-2026-12-07T09-00-00Z-manual.sqlite', reason: 'manual', createdAt: clock.now() });
    expect(count(file)).toBe(350);
    expect(readdirSync(join(dir, 'backups'))).toEqual([view.id]);
    const copy = new Database(file, { readonly: true });
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    copy.close();
    expect(backups.check(view.id)).toEqual({ ok: true });
  });

  it('makes the daily backup when none is younger than a day, and rotates old ones out of the folder', async () => {
    expect((await backups.runIfDue())?.reason).toBe('daily');
    clock.advance(dayMs - 1);
    expect(await backups.runIfDue()).toBeNull();
    for (let day = 0; day < 40; day++) {
      clock.advance(dayMs);
      await backups.runIfDue();
    }
    const left = backups.list();
    // 7 days, plus the newest of 4 weeks of which the newest is among the days.
    expect(left.length).toBeLessThanOrEqual(7 + 3);
    expect(left.length).toBeGreaterThanOrEqual(7 + 2);
    expect(readdirSync(join(dir, 'backups')).sort()).toEqual(left.map((b) => b.id).sort());
  });

  it('refuses to restore a damaged backup or one that is not there', async () => {
    seedCircle(store, testActor, []);
    const view = await backups.backup('manual');
    corruptTable(join(dir, 'backups', view.id));
    expect(backups.check(view.id)).toMatchObject({ ok: false, reason: expect.stringMatching(/^damaged: /) as unknown });
    expect(backups.newestSound()).toBeNull();
    expect(backups.check('plenary-2026-01-01T00-00-00Z-daily.sqlite')).toMatchObject({ ok: false });
    expect(backups.check('../plenary.sqlite')).toMatchObject({ ok: false });
  });

  it('leaves no partial file when the copy fails', async () => {
    db.close();
    db = openDatabase(join(dir, 'plenary.sqlite'));
    backups.attach(db);
    const closing = backups.backup('manual');
    db.close();
    await expect(closing).rejects.toThrow();
    expect(readdirSync(join(dir, 'backups'))).toEqual([]);
    db = openDatabase(join(dir, 'plenary.sqlite'));
    expect(existsSync(join(dir, 'plenary.sqlite'))).toBe(true);
  });
});
