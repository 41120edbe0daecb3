// The inbound decoder against hostile and broken events: malformed content, oversized and
// compression-bomb payloads, forged actors, unknown encodings and schema versions, floats,
// privilege escalation, garbage poll events. Nothing of them may be applied, nothing may
// throw, and each is quarantined; a valid operation next to them still applies.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deflateRawSync } from 'node:zlib';
import { encodeOpsContent, opsEventType } from '../../main/core/sync/ops-event';
import { pollEndType, pollResponseType, pollStartType } from '../../main/core/sync/msc3381';
import { createLogger } from '../../main/core/log';
import { inboundFixture } from '../helpers/inbound-fixture';
import type { MatrixRawEvent, SyncResponse } from '../../main/core/matrix/matrix-connection';
import type { Operation } from '../../shared/governance/operation';
import { newId } from '../../shared/governance/ids';

const roomId = '!circle:meet.coop';
const circle = newId();
const facilitator = '@alice:meet.coop';
const member = '@bob:meet.coop';
const now = Date.UTC(2026, 10, 22, 12);

function setup() {
  const connection = {
    session: () => ({ userId: facilitator, deviceId: 'D', homeserverUrl: 'http://127.0.0.1:1' }),
    request: async () => {
      throw new Error('no network in this test');
    },
  };
  const { db, store, inbound, rooms } = inboundFixture({ self: facilitator, now, connection, log: createLogger('fuzz', () => {}) });
  rooms.remember(circle, roomId);
  const quarantined = () => (db.prepare('SELECT count(*) AS n FROM sync_quarantine').get() as { n: number }).n;
  return { db, store, inbound, quarantined };
}

let counter = 0;
function event(type: string, sender: string, content: unknown, extra: Partial<MatrixRawEvent> = {}): MatrixRawEvent {
  return { event_id: `$e${counter++}`, type, sender, origin_server_ts: now, content: content as Record<string, unknown>, ...extra };
}

function sync(events: unknown[], state: unknown[] = []): SyncResponse {
  return { next_batch: 's', rooms: { join: { [roomId]: { state: { events: state as MatrixRawEvent[] }, timeline: { events: events as MatrixRawEvent[] } } } } };
}

const powerLevels = event('m.room.power_levels', facilitator, { users: { [facilitator]: 100 }, users_default: 0 }, { state_key: '' });

function contribution(actor: string, memberId = actor): Operation {
  return {
    id: newId(now),
    hlc: `${now}-000000-n1`,
    actor,
    circle,
    type: 'contribution.create',
    payload: { contributionId: newId(now), member: memberId, date: '2026-11-20', minutes: 30, stream: 'care', description: 'Answered support', tags: [] },
    v: 1,
  };
}

const ops = (sender: string, list: Operation[], batch = newId()) => event(opsEventType, sender, encodeOpsContent(batch, circle, list));

describe('inbound decoder under hostile input', () => {
  it('quarantines each bad event, applies none of them, and still applies the valid one', async () => {
    const { store, inbound, quarantined } = setup();
    const bomb = deflateRawSync(Buffer.alloc(40 * 1024 * 1024, 0x20)).toString('base64');
    const bad: MatrixRawEvent[] = [
      event(opsEventType, member, null),
      event(opsEventType, member, 'text'),
      event(opsEventType, member, { v: 1, batch: 'b', circle, count: 1, encoding: 'deflate-base64', ops: '!!!' }),
      event(opsEventType, member, { v: 1, batch: 'b', circle, count: 1, encoding: 'deflate-base64', ops: bomb }),
      event(opsEventType, member, { v: 1, batch: 'b', circle, count: 1, encoding: 'deflate-base64', ops: 'A'.repeat(2_000_000) }),
      event(opsEventType, member, { ...encodeOpsContent('b', circle, [contribution(member)]), v: 99 }),
      // Forged actor: Bob's event claims to be Alice's work.
      ops(member, [contribution(facilitator)]),
      // Unknown operation type and unknown schema version.
      ops(member, [{ ...contribution(member), type: 'circle.dropEverything' }]),
      ops(member, [{ ...contribution(member), v: 7 }]),
      // A member doing a facilitator's job, logging work for someone else, or a proxy ballot.
      ops(member, [{ ...contribution(member), type: 'circle.update', payload: { fields: { name: 'Mine now' } } }]),
      ops(member, [contribution(member, facilitator)]),
      ops(member, [{ ...contribution(member), type: 'vote.ballot', payload: { voteId: newId(), voter: '@carol:meet.coop', choice: 'agree' } }]),
      // Impossible values.
      ops(member, [{ ...contribution(member), payload: { ...contribution(member).payload, minutes: -5 } }]),
      // Operations for another circle sent in this circle's room.
      ((other) => event(opsEventType, member, encodeOpsContent('b', other, [{ ...contribution(member), circle: other }])))(newId()),
      // Poll events that make no sense.
      event(pollStartType, member, { 'org.matrix.msc3381.poll.start': { question: 'x', answers: 'none' } }),
      event(pollResponseType, member, { 'org.matrix.msc3381.poll.response': { answers: ['a'] }, 'm.relates_to': { rel_type: 'm.reference', event_id: '$nowhere' } }),
      event(pollEndType, member, { 'm.relates_to': { rel_type: 'm.reference', event_id: '$nowhere' } }),
    ];
    await inbound.onSync(sync([...bad, { garbage: true }, null, 42], [powerLevels]));
    expect(store.opCount()).toBe(0);
    expect(quarantined()).toBeGreaterThanOrEqual(bad.length);

    await inbound.onSync(sync([ops(member, [contribution(member)])]));
    expect(store.opCount()).toBe(1);

    // A clock far in the future is no fault of the operation: held until its time, not refused.
    const before = quarantined();
    await inbound.onSync(sync([ops(member, [{ ...contribution(member), hlc: `${now + 3_600_000}-000000-n1` }])]));
    expect(quarantined()).toBe(before);
    expect(store.heldSummary()).toMatchObject({ count: 1 });
  });

  it('never throws or applies anything for arbitrary events', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            event_id: fc.oneof(fc.string(), fc.constant(undefined)),
            type: fc.constantFrom(opsEventType, pollStartType, pollResponseType, pollEndType, 'm.room.power_levels', 'coop.meet.plenary.circle'),
            sender: fc.oneof(fc.constant(member), fc.string()),
            origin_server_ts: fc.oneof(fc.integer(), fc.double()),
            content: fc.anything(),
            state_key: fc.option(fc.string(), { nil: undefined }),
          }),
          { maxLength: 20 },
        ),
        async (events) => {
          const { store, inbound } = setup();
          await inbound.onSync(sync(events, [powerLevels]));
          expect(store.opCount()).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
