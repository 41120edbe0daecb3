// matrix.status tells the renderer how main keeps the access token (never the token): the
// secret store's persistence, as it is at the moment of the call.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core/app-core';
import { createLogger } from '../../main/core/log';
import { MemorySecretStore, type SecretStore } from '../../main/core/secrets/secret-store';
import { SealedFileStore } from '../../main/core/secrets/sealed-file-store';
import { FileSecretStore } from '../../main/core/secrets/secret-store.file';
import type { MatrixStatusView } from '../../shared/contract/matrix';

const opened: { core: Core; dir: string }[] = [];
afterEach(() => {
  for (const { core, dir } of opened.splice(0)) {
    core.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

async function tokenStorage(secrets: (dir: string) => SecretStore): Promise<MatrixStatusView['tokenStorage']> {
  const dir = mkdtempSync(join(tmpdir(), 'plenary-token-storage-'));
  const core = createCore({ dataDir: dir, runtime: 'web', secrets: secrets(dir), log: createLogger('test', () => {}) });
  opened.push({ core, dir });
  const outcome = await core.dispatch('matrix.status', {}, { transport: 'test' });
  if (!outcome.ok) throw new Error(outcome.error.message);
  return (outcome.value as MatrixStatusView).tokenStorage;
}

describe('matrix.status tokenStorage', () => {
  it('reports each kind of store', async () => {
    const quiet = createLogger('secrets', () => {});
    expect(await tokenStorage((dir) => new FileSecretStore(join(dir, 'secrets.json'), quiet))).toBe('user-file');
    expect(await tokenStorage(() => new MemorySecretStore())).toBe('memory');
    const sealer = { seal: (v: string) => `x${v}`, unseal: (v: string) => v.slice(1) };
    expect(await tokenStorage((dir) => new SealedFileStore({ file: join(dir, 'secrets.json'), log: quiet, persistence: 'encrypted', sealer }))).toBe('encrypted');
    expect(await tokenStorage((dir) => new SealedFileStore({ file: join(dir, 'secrets.json'), log: quiet, persistence: 'memory' }))).toBe('memory');
  });
});
