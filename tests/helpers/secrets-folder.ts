// A fresh folder for each test of a secret store: where its secrets file goes, and the log
// lines the store wrote (kept so tests can check that no secret ever reaches a log).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach } from 'vitest';
import { createLogger, type LogRecord, type Logger } from '../../main/core/log';

export interface SecretsFolder {
  dir: string;
  /** `secrets.json` in dir; not created. */
  file: string;
  logs: LogRecord[];
  /** A logger that records into logs. */
  log(): Logger;
}

/** Call at the top of a test file; the returned object is refilled before each test. */
export function useSecretsFolder(prefix: string): SecretsFolder {
  const root = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let counter = 0;
  const current: SecretsFolder = { dir: '', file: '', logs: [], log: () => createLogger('secrets', (record) => current.logs.push(record)) };
  beforeEach(() => {
    current.dir = join(root, String(counter++));
    mkdirSync(current.dir);
    current.file = join(current.dir, 'secrets.json');
    current.logs = [];
  });
  return current;
}
