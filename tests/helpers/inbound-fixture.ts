// The inbound side of governance sync on an in-memory store, composed from its real parts
// (circle rooms, room declarations, withdrawals, proposals) as sync-service.ts composes them,
// with a stand-in connection: for unit tests that feed it /sync responses.
import { openDatabase, type Db } from '../../main/core/store/database';
import { GovernanceStore } from '../../main/core/store/governance-store';
import { GovernanceInbound } from '../../main/core/sync/inbound';
import { Refusals } from '../../main/core/sync/refusals';
import { CircleRooms } from '../../main/core/sync/circle-rooms';
import { GovernanceReads } from '../../main/core/sync/governance-reads';
import { RoomDeclarations } from '../../main/core/sync/room-declarations';
import { WithdrawnOps } from '../../main/core/sync/withdrawn-ops';
import { Proposals } from '../../main/core/sync/proposals';
import { HistoryAuthority } from '../../main/core/sync/history-authority';
import { RoomPower } from '../../main/core/sync/room-power';
import { createLogger, type Logger } from '../../main/core/log';
import type { MatrixConnection } from '../../main/core/matrix/matrix-connection';

export type TestConnection = Pick<MatrixConnection, 'request' | 'session'>;

export interface InboundFixture {
  db: Db;
  store: GovernanceStore;
  reads: GovernanceReads;
  rooms: CircleRooms;
  declarations: RoomDeclarations;
  withdrawn: WithdrawnOps;
  proposals: Proposals;
  inbound: GovernanceInbound;
  /** Rooms inbound asked to join (the upload run joins them, through its rate-limit gate). */
  joins: string[];
}

/** `self` signs this replica's local operations and is the connection's user. */
/** `now` is a fixed time or a clock the test moves. */
export function inboundFixture(options: { self: string; now: number | (() => number); storeNow?: number; connection?: TestConnection; log?: Logger; storeLog?: Logger; db?: Db }): InboundFixture {
  const db = options.db ?? openDatabase(':memory:');
  const fixed = options.now;
  const now = typeof fixed === 'function' ? fixed : () => fixed;
  const storeNow = options.storeNow === undefined ? now : () => options.storeNow!;
  const history = new HistoryAuthority(db, new RoomPower(db));
  const rooms: { current?: CircleRooms } = {};
  const store = new GovernanceStore(db, { actor: options.self, now: storeNow, ...(options.storeLog ? { log: options.storeLog } : {}), roomGrantsFacilitator: (circle, member) => history.grantsFacilitator(rooms.current?.roomOf(circle) ?? null, member) });
  const reads = new GovernanceReads(db);
  const connection: TestConnection = options.connection ?? {
    session: () => ({ userId: options.self, deviceId: 'D', homeserverUrl: 'http://127.0.0.1:1' }),
    request: async () => {
      throw new Error('no network in this test');
    },
  };
  const log = options.log ?? createLogger('inbound-test', () => {});
  rooms.current = new CircleRooms(db, connection, reads, new Refusals(db, now), log);
  const declarations = new RoomDeclarations(db, connection, rooms.current, reads, log, now);
  const withdrawn = new WithdrawnOps(db, store, reads, now);
  const proposals = new Proposals(db, reads);
  const joins: string[] = [];
  const requestJoin = (roomId: string) => void joins.push(roomId);
  const inbound = new GovernanceInbound({ db, store, rooms: rooms.current, reads, connection, declarations, withdrawn, proposals, log, now, requestJoin });
  return { db, store, reads, rooms: rooms.current, declarations, withdrawn, proposals, inbound, joins };
}
