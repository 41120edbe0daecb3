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
import { SessionStore } from '../../main/core/matrix/session-store';

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

describe('a stored session without its token at startup', () => {
  async function statusAfterRestart(secrets: (dir: string) => SecretStore): Promise<MatrixStatusView['connection']> {
    const dir = mkdtempSync(join(tmpdir(), 'plenary-token-restart-'));
    const first = createCore({ dataDir: dir, runtime: 'web', secrets: secrets(dir), log: createLogger('test', () => {}) });
    // Signed in during the last run: the session row is in SQLite, the token only where the store kept it.
    new SessionStore(first.services.db, new MemorySecretStore()).save({ homeserverUrl: 'http://127.0.0.1:9', userId: '@ana:hs', deviceId: 'D' }, 'token', 1);
    first.close();
    const core = createCore({ dataDir: dir, runtime: 'web', secrets: secrets(dir), log: createLogger('test', () => {}) });
    opened.push({ core, dir });
    const outcome = await core.dispatch('matrix.status', {}, { transport: 'test' });
    if (!outcome.ok) throw new Error(outcome.error.message);
    return (outcome.value as MatrixStatusView).connection;
  }

  it('says the sign-in was not kept when there is no keychain, and that the session ended otherwise', async () => {
    expect(await statusAfterRestart(() => new MemorySecretStore())).toMatchObject({ status: 'error', code: 'token_not_kept' });
    const quiet = createLogger('secrets', () => {});
    expect(await statusAfterRestart((dir) => new FileSecretStore(join(dir, 'secrets.json'), quiet))).toMatchObject({ status: 'error', code: 'session_expired' });
  });
});
