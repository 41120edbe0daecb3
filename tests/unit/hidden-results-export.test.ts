// A vote whose results are hidden until the close cannot be exported before it closes (the
// export would show nothing true); after the close it exports as any other.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../main/core/app-core';
import { createLogger, memorySink } from '../../main/core/log';
import { MemorySecretStore } from '../../main/core/secrets/secret-store';
import { FakeClock } from '../../main/core/clock';
import { newId } from '../../shared/governance/ids';
import type { CircleDetail, ExportFile } from '../../shared/governance/views';
import { t0 } from '../helpers/governance';

let core: Core | undefined;
const dirs: string[] = [];

afterEach(() => {
  core?.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('exporting a vote with hidden results', () => {
  it('is refused while it is open, with the reason, and works after the close', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'plenary-hidden-'));
    dirs.push(dataDir);
    core = createCore({ dataDir, runtime: 'web', secrets: new MemorySecretStore(), log: createLogger('test', memorySink().sink), clock: new FakeClock(t0) });
    const dispatch = (channel: string, input: unknown) => core!.dispatch(channel, input, { transport: 'test' });
    const circle = await dispatch('governance.createCircle', { name: 'Tech ops', purpose: '', timezone: 'UTC', displayName: 'Alice', memberTimezone: 'UTC' });
    expect(circle.ok).toBe(true);
    const circleId = (circle as { value: CircleDetail }).value.id;
    const voteId = newId();
    const options = [{ id: newId(), label: 'Yes' }, { id: newId(), label: 'No' }];
    expect((await dispatch('governance.apply', { type: 'vote.create', circle: circleId, payload: { voteId, question: 'Q?', details: '', method: 'single', options, quorumPercent: 0, hideResults: true, reasons: 'optional' } })).ok).toBe(true);
    const refused = await dispatch('governance.exportVoteResults', { circleId, voteId, locale: 'en' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input', params: { reason: 'results_hidden' } } });
    expect((await dispatch('governance.apply', { type: 'vote.close', circle: circleId, payload: { voteId } })).ok).toBe(true);
    const exported = await dispatch('governance.exportVoteResults', { circleId, voteId, locale: 'en' });
    expect(exported.ok).toBe(true);
    expect((exported as { value: ExportFile }).value.text).toContain('Q?');
  });
});
