import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../../main/core/app-core';
import { createLogger, memorySink } from '../../main/core/log';
import { MemorySecretStore } from '../../main/core/secrets/secret-store';
import { createDispatcher, type Handlers } from '../../main/core/dispatch';
import { PlenaryError } from '../../shared/errors';

function makeCore() {
  const { records, sink } = memorySink();
  const core = createCore({
    dataDir: mkdtempSync(join(tmpdir(), 'plenary-unit-')),
    runtime: 'web',
    secrets: new MemorySecretStore(),
    log: createLogger('test', sink),
  });
  return { core, records };
}

describe('dispatch', () => {
  it('answers a valid call', async () => {
    const { core } = makeCore();
    const outcome = await core.dispatch('app.info', {}, { transport: 'test' });
    expect(outcome.ok).toBe(true);
    expect(outcome.ok && (outcome.value as { runtime: string }).runtime).toBe('web');
    core.close();
  });

  it('rejects an unknown channel with a clear error and a log line', async () => {
    const { core, records } = makeCore();
    const outcome = await core.dispatch('circles.dropTable', {}, { transport: 'test' });
    expect(outcome).toEqual({ ok: false, error: expect.objectContaining({ code: 'unknown_channel', message: 'Unknown channel "circles.dropTable"' }) });
    expect(records.some((r) => r.level === 'warn' && r.message.includes('unknown channel'))).toBe(true);
    core.close();
  });

  it('rejects a non-string channel', async () => {
    const { core } = makeCore();
    const outcome = await core.dispatch({ evil: true }, {}, { transport: 'test' });
    expect(!outcome.ok && outcome.error.code).toBe('unknown_channel');
    core.close();
  });

  it('rejects input that fails the schema, naming the field, and writes nothing', async () => {
    const { core, records } = makeCore();
    const outcome = await core.dispatch('settings.set', { key: 'reminderMinutes', value: -5 }, { transport: 'test' });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error.code).toBe('invalid_input');
      expect(outcome.error.field).toBe('value');
      expect(outcome.error.message).toContain('settings.set: field "value"');
    }
    expect(core.services.settings.read('reminderMinutes')).toBe(10);
    expect(records.some((r) => r.message === 'rejected call with invalid input')).toBe(true);
    core.close();
  });

  it('rejects extra keys on strict inputs', async () => {
    const { core } = makeCore();
    const outcome = await core.dispatch('app.info', { injected: 1 }, { transport: 'test' });
    expect(!outcome.ok && outcome.error.code).toBe('invalid_input');
    core.close();
  });

  it('turns a PlenaryError into its data and a crash into an internal error', async () => {
    const { records, sink } = memorySink();
    const handlers = {
      'app.info': () => {
        throw new PlenaryError('not_found', 'nothing here');
      },
      'settings.get': () => {
        throw new TypeError('boom');
      },
      'settings.set': () => {
        throw new Error('unused');
      },
    } as unknown as Handlers;
    const dispatch = createDispatcher(handlers, createLogger('t', sink));
    expect(await dispatch('app.info', {}, { transport: 'test' })).toEqual({ ok: false, error: { code: 'not_found', message: 'nothing here' } });
    const crashed = await dispatch('settings.get', {}, { transport: 'test' });
    expect(!crashed.ok && crashed.error).toEqual({ code: 'internal', message: 'settings.get failed: boom' });
    expect(records.some((r) => r.level === 'error')).toBe(true);
  });
});
