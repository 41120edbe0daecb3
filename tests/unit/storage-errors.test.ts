// Errors from SQLite and the file system, named: at start for the recovery screen, during a
// call as the error the member reads (storage_full, storage_read_only, storage_failed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyStoreError, isStorageError, storageCallError } from '../../main/core/store/store-problem';

const dir = mkdtempSync(join(tmpdir(), 'plenary-storage-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sqlite = (code: string) => new Database.SqliteError(`${code} from SQLite`, code);
const fs = (code: string) => Object.assign(new Error(`${code}: from the file system`), { code });

describe('store problems at start', () => {
  it('names each failure', () => {
    expect(classifyStoreError(sqlite('SQLITE_CORRUPT'))).toBe('corrupt');
    expect(classifyStoreError(sqlite('SQLITE_CORRUPT_INDEX'))).toBe('corrupt');
    expect(classifyStoreError(sqlite('SQLITE_NOTADB'))).toBe('not_a_database');
    expect(classifyStoreError(sqlite('SQLITE_FULL'))).toBe('disk_full');
    expect(classifyStoreError(fs('ENOSPC'))).toBe('disk_full');
    expect(classifyStoreError(sqlite('SQLITE_READONLY_DIRECTORY'))).toBe('read_only');
    expect(classifyStoreError(fs('EROFS'))).toBe('read_only');
    expect(classifyStoreError(sqlite('SQLITE_BUSY'))).toBe('locked');
    expect(classifyStoreError(sqlite('SQLITE_LOCKED_SHAREDCACHE'))).toBe('locked');
    expect(classifyStoreError(sqlite('SQLITE_CANTOPEN'))).toBe('unreadable');
    expect(classifyStoreError(fs('EACCES'))).toBe('unreadable');
    expect(classifyStoreError(sqlite('SQLITE_IOERR_READ'))).toBe('io_error');
    expect(classifyStoreError(new Error('anything else'))).toBe('io_error');
  });
});

describe('a change that could not be written', () => {
  it('is storage_full, storage_read_only or storage_failed, with the data folder and what SQLite said', () => {
    expect(storageCallError(sqlite('SQLITE_FULL'), 'governance.createCircle', dir)?.toJSON()).toEqual({
      code: 'storage_full',
      message: `governance.createCircle was not saved: the disk holding ${dir} is full (SQLITE_FULL from SQLite)`,
      params: { folder: dir, detail: 'SQLITE_FULL from SQLite' },
    });
    expect(storageCallError(sqlite('SQLITE_READONLY'), 'settings.set', dir)?.code).toBe('storage_read_only');
    // The folder takes writes, so an I/O error is neither full nor read-only.
    expect(storageCallError(sqlite('SQLITE_IOERR_WRITE'), 'settings.set', dir)?.code).toBe('storage_failed');
  });

  it('leaves other failures alone', () => {
    expect(isStorageError(new TypeError('x is undefined'))).toBe(false);
    expect(storageCallError(new TypeError('x is undefined'), 'settings.set', dir)).toBeNull();
    expect(storageCallError(sqlite('SQLITE_CONSTRAINT_UNIQUE'), 'settings.set', dir)).toBeNull();
  });
});

describe('error codes', () => {
  it('each has a sentence in the page (other locales are checked by check:i18n)', async () => {
    const { errorCodes } = await import('../../shared/errors');
    const { resources } = await import('../../shared/i18n/resources');
    const sentences = (resources.en.common as { errors: Record<string, string> }).errors;
    expect(errorCodes.filter((code) => typeof sentences[code] !== 'string')).toEqual([]);
  });
});
