// The core with a store it cannot open, and a restore: createCore never throws; it starts in
// recovery, answers the recovery calls (and app.info, settings.get) and refuses the rest in
// words; each choice keeps the damaged file aside and opens the store again in place. A
// restore from Settings › Data keeps the current file aside and brings back the backup's
// data behind the same dispatch.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core/app-core';
import { createLogger, memorySink } from '../../main/core/log';
import { MemorySecretStore } from '../../main/core/secrets/secret-store';
import type { BackupView, StoreStatusView } from '../../shared/contract/data';
import type { CircleDetail, CircleSummary } from '../../shared/governance/views';
import type { PlenaryErrorData } from '../../shared/errors';
import type { EventName } from '../../shared/contract';
import { corruptTable, fileState, fromTheFuture, makeStore } from '../helpers/store-files';

const dirs: string[] = [];
let core: Core | null = null;

function start(dataDir = mkdtempSync(join(tmpdir(), 'plenary-data-')), extra: { quit?: () => void } = {}): Core {
  dirs.push(dataDir);
  core = createCore({ dataDir, runtime: 'web', version: '0.1.0', secrets: new MemorySecretStore(), log: createLogger('test', memorySink().sink), ...extra });
  return core;
}

async function call<T>(channel: string, input: unknown = {}): Promise<T> {
  const outcome = await core!.dispatch(channel, input, { transport: 'test' });
  if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
  return outcome.value as T;
}

async function failure(channel: string, input: unknown = {}): Promise<PlenaryErrorData> {
  const outcome = await core!.dispatch(channel, input, { transport: 'test' });
  if (outcome.ok) throw new Error(`${channel} succeeded`);
  return outcome.error;
}

function nextEvent(name: EventName): Promise<unknown> {
  return new Promise((resolve) => {
    const stop = core!.events.subscribe((event, payload) => {
      if (event !== name) return;
      stop();
      resolve(payload);
    });
  });
}

const createCircle = (name: string) =>
  call<CircleDetail>('governance.createCircle', { name, purpose: 'Keep the servers running', timezone: 'UTC', displayName: 'Ana', memberTimezone: 'UTC' });

afterEach(() => {
  core?.close();
  core = null;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('a store that cannot be opened', () => {
  it('starts the core in recovery instead of throwing, answering only what needs no store', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'plenary-data-'));
    makeStore(dataDir);
    corruptTable(join(dataDir, 'plenary.sqlite'));
    start(dataDir);
    expect(core!.state).toBe('recovery');
    expect(() => core!.services).toThrow('closed for recovery');
    const status = await call<StoreStatusView>('data.status');
    expect(status).toMatchObject({
      state: 'recovery',
      recovery: { problem: 'corrupt', file: join(dataDir, 'plenary.sqlite'), appVersion: '0.1.0', choices: ['start-empty', 'quit'], latestBackup: null },
    });
    expect(await call('app.info')).toMatchObject({ version: '0.1.0', runtime: 'web', localActor: '' });
    expect(await call('settings.get')).toMatchObject({ values: { locale: 'system', theme: 'system' } });
    expect(await failure('governance.circles')).toMatchObject({ code: 'store_unavailable' });
    expect(await failure('settings.set', { key: 'theme', value: 'dark' })).toMatchObject({ code: 'store_unavailable' });
    expect(await failure('data.recover', { choice: 'retry' })).toMatchObject({ code: 'invalid_input', field: 'choice' });
  });

  it('starts empty when asked: the damaged file is kept aside, byte for byte, and the store opens again in place', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'plenary-data-'));
    makeStore(dataDir);
    const file = join(dataDir, 'plenary.sqlite');
    corruptTable(file);
    const damaged = fileState(file);
    start(dataDir);
    const { recovery } = (await call<StoreStatusView & { state: 'recovery' }>('data.status'));
    const reopened = nextEvent('data.reopened');
    expect(await call('data.recover', { choice: 'start-empty' })).toEqual({ restarting: true });
    expect(await reopened).toEqual({ state: 'ready' });
    expect(core!.state).toBe('ready');
    expect(await call<CircleSummary[]>('governance.circles')).toEqual([]);
    expect(fileState(recovery.keptAs).sha256).toBe(damaged.sha256);
    const overview = await call<{ kept: { path: string; reason: string }[] }>('data.overview');
    expect(overview.kept).toMatchObject([{ path: recovery.keptAs, reason: 'damaged' }]);
  });

  it('restores the newest sound backup when the store is damaged', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'plenary-data-'));
    start(dataDir);
    await createCircle('Stewards');
    await call<BackupView>('data.backupNow');
    core!.close();
    corruptTable(join(dataDir, 'plenary.sqlite'));
    start(dataDir);
    const status = await call<StoreStatusView & { state: 'recovery' }>('data.status');
    expect(status.recovery.choices).toEqual(['restore-backup', 'start-empty', 'quit']);
    const reopened = nextEvent('data.reopened');
    await call('data.recover', { choice: 'restore-backup' });
    await reopened;
    expect((await call<CircleSummary[]>('governance.circles')).map((c) => c.name)).toEqual(['Stewards']);
  });

  it('refuses a store a later Plenary wrote, offers only quitting, and quits when asked', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'plenary-data-'));
    makeStore(dataDir);
    const file = join(dataDir, 'plenary.sqlite');
    fromTheFuture(file, '3.2.1');
    const before = fileState(file);
    let quits = 0;
    start(dataDir, { quit: () => quits++ });
    expect(await call('data.status')).toMatchObject({ state: 'recovery', recovery: { problem: 'newer_schema', writtenBy: '3.2.1', choices: ['quit'] } });
    expect(await call('data.recover', { choice: 'quit' })).toEqual({ restarting: false });
    expect(quits).toBe(1);
    core!.close();
    core = null;
    expect(fileState(file)).toEqual(before);
  });
});

describe('restoring a backup from Settings › Data', () => {
  it('keeps the current file aside, brings back the backup and answers from it behind the same dispatch', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'plenary-data-'));
    start(dataDir);
    await createCircle('Technology operations');
    const backup = await call<BackupView>('data.backupNow');
    expect(backup).toMatchObject({ reason: 'manual' });
    expect(backup.sizeBytes).toBeGreaterThan(0);
    await createCircle('Community');
    expect((await call<CircleSummary[]>('governance.circles')).length).toBe(2);

    const reopened = nextEvent('data.reopened');
    const { keptAs, restarting } = await call<{ keptAs: string; restarting: boolean }>('data.restore', { backupId: backup.id });
    expect(restarting).toBe(true);
    await reopened;
    expect((await call<CircleSummary[]>('governance.circles')).map((c) => c.name)).toEqual(['Technology operations']);
    // The file the restore replaced is kept, with both circles in it.
    const kept = new Database(keptAs, { readonly: true });
    expect(kept.prepare('SELECT name FROM gov_circles ORDER BY name').pluck().all()).toEqual(['Community', 'Technology operations']);
    kept.close();
    const overview = await call<{ kept: { path: string; reason: string }[] }>('data.overview');
    expect(overview.kept).toMatchObject([{ path: keptAs, reason: 'before-restore' }]);
    expect(existsSync(join(dataDir, 'store-swap.json'))).toBe(false);
    // New work goes into the restored store.
    await createCircle('Product');
    expect((await call<CircleSummary[]>('governance.circles')).map((c) => c.name).sort()).toEqual(['Product', 'Technology operations']);
  });

  it('refuses a backup name that is not in the backups folder', async () => {
    start();
    expect(await failure('data.restore', { backupId: '../plenary.sqlite' })).toMatchObject({ code: 'invalid_input', field: 'backupId' });
    expect(await failure('data.restore', { backupId: 'plenary-2026-01-01T00-00-00Z-daily.sqlite' })).toMatchObject({ code: 'file_damaged', field: 'backupId' });
  });
});
