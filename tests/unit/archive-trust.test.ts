// The decision archive shows only what the one authorisation rule let into the fold: a vote
// or an outcome statement forged by a member who may not make them (quarantined on arrival)
// is never searchable, and a facilitator's real ones are.
import { describe, expect, it } from 'vitest';
import { inboundFixture } from '../helpers/inbound-fixture';
import { encodeOpsContent, opsEventType } from '../../main/core/sync/ops-event';
import type { MatrixRawEvent, SyncResponse } from '../../main/core/matrix/matrix-connection';
import type { Operation } from '../../shared/governance/operation';
import type { GovernanceOperation, OperationType, PayloadOf } from '../../shared/governance/operation-types';
import { newId } from '../../shared/governance/ids';
import { remoteOp } from '../helpers/governance';
import { ArchiveSearch } from '../../main/core/archive/archive-search';
import { archiveSearchSchema } from '../../shared/contract/archive';

const now = Date.UTC(2026, 11, 10, 10);
const roomId = '!circle:meet.coop';
const circle = newId(now);
const alice = '@alice:meet.coop';
const mallory = '@mallory:meet.coop';
const options = [
  { id: newId(now), label: 'Yes' },
  { id: newId(now), label: 'No' },
];

let n = 0;
let wall = now - 60_000;
const op = <T extends OperationType>(type: T, payload: PayloadOf<T>, actor: string) => remoteOp(type, circle, payload, { wall: wall++, actor, node: actor.slice(1, 5) });
const event = (type: string, sender: string, content: Record<string, unknown>, extra: Partial<MatrixRawEvent> = {}): MatrixRawEvent => ({
  event_id: `$a${n++}`,
  type,
  sender,
  origin_server_ts: now + n,
  content,
  ...extra,
});
const opsOf = (sender: string, ops: GovernanceOperation[]) => event(opsEventType, sender, encodeOpsContent(newId(now), circle, ops as Operation[]) as unknown as Record<string, unknown>);
const levels = event('m.room.power_levels', alice, { users: { [alice]: 100 }, users_default: 0 }, { state_key: '' });
const create = event('m.room.create', alice, { room_version: '12', 'coop.meet.plenary.circle': circle }, { state_key: '' });
const sync = (timeline: MatrixRawEvent[], state: MatrixRawEvent[] = []): SyncResponse => ({ next_batch: 's', rooms: { join: { [roomId]: { state: { events: state }, timeline: { events: timeline } } } } });

describe('the archive and forged operations', () => {
  it('never shows a vote or an outcome from a member who may not make them', async () => {
    const f = inboundFixture({ self: alice, now });
    f.rooms.remember(circle, roomId);
    const search = new ArchiveSearch(f.db, () => now);
    const find = (text: string) => search.search(archiveSearchSchema.parse({ text })).hits.map((h) => h.title);

    const realVote = newId(now);
    await f.inbound.onSync(
      sync(
        [
          opsOf(alice, [
            op('circle.create', { name: 'Tech ops', purpose: '', timezone: 'UTC' }, alice),
            op('circle.member.set', { member: alice, displayName: 'Alice', role: 'facilitator', timezone: 'UTC' }, alice),
            op('circle.member.set', { member: mallory, displayName: 'Mallory', role: 'member', timezone: 'UTC' }, alice),
            op('vote.create', { voteId: realVote, question: 'Renew the hosting contract?', details: '', method: 'single', options, quorumPercent: 0 }, alice),
            op('vote.close', { voteId: realVote }, alice),
            op('vote.update', { voteId: realVote, fields: { outcome: 'Renewed for a year.' } }, alice),
          ]),
        ],
        [create, levels],
      ),
    );
    expect(find('hosting')).toEqual(['Renew the hosting contract?']);

    // Mallory, a plain member, forges a vote and rewrites the real vote's outcome.
    const forgedVote = newId(now);
    await f.inbound.onSync(
      sync([
        opsOf(mallory, [
          op('vote.create', { voteId: forgedVote, question: 'Give Mallory the hosting budget?', details: '', method: 'single', options, quorumPercent: 0 }, mallory),
          op('vote.update', { voteId: realVote, fields: { outcome: 'Cancelled by Mallory.' } }, mallory),
        ]),
      ]),
    );
    expect(f.db.prepare('SELECT count(*) FROM sync_quarantine').pluck().get()).toBeGreaterThan(0);
    expect(find('hosting')).toEqual(['Renew the hosting contract?']);
    expect(find('Mallory')).toEqual([]);
    expect(find('renewed')).toEqual(['Renew the hosting contract?']);
  });
});
