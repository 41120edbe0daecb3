// Behind the data.* calls: backups listed, made and restored; the whole store exported and
// imported; the recovery choices when the store could not be opened. Closing and opening
// the store again is the host's job (core-host.ts); this service stages what the next
// opening applies (store-files.ts: a swap) and asks the host to restart.
import { basename, join } from 'node:path';
import type { BackupView, DataOverview, ExportStarted, ImportReport, RecoveryChoice, StoreRecoveryView, StoreStatusView } from '../../../shared/contract/data';
import { PlenaryError } from '../../../shared/errors';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { MemberIdentity } from '../identity/member-identity';
import type { BackupService } from './backup-service';
import type { Db } from './database';
import type { GovernanceStore } from './governance-store';
import { fileSize, fileStamp, keptName, listKept, stageSwap, type StorePaths } from './store-files';
import { ArchiveError, writeArchive } from './store-archive';
import { importArchive } from './store-import';
import type { Transfers } from './transfers';

/** The parts of an open store the data calls use. */
export interface OpenSession {
  db: Db;
  governance: GovernanceStore;
  identity: MemberIdentity;
  /** Tells the page that settings changed (an import into an empty store takes the file's). */
  settingsChanged(): void;
}

export interface DataHost {
  session(): OpenSession | null;
  recovery(): StoreRecoveryView | null;
  /** Closes the store and opens it again, applying what was staged: in this process, or by restarting it. */
  restart(): void;
  /** Ends Plenary; null where the page cannot (tests). */
  quit: (() => void) | null;
}

export interface DataServiceDeps {
  paths: StorePaths;
  backups: BackupService;
  transfers: Transfers;
  clock: Clock;
  log: Logger;
  appVersion: string;
  changed(reason: 'backup' | 'restore' | 'import'): void;
}

function unavailable(): PlenaryError {
  return new PlenaryError('store_unavailable', 'The store is closed for recovery; choose what to do on the recovery screen');
}

function archiveFailure(error: ArchiveError): PlenaryError {
  return new PlenaryError(error.code, error.message, { params: { version: error.writtenBy ?? '?' }, cause: error });
}

export class DataService {
  private busy: Promise<unknown> | null = null;

  constructor(
    private readonly host: DataHost,
    private readonly deps: DataServiceDeps,
  ) {}

  private session(): OpenSession {
    const session = this.host.session();
    if (!session) throw unavailable();
    return session;
  }

  /** Runs one export or import at a time; the host waits for it before closing the store. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.busy) throw new PlenaryError('conflict', 'An export or import is already running; wait for it to finish');
    const running = work().finally(() => (this.busy = null));
    this.busy = running;
    return running;
  }

  async settle(): Promise<void> {
    await this.busy?.catch(() => {});
  }

  status(): StoreStatusView {
    const recovery = this.host.recovery();
    return recovery ? { state: 'recovery', recovery } : { state: 'ready' };
  }

  overview(): DataOverview {
    const { paths, backups } = this.deps;
    return {
      dataDir: paths.dataDir,
      storeFile: paths.file,
      storeSizeBytes: fileSize(paths.file) + fileSize(`${paths.file}-wal`),
      backupsDir: paths.backupsDir,
      backups: backups.list(),
      kept: listKept(paths),
      backingUp: backups.running(),
    };
  }

  backupNow(): Promise<BackupView> {
    this.session();
    return this.deps.backups.backup('manual');
  }

  /** Settings › Data: the current file is kept aside, the backup copied in its place, the store opened again. */
  restore(backupId: string): { restarting: boolean; keptAs: string } {
    this.session();
    const check = this.deps.backups.check(backupId);
    if (!check.ok) {
      throw new PlenaryError('file_damaged', `The backup ${backupId} cannot be restored: ${check.reason}`, { field: 'backupId', params: { version: '?' } });
    }
    const keptAs = keptName('before-restore', this.deps.clock.now());
    stageSwap(this.deps.paths, { kind: 'restore', backup: backupId, keptAs });
    this.deps.log.info('restoring a backup', { backup: backupId, keptAs });
    this.host.restart();
    return { restarting: true, keptAs: join(this.deps.paths.dataDir, keptAs) };
  }

  recover(choice: RecoveryChoice): { restarting: boolean } {
    const recovery = this.host.recovery();
    if (!recovery) throw new PlenaryError('conflict', 'The store is open; there is nothing to recover', { field: 'choice' });
    if (!recovery.choices.includes(choice)) {
      throw new PlenaryError('invalid_input', `"${choice}" is not one of the choices for this problem (${recovery.choices.join(', ')})`, {
        field: 'choice',
        params: { field: 'choice', detail: `one of ${recovery.choices.join(', ')}` },
      });
    }
    const { paths, log } = this.deps;
    const keptAs = basename(recovery.keptAs);
    switch (choice) {
      case 'quit':
        if (!this.host.quit) throw new PlenaryError('not_supported', 'This Plenary cannot be ended from the page');
        log.info('the member chose to quit from the recovery screen', { problem: recovery.problem });
        this.host.quit();
        return { restarting: false };
      case 'retry':
        break;
      case 'restore-backup': {
        const latest = recovery.latestBackup;
        const check = latest ? this.deps.backups.check(latest.id) : { ok: false as const, reason: 'there is no backup' };
        if (!latest || !check.ok) throw new PlenaryError('file_damaged', `The latest backup cannot be restored: ${check.ok ? '' : check.reason}`, { params: { version: '?' } });
        stageSwap(paths, { kind: 'restore', backup: latest.id, keptAs });
        break;
      }
      case 'start-empty':
        stageSwap(paths, { kind: 'empty', keptAs });
        break;
    }
    log.info('recovering the store', { problem: recovery.problem, choice });
    this.host.restart();
    return { restarting: true };
  }

  exportBegin(): Promise<ExportStarted> {
    const { db } = this.session();
    return this.exclusive(async () => {
      const { transfers, clock, appVersion } = this.deps;
      const { id, file } = transfers.exportFile();
      const now = clock.now();
      const { operations } = await writeArchive(db, file, { appVersion, now });
      const size = transfers.addExport(id, file);
      this.deps.log.info('exported the store', { operations, bytes: size.sizeBytes });
      return { exportId: id, fileName: `plenary-export-${fileStamp(now)}.plenary`, operations, ...size };
    });
  }

  exportChunk(exportId: string, index: number): { data: string } {
    return { data: this.deps.transfers.exportChunk(exportId, index) };
  }

  exportEnd(exportId: string): { done: true } {
    this.deps.transfers.endExport(exportId);
    return { done: true };
  }

  importBegin(sizeBytes: number): { importId: string; chunkBytes: number } {
    this.session();
    return this.deps.transfers.beginImport(sizeBytes);
  }

  importChunk(importId: string, index: number, data: string): { receivedBytes: number } {
    return { receivedBytes: this.deps.transfers.importChunk(importId, index, data) };
  }

  importEnd(importId: string): Promise<ImportReport> {
    const session = this.session();
    const file = this.deps.transfers.importedFile(importId);
    return this.exclusive(async () => {
      try {
        // A store with data gets a backup first: an import cannot be undone operation by operation.
        if (session.governance.opCount() > 0) await this.deps.backups.backup('before-import');
        const report = await importArchive(file, session);
        this.deps.log.info('imported an export', { from: report.fromVersion, operations: report.operations, added: report.added, alreadyHere: report.alreadyHere, refused: report.refused });
        this.deps.changed('import');
        return report;
      } catch (error) {
        if (error instanceof ArchiveError) throw archiveFailure(error);
        throw error;
      } finally {
        this.deps.transfers.endImport(importId);
      }
    });
  }
}
