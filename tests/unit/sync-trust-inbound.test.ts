// Inbound under the one authorisation rule, with events as the coop server delivers them:
// - this replica's own operation, refused at its place in the room's history (a facilitator
//   demoted while offline), is withdrawn here too, and the replica ends equal to one that
//   never applied it;
// - a vote's poll is its creator's: another member's start claiming it is quarantined, and
//   answers to the real poll count;
// - a poll from a member who may not create votes is a proposal whose answers count once a
//   facilitator adopts it, and only its proposer or a facilitator ends it.
import { describe, expect, it } from 'vitest';
import { inboundFixture, type InboundFixture } from '../helpers/inbound-fixture';
import { encodeOpsContent, opsEventType } from '../../main/core/sync/ops-event';
import { buildPollEnd, buildPollResponse, buildPollStart, disclosedKind, pollEndType, pollResponseType, pollStartType } from '../../main/core/sync/msc3381';
import { voteFromElementPoll, voteKey } from '../../main/core/sync/poll-mapping';
import type { MatrixRawEvent, SyncResponse } from '../../main/core/matrix/matrix-connection';
import type { Operation } from '../../shared/governance/operation';
import type { GovernanceOperation, OperationType, PayloadOf } from '../../shared/governance/operation-types';
import { newId } from '../../shared/governance/ids';
import { remoteOp } from '../helpers/governance';

const now = Date.UTC(2026, 11, 9, 10);
const roomId = '!circle:meet.coop';
const circle = newId(now);
const alice = '@alice:meet.coop';
const dan = '@dan:meet.coop';
const erin = '@erin:meet.coop';
const mallory = '@mallory:meet.coop';
const options = [
  { id: newId(now), label: 'Yes' },
  { id: newId(now), label: 'No' },
];

let n = 0;
let wall = now - 60_000;
const op = <T extends OperationType>(type: T, payload: PayloadOf<T>, actor: string) => remoteOp(type, circle, payload, { wall: wall++, actor, node: actor.slice(1, 5) });
const event = (type: string, sender: string, content: Record<string, unknown>, extra: Partial<MatrixRawEvent> = {}): MatrixRawEvent => ({
  event_id: `$t${n++}`,
  type,
  sender,
  origin_server_ts: now + n,
  content,
  ...extra,
});
const opsOf = (sender: string, ops: GovernanceOperation[]) => event(opsEventType, sender, encodeOpsContent(newId(now), circle, ops as Operation[]) as unknown as Record<string, unknown>);
const levels = (users: Record<string, number>) => event('m.room.power_levels', alice, { users, users_default: 0 }, { state_key: '' });
const create = event('m.room.create', alice, { room_version: '12', 'coop.meet.plenary.circle': circle }, { state_key: '' });
const sync = (timeline: MatrixRawEvent[], state: MatrixRawEvent[] = []): SyncResponse => ({ next_batch: 's', rooms: { join: { [roomId]: { state: { events: state }, timeline: { events: timeline } } } } });

function replica(self: string): InboundFixture {
  const f = inboundFixture({ self, now });
  f.rooms.remember(circle, roomId);
  return f;
}

const circleOps = () => [
  op('circle.create', { name: 'Tech ops', purpose: '', timezone: 'UTC' }, alice),
  op('circle.member.set', { member: alice, displayName: 'Alice', role: 'facilitator', timezone: 'UTC' }, alice),
  op('circle.member.set', { member: dan, displayName: 'Dan', role: 'facilitator', timezone: 'UTC' }, alice),
  op('circle.member.set', { member: erin, displayName: 'Erin', role: 'member', timezone: 'UTC' }, alice),
  op('circle.member.set', { member: mallory, displayName: 'Mallory', role: 'member', timezone: 'UTC' }, alice),
];
const nameOf = (f: InboundFixture) => f.reads.circle(circle)?.name;

describe('a replica’s own operation refused by the room’s history', () => {
  it('is withdrawn, shown with its reason, and leaves the replica equal to the others', async () => {
    const setup = circleOps();
    const danReplica = replica(dan);
    const other = replica(erin);
    const start = sync([opsOf(alice, setup)], [create, levels({ [dan]: 50 })]);
    await danReplica.inbound.onSync(start);
    await other.inbound.onSync(start);

    // Offline, Dan (a facilitator as far as he knows) renames the circle; meanwhile he was demoted.
    const renamed = danReplica.store.applyLocal('circle.update', circle, { fields: { name: 'Dan’s ops' } });
    expect(nameOf(danReplica)).toBe('Dan’s ops');
    const demotion = [opsOf(alice, [op('circle.member.set', { member: dan, displayName: 'Dan', role: 'member', timezone: 'UTC' }, alice)]), levels({ [dan]: 0 })];
    const back = sync([...demotion, opsOf(dan, [renamed])]);
    await danReplica.inbound.onSync(back);
    await other.inbound.onSync(back);

    expect(nameOf(other)).toBe('Tech ops');
    expect(nameOf(danReplica)).toBe('Tech ops');
    expect(danReplica.withdrawn.list()).toEqual([expect.objectContaining({ opId: renamed.id, type: 'circle.update', circleName: 'Tech ops', reason: 'not_facilitator', acknowledged: false })]);
    expect(danReplica.withdrawn.count()).toBe(1);
    // Listed once, not also as a received item kept aside.
    expect(danReplica.db.prepare('SELECT count(*) FROM sync_quarantine').pluck().get()).toBe(0);
    expect(danReplica.store.stateDigest()).toBe(other.store.stateDigest());
    expect(danReplica.withdrawn.acknowledge(renamed.id)).toBe(true);
    expect(danReplica.withdrawn.count()).toBe(0);
  });

  it('is not withdrawn when someone else re-sends it', async () => {
    const danReplica = replica(dan);
    await danReplica.inbound.onSync(sync([opsOf(alice, circleOps())], [create, levels({ [dan]: 50 })]));
    const renamed = danReplica.store.applyLocal('circle.update', circle, { fields: { name: 'Dan’s ops' } });
    await danReplica.inbound.onSync(sync([opsOf(mallory, [renamed])]));
    expect(nameOf(danReplica)).toBe('Dan’s ops');
    expect(danReplica.withdrawn.count()).toBe(0);
  });
});

describe('polls and votes', () => {
  const voteId = newId(now);
  const voteCreate = () => op('vote.create', { voteId, question: 'Renew?', details: '', method: 'single', options, quorumPercent: 0 }, alice);
  const plenaryStart = (sender: string) => event(pollStartType, sender, buildPollStart({ question: 'Renew?', answers: options.map((o) => ({ id: o.id, text: o.label })), maxSelections: 1, kind: disclosedKind }, { [voteKey]: { voteId, method: 'single', opId: newId(now) } }));
  const quarantined = (f: InboundFixture) => f.db.prepare('SELECT reason FROM sync_quarantine ORDER BY id').pluck().all() as string[];

  it('binds a vote’s poll to the start its creator sends, whatever claims it first', async () => {
    const f = replica(erin);
    const forged = plenaryStart(mallory);
    const real = plenaryStart(alice);
    const early = plenaryStart(alice);
    // A start for a vote the history has not created yet, one from someone else, then the real one.
    await f.inbound.onSync(sync([opsOf(alice, circleOps()), early, opsOf(alice, [voteCreate()]), forged, real], [create, levels({ [dan]: 50 })]));
    expect(f.db.prepare('SELECT event_id FROM sync_vote_polls WHERE vote_id = ?').pluck().get(voteId)).toBe(real.event_id);
    expect(quarantined(f)).toEqual([expect.stringContaining('has not created (yet)'), expect.stringContaining(`${mallory} started a poll claiming vote`)]);

    // Answers to the real poll count; Mallory's end of her own poll and of the real one close nothing.
    await f.inbound.onSync(
      sync([
        event(pollResponseType, erin, buildPollResponse(real.event_id, [options[0]!.id])),
        event(pollEndType, mallory, buildPollEnd(forged.event_id, 'ended')),
        event(pollEndType, mallory, buildPollEnd(real.event_id, 'ended')),
      ]),
    );
    expect(f.db.prepare("SELECT count(*) FROM ops WHERE type = 'vote.ballot'").pluck().get()).toBe(1);
    expect(f.db.prepare('SELECT closed_v FROM gov_votes WHERE vote_id = ?').pluck().get(voteId)).toBeNull();
    // Element itself refuses Mallory's end of Alice's poll (MSC3381): Plenary does too, before its own rule.
    expect(quarantined(f).slice(2)).toEqual([expect.stringContaining('the end of a poll this room does not have'), expect.stringContaining(`${mallory} may not end a poll started by ${alice}`)]);

    // Its creator ends it.
    await f.inbound.onSync(sync([event(pollEndType, alice, buildPollEnd(real.event_id, 'ended'))]));
    expect(f.db.prepare('SELECT closed_by FROM gov_votes WHERE vote_id = ?').pluck().get(voteId)).toBe(alice);
  });

  it('keeps a member’s Element poll as a proposal whose answers count once a facilitator adopts it', async () => {
    const f = replica(alice);
    const poll = { question: 'Tuesdays?', answers: [{ id: 'y', text: 'Yes' }, { id: 'n', text: 'No' }], maxSelections: 1, kind: disclosedKind };
    const start = event(pollStartType, erin, buildPollStart(poll));
    await f.inbound.onSync(sync([opsOf(alice, circleOps()), start, event(pollResponseType, mallory, buildPollResponse(start.event_id, ['y']))], [create, levels({ [dan]: 50 })]));
    const { voteId: proposed, payload } = voteFromElementPoll(start.event_id, start.origin_server_ts, poll);
    expect(f.reads.vote(proposed)).toBeNull();
    expect(f.proposals.list(circle)).toEqual([expect.objectContaining({ voteId: proposed, proposer: erin, proposerName: 'Erin', question: 'Tuesdays?', answers: 1, endedAt: null })]);

    // A member may not end Erin's proposal; a facilitator adopts it and the answer counts.
    await f.inbound.onSync(sync([event(pollEndType, mallory, buildPollEnd(start.event_id, 'ended'))]));
    expect(quarantined(f)).toEqual([expect.stringContaining(`${mallory} may not end a poll started by ${erin}`)]);
    const adopted = f.store.applyLocal('vote.create', circle, payload);
    expect(f.reads.vote(proposed)?.createdBy).toBe(alice);
    expect(f.proposals.list(circle)).toEqual([]);
    await f.inbound.onSync(sync([opsOf(alice, [adopted])]));
    expect(f.db.prepare("SELECT json_extract(payload, '$.voter') FROM ops WHERE type = 'vote.ballot'").pluck().all()).toEqual([mallory]);
    // Ended by its proposer, another proposal can no longer be adopted.
    const second = event(pollStartType, erin, buildPollStart({ ...poll, question: 'Mondays?' }));
    await f.inbound.onSync(sync([second, event(pollEndType, erin, buildPollEnd(second.event_id, 'ended'))]));
    expect(f.proposals.list(circle)).toEqual([expect.objectContaining({ question: 'Mondays?', endedAt: expect.any(Number) })]);
  });

  it('makes a facilitator’s Element poll a vote at once', async () => {
    const f = replica(erin);
    const poll = { question: 'Lunch?', answers: [{ id: 's', text: 'Soup' }, { id: 'l', text: 'Salad' }], maxSelections: 1, kind: disclosedKind };
    const start = event(pollStartType, dan, buildPollStart(poll));
    await f.inbound.onSync(sync([opsOf(alice, circleOps()), start], [create, levels({ [dan]: 50 })]));
    expect(f.reads.vote(voteFromElementPoll(start.event_id, start.origin_server_ts, poll).voteId)?.createdBy).toBe(dan);
    expect(f.proposals.list(circle)).toEqual([]);
  });
});
