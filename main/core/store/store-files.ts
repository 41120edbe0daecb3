// Where the store and its copies live in the data folder, and the two file moves the core
// ever makes on the store: keeping a file aside (renamed, never deleted) and putting a
// backup in its place. SQLite's -wal and -shm files always move with their database: a
// stale write-ahead log left next to another database would be replayed into it.
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { KeptFileView } from '../../../shared/contract/data';

export const storeFileName = 'plenary.sqlite';
const sidecars = ['-wal', '-shm'] as const;

export interface StorePaths {
  dataDir: string;
  file: string;
  backupsDir: string;
  /** Export files being assembled and import files being received (emptied at start). */
  transfersDir: string;
  /** A staged store swap (see StoreSwap), applied when the store is next opened. */
  swapJournal: string;
}

export function storePaths(dataDir: string): StorePaths {
  return {
    dataDir,
    file: join(dataDir, storeFileName),
    backupsDir: join(dataDir, 'backups'),
    transfersDir: join(dataDir, 'transfers'),
    swapJournal: join(dataDir, 'store-swap.json'),
  };
}

/** A timestamp that sorts and is valid in file names on every system: 2026-12-07T10-30-00Z. */
export function fileStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
}

export function parseFileStamp(stamp: string): number | null {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})Z$/.exec(stamp);
  if (!match) return null;
  const ms = Date.parse(`${match[1]}T${match[2]}:${match[3]}:${match[4]}Z`);
  return Number.isNaN(ms) ? null : ms;
}

/** The name a store file is kept under when moved aside: plenary.sqlite.damaged-<stamp>. */
export function keptName(reason: KeptFileView['reason'], now: number): string {
  return `${storeFileName}.${reason}-${fileStamp(now)}`;
}

const keptPattern = /^plenary\.sqlite\.(damaged|before-restore)-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z)(\.\d+)?$/;

/** Store files kept aside in the data folder, newest first. */
export function listKept(paths: StorePaths): KeptFileView[] {
  if (!existsSync(paths.dataDir)) return [];
  const kept: KeptFileView[] = [];
  for (const name of readdirSync(paths.dataDir)) {
    const match = keptPattern.exec(name);
    if (!match) continue;
    const keptAt = parseFileStamp(match[2]!);
    if (keptAt === null) continue;
    const path = join(paths.dataDir, name);
    kept.push({ name, path, sizeBytes: statSync(path).size, keptAt, reason: match[1] as KeptFileView['reason'] });
  }
  return kept.sort((a, b) => b.keptAt - a.keptAt);
}

/** Renames a database and its -wal and -shm files; a missing sidecar is fine. */
export function moveDatabase(from: string, to: string): void {
  if (existsSync(from)) renameSync(from, to);
  for (const suffix of sidecars) if (existsSync(from + suffix)) renameSync(from + suffix, to + suffix);
}

/** Removes a database file and its sidecars (only ever temporary files and rotated backups). */
export function removeDatabase(file: string): void {
  for (const suffix of ['', ...sidecars]) rmSync(file + suffix, { force: true });
}

export function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * Writes a file so that it is either absent or complete: temporary file, fsync, rename. `mode`
 * is for files only the user may read (the crypto store, the sealed chat database).
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, options: { mode?: number } = {}): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, data, options.mode === undefined ? {} : { mode: options.mode });
  const fd = openSync(temporary, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}

/** Copies a file in full, durably, under its final name only once complete. */
export function copyFileDurably(from: string, to: string): void {
  const temporary = `${to}.${process.pid}.tmp`;
  copyFileSync(from, temporary);
  const fd = openSync(temporary, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, to);
}

/**
 * A change of the store file made while it is closed: the current file is kept aside, then
 * a backup is copied in its place ('restore') or nothing is ('empty': the next open starts a
 * new store). Written to a journal first and applied when the store is next opened, so a
 * crash half-way is finished at the next start instead of leaving no store at all.
 */
export type StoreSwap = ({ kind: 'restore'; backup: string } | { kind: 'empty' }) & {
  keptAs: string;
  /** Set once the current file is kept aside, so a second run after a crash does not move the new one. */
  moved?: true;
};

export function stageSwap(paths: StorePaths, swap: StoreSwap): void {
  writeFileAtomic(paths.swapJournal, JSON.stringify(swap));
}

export function stagedSwap(paths: StorePaths): StoreSwap | null {
  if (!existsSync(paths.swapJournal)) return null;
  const parsed = JSON.parse(readFileSync(paths.swapJournal, 'utf8')) as StoreSwap;
  if ((parsed.kind !== 'restore' && parsed.kind !== 'empty') || typeof parsed.keptAs !== 'string' || basename(parsed.keptAs) !== parsed.keptAs) {
    throw new Error(`${paths.swapJournal} is not a store swap this Plenary wrote`);
  }
  if (parsed.kind === 'restore' && (typeof parsed.backup !== 'string' || basename(parsed.backup) !== parsed.backup)) {
    throw new Error(`${paths.swapJournal} names a backup outside the backups folder`);
  }
  return parsed;
}

/** A name next to `file` that nothing uses yet: file, file.1, file.2, … */
function unusedName(file: string): string {
  let candidate = file;
  for (let n = 1; existsSync(candidate); n++) candidate = `${file}.${n}`;
  return candidate;
}

/**
 * Applies a staged swap. Each step is recorded before the next, so running it again after a
 * crash finishes the job: the current file is moved once and never deleted, and the backup
 * is copied under a temporary name and renamed into place only when complete.
 * Returns where the previous file was kept (null when there was none).
 */
export function applySwap(paths: StorePaths, swap: StoreSwap): string | null {
  let keptAt: string | null = join(paths.dataDir, swap.keptAs);
  if (!swap.moved) {
    if (existsSync(paths.file)) {
      keptAt = unusedName(keptAt);
      moveDatabase(paths.file, keptAt);
    } else keptAt = null;
    stageSwap(paths, { ...swap, keptAs: keptAt ? basename(keptAt) : swap.keptAs, moved: true });
  }
  if (swap.kind === 'restore') copyFileDurably(join(paths.backupsDir, swap.backup), paths.file);
  rmSync(paths.swapJournal, { force: true });
  return keptAt;
}
