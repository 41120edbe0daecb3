// The calls behind the trust rules' views, through the real dispatch: what was not accepted
// and rooms not joined are listed, acknowledged and dismissed; a proposal is adopted once,
// and an ended one not at all. Unknown ids are refused naming the field.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core/app-core';
import { createLogger, memorySink } from '../../main/core/log';
import { MemorySecretStore } from '../../main/core/secrets/secret-store';
import { FakeClock } from '../../main/core/clock';
import { voteFromElementPoll } from '../../main/core/sync/poll-mapping';
import { disclosedKind } from '../../main/core/sync/msc3381';
import type { CircleDetail, MemberProposal, VoteDetail } from '../../shared/governance/views';

const now = Date.parse('2026-12-09T10:00:00Z');
const dirs: string[] = [];
const cores: Core[] = [];

afterEach(() => {
  for (const core of cores.splice(0)) core.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function start(): Core {
  const dataDir = mkdtempSync(join(tmpdir(), 'plenary-trust-'));
  dirs.push(dataDir);
  const core = createCore({ dataDir, runtime: 'web', version: '0.1.0', secrets: new MemorySecretStore(), log: createLogger('test', memorySink().sink), clock: new FakeClock(now) });
  cores.push(core);
  return core;
}

async function call<T>(core: Core, channel: string, input: unknown = {}): Promise<T> {
  const outcome = await core.dispatch(channel, input, { transport: 'test' });
  if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
  return outcome.value as T;
}

async function refusal(core: Core, channel: string, input: unknown): Promise<unknown> {
  const outcome = await core.dispatch(channel, input, { transport: 'test' });
  if (outcome.ok) throw new Error(`${channel} succeeded`);
  return outcome.error;
}

/** A member's Element poll as inbound keeps it (proposals.ts), in the circle's room. */
function propose(core: Core, circle: string, eventId: string, question: string) {
  const { db, sync } = core.services;
  sync.rooms.remember(circle, '!room:meet.coop');
  const poll = { question, answers: [{ id: 'y', text: 'Yes' }, { id: 'n', text: 'No' }], maxSelections: 1, kind: disclosedKind };
  const { payload, answerMap } = voteFromElementPoll(eventId, now, poll);
  db.transaction(() => sync.proposals.record('!room:meet.coop', { event_id: eventId, type: 'org.matrix.msc3381.poll.start', sender: '@erin:meet.coop', origin_server_ts: now, content: {} }, payload, answerMap))();
  return payload.voteId;
}

describe('trust calls', () => {
  it('lists, adopts once, and refuses an ended or unknown proposal', async () => {
    const core = start();
    const circle = (await call<CircleDetail>(core, 'governance.createCircle', { name: 'Care', purpose: '', timezone: 'UTC', displayName: 'Ana', memberTimezone: 'UTC' })).id;
    const voteId = propose(core, circle, '$poll', 'Tuesdays?');
    const ended = propose(core, circle, '$ended', 'Mondays?');
    core.services.sync.proposals.markEnded(ended, now);

    const listed = await call<MemberProposal[]>(core, 'governance.proposals', { circleId: circle });
    expect(listed.map((p) => [p.question, p.proposer, p.endedAt])).toEqual([
      ['Mondays?', '@erin:meet.coop', now],
      ['Tuesdays?', '@erin:meet.coop', null],
    ]);
    const vote = await call<VoteDetail>(core, 'governance.adoptProposal', { circleId: circle, voteId });
    expect(vote).toMatchObject({ id: voteId, question: 'Tuesdays?', method: 'single' });
    expect(vote.options.map((o) => o.label)).toEqual(['Yes', 'No']);
    // Adopted: it has Element's poll, so no other is queued.
    expect(core.services.db.prepare('SELECT count(*) FROM sync_poll_outbox').pluck().get()).toBe(0);
    expect(await refusal(core, 'governance.adoptProposal', { circleId: circle, voteId })).toMatchObject({ code: 'not_found', field: 'voteId' });
    expect(await refusal(core, 'governance.adoptProposal', { circleId: circle, voteId: ended })).toMatchObject({ code: 'invalid_input', field: 'voteId', params: { reason: 'proposal_ended' } });
    expect((await call<MemberProposal[]>(core, 'governance.proposals', { circleId: circle })).map((p) => p.question)).toEqual(['Mondays?']);
  });

  it('acknowledges what was not accepted and dismisses room notices, refusing unknown ids', async () => {
    const core = start();
    const circle = (await call<CircleDetail>(core, 'governance.createCircle', { name: 'Care', purpose: '', timezone: 'UTC', displayName: 'Ana', memberTimezone: 'UTC' })).id;
    const renamed = core.services.governance.applyLocal('circle.update', circle, { fields: { name: 'Mine' } });
    core.services.sync.withdrawn.withdraw(renamed.id, { ok: false, reason: 'not_facilitator', field: 'actor', detail: 'needs facilitator rights' }, '$e');
    expect(await call(core, 'sync.status')).toMatchObject({ notAccepted: 1, roomNotices: 0 });
    expect(await call(core, 'sync.notAccepted')).toEqual([expect.objectContaining({ opId: renamed.id, circleName: 'Care', type: 'circle.update', reason: 'not_facilitator', acknowledged: false })]);
    expect(await call(core, 'sync.acknowledgeNotAccepted', { opId: renamed.id })).toEqual([expect.objectContaining({ acknowledged: true })]);
    expect(await call(core, 'sync.status')).toMatchObject({ notAccepted: 0 });
    expect(await refusal(core, 'sync.acknowledgeNotAccepted', { opId: 'nothing' })).toMatchObject({ code: 'not_found', field: 'opId' });

    await core.services.sync.declarations.judge({ roomId: '!fake:meet.coop', circle, creator: '@mallory:meet.coop', inviter: '@mallory:meet.coop', name: 'Care' });
    expect(await call(core, 'sync.roomNotices')).toEqual([expect.objectContaining({ roomId: '!fake:meet.coop', circleName: 'Care', reason: 'not_declared' })]);
    expect(await call(core, 'sync.dismissRoomNotice', { roomId: '!fake:meet.coop' })).toEqual([]);
    expect(await refusal(core, 'sync.dismissRoomNotice', { roomId: '!fake:meet.coop' })).toMatchObject({ code: 'not_found', field: 'roomId' });
  });
});
