// Secrets for the browser bridge: a JSON file created with mode 0600 in the data folder,
// rewritten atomically (write to a temporary file, then rename) so a crash never leaves it
// half-written.
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { SecretStore } from './secret-store';

export class FileSecretStore implements SecretStore {
  constructor(private readonly file: string) {}

  private load(): Record<string, string> {
    if (!existsSync(this.file)) return {};
    return JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>;
  }

  private save(values: Record<string, string>): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(values), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.file);
  }

  get(name: string): string | undefined {
    return this.load()[name];
  }

  set(name: string, value: string): void {
    this.save({ ...this.load(), [name]: value });
  }

  delete(name: string): void {
    const values = this.load();
    delete values[name];
    this.save(values);
  }
}
