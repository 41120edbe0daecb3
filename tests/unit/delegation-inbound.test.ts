// Hostile members against standing delegation and required reasons, as the coop server
// delivers their events: a delegation of someone else's vote, signed by another member (a
// facilitator too), is refused by the one authorisation rule and never counts; a ballot
// without the reason its vote requires is refused the same way.
import { describe, expect, it } from 'vitest';
import { inboundFixture, type InboundFixture } from '../helpers/inbound-fixture';
import { encodeOpsContent, opsEventType } from '../../main/core/sync/ops-event';
import type { MatrixRawEvent, SyncResponse } from '../../main/core/matrix/matrix-connection';
import type { Operation } from '../../shared/governance/operation';
import type { GovernanceOperation, OperationType, PayloadOf } from '../../shared/governance/operation-types';
import { newId } from '../../shared/governance/ids';
import { remoteOp } from '../helpers/governance';
import { GovernanceQueries } from '../../main/core/governance/governance-queries';

const now = Date.UTC(2026, 11, 10, 10);
const roomId = '!circle:meet.coop';
const circle = newId(now);
const alice = '@alice:meet.coop';
const erin = '@erin:meet.coop';
const mallory = '@mallory:meet.coop';
const [yes, no] = [newId(now), newId(now)];

let n = 0;
let wall = now - 60_000;
const op = <T extends OperationType>(type: T, payload: PayloadOf<T>, actor: string) => remoteOp(type, circle, payload, { wall: wall++, actor, node: actor.slice(1, 5) });
const event = (type: string, sender: string, content: Record<string, unknown>, extra: Partial<MatrixRawEvent> = {}): MatrixRawEvent => ({
  event_id: `$d${n++}`,
  type,
  sender,
  origin_server_ts: now + n,
  content,
  ...extra,
});
const opsOf = (sender: string, ops: GovernanceOperation[]) => event(opsEventType, sender, encodeOpsContent(newId(now), circle, ops as Operation[]) as unknown as Record<string, unknown>);
const levels = event('m.room.power_levels', alice, { users: {}, users_default: 0 }, { state_key: '' });
const create = event('m.room.create', alice, { room_version: '12', 'coop.meet.plenary.circle': circle }, { state_key: '' });
const sync = (timeline: MatrixRawEvent[], state: MatrixRawEvent[] = []): SyncResponse => ({ next_batch: 's', rooms: { join: { [roomId]: { state: { events: state }, timeline: { events: timeline } } } } });
const quarantined = (f: InboundFixture) => f.db.prepare('SELECT reason FROM sync_quarantine ORDER BY id').pluck().all() as string[];

function replica(): InboundFixture {
  const f = inboundFixture({ self: alice, now });
  f.rooms.remember(circle, roomId);
  return f;
}

describe('delegation and reasons received from the coop server', () => {
  it('refuses a delegation signed by someone other than the delegating member, even a facilitator', async () => {
    const voteId = newId(now);
    const f = replica();
    const setup = [
      op('circle.create', { name: 'Tech ops', purpose: '', timezone: 'UTC' }, alice),
      op('circle.member.set', { member: alice, displayName: 'Alice', role: 'facilitator', timezone: 'UTC' }, alice),
      op('circle.member.set', { member: erin, displayName: 'Erin', role: 'member', timezone: 'UTC' }, alice),
      op('circle.member.set', { member: mallory, displayName: 'Mallory', role: 'member', timezone: 'UTC' }, alice),
      op('vote.create', { voteId, question: 'Adopt?', details: '', method: 'single', options: [{ id: yes, label: 'Yes' }, { id: no, label: 'No' }], quorumPercent: 0 }, alice),
    ];
    await f.inbound.onSync(sync([opsOf(alice, setup)], [create, levels]));
    // Mallory delegates Erin's vote to herself, signing as herself; then forges Erin as the actor.
    const forged = op('circle.delegation.set', { member: erin, delegate: mallory }, mallory);
    const impersonated = op('circle.delegation.set', { member: erin, delegate: mallory }, erin);
    // Alice, a facilitator, may not delegate Erin's vote either.
    const byFacilitator = op('circle.delegation.set', { member: erin, delegate: alice }, alice);
    await f.inbound.onSync(sync([opsOf(mallory, [forged]), opsOf(mallory, [impersonated]), opsOf(alice, [byFacilitator]), opsOf(mallory, [op('vote.ballot', { voteId, voter: mallory, choice: no }, mallory)])]));
    expect(quarantined(f)).toEqual([
      expect.stringContaining(`may delegate their own vote, not ${mallory}`),
      expect.stringContaining(`actor ${erin} is not the event's sender ${mallory}`),
      expect.stringContaining(`may delegate their own vote, not ${alice}`),
    ]);
    expect(f.db.prepare('SELECT count(*) FROM gov_delegations').pluck().get()).toBe(0);
    const vote = new GovernanceQueries(f.db, () => alice, () => now).vote(circle, voteId);
    expect(vote.results.options.map((o) => o.votes)).toEqual([0, 1]);

    // Erin's own delegation is accepted, and Erin's own revoke only by Erin.
    await f.inbound.onSync(sync([opsOf(erin, [op('circle.delegation.set', { member: erin, delegate: mallory }, erin)]), opsOf(mallory, [op('circle.delegation.revoke', { member: erin }, mallory)])]));
    expect(quarantined(f)).toHaveLength(4);
    expect(new GovernanceQueries(f.db, () => alice, () => now).vote(circle, voteId).results.options.map((o) => o.votes)).toEqual([0, 2]);
  });

  it('refuses a ballot without the reason its vote requires, and one over 500 characters', async () => {
    const voteId = newId(now);
    const f = replica();
    const setup = [
      op('circle.create', { name: 'Tech ops', purpose: '', timezone: 'UTC' }, alice),
      op('circle.member.set', { member: alice, displayName: 'Alice', role: 'facilitator', timezone: 'UTC' }, alice),
      op('circle.member.set', { member: erin, displayName: 'Erin', role: 'member', timezone: 'UTC' }, alice),
      op('vote.create', { voteId, question: 'Adopt?', details: '', method: 'single', options: [{ id: yes, label: 'Yes' }, { id: no, label: 'No' }], quorumPercent: 0, reasons: 'required' }, alice),
    ];
    await f.inbound.onSync(sync([opsOf(alice, setup)], [create, levels]));
    await f.inbound.onSync(
      sync([
        opsOf(erin, [op('vote.ballot', { voteId, voter: erin, choice: yes }, erin)]),
        opsOf(erin, [op('vote.ballot', { voteId, voter: erin, choice: yes, reason: 'x'.repeat(501) }, erin)]),
        opsOf(alice, [op('vote.ballot', { voteId, voter: alice, choice: no, reason: 'Too soon.' }, alice)]),
      ]),
    );
    expect(quarantined(f)).toEqual([expect.stringContaining('requires a reason'), expect.stringContaining('at most 500 characters')]);
    expect(f.db.prepare("SELECT count(*) FROM ops WHERE type = 'vote.ballot'").pluck().get()).toBe(1);
  });
});
