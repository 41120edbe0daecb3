// Minutes typed in an assembly are kept on this computer as they are typed (a draft), shown
// again on the next read (a change of view, a reload, a restart), published by
// assembly.minutes.set, and never lost when the assembly closes with a draft unpublished.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../main/core/app-core';
import { createLogger, memorySink } from '../../main/core/log';
import { MemorySecretStore } from '../../main/core/secrets/secret-store';
import { FakeClock } from '../../main/core/clock';
import { newId } from '../../shared/governance/ids';
import type { AssemblyDetail, CircleDetail } from '../../shared/governance/views';
import { remoteOp, t0 } from '../helpers/governance';

const dirs: string[] = [];
let core: Core;
let clock: FakeClock;

function start(dataDir = mkdtempSync(join(tmpdir(), 'plenary-drafts-'))) {
  if (!dirs.includes(dataDir)) dirs.push(dataDir);
  clock = new FakeClock(t0);
  core = createCore({ dataDir, runtime: 'web', secrets: new MemorySecretStore(), log: createLogger('test', memorySink().sink), clock });
  return dataDir;
}

async function call<T>(channel: string, input: unknown): Promise<T> {
  const outcome = await core.dispatch(channel, input, { transport: 'test' });
  if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
  return outcome.value as T;
}

afterEach(() => {
  core?.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function openAssembly() {
  const circle = await call<CircleDetail>('governance.createCircle', { name: 'Ops', purpose: '', timezone: 'UTC', displayName: 'Alice', memberTimezone: 'UTC' });
  const assemblyId = newId();
  const items = [newId(), newId()];
  const apply = (type: string, payload: unknown) => call('governance.apply', { type, circle: circle.id, payload });
  await apply('assembly.create', { assemblyId, title: 'AGM' });
  for (const [position, itemId] of items.entries()) await apply('assembly.agenda.set', { assemblyId, itemId, title: `Item ${position}`, position });
  await apply('assembly.open', { assemblyId });
  const read = () => call<AssemblyDetail>('governance.assembly', { circleId: circle.id, assemblyId });
  return { circleId: circle.id, assemblyId, items, apply, read };
}

describe('minutes drafts', () => {
  it('keeps a draft across a restart on the same data folder, without making an operation', async () => {
    const dataDir = start();
    const { circleId, assemblyId, items, read } = await openAssembly();
    const ops = core.services.governance.opCount();
    const saved = await call<{ savedAt: number }>('governance.saveMinutesDraft', { circleId, assemblyId, itemId: items[0], markdown: 'Budget **agreed**' });
    expect(saved.savedAt).toBe(t0);
    expect(core.services.governance.opCount()).toBe(ops);
    core.close();
    start(dataDir);
    const item = (await read()).agenda[0]!;
    expect(item).toMatchObject({ minutes: '', draft: { markdown: 'Budget **agreed**', savedAt: t0, changedElsewhere: false } });
  });

  it('publishing the minutes removes the draft, unless more was typed since', async () => {
    start();
    const { circleId, assemblyId, items, apply, read } = await openAssembly();
    const draft = (markdown: string) => call('governance.saveMinutesDraft', { circleId, assemblyId, itemId: items[0], markdown });
    await draft('First words');
    await apply('assembly.minutes.set', { assemblyId, itemId: items[0], markdown: 'First words' });
    expect((await read()).agenda[0]).toMatchObject({ minutes: 'First words', draft: null });

    await draft('First words and more');
    await apply('assembly.minutes.set', { assemblyId, itemId: items[0], markdown: 'First words and' });
    expect((await read()).agenda[0]).toMatchObject({ minutes: 'First words and', draft: { markdown: 'First words and more' } });
    // Typing back to what is published leaves nothing to publish.
    await draft('First words and');
    expect((await read()).agenda[0]!.draft).toBeNull();
  });

  it('says when the published minutes changed elsewhere after the draft was started', async () => {
    start();
    const { circleId, assemblyId, items, read } = await openAssembly();
    await call('governance.saveMinutesDraft', { circleId, assemblyId, itemId: items[1], markdown: 'Mine' });
    core.services.governance.applyRemote([remoteOp('assembly.minutes.set', circleId, { assemblyId, itemId: items[1]!, markdown: 'Theirs' }, { wall: t0 + 1000, actor: core.services.localActor })]);
    expect((await read()).agenda[1]).toMatchObject({ minutes: 'Theirs', draft: { markdown: 'Mine', changedElsewhere: true } });
  });

  it('closing the assembly publishes unpublished drafts first, in the same change', async () => {
    start();
    const { circleId, assemblyId, items, apply, read } = await openAssembly();
    await call('governance.saveMinutesDraft', { circleId, assemblyId, itemId: items[1], markdown: 'Decided to *migrate*' });
    await apply('assembly.close', { assemblyId });
    const assembly = await read();
    expect(assembly.status).toBe('closed');
    expect(assembly.agenda.map((i) => [i.minutes, i.draft])).toEqual([
      ['', null],
      ['Decided to *migrate*', null],
    ]);
    const outcome = await core.dispatch('governance.saveMinutesDraft', { circleId, assemblyId, itemId: items[1], markdown: 'late' }, { transport: 'test' });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'assemblyId', params: { reason: 'assembly_closed' } } });
  });

  it('refuses a draft for an item the assembly does not have, naming the field', async () => {
    start();
    const { circleId, assemblyId } = await openAssembly();
    const outcome = await core.dispatch('governance.saveMinutesDraft', { circleId, assemblyId, itemId: newId(), markdown: 'x' }, { transport: 'test' });
    expect(outcome).toMatchObject({ ok: false, error: { field: 'itemId', params: { reason: 'agenda_item_missing' } } });
  });
});
