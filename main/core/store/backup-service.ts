// Automatic and requested backups of the open store, in <dataDir>/backups/. Each is made
// with SQLite's online backup API (better-sqlite3's db.backup()) a few pages at a time: the
// event loop gets a turn between steps, so calls keep being answered while a large store is
// copied (bench: store.backup_stall_ms). Writes made meanwhile through the same connection
// are carried into the copy by SQLite. A backup is written under a temporary name and
// renamed when complete, so the folder never lists half a copy; then old ones are rotated
// out (policy/backup-rotation.ts).
import Database from 'better-sqlite3';
import { closeSync, existsSync, fdatasync, mkdirSync, open, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { BackupReason, BackupView } from '../../../shared/contract/data';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { backupsToKeep, dailyBackupDue } from '../policy/backup-rotation';
import { backupFileName, parseBackupFileName } from './backup-names';
import { appliedMigrations, unknownMigrations, type Db } from './database';
import { fullQuickCheck } from './integrity-check';
import { migrations } from './migrations';
import { fileSize, removeDatabase, type StorePaths } from './store-files';
import { classifyStoreError, errorMessage } from './store-problem';

/** 64 pages of 4 KiB per step: a 690 MB store (1,000,000 contributions) in about 2.5 s, no call waiting more than ~20 ms (bench: store.backup_*). */
export const defaultPagesPerStep = 64;
const hourMs = 60 * 60 * 1000;

export interface BackupServiceOptions {
  paths: StorePaths;
  clock: Clock;
  log: Logger;
  /** A backup started or ended, or one was removed. */
  onChange?: () => void;
  pagesPerStep?: number;
  /** First look for a due daily backup this long after start, then every hour. */
  firstCheckMs?: number;
}

/**
 * The backup's last step commits the copy, and the commit waits until the whole file is on
 * the disk: for a 690 MB store that was one pause of almost half a second in the event loop.
 * So while the copy is written, its pages are flushed in the background every few MB (an
 * fdatasync in Node's thread pool, never awaited by a step), and the final commit has only
 * the last few MB left to wait for.
 */
class BackgroundFlush {
  private fd: number | null = null;
  private opening = false;
  private flushing: Promise<void> | null = null;
  private flushedAt = 0;
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly everyPages = 1024,
  ) {}

  progress(copiedPages: number): void {
    if (this.fd === null) {
      if (!this.opening) {
        this.opening = true;
        open(this.file, 'r+', (error, fd) => {
          if (error) return;
          // A small copy can be done before the file was even opened here.
          if (this.closed) closeSync(fd);
          else this.fd = fd;
        });
      }
      return;
    }
    if (this.flushing || copiedPages - this.flushedAt < this.everyPages) return;
    this.flushedAt = copiedPages;
    const fd = this.fd;
    this.flushing = new Promise<void>((resolve) => fdatasync(fd, () => resolve())).then(() => {
      this.flushing = null;
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flushing;
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

export type BackupCheck = { ok: true } | { ok: false; reason: string };

export class BackupService {
  private db: Db | null = null;
  private current: Promise<BackupView> | null = null;
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly options: BackupServiceOptions) {}

  /** The open store to back up; null while it is closed. */
  attach(db: Db | null): void {
    this.db = db;
  }

  running(): boolean {
    return this.current !== null;
  }

  /** Newest first. */
  list(): BackupView[] {
    const dir = this.options.paths.backupsDir;
    if (!existsSync(dir)) return [];
    const backups: BackupView[] = [];
    for (const id of readdirSync(dir)) {
      const parsed = parseBackupFileName(id);
      if (parsed) backups.push({ id, ...parsed, sizeBytes: fileSize(join(dir, id)) });
    }
    return backups.sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id));
  }

  pathOf(id: string): string | null {
    if (!parseBackupFileName(id)) return null;
    const path = join(this.options.paths.backupsDir, id);
    return existsSync(path) ? path : null;
  }

  /** Backs up the open store; a second request while one runs waits for that one. */
  backup(reason: BackupReason): Promise<BackupView> {
    if (this.current) return this.current;
    const db = this.db;
    if (!db) return Promise.reject(new Error('the store is not open'));
    this.current = this.copy(db, reason).finally(() => {
      this.current = null;
      this.options.onChange?.();
    });
    this.options.onChange?.();
    return this.current;
  }

  /** Waits for a running backup, whatever its outcome (before the store is closed). */
  async settle(): Promise<void> {
    await this.current?.catch(() => {});
  }

  private async copy(db: Db, reason: BackupReason): Promise<BackupView> {
    const { paths, clock, log } = this.options;
    mkdirSync(paths.backupsDir, { recursive: true });
    const createdAt = clock.now();
    const id = backupFileName(createdAt, reason);
    const target = join(paths.backupsDir, id);
    const partial = `${target}.partial`;
    removeDatabase(partial);
    const pages = this.options.pagesPerStep ?? defaultPagesPerStep;
    const started = performance.now();
    const flusher = new BackgroundFlush(partial);
    try {
      await db.backup(partial, {
        progress: ({ totalPages, remainingPages }) => {
          flusher.progress(totalPages - remainingPages);
          return pages;
        },
      });
      await flusher.close();
      // The copy inherits the store's WAL mode; a backup is one self-contained file instead.
      const copy = new Database(partial);
      copy.pragma('journal_mode = DELETE');
      copy.close();
      renameSync(partial, target);
    } catch (error) {
      await flusher.close();
      removeDatabase(partial);
      log.warn('backup failed', { reason: errorMessage(error), backup: id });
      throw error;
    }
    const view: BackupView = { id, createdAt, reason, sizeBytes: fileSize(target) };
    log.info('backed up the store', { backup: id, bytes: view.sizeBytes, ms: Math.round(performance.now() - started) });
    this.rotate();
    return view;
  }

  /** Removes the backups the rotation no longer keeps. */
  rotate(): string[] {
    const all = this.list();
    const keep = backupsToKeep(all);
    const removed: string[] = [];
    for (const backup of all) {
      if (keep.has(backup.id)) continue;
      removeDatabase(join(this.options.paths.backupsDir, backup.id));
      removed.push(backup.id);
    }
    if (removed.length > 0) this.options.log.info('removed old backups', { removed });
    return removed;
  }

  /** Makes the daily backup when none was made in the last 24 hours. */
  async runIfDue(): Promise<BackupView | null> {
    if (!this.db || this.current) return null;
    if (!dailyBackupDue(this.list()[0]?.createdAt ?? null, this.options.clock.now())) return null;
    return this.backup('daily');
  }

  /** Checks for a due daily backup shortly after start and then every hour, while the app runs. */
  start(): void {
    this.stop();
    const check = () => void this.runIfDue().catch(() => {});
    const first = setTimeout(check, this.options.firstCheckMs ?? 60_000);
    const hourly = setInterval(check, hourMs);
    first.unref();
    hourly.unref();
    this.timers = [first, hourly];
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
  }

  /** Whether a backup can be restored: it opens, passes quick_check, and this build knows its schema. */
  check(id: string): BackupCheck {
    const path = this.pathOf(id);
    if (!path) return { ok: false, reason: `no backup named ${id}` };
    let db: Db | null = null;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true });
      const findings = fullQuickCheck(db);
      if (findings.length > 0) return { ok: false, reason: `damaged: ${findings.slice(0, 3).join('; ')}` };
      const unknown = unknownMigrations(appliedMigrations(db), migrations);
      if (unknown.length > 0) return { ok: false, reason: `written by a newer Plenary (schema steps ${unknown.join(', ')})` };
      return { ok: true };
    } catch (error) {
      const kind = classifyStoreError(error);
      return { ok: false, reason: kind === 'corrupt' || kind === 'not_a_database' ? `damaged: ${errorMessage(error)}` : errorMessage(error) };
    } finally {
      db?.close();
    }
  }

  /** The newest backup that passes check(), for the recovery screen (at most a few are tried). */
  newestSound(limit = 5): BackupView | null {
    for (const backup of this.list().slice(0, limit)) if (this.check(backup.id).ok) return backup;
    return null;
  }
}
