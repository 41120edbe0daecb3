// Results anyone can re-count: the canonical text and comparison (shared/governance/recount.ts),
// and through the real dispatcher: closing a vote publishes its count, the vote page reads
// "verified", and a ballot changed in the store's log afterwards reads as a mismatch that
// says what differs.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../main/core/app-core';
import { createLogger, memorySink } from '../../main/core/log';
import { MemorySecretStore } from '../../main/core/secrets/secret-store';
import { FakeClock } from '../../main/core/clock';
import { newId } from '../../shared/governance/ids';
import { canonicalText, compareCounts, type PublishedCount } from '../../shared/governance/recount';
import { operationTypes } from '../../shared/governance/operation-types';
import type { CircleDetail, VoteDetail } from '../../shared/governance/views';
import { bob, carol, t0 } from '../helpers/governance';

describe('canonical count', () => {
  it('writes the same text whatever the key order', () => {
    expect(canonicalText({ b: 1, a: [{ y: 'x', x: null }, 'é'] })).toBe('{"a":[{"x":null,"y":"x"},"é"],"b":1}');
    expect(canonicalText({ a: 1, b: 2 })).toBe(canonicalText({ b: 2, a: 1 }));
  });

  it('says what differs between two counts', () => {
    const published: PublishedCount = { sha256: 'a'.repeat(64), ballots: 3, totals: { A: 2, B: 1 }, winners: ['A'] };
    expect(compareCounts(published, { ...published })).toEqual({ verified: true });
    expect(compareCounts(published, { sha256: 'b'.repeat(64), ballots: 3, totals: { A: 1, B: 2 }, winners: ['B'] })).toEqual({
      verified: false,
      differences: [
        { kind: 'total', option: 'A', published: 2, here: 1 },
        { kind: 'total', option: 'B', published: 1, here: 2 },
        { kind: 'winners', published: ['A'], here: ['B'] },
      ],
    });
    expect(compareCounts(published, { ...published, sha256: 'c'.repeat(64), ballots: 2 }).verified).toBe(false);
    expect(compareCounts(published, { ...published, sha256: 'c'.repeat(64) })).toEqual({ verified: false, differences: [{ kind: 'content' }] });
  });

  it('refuses a malformed published count with a clear message', () => {
    const schema = operationTypes['vote.digest'].schema;
    const voteId = newId(t0);
    expect(schema.safeParse({ voteId, sha256: 'A'.repeat(64), ballots: 1, totals: {}, winners: [] }).error?.issues[0]?.message).toMatch(/SHA-256/);
    expect(schema.safeParse({ voteId, sha256: 'a'.repeat(64), ballots: -1, totals: {}, winners: [] }).success).toBe(false);
    expect(schema.safeParse({ voteId, sha256: 'a'.repeat(64), ballots: 1, totals: { nope: 1 }, winners: [] }).success).toBe(false);
    expect(schema.safeParse({ voteId, sha256: 'a'.repeat(64), ballots: 1, totals: { agree: 1 }, winners: ['passes'] }).success).toBe(true);
  });
});

const dirs: string[] = [];
let core: Core;
afterEach(() => {
  core?.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function call<T>(channel: string, input: unknown): Promise<T> {
  const outcome = await core.dispatch(channel, input, { transport: 'test' });
  if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
  return outcome.value as T;
}

describe('publishing and recounting a vote', () => {
  it('publishes the count on close, verifies it, and names what a tampered ballot changed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'plenary-recount-'));
    dirs.push(dataDir);
    core = createCore({ dataDir, runtime: 'web', secrets: new MemorySecretStore(), log: createLogger('test', memorySink().sink), clock: new FakeClock(t0) });
    const circle = await call<CircleDetail>('governance.createCircle', { name: 'Tech', purpose: '', timezone: 'UTC', displayName: 'Alice', memberTimezone: 'UTC' });
    const me = core.services.localActor;
    for (const member of [bob, carol]) await call('governance.apply', { type: 'circle.member.set', circle: circle.id, payload: { member, displayName: member.slice(1, 4), role: 'member', timezone: 'UTC' } });
    const voteId = newId(t0);
    const [yes, no] = [newId(t0), newId(t0)];
    const apply = (type: string, payload: Record<string, unknown>) => call('governance.apply', { type, circle: circle.id, payload });
    await apply('vote.create', { voteId, question: 'Go?', details: '', method: 'single', options: [{ id: yes, label: 'Yes' }, { id: no, label: 'No' }], quorumPercent: 0 });
    await apply('vote.ballot', { voteId, voter: me, choice: yes });
    await apply('vote.ballot', { voteId, voter: bob, choice: yes });
    await apply('vote.ballot', { voteId, voter: carol, choice: no });
    const open = await call<VoteDetail>('governance.vote', { circleId: circle.id, voteId });
    expect(open.recount).toBeNull();

    await apply('vote.close', { voteId });
    const closed = await call<VoteDetail>('governance.vote', { circleId: circle.id, voteId });
    expect(closed.recount).toMatchObject({ verified: true, differences: [], published: { by: me, byName: 'Alice' }, canPublish: true });
    expect(closed.recount!.sha256).toMatch(/^[0-9a-f]{64}$/);
    const digestOp = core.services.db.prepare("SELECT payload FROM ops WHERE type = 'vote.digest'").pluck().get() as string;
    expect(JSON.parse(digestOp)).toMatchObject({ voteId, ballots: 3, totals: { [yes]: 2, [no]: 1 }, winners: [yes], sha256: closed.recount!.sha256 });

    // Someone edits Bob's ballot in the store's log: the recount no longer matches.
    core.services.db
      .prepare("UPDATE ops SET payload = json_set(payload, '$.choice', ?) WHERE type = 'vote.ballot' AND json_extract(payload, '$.voter') = ?")
      .run(no, bob);
    const tampered = await call<VoteDetail>('governance.vote', { circleId: circle.id, voteId });
    expect(tampered.recount).toMatchObject({
      verified: false,
      differences: [
        { kind: 'total', option: yes, published: 2, here: 1 },
        { kind: 'total', option: no, published: 1, here: 2 },
        { kind: 'winners', published: [yes], here: [no] },
      ],
    });
    // A ballot removed from the log shows in the number of ballots too.
    core.services.db.prepare("DELETE FROM ops WHERE type = 'vote.ballot' AND json_extract(payload, '$.voter') = ?").run(carol);
    const fewer = await call<VoteDetail>('governance.vote', { circleId: circle.id, voteId });
    expect(fewer.recount!.differences).toContainEqual({ kind: 'ballots', published: 3, here: 2 });
  });

  it('publishes the count of every method on close', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'plenary-recount-'));
    dirs.push(dataDir);
    core = createCore({ dataDir, runtime: 'web', secrets: new MemorySecretStore(), log: createLogger('test', memorySink().sink), clock: new FakeClock(t0) });
    const circle = await call<CircleDetail>('governance.createCircle', { name: 'Tech', purpose: '', timezone: 'UTC', displayName: 'Alice', memberTimezone: 'UTC' });
    const me = core.services.localActor;
    const options = [newId(t0), newId(t0), newId(t0)].map((id, i) => ({ id, label: `Option ${i + 1}` }));
    const ballots: Record<string, unknown> = {
      single: options[0]!.id,
      multiple: [options[0]!.id, options[2]!.id],
      score: { [options[0]!.id]: 5, [options[1]!.id]: 0, [options[2]!.id]: 3 },
      'ranked-borda': [options[1]!.id, options[0]!.id],
      'ranked-irv': [options[2]!.id],
      consent: 'block',
    };
    for (const method of ['single', 'multiple', 'score', 'ranked-borda', 'ranked-irv', 'consent', 'counted'] as const) {
      const voteId = newId(t0);
      const apply = (type: string, payload: Record<string, unknown>) => call('governance.apply', { type, circle: circle.id, payload });
      await apply('vote.create', { voteId, question: method, details: '', method, options: method === 'consent' ? [] : options, quorumPercent: 0 });
      if (method === 'counted') await apply('vote.count', { voteId, totals: { [options[0]!.id]: 1 } });
      else await apply('vote.ballot', { voteId, voter: me, choice: ballots[method] });
      await apply('vote.close', { voteId });
      const vote = await call<VoteDetail>('governance.vote', { circleId: circle.id, voteId });
      expect(vote.recount, method).toMatchObject({ verified: true });
    }
  });

  it('publishes on demand for a vote closed by its closing time, and refuses while open', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'plenary-recount-'));
    dirs.push(dataDir);
    const clock = new FakeClock(t0);
    core = createCore({ dataDir, runtime: 'web', secrets: new MemorySecretStore(), log: createLogger('test', memorySink().sink), clock });
    const circle = await call<CircleDetail>('governance.createCircle', { name: 'Tech', purpose: '', timezone: 'UTC', displayName: 'Alice', memberTimezone: 'UTC' });
    const voteId = newId(t0);
    await call('governance.apply', { type: 'vote.create', circle: circle.id, payload: { voteId, question: 'Ok?', details: '', method: 'consent', options: [], quorumPercent: 0, closesAt: t0 + 60_000 } });
    await call('governance.apply', { type: 'vote.ballot', circle: circle.id, payload: { voteId, voter: core.services.localActor, choice: 'agree' } });
    const early = await core.dispatch('governance.publishCount', { circleId: circle.id, voteId }, { transport: 'test' });
    expect(early.ok ? null : early.error).toMatchObject({ code: 'invalid_input', params: { reason: 'vote_open' } });
    clock.advance(120_000);
    const before = await call<VoteDetail>('governance.vote', { circleId: circle.id, voteId });
    expect(before.recount).toMatchObject({ published: null, verified: null, canPublish: true });
    const after = await call<VoteDetail>('governance.publishCount', { circleId: circle.id, voteId });
    expect(after.recount).toMatchObject({ verified: true });
    expect(JSON.parse(core.services.db.prepare("SELECT payload FROM ops WHERE type = 'vote.digest'").pluck().get() as string)).toMatchObject({
      ballots: 1,
      totals: { agree: 1, abstain: 0, object: 0, block: 0 },
      winners: ['passes'],
    });
  });
});
