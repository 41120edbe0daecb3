// Where secrets (the Matrix access token, a BBB API secret) are kept. They live only in
// main: no call result carries them. The Electron shell implements this with safeStorage
// (main/shell/secret-store.electron.ts); the browser bridge with a file only the user can
// read (secret-store.file.ts).
export interface SecretStore {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
  delete(name: string): void;
}

/** Secrets kept in memory only; for tests. */
export class MemorySecretStore implements SecretStore {
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
