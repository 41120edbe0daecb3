// standing.mine and standing.circle through the core: null without the coop's rules; each
// member's standing only for the circle's facilitators.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../main/core/app-core';
import { createLogger, memorySink } from '../../main/core/log';
import { MemorySecretStore } from '../../main/core/secrets/secret-store';
import { FakeClock } from '../../main/core/clock';
import type { CircleDetail } from '../../shared/governance/views';
import type { MemberStanding } from '../../shared/contract/standing';
import { bob, t0 } from '../helpers/governance';

const dirs: string[] = [];
let core: Core;

function start(standing?: unknown) {
  const dataDir = mkdtempSync(join(tmpdir(), 'plenary-standing-'));
  dirs.push(dataDir);
  const path = join(dataDir, 'coop.json');
  writeFileSync(path, JSON.stringify({ version: 1, coop: { name: 'meet.coop' }, ...(standing ? { standing } : {}) }));
  core = createCore({
    dataDir,
    runtime: 'web',
    secrets: new MemorySecretStore(),
    log: createLogger('test', memorySink().sink),
    clock: new FakeClock(t0),
    coopConfigSources: [{ kind: 'environment', path }],
  });
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

async function circle(): Promise<CircleDetail> {
  const c = await call<CircleDetail>('governance.createCircle', { name: 'All hands', purpose: '', timezone: 'UTC', displayName: 'Alice', memberTimezone: 'UTC' });
  await call('governance.apply', { type: 'circle.member.set', circle: c.id, payload: { member: bob, displayName: 'Bob', role: 'member', timezone: 'UTC' } });
  return c;
}

describe('standing calls', () => {
  it('answer null when coop.json sets no rules', async () => {
    start();
    const c = await circle();
    expect(await call('standing.mine', {})).toBeNull();
    expect(await call('standing.circle', { circleId: c.id })).toBeNull();
  });

  it("give the member's own standing and, to a facilitator, each member's", async () => {
    start({ minCircles: 2 });
    const c = await circle();
    const mine = await call<MemberStanding>('standing.mine', {});
    expect(mine).toMatchObject({ member: c.me, displayName: 'Alice', standing: { inGoodStanding: false, checks: [{ rule: 'circles', have: 1, short: 1 }] } });
    const all = await call<MemberStanding[]>('standing.circle', { circleId: c.id });
    expect(all.map((m) => [m.displayName, m.standing.checks[0]])).toEqual([
      ['Alice', { rule: 'circles', met: false, have: 1, need: 2, short: 1 }],
      ['Bob', { rule: 'circles', met: false, have: 1, need: 2, short: 1 }],
    ]);
  });

  it("refuse each member's standing to someone who is not the circle's facilitator", async () => {
    start({ minCircles: 1 });
    const c = await circle();
    await call('governance.apply', { type: 'circle.member.set', circle: c.id, payload: { member: bob, displayName: 'Bob', role: 'facilitator', timezone: 'UTC' } });
    await call('governance.apply', { type: 'circle.member.set', circle: c.id, payload: { member: c.me, displayName: 'Alice', role: 'member', timezone: 'UTC' } });
    const outcome = await core.dispatch('standing.circle', { circleId: c.id }, { transport: 'test' });
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error).toMatchObject({ code: 'forbidden', message: "Only the circle's facilitators see each member's standing" });
    // Her own standing stays hers to see.
    expect(await call<MemberStanding>('standing.mine', {})).toMatchObject({ standing: { inGoodStanding: true } });
  });
});
