// Opens the store the way the core starts: never throws on a bad file, and never writes to
// one it should not. In order:
//   1. finish a staged swap (a restore, or starting empty after damage; store-files.ts);
//   2. look at an existing file read-only: can it be read, is it a database, did a later
//      Plenary upgrade it (schema steps this build does not know: refused, untouched), and a
//      time-bounded quick_check (integrity-check.ts);
//   3. open it for writing; before any migration runs on a store with data, copy it whole
//      into the backups folder; then run the pending migrations in one transaction, so a
//      failing step leaves the file as it was;
//   4. record which Plenary opened it last (meta 'store_opened_by'), which step 2 of an older
//      build names when it refuses the file.
// Whatever fails, the answer is a StoreProblem the recovery screen puts in words.
import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { StoreProblemKind } from '../../../shared/contract/data';
import type { Logger } from '../log';
import { migrate, pendingMigrations, unknownMigrations, appliedMigrations, type Db } from './database';
import { migrations as allMigrations, type Migration } from './migrations';
import { boundedQuickCheck } from './integrity-check';
import { applySwap, fileStamp, stagedSwap, type StorePaths } from './store-files';
import { classifyStoreError, errorMessage } from './store-problem';
import { backupFileName } from './backup-names';

export interface StoreProblem {
  kind: StoreProblemKind;
  /** SQLite's or the file system's words, for the log and a report. */
  detail: string;
  /** For newer_schema: the Plenary version that last opened the file. */
  writtenBy: string | null;
}

export interface OpenStoreOptions {
  paths: StorePaths;
  appVersion: string;
  now: () => number;
  log: Logger;
  /** The schema steps; tests add a failing one. */
  migrations?: readonly Migration[];
  /** Time the start may spend on quick_check (see integrity-check.ts). */
  integrityBudgetMs?: number;
  /** How long to wait for another program holding the file before calling it locked. */
  lockWaitMs?: number;
}

export type OpenStoreResult =
  | { ok: true; db: Db; ran: string[]; upgradeBackup: string | null; keptAt: string | null }
  | { ok: false; problem: StoreProblem };

const metaOpenedBy = 'store_opened_by';
const metaIntegrityNext = 'store_integrity_next';

function readMeta(db: Db, key: string): string | null {
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
  if (!hasMeta) return null;
  return (db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined) ?? null;
}

function problem(kind: StoreProblemKind, detail: string, writtenBy: string | null = null): { ok: false; problem: StoreProblem } {
  return { ok: false, problem: { kind, detail, writtenBy } };
}

interface Inspection {
  applied: string[];
  integrityNext: string | null;
}

/** Step 2: read-only, so a file this build must refuse is left exactly as it was. */
function inspect(file: string, options: OpenStoreOptions, list: readonly Migration[]): Inspection | { ok: false; problem: StoreProblem } {
  try {
    accessSync(file, constants.R_OK | constants.W_OK);
  } catch (error) {
    return problem(classifyStoreError(error), errorMessage(error));
  }
  // A read-only connection to a WAL store creates empty -wal and -shm files when they are
  // missing; they are removed again so a refused file is left as found.
  const hadSidecars = existsSync(`${file}-wal`) || existsSync(`${file}-shm`);
  let db: Db | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma(`busy_timeout = ${options.lockWaitMs ?? 2000}`);
    const applied = appliedMigrations(db);
    const unknown = unknownMigrations(applied, list);
    if (unknown.length > 0) {
      const writtenBy = readMeta(db, metaOpenedBy);
      return problem('newer_schema', `unknown schema steps: ${unknown.join(', ')}`, writtenBy);
    }
    const integrity = boundedQuickCheck(db, { budgetMs: options.integrityBudgetMs ?? 300, startAt: readMeta(db, metaIntegrityNext) });
    if (integrity.problems.length > 0) return problem('corrupt', integrity.problems.slice(0, 3).join('; '));
    return { applied, integrityNext: integrity.next };
  } catch (error) {
    return problem(classifyStoreError(error), errorMessage(error));
  } finally {
    db?.close();
    if (!hadSidecars) {
      for (const suffix of ['-wal', '-shm']) {
        const sidecar = file + suffix;
        if (existsSync(sidecar) && (suffix === '-shm' || statSync(sidecar).size === 0)) rmSync(sidecar, { force: true });
      }
    }
  }
}

export function openStore(options: OpenStoreOptions): OpenStoreResult {
  const { paths, log } = options;
  const list = options.migrations ?? allMigrations;
  let keptAt: string | null = null;
  try {
    mkdirSync(paths.dataDir, { recursive: true });
    const swap = stagedSwap(paths);
    if (swap) {
      keptAt = applySwap(paths, swap);
      log.info('store swapped', { kind: swap.kind, kept: keptAt, ...(swap.kind === 'restore' ? { backup: swap.backup } : {}) });
    }
  } catch (error) {
    return problem(classifyStoreError(error), errorMessage(error));
  }

  let inspection: Inspection = { applied: [], integrityNext: null };
  if (existsSync(paths.file)) {
    const inspected = inspect(paths.file, options, list);
    if ('ok' in inspected) return inspected;
    inspection = inspected;
  }

  let db: Db | null = null;
  try {
    db = new Database(paths.file);
    db.pragma(`busy_timeout = ${options.lockWaitMs ?? 2000}`);
    db.pragma('journal_mode = WAL');
    // FULL: every commit reaches the disk before the call that made it returns. With NORMAL,
    // a commit can still be lost to a power cut or a disk that drops to read-only (tested:
    // tests/integration/storage-full.test.ts), and this file is the coop's only copy.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    const pending = pendingMigrations(inspection.applied, list);
    let upgradeBackup: string | null = null;
    if (pending.length > 0 && inspection.applied.length > 0) {
      // The backup must be whole before the first step runs, and the start is synchronous,
      // so this copy is SQLite's VACUUM INTO (a consistent, compacted copy made in one
      // statement) rather than the online backup the daily copies use.
      mkdirSync(paths.backupsDir, { recursive: true });
      upgradeBackup = join(paths.backupsDir, backupFileName(options.now(), 'upgrade'));
      db.prepare('VACUUM INTO ?').run(upgradeBackup);
      log.info('backed up the store before upgrading it', { backup: upgradeBackup, steps: pending.map((m) => m.id) });
    }
    let ran: string[];
    try {
      ran = migrate(db, list);
    } catch (error) {
      const kind = classifyStoreError(error);
      log.error('could not upgrade the store; it was left as it was', { reason: errorMessage(error), backup: upgradeBackup });
      db.close();
      return problem(kind === 'io_error' ? 'upgrade_failed' : kind, errorMessage(error));
    }
    db.pragma('busy_timeout = 5000');
    const setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    db.transaction(() => {
      setMeta.run(metaOpenedBy, options.appVersion);
      if (inspection.integrityNext) setMeta.run(metaIntegrityNext, inspection.integrityNext);
      else db!.prepare('DELETE FROM meta WHERE key = ?').run(metaIntegrityNext);
    })();
    if (ran.length > 0) log.info('upgraded the store', { steps: ran, at: fileStamp(options.now()) });
    return { ok: true, db, ran, upgradeBackup, keptAt };
  } catch (error) {
    db?.close();
    return problem(classifyStoreError(error), errorMessage(error));
  }
}
