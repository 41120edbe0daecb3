// What went wrong with the store file, from the error SQLite or the file system gave.
// At start it chooses the recovery screen's words (StoreProblemKind); during a call it
// turns a failed write into an error the member can act on (storage_full, …) instead of
// "unexpected problem".
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PlenaryError } from '../../../shared/errors';
import type { StoreProblemKind } from '../../../shared/contract/data';

/** better-sqlite3's SqliteError carries SQLite's extended code as a string (SQLITE_IOERR_WRITE); Node's fs errors carry errno names. */
export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The kind of problem an error from opening, checking or migrating the store shows. */
export function classifyStoreError(error: unknown): StoreProblemKind {
  const code = errorCode(error);
  if (code.startsWith('SQLITE_CORRUPT')) return 'corrupt';
  if (code === 'SQLITE_NOTADB') return 'not_a_database';
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return 'disk_full';
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') return 'read_only';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'locked';
  if (code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH' || code === 'EACCES' || code === 'EPERM') return 'unreadable';
  return 'io_error';
}

/** Errors SQLite or the file system give when a write could not reach the disk. */
export function isStorageError(error: unknown): boolean {
  const code = errorCode(error);
  return (
    code === 'SQLITE_FULL' ||
    code.startsWith('SQLITE_READONLY') ||
    code.startsWith('SQLITE_IOERR') ||
    code.startsWith('SQLITE_CANTOPEN') ||
    code.startsWith('SQLITE_CORRUPT') ||
    code === 'SQLITE_NOTADB' ||
    code.startsWith('SQLITE_BUSY') ||
    ['ENOSPC', 'EDQUOT', 'EROFS', 'EIO', 'EACCES', 'EPERM'].includes(code)
  );
}

export type FolderState = 'writable' | 'full' | 'read_only';

/**
 * Whether the data folder takes a write now. SQLite reports a write refused by a read-only
 * file system only as an I/O error, so a failed write is followed by this small probe: a
 * one-byte file written and removed.
 */
export function probeFolder(dir: string): FolderState {
  const probe = join(dir, `.plenary-write-probe-${process.pid}`);
  try {
    writeFileSync(probe, 'x');
    rmSync(probe, { force: true });
    return 'writable';
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOSPC' || code === 'EDQUOT') return 'full';
    if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return 'read_only';
    return 'writable';
  }
}

/**
 * The error a call answers when its change could not be written: the transaction was rolled
 * back, so nothing of this change is in the store and everything recorded before is.
 * Null when the error is not about storage.
 */
export function storageCallError(error: unknown, channel: string, dataDir: string): PlenaryError | null {
  if (!isStorageError(error)) return null;
  const code = errorCode(error);
  const detail = errorMessage(error);
  const folder = code === 'SQLITE_FULL' ? 'full' : probeFolder(dataDir);
  const options = { params: { folder: dataDir, detail }, cause: error };
  if (folder === 'full' || code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return new PlenaryError('storage_full', `${channel} was not saved: the disk holding ${dataDir} is full (${detail})`, options);
  }
  if (folder === 'read_only' || code.startsWith('SQLITE_READONLY') || code === 'EROFS') {
    return new PlenaryError('storage_read_only', `${channel} was not saved: ${dataDir} cannot be written to (${detail})`, options);
  }
  return new PlenaryError('storage_failed', `${channel} was not saved: writing to ${dataDir} failed (${detail})`, options);
}
