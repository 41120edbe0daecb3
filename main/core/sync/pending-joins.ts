// Invitations to circle rooms (and the coop space) that inbound sync decided to accept.
// Joining is a request to the server like any other, so it goes through the upload run and
// its one rate-limit gate: the /sync loop only queues it, and never waits out a 429 while
// chat and governance wait behind it. The queue is on disk (sync_pending_joins) because the
// invitation does not come again after a restart. An invitation the server refuses to let
// us take (withdrawn, the room gone) is dropped with a log line: nothing of ours waits on it.
import type { Db } from '../store/database';
import type { Logger } from '../log';
import type { MatrixConnection } from '../matrix/matrix-connection';
import { seg } from '../matrix/matrix-http';
import { classifyFailure } from './retry-policy';

export class PendingJoins {
  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  /** Queues a join; returns whether it was new. */
  queue(roomId: string): boolean {
    return this.db.prepare('INSERT OR IGNORE INTO sync_pending_joins (room_id, queued_at) VALUES (?, ?)').run(roomId, this.now()).changes > 0;
  }

  pendingCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM sync_pending_joins').get() as { n: number }).n;
  }

  /**
   * Joins every queued room. A refusal drops the join; a passing failure (offline, 5xx)
   * propagates and the next run tries again. Returns how many rooms were joined.
   */
  async flush(connection: Pick<MatrixConnection, 'request'>): Promise<number> {
    const rows = this.db.prepare('SELECT room_id FROM sync_pending_joins ORDER BY queued_at, room_id').all() as { room_id: string }[];
    const done = this.db.prepare('DELETE FROM sync_pending_joins WHERE room_id = ?');
    let joined = 0;
    for (const { room_id: roomId } of rows) {
      try {
        await connection.request('POST', `/_matrix/client/v3/join/${seg(roomId)}`, { body: {} });
        joined++;
        this.log.info('joined a circle room we were invited to', { roomId });
      } catch (error) {
        const action = classifyFailure(error, 0);
        if (action.kind !== 'refused') throw error;
        this.log.warn('could not join a circle room', { roomId, status: action.error.status, errcode: action.error.errcode, reason: action.error.message });
      }
      done.run(roomId);
    }
    return joined;
  }
}
