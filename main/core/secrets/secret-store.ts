// Where secrets (the Matrix access token, a BBB API secret) are kept. They live only in
// main: no call result carries them. Both real stores are a SealedFileStore
// (sealed-file-store.ts): the Electron shell seals each value with safeStorage, or keeps
// them in memory when the computer has no usable keychain
// (main/shell/secret-store.electron.ts); the browser bridge uses a file only the user can
// read (secret-store.file.ts).

import type { TokenStorage } from '../../../shared/contract/matrix';

/**
 * How the store keeps what is set in it, so the member can be told (matrix.status carries
 * it as tokenStorage):
 * - `encrypted`: on disk, encrypted by the system keychain;
 * - `user-file`: on disk in a file only the user's account can read, not encrypted;
 * - `memory`: in memory only, until the app quits.
 */
export type SecretPersistence = TokenStorage;

export interface SecretStore {
  /** May change during a run (a store that cannot write its file keeps values in memory). */
  readonly persistence: SecretPersistence;
  get(name: string): string | undefined;
  set(name: string, value: string): void;
  delete(name: string): void;
}

/** Secrets kept in memory only; for tests. */
export class MemorySecretStore implements SecretStore {
  readonly persistence = 'memory';
  private readonly values = new Map<string, string>();
  get(name: string): string | undefined {
    return this.values.get(name);
  }
  set(name: string, value: string): void {
    this.values.set(name, value);
  }
  delete(name: string): void {
    this.values.delete(name);
  }
}
