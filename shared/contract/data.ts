// Your data: the state of the local store, its backups, export and import of the whole
// store, and the recovery choices when the store cannot be opened. These calls answer in
// every state of the core; the other calls answer store_unavailable while the store is
// closed for recovery.
import { z } from 'zod';
import { call, event, returns } from './define';

/** Why the store could not be opened; the recovery screen puts each in words. */
export const storeProblemKinds = [
  'corrupt',
  'not_a_database',
  'unreadable',
  'read_only',
  'locked',
  'disk_full',
  'io_error',
  'newer_schema',
  'upgrade_failed',
] as const;
export type StoreProblemKind = (typeof storeProblemKinds)[number];

/** What the member may do about it; which apply is decided in main/core/policy/store-recovery.ts. */
export const recoveryChoices = ['restore-backup', 'start-empty', 'retry', 'quit'] as const;
export type RecoveryChoice = (typeof recoveryChoices)[number];

export const backupReasons = ['daily', 'upgrade', 'manual', 'before-import'] as const;
export type BackupReason = (typeof backupReasons)[number];

export interface BackupView {
  /** The file name in the backups folder; restoring names a backup by it. */
  id: string;
  createdAt: number;
  sizeBytes: number;
  reason: BackupReason;
}

/** A store file moved aside (never deleted): a damaged one, or the one a restore replaced. */
export interface KeptFileView {
  name: string;
  path: string;
  sizeBytes: number;
  keptAt: number;
  reason: 'damaged' | 'before-restore';
}

export interface StoreRecoveryView {
  problem: StoreProblemKind;
  /** The store file concerned. */
  file: string;
  dataDir: string;
  /** The SQLite or file system message, in English, for a report. */
  detail: string;
  /** This Plenary's version. */
  appVersion: string;
  /** For newer_schema: the Plenary version that last wrote the file, when it recorded one. */
  writtenBy: string | null;
  choices: RecoveryChoice[];
  /** The newest backup that opens and passes a quick check, offered by restore-backup. */
  latestBackup: BackupView | null;
  /** Where the file will be kept when a choice moves it aside. */
  keptAs: string;
}

export type StoreStatusView = { state: 'ready' } | { state: 'recovery'; recovery: StoreRecoveryView };

export interface DataOverview {
  /** The folder holding plenary.sqlite. */
  dataDir: string;
  storeFile: string;
  storeSizeBytes: number;
  backupsDir: string;
  /** Newest first. */
  backups: BackupView[];
  kept: KeptFileView[];
  /** A backup is running (daily, before an import, or asked for). */
  backingUp: boolean;
}

export interface ExportStarted {
  exportId: string;
  fileName: string;
  sizeBytes: number;
  chunkBytes: number;
  chunks: number;
  operations: number;
}

/** What an import added, by kind of operation. */
export interface ImportReport {
  fromVersion: string;
  operations: number;
  added: { circles: number; assemblies: number; votes: number; ballots: number; contributions: number; other: number };
  /** Already in this store (the same operation id). */
  alreadyHere: number;
  /** Refused by the same checks sync applies; kept out of the store. */
  refused: number;
  /** Settings are taken from the file only into a store that had no data yet. */
  settingsImported: boolean;
  /** Into a store with no data yet, the file's member identity is kept, so roles stay theirs. */
  identityKept: boolean;
}

const backupId = z.string().regex(/^plenary-[0-9TZ-]+-[a-z-]+\.sqlite$/, 'must be a backup file name from data.overview').max(120);
const transferId = z.string().regex(/^[0-9a-f]{32}$/, 'must be an id returned by the start of the transfer');
/** 4 MB bridge messages: a base64 chunk of up to 1 MiB fits with room to spare. */
export const maxChunkBytes = 1024 * 1024;
export const maxImportBytes = 4 * 1024 * 1024 * 1024;

export const dataCalls = {
  data: {
    status: call(z.object({}).strict(), returns<StoreStatusView>()),
    recover: call(z.object({ choice: z.enum(recoveryChoices) }).strict(), returns<{ restarting: boolean }>()),
    overview: call(z.object({}).strict(), returns<DataOverview>()),
    backupNow: call(z.object({}).strict(), returns<BackupView>()),
    restore: call(z.object({ backupId }).strict(), returns<{ restarting: boolean; keptAs: string }>()),
    exportBegin: call(z.object({}).strict(), returns<ExportStarted>()),
    exportChunk: call(z.object({ exportId: transferId, index: z.int().min(0) }).strict(), returns<{ data: string }>()),
    exportEnd: call(z.object({ exportId: transferId }).strict(), returns<{ done: true }>()),
    importBegin: call(z.object({ fileName: z.string().min(1).max(255), sizeBytes: z.int().min(1).max(maxImportBytes) }).strict(), returns<{ importId: string; chunkBytes: number }>()),
    importChunk: call(
      z.object({ importId: transferId, index: z.int().min(0), data: z.base64().max(Math.ceil(maxChunkBytes / 3) * 4) }).strict(),
      returns<{ receivedBytes: number }>(),
    ),
    importEnd: call(z.object({ importId: transferId }).strict(), returns<ImportReport>()),
  },
};

export const dataEvents = {
  /** The backups or kept files changed, or a backup started or ended: refetch data.overview. */
  'data.changed': event<{ reason: 'backup' | 'restore' | 'import' }>(),
  /** The store was closed and opened again (a restore, a recovery): the page reloads. */
  'data.reopened': event<{ state: StoreStatusView['state'] }>(),
};
