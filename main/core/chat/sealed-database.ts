// A SQLite database that is never on disk in the clear: it lives in memory while Plenary
// runs, and its file holds the database's bytes (better-sqlite3's serialize()) encrypted with
// AES-256-GCM under a key kept in the secret store (the system keychain in the desktop app).
// It is for what must stay searchable but must not sit readable in the main store: the
// decrypted text of end-to-end encrypted rooms (FTS5 over plaintext cannot be encrypted row
// by row, so the whole database is sealed instead). Saving writes a temporary file, flushes
// it and renames it over the old one, so a crash leaves the previous file whole.
//
// The file: "PLNSEAL1" (8 bytes), a key check (16 bytes: HMAC-SHA-256 of a fixed label under
// the key, so a wrong key is told apart from a damaged file), the IV (12), the GCM tag (16),
// then the ciphertext.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Db } from '../store/database';
import { writeFileAtomic } from '../store/store-files';
import type { SecretStore } from '../secrets/secret-store';

const magic = Buffer.from('PLNSEAL1', 'ascii');
const checkLength = 16;
const ivLength = 12;
const tagLength = 16;
const headerLength = magic.length + checkLength + ivLength + tagLength;

export type SealedFileProblem = 'wrong-key' | 'damaged';

/** The file cannot be opened: sealed under another key, or damaged. The message says which. */
export class SealedFileError extends Error {
  constructor(
    readonly problem: SealedFileProblem,
    message: string,
  ) {
    super(message);
    this.name = 'SealedFileError';
  }
}

function keyCheck(key: Buffer): Buffer {
  return createHmac('sha256', key).update('plenary sealed database key check').digest().subarray(0, checkLength);
}

function assertKey(key: Buffer): void {
  if (key.length !== 32) throw new Error(`a sealed database key must be 32 bytes, not ${key.length}`);
}

/** Encrypts bytes under the key (a fresh IV each time). */
export function seal(plain: Buffer, key: Buffer): Buffer {
  assertKey(key);
  const iv = randomBytes(ivLength);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([magic, keyCheck(key), iv, cipher.getAuthTag(), body]);
}

/** The bytes sealed in `sealed`; a SealedFileError when the key is not the one used, or the bytes were changed. */
export function unseal(sealed: Buffer, key: Buffer): Buffer {
  assertKey(key);
  if (sealed.length < headerLength || !sealed.subarray(0, magic.length).equals(magic)) {
    throw new SealedFileError('damaged', 'the file is not a sealed database Plenary wrote (its header is missing or cut short)');
  }
  let at = magic.length;
  const check = sealed.subarray(at, (at += checkLength));
  if (!timingSafeEqual(check, keyCheck(key))) {
    throw new SealedFileError('wrong-key', 'the file was sealed with another key than the one in the secret store');
  }
  const iv = sealed.subarray(at, (at += ivLength));
  const tag = sealed.subarray(at, (at += tagLength));
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(sealed.subarray(at)), decipher.final()]);
  } catch {
    throw new SealedFileError('damaged', 'the file is damaged: its contents do not match their authentication tag');
  }
}

/** The key under `secretName`, made (32 random bytes) the first time. */
export function sealedDatabaseKey(secrets: SecretStore, secretName: string): Buffer {
  const stored = secrets.get(secretName);
  if (stored !== undefined) {
    const key = Buffer.from(stored, 'base64');
    if (key.length === 32) return key;
  }
  const key = randomBytes(32);
  secrets.set(secretName, key.toString('base64'));
  return key;
}

/** Writes the file atomically (temporary file, flushed, renamed), readable by the user only. */
function writeAtomically(path: string, bytes: Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic(path, bytes, { mode: 0o600 });
}

function readIfPresent(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export interface SealedDatabase {
  /** The database, in memory. */
  readonly db: Db;
  /** Why it started empty although a file was there ('damaged'), or null. */
  readonly rebuilt: SealedFileProblem | null;
  /** Seals the database into its file now. */
  save(): void;
  /**
   * Seals the database now and writes the file without blocking on the disk (a moment after
   * a change). A save that began later, a close or a discard wins: this one then leaves the
   * file alone.
   */
  saveInBackground(): Promise<void>;
  /** Saves, then closes the database. */
  close(): void;
  /** Closes without saving; a background save still running leaves the file alone (signing out). */
  discard(): void;
}

export interface OpenSealedOptions {
  /** Creates the schema (idempotent: CREATE ... IF NOT EXISTS); run on every open. */
  schema: (db: Db) => void;
  /**
   * A file sealed with another key: 'refuse' (the default) throws the SealedFileError; 'rebuild'
   * starts empty after setting the file aside (`<path>.wrong-key`; when the key was lost, what it held is lost too).
   */
  onWrongKey?: 'refuse' | 'rebuild';
}

/**
 * Opens the sealed database at `path`: decrypted into memory when the file exists, empty
 * when it does not. A damaged file is set aside (`<path>.damaged`) and the database starts
 * empty, to be filled again by its owner; nothing else (the main store) is touched.
 */
export function openSealedDatabase(path: string, key: Buffer, options: OpenSealedOptions): SealedDatabase {
  assertKey(key);
  const sealed = readIfPresent(path);
  let db: Db | null = null;
  let rebuilt: SealedFileProblem | null = null;
  if (sealed !== null) {
    try {
      db = new Database(unseal(sealed, key));
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (error) {
      db?.close();
      db = null;
      const problem: SealedFileError =
        error instanceof SealedFileError ? error : new SealedFileError('damaged', `the file is damaged: its database cannot be read (${(error as Error).message})`);
      if (problem.problem === 'wrong-key' && options.onWrongKey !== 'rebuild') throw problem;
      rebuilt = problem.problem;
      // Set aside, never overwritten unseen: `<path>.damaged`, or `<path>.wrong-key`.
      writeAtomically(`${path}.${problem.problem}`, sealed);
    }
  }
  db ??= new Database(':memory:');
  db.pragma('foreign_keys = ON');
  options.schema(db);
  const opened = db;
  let closed = false;
  /** Bumped by every save, close and discard: a background write renames its file only if still the latest. */
  let generation = 0;
  const save = () => {
    if (closed) return;
    generation++;
    writeAtomically(path, seal(opened.serialize(), key));
  };
  return {
    db: opened,
    rebuilt,
    save,
    async saveInBackground() {
      if (closed) return;
      const mine = ++generation;
      const bytes = seal(opened.serialize(), key);
      const temporary = `${path}.${process.pid}.${mine}.tmp`;
      await mkdir(dirname(path), { recursive: true });
      const file = await open(temporary, 'w', 0o600);
      try {
        await file.writeFile(bytes);
        await file.sync();
      } finally {
        await file.close();
      }
      if (mine === generation) renameSync(temporary, path);
      else await rm(temporary, { force: true });
    },
    close() {
      if (closed) return;
      save();
      closed = true;
      opened.close();
    },
    discard() {
      if (closed) return;
      generation++;
      closed = true;
      opened.close();
    },
  };
}

/** Deletes the sealed file (and a copy set aside); for signing out. */
export function deleteSealedDatabase(path: string): void {
  rmSync(path, { force: true });
  rmSync(`${path}.damaged`, { force: true });
  rmSync(`${path}.wrong-key`, { force: true });
}
