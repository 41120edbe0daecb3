// A real core on a temporary data folder, for integration tests that drive it through its
// dispatcher (the same path IPC and the bridge take) without a browser.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core, type CoreOptions } from '../../main/core/app-core';
import { createLogger, memorySink, type LogRecord } from '../../main/core/log';
import { MemorySecretStore } from '../../main/core/secrets/secret-store';
import type { CallInput, CallName, CallResult, Calls, EventName } from '../../shared/contract';

export interface TestCore {
  core: Core;
  dataDir: string;
  secrets: MemorySecretStore;
  logs: LogRecord[];
  events: { name: EventName; payload: unknown }[];
  /** Calls through the dispatcher; throws the error data when the call fails. */
  call<K extends CallName>(name: K, input: CallInput<Calls[K]>): Promise<CallResult<Calls[K]>>;
  close(options?: { keepData?: boolean }): void;
}

export function startTestCore(options: Partial<CoreOptions> & { secrets?: MemorySecretStore } = {}): TestCore {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'plenary-core-'));
  const secrets = options.secrets ?? new MemorySecretStore();
  const { records, sink } = memorySink();
  const core = createCore({
    runtime: 'web',
    version: '0.0.0-test',
    log: createLogger('test', sink),
    matrix: { timelineLimit: 10 },
    ...options,
    dataDir,
    secrets,
  });
  const events: { name: EventName; payload: unknown }[] = [];
  core.events.subscribe((name, payload) => events.push({ name, payload }));
  return {
    core,
    dataDir,
    secrets,
    logs: records,
    events,
    async call(name, input) {
      const outcome = await core.dispatch(name, input, { transport: 'test' });
      if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
      return outcome.value as never;
    },
    close(closeOptions = {}) {
      core.close();
      if (!closeOptions.keepData && !options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
