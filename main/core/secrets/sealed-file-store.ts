// The one secrets file: a JSON object of name → sealed value, readable only by the user
// (mode 0600). How a value is sealed is the caller's: safeStorage in the desktop app
// (main/shell/secret-store.electron.ts), nothing in the browser bridge, whose protection is
// the file mode (secret-store.file.ts). Or the store keeps values in memory for this run
// only, when the desktop app has no keychain it can trust (policy/secret-storage-policy.ts).
//
// - Writes are atomic: a temporary file of mode 0600, unique to this process and write, in
//   the same folder, is written, flushed to disk, chmod'ed and renamed over the file, so a
//   crash never leaves a half-written file and no other process's write is clobbered
//   half-way.
// - Nothing here may stop Plenary from starting. A file that cannot be parsed, or a value
//   that cannot be unsealed (the keychain was reset, the file was copied from another
//   computer), is treated as absent: the member is simply signed out. A warning is logged,
//   never with a value, sealed or not.
// - A value that cannot be written (sealing failed, the disk is full) is kept in memory for
//   this run, so signing in still works; `persistence` then says 'memory'.
// - In memory-only mode nothing is ever written in clear: setting or deleting a value only
//   removes that name's stale sealed value from an existing file, so a later run cannot pair
//   an old token with a new session.
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../log';
import type { SecretPersistence, SecretStore } from './secret-store';

export interface Sealer {
  /** Turns a value into what is written to the file. May throw. */
  seal(plain: string): string;
  /** The reverse; throws when the value cannot be recovered. */
  unseal(sealed: string): string;
}

/** No sealing: the file's mode is the only protection. */
export const plainSealer: Sealer = { seal: (plain) => plain, unseal: (sealed) => sealed };

export type SealedFileStoreOptions = { file: string; log: Logger } & (
  | { persistence: 'encrypted'; sealer: Sealer }
  | { persistence: 'user-file' }
  | { persistence: 'memory' }
);

type Loaded =
  | { state: 'missing' }
  /** Read, but not a JSON object of strings: nothing in it can ever be used. */
  | { state: 'corrupt' }
  /** Could not be read at all (permissions, I/O); it may be fine, so it is never replaced. */
  | { state: 'unreadable' }
  | { state: 'ok'; values: Map<string, string> };

export class SealedFileStore implements SecretStore {
  private readonly file: string;
  private readonly log: Logger;
  private readonly mode: 'encrypted' | 'user-file' | 'memory';
  private readonly sealer: Sealer;
  /** Every value in memory-only mode; otherwise the values that could not be written. */
  private readonly memory = new Map<string, string>();
  private readonly warned = new Set<string>();

  constructor(options: SealedFileStoreOptions) {
    this.file = options.file;
    this.log = options.log;
    this.mode = options.persistence;
    this.sealer = options.persistence === 'encrypted' ? options.sealer : plainSealer;
  }

  get persistence(): SecretPersistence {
    return this.mode === 'memory' || this.memory.size > 0 ? 'memory' : this.mode;
  }

  get(name: string): string | undefined {
    if (this.mode === 'memory' || this.memory.has(name)) return this.memory.get(name);
    const loaded = this.load();
    if (loaded.state !== 'ok') return undefined;
    const sealed = loaded.values.get(name);
    if (sealed === undefined) return undefined;
    try {
      return this.sealer.unseal(sealed);
    } catch (error) {
      this.warnOnce(`unseal:${name}`, 'a stored secret cannot be unsealed (keychain reset, or the file comes from another computer); it is treated as absent', {
        name,
        problem: problemOf(error),
      });
      return undefined;
    }
  }

  set(name: string, value: string): void {
    if (this.mode === 'memory') {
      this.memory.set(name, value);
      this.removeFromDisk(name);
      return;
    }
    try {
      const sealed = this.sealer.seal(value);
      const loaded = this.load();
      if (loaded.state === 'unreadable') throw new SecretsFileUnreadable();
      const values = loaded.state === 'ok' ? loaded.values : new Map<string, string>();
      values.set(name, sealed);
      this.write(values);
      this.memory.delete(name);
      this.warned.delete(`unseal:${name}`);
    } catch (error) {
      this.log.warn('a secret cannot be written to the secrets file; it is kept in memory until Plenary quits', { file: this.file, name, problem: problemOf(error) });
      this.memory.set(name, value);
      // An older value left on disk must not come back on the next start.
      this.removeFromDisk(name);
    }
  }

  delete(name: string): void {
    this.memory.delete(name);
    this.removeFromDisk(name);
  }

  private load(): Loaded {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if (isCode(error, 'ENOENT')) return { state: 'missing' };
      this.warnOnce('file', 'the secrets file cannot be read; its secrets are treated as absent', { file: this.file, problem: problemOf(error) });
      return { state: 'unreadable' };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Never log the parser's message: it quotes the file.
      this.warnOnce('file', 'the secrets file is damaged; its secrets are treated as absent', { file: this.file, problem: 'not-json' });
      return { state: 'corrupt' };
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      this.warnOnce('file', 'the secrets file is damaged; its secrets are treated as absent', { file: this.file, problem: 'not-an-object' });
      return { state: 'corrupt' };
    }
    this.warned.delete('file');
    const values = new Map<string, string>();
    for (const [name, sealed] of Object.entries(parsed)) {
      if (typeof sealed === 'string') values.set(name, sealed);
      else this.warnOnce(`entry:${name}`, 'a stored secret is damaged; it is treated as absent', { file: this.file, name, problem: 'not-a-string' });
    }
    return { state: 'ok', values };
  }

  /** Removes one name from the file, writing nothing else; failures are logged, not thrown. */
  private removeFromDisk(name: string): void {
    try {
      const loaded = this.load();
      if (loaded.state === 'missing' || loaded.state === 'unreadable') return;
      // A damaged file can never be read again; the member asked for a secret to go, so it goes.
      if (loaded.state === 'corrupt') {
        unlinkSync(this.file);
      } else if (loaded.values.delete(name)) {
        if (loaded.values.size === 0) unlinkSync(this.file);
        else this.write(loaded.values);
      }
    } catch (error) {
      this.log.warn('a secret cannot be removed from the secrets file', { file: this.file, name, problem: problemOf(error) });
    }
  }

  private write(values: Map<string, string>): void {
    const tmp = `${this.file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      const fd = openSync(tmp, 'wx', 0o600);
      try {
        writeSync(fd, JSON.stringify(Object.fromEntries(values)));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      chmodSync(tmp, 0o600); // the umask can only narrow the mode; this makes it exactly 0600
      renameSync(tmp, this.file);
    } catch (error) {
      try {
        unlinkSync(tmp);
      } catch {
        // It was never created, or is already gone.
      }
      throw error;
    }
    syncFolder(dirname(this.file));
  }

  private warnOnce(key: string, message: string, fields: Record<string, unknown>): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.log.warn(message, fields);
  }
}

class SecretsFileUnreadable extends Error {
  readonly code = 'UNREADABLE';
  constructor() {
    super('the secrets file exists but cannot be read, so it is not replaced');
  }
}

/** Makes the rename itself durable. Best effort: Windows cannot open a folder this way. */
function syncFolder(folder: string): void {
  if (process.platform === 'win32') return;
  try {
    const fd = openSync(folder, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems refuse; the data itself is already flushed.
  }
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/** What went wrong, without a message that could quote a value: an error code or class name. */
function problemOf(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    if (error instanceof Error) return error.name;
  }
  return 'unknown';
}
