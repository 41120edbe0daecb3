// A Plenary "desktop" for integration tests: the real core (store, sync, Matrix connection)
// on its own data folder, signed in to a test Synapse, driven through the same contract
// calls the UI uses, plus direct access to its governance store for bulk edits.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core, type CoreOptions } from '../../main/core/app-core';
import { createLogger, memorySink, type LogRecord } from '../../main/core/log';
import { MemorySecretStore } from '../../main/core/secrets/secret-store';
import type { SecretStore } from '../../main/core/secrets/secret-store';
import type { SynapseServer, RegisteredUser } from './synapse';
import type { SyncStatusView } from '../../shared/contract/sync';
import type { CoopConfigInput } from '../../shared/coop-config';

export interface PlenaryClient {
  name: string;
  core: Core;
  dataDir: string;
  logs: LogRecord[];
  call<T = unknown>(channel: string, input?: unknown): Promise<T>;
  signIn(server: SynapseServer, user: RegisteredUser): Promise<void>;
  syncNow(): Promise<SyncStatusView>;
  digest(): string;
  close(options?: { keepData?: boolean }): Promise<void>;
}

export async function startPlenaryClient(
  name: string,
  options: {
    dataDir?: string;
    secrets?: SecretStore;
    pollTimeoutMs?: number;
    sync?: CoreOptions['sync'];
    clock?: CoreOptions['clock'];
    /** The coop.json this desktop reads (e.g. clearCircleRooms(server)); none by default. */
    coop?: CoopConfigInput;
  } = {},
): Promise<PlenaryClient> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), `plenary-${name}-`));
  const coopDir = options.coop ? mkdtempSync(join(tmpdir(), `plenary-${name}-coop-`)) : null;
  if (coopDir) writeFileSync(join(coopDir, 'coop.json'), JSON.stringify(options.coop));
  const { records, sink } = memorySink();
  const core = createCore({
    dataDir,
    runtime: 'web',
    secrets: options.secrets ?? new MemorySecretStore(),
    version: '0.0.0-test',
    log: createLogger(name, sink),
    matrix: { pollTimeoutMs: options.pollTimeoutMs ?? 1_000 },
    ...(options.sync ? { sync: options.sync } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(coopDir ? { coopConfigSources: [{ kind: 'environment' as const, path: join(coopDir, 'coop.json') }] } : {}),
  });
  const call = async <T>(channel: string, input: unknown = {}): Promise<T> => {
    const outcome = await core.dispatch(channel, input, { transport: 'test' });
    if (!outcome.ok) throw new Error(`${name}: ${channel} failed: ${outcome.error.code}: ${outcome.error.message}`);
    return outcome.value as T;
  };
  return {
    name,
    core,
    dataDir,
    logs: records,
    call,
    async signIn(server, user) {
      await call('matrix.signInWithPassword', { homeserverUrl: server.baseUrl, user: user.localpart, password: user.password });
    },
    syncNow: () => call<SyncStatusView>('sync.now'),
    digest: () => core.services.governance.stateDigest(),
    async close({ keepData = false } = {}) {
      core.close();
      await new Promise((r) => setTimeout(r, 50));
      if (!keepData && !options.dataDir) rmSync(dataDir, { recursive: true, force: true });
      if (coopDir) rmSync(coopDir, { recursive: true, force: true });
    },
  };
}

/**
 * A coop.json whose circle rooms are created in the clear whatever the default, for
 * tests whose other side reads or writes circle rooms without end-to-end encryption.
 */
export function clearCircleRooms(server: { baseUrl: string }): CoopConfigInput {
  return { version: 1, coop: { name: 'Test coop' }, matrix: { homeserver: server.baseUrl, encryptCircleRooms: false } };
}

/** Syncs every client repeatedly until all digests agree and nothing is pending (or gives up). */
export async function converge(clients: PlenaryClient[], rounds = 20): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    for (const client of clients) await client.syncNow();
    for (const client of clients) await client.syncNow();
    const pending = clients.map((c) => c.core.services.sync.view().pending);
    const digests = new Set(clients.map((c) => c.digest()));
    if (digests.size === 1 && pending.every((p) => p === 0)) return;
  }
  const report = clients.map((c) => `${c.name}: ${c.digest().slice(0, 12)} pending ${c.core.services.sync.view().pending} ops ${c.core.services.governance.opCount()}`);
  throw new Error(`clients did not converge:\n  ${report.join('\n  ')}`);
}
