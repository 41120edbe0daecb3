// The desktop app's secret store with Electron's safeStorage mocked: values round-trip
// through encryptString/decryptString and only their ciphertext reaches the disk; on Linux
// with the basic_text fallback, or with no encryption at all, nothing reaches the disk.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { LogRecord } from '../../main/core/log';
import { useSecretsFolder } from '../helpers/secrets-folder';

const keychain = vi.hoisted(() => {
  const state = { available: true, backend: 'gnome_libsecret', key: 7 };
  // A reversible stand-in for the OS keychain: XOR with this computer's key, behind a prefix
  // that decryptString checks, as Chromium's "v10"/"v11" does.
  const xor = (bytes: Buffer, key: number) => Buffer.from(bytes.map((b) => b ^ key));
  return {
    state,
    safeStorage: {
      isEncryptionAvailable: vi.fn(() => state.available),
      getSelectedStorageBackend: vi.fn(() => state.backend),
      encryptString: vi.fn((plain: string) => Buffer.concat([Buffer.from(`k${state.key}:`), xor(Buffer.from(plain, 'utf8'), state.key)])),
      decryptString: vi.fn((encrypted: Buffer) => {
        const prefix = `k${state.key}:`;
        if (!encrypted.subarray(0, prefix.length).equals(Buffer.from(prefix))) {
          throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
        }
        return xor(encrypted.subarray(prefix.length), state.key).toString('utf8');
      }),
    },
  };
});
vi.mock('electron', () => ({ safeStorage: keychain.safeStorage }));

const { ElectronSecretStore } = await import('../../main/shell/secret-store.electron');

const folder = useSecretsFolder('plenary-electron-secrets-');
const token = 'syt_YWxpY2U_electron_token_value';
let dir: string;
let file: string;
let logs: LogRecord[];
beforeEach(() => {
  ({ dir, file, logs } = folder);
  Object.assign(keychain.state, { available: true, backend: 'gnome_libsecret', key: 7 });
  vi.clearAllMocks();
});
const open = (platform: string) => new ElectronSecretStore(file, folder.log(), platform);

describe('the desktop app\'s secret store', () => {
  it('encrypts with safeStorage on macOS and Windows, writing only ciphertext, and reads it back', () => {
    for (const platform of ['darwin', 'win32']) {
      const store = open(platform);
      expect(store.persistence).toBe('encrypted');
      store.set('matrix.accessToken', token);
      expect(keychain.safeStorage.encryptString).toHaveBeenCalledWith(token);
      const onDisk = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
      expect(Buffer.from(onDisk['matrix.accessToken']!, 'base64').toString('latin1')).toMatch(/^k7:/);
      expect(readFileSync(file, 'utf8')).not.toContain(token);
      // A later start reads it through decryptString.
      expect(open(platform).get('matrix.accessToken')).toBe(token);
      expect(keychain.safeStorage.decryptString).toHaveBeenCalled();
      // getSelectedStorageBackend is Linux only.
      expect(keychain.safeStorage.getSelectedStorageBackend).not.toHaveBeenCalled();
      store.delete('matrix.accessToken');
    }
    expect(existsSync(file)).toBe(false);
  });

  it('encrypts on Linux with a real keyring', () => {
    for (const backend of ['gnome_libsecret', 'kwallet6']) {
      keychain.state.backend = backend;
      const store = open('linux');
      expect(store.persistence).toBe('encrypted');
      store.set('matrix.accessToken', token);
      expect(readFileSync(file, 'utf8')).not.toContain(token);
      expect(open('linux').get('matrix.accessToken')).toBe(token);
    }
  });

  it('keeps secrets in memory on Linux with the basic_text fallback: nothing on disk', () => {
    keychain.state.backend = 'basic_text';
    const store = open('linux');
    expect(store.persistence).toBe('memory');
    store.set('matrix.accessToken', token);
    expect(store.get('matrix.accessToken')).toBe(token);
    expect(readdirSync(dir)).toEqual([]);
    expect(keychain.safeStorage.encryptString).not.toHaveBeenCalled();
    expect(logs).toContainEqual(expect.objectContaining({ level: 'warn', fields: { reason: 'basic-text' } }));
    // Next start: signed out.
    expect(open('linux').get('matrix.accessToken')).toBeUndefined();
    expect(JSON.stringify(logs)).not.toContain(token);
  });

  it('keeps secrets in memory when encryption is unavailable: nothing on disk', () => {
    keychain.state.available = false;
    for (const platform of ['linux', 'darwin', 'win32']) {
      const store = open(platform);
      expect(store.persistence).toBe('memory');
      store.set('matrix.accessToken', token);
      expect(store.get('matrix.accessToken')).toBe(token);
    }
    expect(readdirSync(dir)).toEqual([]);
    expect(keychain.safeStorage.encryptString).not.toHaveBeenCalled();
    expect(logs.filter((r) => r.level === 'warn').map((r) => r.fields)).toEqual([
      { reason: 'encryption-unavailable' },
      { reason: 'encryption-unavailable' },
      { reason: 'encryption-unavailable' },
    ]);
  });

  it('starts signed out, without crashing, when the keychain can no longer decrypt the token', () => {
    open('darwin').set('matrix.accessToken', token);
    keychain.state.key = 9; // the keychain was reset, or the file came from another computer
    const store = open('darwin');
    expect(store.get('matrix.accessToken')).toBeUndefined();
    expect(logs).toContainEqual(expect.objectContaining({ level: 'warn', fields: { name: 'matrix.accessToken', problem: 'Error' } }));
    expect(JSON.stringify(logs)).not.toContain(token);
  });
});
