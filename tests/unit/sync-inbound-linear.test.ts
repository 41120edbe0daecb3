// Inbound work is linear in the event's size, checked without timing: the work is counted.
// - Refusals from the store find their operation's index through one map: the operations'
//   ids are read a constant number of times each (a search per refusal read them n²/2 times).
// - Whatever an event carries, it costs one call into the store, one quarantine write and
//   one log line, not one per operation.
// The store here is a stand-in that refuses everything, so that every operation reaches the
// refusal path; the real store is used in sync-quarantine.test.ts.
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../main/core/store/database';
import { GovernanceInbound, type InboundDeps } from '../../main/core/sync/inbound';
import { OpEvents } from '../../main/core/store/op-events';
import { Refusals } from '../../main/core/sync/refusals';
import { CircleRooms } from '../../main/core/sync/circle-rooms';
import { GovernanceReads } from '../../main/core/sync/governance-reads';
import { RoomDeclarations } from '../../main/core/sync/room-declarations';
import { WithdrawnOps } from '../../main/core/sync/withdrawn-ops';
import { Proposals } from '../../main/core/sync/proposals';
import { encodeOpsContent, opsEventType } from '../../main/core/sync/ops-event';
import { createLogger, memorySink } from '../../main/core/log';
import type { ApplyRemoteResult } from '../../main/core/store/governance-store';
import type { SyncResponse } from '../../main/core/matrix/matrix-connection';
import type { Operation } from '../../shared/governance/operation';
import { newId } from '../../shared/governance/ids';

const roomId = '!circle:meet.coop';
const member = '@bob:meet.coop';
const now = Date.UTC(2026, 11, 9, 12);

/** Counts statements run on the database whose SQL matches `pattern`. */
function countRuns(db: Db, pattern: RegExp): { count: number } {
  const counter = { count: 0 };
  const prepare = db.prepare.bind(db);
  (db as { prepare: Db['prepare'] }).prepare = ((sql: string) => {
    const statement = prepare(sql);
    if (!pattern.test(sql)) return statement;
    const run = statement.run.bind(statement);
    statement.run = ((...args: unknown[]) => {
      counter.count++;
      return run(...(args as []));
    }) as typeof statement.run;
    return statement;
  }) as Db['prepare'];
  return counter;
}

function run(n: number) {
  const db = openDatabase(':memory:');
  const { records, sink } = memorySink();
  const log = createLogger('test', sink);
  const reads = new GovernanceReads(db);
  const connection = {
    session: () => null,
    request: async () => {
      throw new Error('no network in this test');
    },
  };
  const circle = newId(now);
  const rooms = new CircleRooms(db, connection, reads, new Refusals(db, () => now), log);
  rooms.remember(circle, roomId);
  const idReads = { count: 0 };
  const storeCalls = { count: 0 };
  // Refuses every operation, in reverse order (the worst case for a search per refusal), and
  // counts every read of an operation's id from then on.
  const unused = () => {
    throw new Error('not reached by an operations event in this test');
  };
  const store: InboundDeps['store'] = {
    events: new OpEvents(db),
    recordEvent: unused,
    withdrawEvents: unused,
    // No operation of this test was received before.
    reusedIdConflict: () => null,
    applyRemote(ops: readonly unknown[]): ApplyRemoteResult {
      storeCalls.count++;
      const ids = ops.map((op) => (op as Operation).id);
      for (const op of ops) {
        const id = (op as Operation).id;
        Object.defineProperty(op, 'id', {
          get: () => {
            idReads.count++;
            return id;
          },
        });
      }
      return { applied: [], duplicates: [], held: [], rejected: ids.reverse().map((id) => ({ id, error: { code: 'invalid_input', message: 'refused by the stand-in' } })) };
    },
  };
  const declarations = new RoomDeclarations(db, connection, rooms, reads, log, () => now);
  const withdrawn = new WithdrawnOps(db, { withdrawLocal: unused }, reads, () => now);
  const proposals = new Proposals(db, reads);
  const inbound = new GovernanceInbound({ db, store, rooms, reads, connection, declarations, withdrawn, proposals, log, now: () => now, requestJoin: () => {} });
  const quarantineWrites = countRuns(db, /INSERT OR IGNORE INTO sync_quarantine/);
  const ops: Operation[] = Array.from({ length: n }, () => ({
    id: newId(now),
    hlc: `${now}-000000-n1`,
    actor: member,
    circle,
    type: 'contribution.create',
    payload: { contributionId: newId(now), member, date: '2026-12-08', minutes: 30, stream: 'care', description: 'Answered support', tags: [] },
    v: 1,
  }));
  const response: SyncResponse = {
    next_batch: 's',
    rooms: { join: { [roomId]: { timeline: { events: [{ event_id: `$big${n}`, type: opsEventType, sender: member, origin_server_ts: now, content: encodeOpsContent(newId(now), circle, ops) as never }] } } } },
  };
  return { inbound, response, idReads, storeCalls, quarantineWrites, records, db };
}

describe('inbound work per event', () => {
  it('reads each refused operation’s id a constant number of times, not once per other refusal', async () => {
    for (const n of [500, 8_000]) {
      const { inbound, response, idReads, db } = run(n);
      await inbound.onSync(response);
      expect(db.prepare('SELECT refused FROM sync_quarantine').pluck().get()).toBe(n);
      // Linear: a few reads per operation. A search per refusal would read about n²/2 ids (32 million for 8,000).
      expect(idReads.count).toBeLessThanOrEqual(2 * n);
    }
  });

  it('costs one store call, one quarantine write and one log line per event, whatever its size', async () => {
    for (const n of [10, 5_000]) {
      const { inbound, response, storeCalls, quarantineWrites, records } = run(n);
      await inbound.onSync(response);
      expect(storeCalls.count).toBe(1);
      expect(quarantineWrites.count).toBe(1);
      expect(records.filter((r) => r.level === 'warn')).toHaveLength(1);
    }
  });
});
