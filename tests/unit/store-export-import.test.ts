// Export everything and import it: through the real data.* calls (chunked, as the page
// sends them), into a fresh install every row comes back the same (the log, every table
// folded from it, settings, the meetings settings, what was waiting to upload, and who the
// member is); into a store with its own data it merges by operation id and says what was
// added; a damaged, cut, edited, foreign or too-new file is refused and nothing is written.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core/app-core';
import { createLogger, memorySink } from '../../main/core/log';
import { MemorySecretStore } from '../../main/core/secrets/secret-store';
import { FakeClock } from '../../main/core/clock';
import { materializedTables } from '../../main/core/store/governance-store';
import type { Db } from '../../main/core/store/database';
import type { ExportStarted, ImportReport } from '../../shared/contract/data';
import type { PlenaryErrorData } from '../../shared/errors';
import { recordCoopHistory } from '../helpers/coop-history';

const now = Date.parse('2026-12-07T10:00:00Z');
const dirs: string[] = [];
const cores: Core[] = [];

function start(): Core {
  const dataDir = mkdtempSync(join(tmpdir(), 'plenary-export-'));
  dirs.push(dataDir);
  const core = createCore({ dataDir, runtime: 'web', version: '0.1.0', secrets: new MemorySecretStore(), log: createLogger('test', memorySink().sink), clock: new FakeClock(now) });
  cores.push(core);
  return core;
}

afterEach(() => {
  for (const core of cores.splice(0)) core.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function call<T>(core: Core, channel: string, input: unknown = {}): Promise<T> {
  const outcome = await core.dispatch(channel, input, { transport: 'test' });
  if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
  return outcome.value as T;
}

async function failure(core: Core, channel: string, input: unknown = {}): Promise<PlenaryErrorData> {
  const outcome = await core.dispatch(channel, input, { transport: 'test' });
  if (outcome.ok) throw new Error(`${channel} succeeded`);
  return outcome.error;
}

/** What the page does: start, fetch every chunk, end. */
async function exportFile(core: Core): Promise<{ bytes: Buffer; started: ExportStarted }> {
  const started = await call<ExportStarted>(core, 'data.exportBegin');
  const parts: Buffer[] = [];
  for (let index = 0; index < started.chunks; index++) parts.push(Buffer.from((await call<{ data: string }>(core, 'data.exportChunk', { exportId: started.exportId, index })).data, 'base64'));
  await call(core, 'data.exportEnd', { exportId: started.exportId });
  return { bytes: Buffer.concat(parts), started };
}

async function importFile(core: Core, bytes: Buffer, chunkBytes = 64 * 1024): Promise<ImportReport> {
  const { importId } = await call<{ importId: string }>(core, 'data.importBegin', { fileName: 'plenary-export.plenary', sizeBytes: bytes.length });
  for (let index = 0; index * chunkBytes < bytes.length; index++) {
    await call(core, 'data.importChunk', { importId, index, data: bytes.subarray(index * chunkBytes, (index + 1) * chunkBytes).toString('base64') });
  }
  return call<ImportReport>(core, 'data.importEnd', { importId });
}

async function importFailure(core: Core, bytes: Buffer): Promise<PlenaryErrorData> {
  try {
    await importFile(core, bytes);
  } catch (error) {
    return error as PlenaryErrorData;
  }
  throw new Error('the import succeeded');
}

function rows(db: Db): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {
    ops: db.prepare('SELECT id, hlc, actor, circle, type, payload, v, origin FROM ops ORDER BY id').all(),
    settings: db.prepare('SELECT key, value FROM settings ORDER BY key').all(),
    meetings: db.prepare("SELECT key, value FROM meta WHERE key LIKE 'meetings.%' ORDER BY key").all(),
    outbox: db.prepare('SELECT op_id, circle, op_json FROM sync_outbox ORDER BY op_id').all(),
    identity: db.prepare("SELECT key, value FROM meta WHERE key = 'local_actor'").all(),
  };
  for (const [table, orderBy] of materializedTables) out[table] = db.prepare(`SELECT * FROM ${table} ORDER BY ${orderBy}`).all();
  return out;
}

async function coopComputer(): Promise<Core> {
  const core = start();
  recordCoopHistory(core.services.governance, core.services.localActor, now);
  await call(core, 'settings.set', { key: 'theme', value: 'dark' });
  await call(core, 'settings.set', { key: 'locale', value: 'ca' });
  await call(core, 'bbb.setDisplayName', { displayName: 'Facilitació' });
  return core;
}

describe('export and import of the whole store', () => {
  it('brings every row back in a fresh install, as the same member', async () => {
    const source = await coopComputer();
    const { bytes, started } = await exportFile(source);
    expect(started.fileName).toBe('plenary-export-2026-12-07T10-00-00Z.plenary');
    expect(started.operations).toBe(source.services.governance.opCount());
    expect(started.sizeBytes).toBe(bytes.length);

    const target = start();
    const report = await importFile(target, bytes);
    expect(report).toEqual({
      fromVersion: '0.1.0',
      operations: started.operations,
      added: { circles: 2, assemblies: 1, votes: 2, ballots: 4, contributions: 3, other: started.operations - 12 },
      alreadyHere: 0,
      refused: 0,
      settingsImported: true,
      identityKept: true,
    });
    const expected = rows(source.services.db);
    const actual = rows(target.services.db);
    for (const table of Object.keys(expected)) expect(actual[table], table).toEqual(expected[table]);
    expect(expected.ops!.length).toBeGreaterThan(30);
    expect(expected.outbox!.length).toBeGreaterThan(30);
    expect(target.services.localActor).toBe(source.services.localActor);
    expect(target.services.governance.stateDigest()).toBe(source.services.governance.stateDigest());
    // Its own clock node stays its own: two computers never share one.
    const node = (core: Core) => core.services.db.prepare("SELECT value FROM meta WHERE key = 'governance_clock_node'").pluck().get();
    expect(node(target)).not.toBe(node(source));
  });

  it('leaves out operations withdrawn on the coop server, so an import cannot bring them back', async () => {
    const source = await coopComputer();
    const governance = source.services.governance;
    const circle = source.services.db.prepare('SELECT circle FROM gov_circles WHERE created_v IS NOT NULL ORDER BY name LIMIT 1').pluck().get() as string;
    const redacted = { id: '01KF00000000000000000RDCTD', hlc: `${now - 1000}-000000-remote`, actor: '@ana:meet.coop', circle, type: 'circle.update', payload: { fields: { name: 'Sent by mistake' } }, v: 1 };
    governance.applyRemote([redacted], { event: { eventId: '$mistake:meet.coop', serverTs: now - 500, carries: true, poll: false } });
    governance.withdrawEvents([
      { eventId: '$mistake:meet.coop', roomId: '!r:meet.coop', circle, sender: '@ana:meet.coop', eventType: 'coop.meet.plenary.ops', redactedBy: '@ana:meet.coop', redactionId: '$r:meet.coop', redactedAt: now - 100, reason: '' },
    ]);
    const { bytes, started } = await exportFile(source);
    expect(started.operations).toBe(governance.opCount() - 1);
    const target = start();
    await importFile(target, bytes);
    expect(target.services.db.prepare('SELECT count(*) FROM ops WHERE id = ?').pluck().get(redacted.id)).toBe(0);
    expect(target.services.governance.stateDigest()).toBe(governance.stateDigest());
  });

  it('merges into a store with its own data by operation id, says what it added, and adds nothing the second time', async () => {
    const source = await coopComputer();
    const { bytes } = await exportFile(source);
    const target = start();
    await call(target, 'governance.createCircle', { name: 'Community', purpose: '', timezone: 'UTC', displayName: 'Kim', memberTimezone: 'UTC' });
    await call(target, 'settings.set', { key: 'theme', value: 'light' });
    const ownOps = target.services.governance.opCount();

    const first = await importFile(target, bytes);
    expect(first).toMatchObject({ added: { circles: 2, assemblies: 1, votes: 2, ballots: 4, contributions: 3 }, alreadyHere: 0, refused: 0, settingsImported: false, identityKept: false });
    expect(target.services.governance.opCount()).toBe(ownOps + first.operations);
    const names = (await call<{ name: string }[]>(target, 'governance.circles')).map((c) => c.name).sort();
    expect(names).toEqual(['Community', 'Pilot 2025', 'Technology operations']);
    expect((await call<{ values: { theme: string } }>(target, 'settings.get')).values.theme).toBe('light');
    // Imported operations are the other computer's: not queued for upload from here.
    expect(target.services.db.prepare("SELECT count(*) FROM ops WHERE origin = 'remote'").pluck().get()).toBe(first.operations);
    // A backup was made before the import changed a store with data.
    expect((await call<{ backups: { reason: string }[] }>(target, 'data.overview')).backups.map((b) => b.reason)).toEqual(['before-import']);

    const second = await importFile(target, bytes);
    expect(second).toMatchObject({ added: { circles: 0, assemblies: 0, votes: 0, ballots: 0, contributions: 0, other: 0 }, alreadyHere: first.operations, refused: 0 });
  });

  it('does not bring back a change this device took back because the other members refuse it', async () => {
    const core = await coopComputer();
    const { bytes } = await exportFile(core);
    const digestBefore = core.services.governance.stateDigest();
    const [rename] = core.services.governance.opsSince(0, 1_000).filter((stored) => stored.op.type === 'circle.update');
    expect(rename).toBeDefined();
    const refused = { ok: false as const, reason: 'not_facilitator' as const, field: 'actor', detail: 'circle.update needs facilitator rights' };
    expect(core.services.sync.withdrawn.withdraw(rename!.op.id, refused, '$event')).toBe(true);
    const withdrawnDigest = core.services.governance.stateDigest();
    expect(withdrawnDigest).not.toBe(digestBefore);

    const report = await importFile(core, bytes);
    expect(report).toMatchObject({ refused: 1, alreadyHere: report.operations - 1 });
    expect(core.services.db.prepare('SELECT count(*) FROM ops WHERE id = ?').pluck().get(rename!.op.id)).toBe(0);
    expect(core.services.db.prepare('SELECT count(*) FROM sync_outbox WHERE op_id = ?').pluck().get(rename!.op.id)).toBe(0);
    expect(core.services.governance.stateDigest()).toBe(withdrawnDigest);
  });

  it('refuses a damaged, cut, edited, foreign or newer file, and writes nothing', async () => {
    const source = await coopComputer();
    const { bytes } = await exportFile(source);
    const target = start();
    const untouched = () => target.services.governance.opCount();

    const flipped = Buffer.from(bytes);
    flipped[Math.floor(flipped.length / 2)]! ^= 0xff;
    expect(await importFailure(target, flipped)).toMatchObject({ code: 'file_damaged' });

    expect(await importFailure(target, bytes.subarray(0, Math.floor(bytes.length * 0.8)))).toMatchObject({ code: 'file_damaged' });

    // Re-compressed with one ballot changed: gzip is sound, the checksum is not.
    const text = gunzipSync(bytes).toString('utf8');
    const edited = gzipSync(Buffer.from(text.replace('Cheaper and closer', 'Cheaper and nearer')));
    const editedFailure = await importFailure(target, edited);
    expect(editedFailure).toMatchObject({ code: 'file_damaged' });
    expect(editedFailure.message).toContain('checksum');

    const lines = text.split('\n');
    const header = JSON.parse(lines[0]!) as Record<string, unknown>;
    const newer = gzipSync(Buffer.from([JSON.stringify({ ...header, formatVersion: 2, appVersion: '2.0.0' }), ...lines.slice(1)].join('\n')));
    expect(await importFailure(target, newer)).toMatchObject({ code: 'file_too_new', params: { version: '2.0.0' } });

    expect(await importFailure(target, Buffer.from('date,minutes\n2026-12-01,30\n'))).toMatchObject({ code: 'file_not_plenary' });
    expect(await importFailure(target, gzipSync('{"hello":"world"}\n'))).toMatchObject({ code: 'file_not_plenary' });
    expect(untouched()).toBe(0);
  });

  it('takes chunks only in order and only as many bytes as announced', async () => {
    const target = start();
    const { importId } = await call<{ importId: string }>(target, 'data.importBegin', { fileName: 'x.plenary', sizeBytes: 4 });
    expect(await failure(target, 'data.importChunk', { importId, index: 1, data: 'AAAA' })).toMatchObject({ code: 'invalid_input', field: 'index' });
    expect(await failure(target, 'data.importChunk', { importId, index: 0, data: 'AAAAAAAA' })).toMatchObject({ code: 'invalid_input', field: 'data' });
    expect(await failure(target, 'data.importEnd', { importId })).toMatchObject({ code: 'not_found', field: 'importId' });
    expect(await failure(target, 'data.importChunk', { importId: 'a'.repeat(32), index: 0, data: 'not base64!' })).toMatchObject({ code: 'invalid_input', field: 'data' });
  });

  it('leaves nothing behind in the transfers folder after an export and an import', async () => {
    const source = await coopComputer();
    const { bytes } = await exportFile(source);
    const target = start();
    await importFile(target, bytes);
    for (const core of [source, target]) expect(readdirSync(join(core.data.overview().dataDir, 'transfers'))).toEqual([]);
  });
});
