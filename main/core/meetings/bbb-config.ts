// Where the BBB API settings live: the API URL, checksum algorithm and display name in the
// local store's meta table, the shared secret in the SecretStore (encrypted at rest in the
// desktop app, or kept in memory for the run where there is no usable keychain; a 0600
// file in the browser bridge). Nothing here returns the secret to a
// caller outside main/core/meetings.
import type { ChecksumAlgorithm } from './bbb-checksum';
import { checksumAlgorithms } from './bbb-checksum';
import type { SecretStore } from '../secrets/secret-store';
import type { Db } from '../store/database';

export const bbbSecretName = 'bbb.apiSecret';
const keys = { apiUrl: 'meetings.bbbApiUrl', algorithm: 'meetings.bbbAlgorithm', displayName: 'meetings.displayName' } as const;

export interface BbbCredentials {
  apiUrl: string;
  algorithm: ChecksumAlgorithm;
  secret: string;
}

export class BbbConfigStore {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretStore,
  ) {}

  private read(key: string): string | null {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  private write(key: string, value: string | null): void {
    if (value === null) this.db.prepare('DELETE FROM meta WHERE key = ?').run(key);
    else this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  apiUrl(): string | null {
    return this.read(keys.apiUrl);
  }

  algorithm(): ChecksumAlgorithm {
    const stored = this.read(keys.algorithm);
    return (checksumAlgorithms as readonly string[]).includes(stored ?? '') ? (stored as ChecksumAlgorithm) : 'sha256';
  }

  displayName(): string {
    return this.read(keys.displayName) ?? '';
  }

  /** Where the secret is kept: on disk (encrypted or in a 0600 file), or in memory until Plenary quits. */
  secretPersistence(): SecretStore['persistence'] {
    return this.secrets.persistence;
  }

  hasSecret(): boolean {
    return this.secrets.get(bbbSecretName) !== undefined;
  }

  /** The full credentials, for building a client inside main; null until configured. */
  credentials(): BbbCredentials | null {
    const apiUrl = this.apiUrl();
    const secret = this.secrets.get(bbbSecretName);
    return apiUrl && secret ? { apiUrl, algorithm: this.algorithm(), secret } : null;
  }

  save(credentials: BbbCredentials): void {
    this.secrets.set(bbbSecretName, credentials.secret);
    this.write(keys.apiUrl, credentials.apiUrl);
    this.write(keys.algorithm, credentials.algorithm);
  }

  clear(): void {
    this.secrets.delete(bbbSecretName);
    this.write(keys.apiUrl, null);
    this.write(keys.algorithm, null);
  }

  setDisplayName(name: string): void {
    this.write(keys.displayName, name === '' ? null : name);
  }
}
