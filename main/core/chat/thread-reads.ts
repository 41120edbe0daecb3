// Where the member last read each thread on this device (table chat_thread_reads): only
// moves forward; wiped with the rest of the chat cache when the account changes.
import type { Db } from '../store/database';

export class ThreadReads {
  constructor(private readonly db: Db) {}

  get(rootId: string): number | undefined {
    return (this.db.prepare('SELECT pos FROM chat_thread_reads WHERE root_id = ?').get(rootId) as { pos: number } | undefined)?.pos;
  }

  /** True when the position moved forward. */
  set(roomId: string, rootId: string, pos: number): boolean {
    const before = this.get(rootId);
    if (before !== undefined && before >= pos) return false;
    this.db.prepare('INSERT OR REPLACE INTO chat_thread_reads (root_id, room_id, pos) VALUES (?, ?, ?)').run(rootId, roomId, pos);
    return true;
  }

  wipe(): void {
    this.db.exec('DELETE FROM chat_thread_reads');
  }
}
