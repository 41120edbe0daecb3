// What one member can cost every replica through sync: one quarantine record per refused
// event (counts per reason, a bounded excerpt), storage capped per sender (oldest dropped and
// counted), log lines rate-limited, and an operation id reused for other content listed
// instead of dropped as a duplicate.
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/core/store/database';
import { Quarantine, maxExcerptChars, maxReasons } from '../../main/core/sync/quarantine';
import { encodeOpsContent, opsEventType } from '../../main/core/sync/ops-event';
import { createLogger, memorySink } from '../../main/core/log';
import { inboundFixture } from '../helpers/inbound-fixture';
import type { MatrixRawEvent, SyncResponse } from '../../main/core/matrix/matrix-connection';
import type { Operation } from '../../shared/governance/operation';
import { newId } from '../../shared/governance/ids';

const roomId = '!circle:meet.coop';
const facilitator = '@alice:meet.coop';
const mallory = '@mallory:meet.coop';
const now = Date.UTC(2026, 11, 9, 12);

function setup() {
  const { records, sink } = memorySink();
  const log = createLogger('test', sink);
  const { db, store, inbound, rooms } = inboundFixture({ self: facilitator, now, log, storeLog: log });
  const circle = newId(now);
  rooms.remember(circle, roomId);
  return { db, store, inbound, records, circle };
}

let counter = 0;
function event(sender: string, content: unknown): MatrixRawEvent {
  return { event_id: `$q${counter++}`, type: opsEventType, sender, origin_server_ts: now, content: content as Record<string, unknown> };
}

function sync(events: MatrixRawEvent[]): SyncResponse {
  const powerLevels = { event_id: '$pl', type: 'm.room.power_levels', sender: facilitator, origin_server_ts: now, state_key: '', content: { users: { [facilitator]: 100 } } };
  return { next_batch: 's', rooms: { join: { [roomId]: { state: { events: [powerLevels] }, timeline: { events } } } } };
}

function contribution(circle: string, actor: string, member = actor): Operation {
  return {
    id: newId(now),
    hlc: `${now}-000000-n1`,
    actor,
    circle,
    type: 'contribution.create',
    payload: { contributionId: newId(now), member, date: '2026-12-08', minutes: 30, stream: 'care', description: 'Answered support', tags: [] },
    v: 1,
  };
}

/** An event of `count` operations, each claiming to be the facilitator's work (a forged actor). */
function forged(circle: string, count: number, actor: (i: number) => string = () => facilitator): MatrixRawEvent {
  const ops = Array.from({ length: count }, (_, i) => contribution(circle, actor(i)));
  return event(mallory, encodeOpsContent(newId(now), circle, ops));
}

const rows = (db: ReturnType<typeof openDatabase>) => (db.prepare('SELECT count(*) AS n FROM sync_quarantine').get() as { n: number }).n;
const recordBytes = (db: ReturnType<typeof openDatabase>) =>
  db.prepare('SELECT length(event_id) + length(room_id) + length(sender) + length(event_type) + length(reason) + length(excerpt) + length(reasons_json) AS n FROM sync_quarantine').pluck().all() as number[];

describe('quarantine of a hostile member’s events', () => {
  it('keeps one record per refused event with counts per reason, however many operations it carried', async () => {
    const { db, store, inbound, circle } = setup();
    await inbound.onSync(sync([forged(circle, 20_000), forged(circle, 20_000), forged(circle, 20_000)]));
    expect(store.opCount()).toBe(0);
    expect(rows(db)).toBe(3);
    const [item] = inbound.quarantineList.list(1);
    expect(item).toMatchObject({ sender: mallory, opIndex: -1, refused: 20_000, operations: 20_000 });
    expect(item!.reasons).toEqual([{ reason: `actor ${facilitator} is not the event's sender ${mallory}`, count: 20_000, first: 0 }]);
    expect(item!.excerpt.length).toBeLessThanOrEqual(maxExcerptChars);
    for (const bytes of recordBytes(db)) expect(bytes).toBeLessThan(4096);
  });

  it('keeps a few reasons one by one and sums the rest, so a record stays small when every operation fails differently', async () => {
    const { db, inbound, circle } = setup();
    await inbound.onSync(sync([forged(circle, 5_000, (i) => `@forged${i}:meet.coop`)]));
    const [item] = inbound.quarantineList.list(1);
    expect(item!.refused).toBe(5_000);
    expect(item!.reasons).toHaveLength(maxReasons + 1);
    expect(item!.reasons.at(-1)).toEqual({ reason: '', count: 5_000 - maxReasons, first: maxReasons });
    expect(item!.reasons.reduce((n, r) => n + r.count, 0)).toBe(5_000);
    for (const bytes of recordBytes(db)) expect(bytes).toBeLessThan(4096);
  });

  it('still applies the allowed operations of an event and lists only the refused ones', async () => {
    const { store, inbound, circle } = setup();
    const ops = [contribution(circle, mallory), contribution(circle, facilitator), contribution(circle, mallory)];
    await inbound.onSync(sync([event(mallory, encodeOpsContent(newId(now), circle, ops))]));
    expect(store.opCount()).toBe(2);
    expect(inbound.quarantineList.list()).toMatchObject([{ refused: 1, operations: 3, reasons: [{ count: 1, first: 1 }] }]);
  });

  it('writes one log line for a sender’s flood, then at most one a minute', async () => {
    const { inbound, records, circle } = setup();
    await inbound.onSync(sync(Array.from({ length: 12 }, () => forged(circle, 100))));
    const warnings = records.filter((r) => r.level === 'warn');
    expect(warnings.map((r) => r.message)).toEqual(['quarantined a governance event']);
    expect(inbound.quarantineList.count()).toBe(12);
  });

  it('lists an operation id reused with different content instead of dropping it as a duplicate', async () => {
    const { store, inbound, circle } = setup();
    const original = contribution(circle, mallory);
    await inbound.onSync(sync([event(mallory, encodeOpsContent(newId(now), circle, [original]))]));
    expect(store.opCount()).toBe(1);
    // The same operation again is a plain duplicate: nothing listed.
    await inbound.onSync(sync([event(mallory, encodeOpsContent(newId(now), circle, [original]))]));
    expect(inbound.quarantineList.count()).toBe(0);
    // The same id for other content: the first copy stands, the other is listed.
    const rewritten = { ...original, payload: { ...original.payload, minutes: 600, description: 'Rewrote history' } };
    await inbound.onSync(sync([event(mallory, encodeOpsContent(newId(now), circle, [rewritten]))]));
    expect(store.opCount()).toBe(1);
    const [item] = inbound.quarantineList.list();
    expect(item!.reason).toBe(`operation id ${original.id} was already received with other content (its payload differs); this copy is not applied`);
    expect(item!.reasons).toEqual([{ reason: item!.reason, count: 1, first: 0 }]);
    const minutes = store.db.prepare('SELECT minutes FROM gov_contributions').pluck().get();
    expect(minutes).toBe(30);
  });
});

describe('the per-sender cap', () => {
  it('deletes a sender’s oldest records beyond the cap, counts them, keeps the newest and leaves other senders alone', () => {
    const db = openDatabase(':memory:');
    const quarantine = new Quarantine({ db, log: createLogger('test', () => {}), now: () => now, senderCapBytes: 4_096 });
    const record = (sender: string, refused: number) => {
      const e = { event_id: `$c${counter++}`, type: opsEventType, sender, content: { padding: 'x'.repeat(400) } };
      for (let i = 0; i < refused; i++) quarantine.note(roomId, e, i, 'forged actor');
      quarantine.operations(e, refused);
      return quarantine.commit();
    };
    expect(record('@bob:meet.coop', 1)).toBe(1);
    for (let i = 0; i < 40; i++) expect(record(mallory, 100)).toBe(1);
    const kept = quarantine.list(500).filter((r) => r.sender === mallory);
    const bytes = db
      .prepare("SELECT sum(96 + length(event_id) + length(room_id) + length(sender) + length(event_type) + length(reason) + length(excerpt) + length(reasons_json)) FROM sync_quarantine WHERE sender = ?")
      .pluck()
      .get(mallory) as number;
    expect(bytes).toBeLessThanOrEqual(4_096);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(40);
    // The newest are the ones kept (Bob's record is id 1, Mallory's 2 to 41).
    expect(kept.map((r) => r.id)).toEqual(Array.from({ length: kept.length }, (_, i) => 41 - i));
    expect(quarantine.dropped()).toEqual([{ sender: mallory, events: 40 - kept.length, refused: (40 - kept.length) * 100, firstAt: now, lastAt: now }]);
    expect(quarantine.list(500).filter((r) => r.sender === '@bob:meet.coop')).toHaveLength(1);
  });

  it('keeps a single record even when it alone is over the cap', () => {
    const db = openDatabase(':memory:');
    const quarantine = new Quarantine({ db, log: createLogger('test', () => {}), now: () => now, senderCapBytes: 100 });
    quarantine.note(roomId, { event_id: '$big', type: opsEventType, sender: mallory, content: { padding: 'x'.repeat(400) } }, -1, 'content is not valid');
    expect(quarantine.commit()).toBe(1);
    expect(quarantine.count()).toBe(1);
    expect(quarantine.dropped()).toEqual([]);
  });

  it('lists records kept one per operation before, each with its own reason', () => {
    const db = openDatabase(':memory:');
    db.prepare('INSERT INTO sync_quarantine (event_id, op_index, room_id, sender, event_type, reason, excerpt, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      '$old',
      3,
      roomId,
      mallory,
      opsEventType,
      'actor is not the sender',
      '{}',
      now,
    );
    const quarantine = new Quarantine({ db, log: createLogger('test', () => {}), now: () => now });
    expect(quarantine.list()).toMatchObject([{ eventId: '$old', opIndex: 3, refused: 1, operations: 0, reasons: [{ reason: 'actor is not the sender', count: 1, first: 3 }] }]);
  });
});
