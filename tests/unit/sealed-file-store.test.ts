// The one secrets file behind both real secret stores: atomic 0600 writes, values sealed by
// the caller, and nothing that is wrong with the file or a value stops startup. node:fs is
// wrapped (passing through to the real one) to see the order of a write and to make a rename
// fail.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, existsSync, chmodSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { LogRecord } from '../../main/core/log';
import { useSecretsFolder } from '../helpers/secrets-folder';
import type * as NodeFs from 'node:fs';
import { SealedFileStore, type Sealer } from '../../main/core/secrets/sealed-file-store';
import { FileSecretStore } from '../../main/core/secrets/secret-store.file';

const fsSpy = vi.hoisted(() => ({ ops: [] as string[], failRename: false, fds: new Map<number, string>() }));

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof NodeFs>();
  const wrapped = {
    ...actual,
    openSync: ((...args: Parameters<typeof actual.openSync>) => {
      const fd = actual.openSync(...args);
      const [path, flags, mode] = args;
      fsSpy.fds.set(fd, String(path));
      fsSpy.ops.push(`open ${String(path)} ${String(flags)} ${typeof mode === 'number' ? mode.toString(8) : '-'}`);
      return fd;
    }) as typeof actual.openSync,
    fsyncSync: ((fd: number) => {
      fsSpy.ops.push(`fsync ${fsSpy.fds.get(fd) ?? '?'}`);
      actual.fsyncSync(fd);
    }) as typeof actual.fsyncSync,
    chmodSync: ((path: string, mode: number) => {
      fsSpy.ops.push(`chmod ${String(path)} ${mode.toString(8)}`);
      actual.chmodSync(path, mode);
    }) as typeof actual.chmodSync,
    renameSync: ((from: string, to: string) => {
      fsSpy.ops.push(`rename ${String(from)} ${String(to)}`);
      if (fsSpy.failRename) throw Object.assign(new Error(`EIO: i/o error, rename '${String(from)}'`), { code: 'EIO' });
      actual.renameSync(from, to);
    }) as typeof actual.renameSync,
  };
  return { ...wrapped, default: wrapped };
});

const folder = useSecretsFolder('plenary-secrets-');
let dir: string;
let file: string;
let logs: LogRecord[];
beforeEach(() => {
  ({ dir, file, logs } = folder);
  fsSpy.ops.length = 0;
  fsSpy.failRename = false;
});

const log = () => folder.log();
const userFile = () => new SealedFileStore({ file, log: log(), persistence: 'user-file' });
const readJson = () => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
const posix = process.platform !== 'win32';
const token = 'syt_YWxpY2U_secret_token_value';

/** A stand-in keychain: values are sealed under a key; another key cannot unseal them. */
function keychain(key: string): Sealer & { unsealed: string[] } {
  const unsealed: string[] = [];
  return {
    unsealed,
    seal: (plain) => `${key}:${Buffer.from(plain).toString('base64')}`,
    unseal: (sealed) => {
      if (!sealed.startsWith(`${key}:`)) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      unsealed.push(sealed);
      return Buffer.from(sealed.slice(key.length + 1), 'base64').toString();
    },
  };
}

describe('the secrets file', () => {
  it('round-trips values, across store instances, in a file only the user can read', () => {
    const store = userFile();
    expect(store.persistence).toBe('user-file');
    expect(store.get('matrix.accessToken')).toBeUndefined();
    store.set('matrix.accessToken', token);
    store.set('bbb.secret', 'bbb-shared-secret');
    expect(store.get('matrix.accessToken')).toBe(token);
    expect(userFile().get('bbb.secret')).toBe('bbb-shared-secret');
    expect(readJson()).toEqual({ 'matrix.accessToken': token, 'bbb.secret': 'bbb-shared-secret' });
    if (posix) expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('tightens a file someone left readable by others', () => {
    writeFileSync(file, JSON.stringify({ other: 'x' }));
    chmodSync(file, 0o644);
    userFile().set('matrix.accessToken', token);
    if (posix) expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readJson()).toEqual({ other: 'x', 'matrix.accessToken': token });
  });

  it('writes atomically: a 0600 temporary file of its own in the same folder, flushed, chmod\'ed, renamed', () => {
    const store = userFile();
    store.set('a', '1');
    store.set('b', '2');
    store.delete('a');
    expect(readdirSync(dir)).toEqual(['secrets.json']);

    const opens = fsSpy.ops.filter((op) => op.startsWith(`open ${file}.`));
    expect(opens).toHaveLength(3);
    const temps = opens.map((op) => op.split(' ')[1]!);
    expect(new Set(temps).size).toBe(3); // unique per write, not only per process
    for (const tmp of temps) {
      expect(dirname(tmp)).toBe(dir);
      expect(basename(tmp)).toContain(`.${process.pid}.`);
    }
    const first = temps[0]!;
    const sequence = fsSpy.ops.filter((op) => op.includes(first) || op === `fsync ${dir}`).slice(0, 5);
    expect(sequence).toEqual([`open ${first} wx 600`, `fsync ${first}`, `chmod ${first} 600`, `rename ${first} ${file}`, ...(posix ? [`fsync ${dir}`] : [])]);
  });

  it('keeps the old file whole and leaves no temporary file when the rename fails, and keeps the value for this run', () => {
    const store = userFile();
    store.set('bbb.secret', 'bbb-shared-secret');
    store.set('matrix.accessToken', 'old-token');
    fsSpy.failRename = true;
    store.set('matrix.accessToken', token);
    fsSpy.failRename = false;
    expect(fsSpy.ops.filter((op) => op.startsWith('rename ')).length).toBeGreaterThan(2);
    expect(readdirSync(dir)).toEqual(['secrets.json']);
    expect(readJson()).toEqual({ 'bbb.secret': 'bbb-shared-secret', 'matrix.accessToken': 'old-token' });
    expect(store.get('matrix.accessToken')).toBe(token);
    expect(store.get('bbb.secret')).toBe('bbb-shared-secret');
    expect(store.persistence).toBe('memory');
    expect(logs.some((r) => r.level === 'warn' && r.fields?.problem === 'EIO' && r.fields?.name === 'matrix.accessToken')).toBe(true);
    expect(JSON.stringify(logs)).not.toContain(token);

    // Once a write works again, the value is on disk and the store says so.
    store.set('matrix.accessToken', token);
    expect(store.persistence).toBe('user-file');
    expect(readJson()).toEqual({ 'bbb.secret': 'bbb-shared-secret', 'matrix.accessToken': token });
  });

  it('treats a damaged file as empty, warns once without quoting it, and replaces it on the next write', () => {
    writeFileSync(file, `{"matrix.accessToken": "${token}"`, { mode: 0o600 }); // cut short
    const store = userFile();
    expect(store.get('matrix.accessToken')).toBeUndefined();
    expect(store.get('matrix.accessToken')).toBeUndefined();
    const warnings = logs.filter((r) => r.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.fields).toMatchObject({ problem: 'not-json' });
    expect(JSON.stringify(logs)).not.toContain(token);

    store.set('bbb.secret', 'bbb-shared-secret');
    expect(readJson()).toEqual({ 'bbb.secret': 'bbb-shared-secret' });
  });

  it('treats JSON that is not an object of strings as damaged, keeping the entries that are strings', () => {
    writeFileSync(file, JSON.stringify([token]));
    expect(userFile().get('0')).toBeUndefined();
    expect(logs.at(-1)?.fields).toMatchObject({ problem: 'not-an-object' });

    writeFileSync(file, JSON.stringify({ 'matrix.accessToken': { nested: token }, 'bbb.secret': 'bbb-shared-secret' }));
    const store = userFile();
    expect(store.get('matrix.accessToken')).toBeUndefined();
    expect(store.get('bbb.secret')).toBe('bbb-shared-secret');
    expect(logs.at(-1)?.fields).toMatchObject({ name: 'matrix.accessToken', problem: 'not-a-string' });
    expect(JSON.stringify(logs)).not.toContain(token);
  });

  it('does not replace a file it cannot read, keeping a new value in memory instead', () => {
    mkdirSync(file); // something that is there but cannot be read as a file
    const store = userFile();
    expect(store.get('matrix.accessToken')).toBeUndefined();
    expect(logs.at(-1)).toMatchObject({ level: 'warn', fields: { problem: 'EISDIR' } });
    store.set('matrix.accessToken', token);
    expect(store.get('matrix.accessToken')).toBe(token);
    expect(store.persistence).toBe('memory');
    expect(statSync(file).isDirectory()).toBe(true);
    expect(JSON.stringify(logs)).not.toContain(token);
  });

  it('deletes one value, the file with the last one, and creates nothing to delete a missing one', () => {
    const store = userFile();
    store.delete('matrix.accessToken');
    expect(existsSync(file)).toBe(false);
    store.set('matrix.accessToken', token);
    store.set('bbb.secret', 'bbb-shared-secret');
    store.delete('matrix.accessToken');
    expect(store.get('matrix.accessToken')).toBeUndefined();
    expect(readJson()).toEqual({ 'bbb.secret': 'bbb-shared-secret' });
    store.delete('bbb.secret');
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('removes a damaged file when a secret is deleted, so nothing of it lingers after signing out', () => {
    writeFileSync(file, `{"matrix.accessToken": "${token}`);
    userFile().delete('matrix.accessToken');
    expect(existsSync(file)).toBe(false);
  });

  it('the browser bridge store is this file, with values as they are', () => {
    const store = new FileSecretStore(file, log());
    store.set('matrix.accessToken', token);
    expect(store.persistence).toBe('user-file');
    expect(readJson()).toEqual({ 'matrix.accessToken': token });
    if (posix) expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('sealed values', () => {
  it('writes only sealed values and unseals them on reading', () => {
    const sealer = keychain('k1');
    const store = new SealedFileStore({ file, log: log(), persistence: 'encrypted', sealer });
    expect(store.persistence).toBe('encrypted');
    store.set('matrix.accessToken', token);
    expect(readFileSync(file, 'utf8')).not.toContain(token);
    expect(readJson()['matrix.accessToken']).toBe(sealer.seal(token));
    expect(store.get('matrix.accessToken')).toBe(token);
    expect(sealer.unsealed).toEqual([sealer.seal(token)]);
  });

  it('treats a value that cannot be unsealed (keychain reset, another computer) as absent, with one warning', () => {
    new SealedFileStore({ file, log: log(), persistence: 'encrypted', sealer: keychain('old-machine') }).set('matrix.accessToken', token);
    new SealedFileStore({ file, log: log(), persistence: 'encrypted', sealer: keychain('old-machine') }).set('bbb.secret', 'bbb-shared-secret');
    const store = new SealedFileStore({ file, log: log(), persistence: 'encrypted', sealer: keychain('this-machine') });
    expect(store.get('matrix.accessToken')).toBeUndefined();
    expect(store.get('matrix.accessToken')).toBeUndefined();
    const warnings = logs.filter((r) => r.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.fields).toEqual({ name: 'matrix.accessToken', problem: 'Error' });
    expect(JSON.stringify(logs)).not.toContain(token);
    expect(JSON.stringify(logs)).not.toContain(Buffer.from(token).toString('base64'));

    // Signing in again replaces it; the other secret is left as it was.
    store.set('matrix.accessToken', 'new-token');
    expect(store.get('matrix.accessToken')).toBe('new-token');
    expect(Object.keys(readJson()).sort()).toEqual(['bbb.secret', 'matrix.accessToken']);
  });

  it('keeps a value in memory when sealing fails, and drops its older sealed value from disk', () => {
    const sealer = keychain('k1');
    new SealedFileStore({ file, log: log(), persistence: 'encrypted', sealer }).set('matrix.accessToken', 'old-token');
    const broken: Sealer = {
      seal: () => {
        throw new Error(`cannot encrypt ${token}`);
      },
      unseal: sealer.unseal,
    };
    const store = new SealedFileStore({ file, log: log(), persistence: 'encrypted', sealer: broken });
    store.set('matrix.accessToken', token);
    expect(store.get('matrix.accessToken')).toBe(token);
    expect(store.persistence).toBe('memory');
    expect(existsSync(file)).toBe(false);
    expect(JSON.stringify(logs)).not.toContain(token);
  });
});

describe('memory only', () => {
  const memory = () => new SealedFileStore({ file, log: log(), persistence: 'memory' });

  it('keeps values for this run and writes no file', () => {
    const store = memory();
    expect(store.persistence).toBe('memory');
    store.set('matrix.accessToken', token);
    expect(store.get('matrix.accessToken')).toBe(token);
    expect(readdirSync(dir)).toEqual([]);
    expect(fsSpy.ops.filter((op) => op.startsWith('open ') || op.startsWith('rename '))).toEqual([]);
    // The next run starts signed out.
    expect(memory().get('matrix.accessToken')).toBeUndefined();
    store.delete('matrix.accessToken');
    expect(store.get('matrix.accessToken')).toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('removes a stale sealed value for the same name from an earlier run, writing nothing in clear', () => {
    const sealer = keychain('k1');
    const earlier = new SealedFileStore({ file, log: log(), persistence: 'encrypted', sealer });
    earlier.set('matrix.accessToken', 'old-token');
    earlier.set('bbb.secret', 'bbb-shared-secret');

    const store = memory();
    expect(store.get('matrix.accessToken')).toBeUndefined(); // nothing on disk is read
    store.set('matrix.accessToken', token);
    expect(readFileSync(file, 'utf8')).not.toContain(token);
    expect(readJson()).toEqual({ 'bbb.secret': sealer.seal('bbb-shared-secret') });
    store.delete('bbb.secret');
    expect(existsSync(file)).toBe(false);
  });
});
