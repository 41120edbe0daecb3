// Secrets at rest for the desktop app: each value encrypted with Electron safeStorage (the
// OS keychain: Keychain, DPAPI, libsecret/kwallet) and kept in a 0600 file in userData.
import { safeStorage } from 'electron';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { SecretStore } from '../core/secrets/secret-store';

export class ElectronSecretStore implements SecretStore {
  constructor(private readonly file: string) {}

  private load(): Record<string, string> {
    if (!existsSync(this.file)) return {};
    return JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>;
  }

  private save(values: Record<string, string>): void {
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(values), { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  get(name: string): string | undefined {
    const sealed = this.load()[name];
    if (sealed === undefined) return undefined;
    return safeStorage.decryptString(Buffer.from(sealed, 'base64'));
  }

  set(name: string, value: string): void {
    if (!safeStorage.isEncryptionAvailable()) {
      throw new Error('The system keychain is not available, so Plenary cannot store this secret safely.');
    }
    this.save({ ...this.load(), [name]: safeStorage.encryptString(value).toString('base64') });
  }

  delete(name: string): void {
    const values = this.load();
    delete values[name];
    this.save(values);
  }
}
