// Megolm replay protection. A Megolm ciphertext decrypts wherever it is sent again: a member
// (or the homeserver, which end-to-end encryption does not trust) can post an earlier
// encrypted event's exact content under a new event id, and matrix-sdk-crypto decrypts it
// as new. Element's former crypto refused a second event at the same message index ("possible
// replay attack"); Plenary keeps, per room, the first event it decrypted for each ciphertext
// (its SHA-256 in table crypto_megolm_seen) and refuses any other event carrying it. Without
// this, re-sending a member's earlier poll answer would change their current vote.
import { createHash } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/database';

/** What CryptoEngine asks of the guard (kept abstract so the engine needs no database). */
export interface ReplayGuard {
  /** Records eventId as the first carrier of this ciphertext in the room, unless one was; returns the first one's id. */
  claim(roomId: string, ciphertext: string, eventId: string): string;
}

export class MegolmReplayGuard implements ReplayGuard {
  /** Prepared at the first claim (once per event decrypted), when the store is surely migrated. */
  private statements: { insert: Statement; find: Statement } | null = null;

  constructor(private readonly db: Db) {}

  claim(roomId: string, ciphertext: string, eventId: string): string {
    this.statements ??= {
      insert: this.db.prepare('INSERT OR IGNORE INTO crypto_megolm_seen (room_id, ciphertext_sha256, event_id) VALUES (?, ?, ?)'),
      find: this.db.prepare('SELECT event_id FROM crypto_megolm_seen WHERE room_id = ? AND ciphertext_sha256 = ?'),
    };
    const hash = createHash('sha256').update(ciphertext).digest('hex');
    this.statements.insert.run(roomId, hash, eventId);
    return (this.statements.find.get(roomId, hash) as { event_id: string }).event_id;
  }

  /** Signing out: what this account decrypted is no business of the next one. */
  forget(): void {
    this.db.exec('DELETE FROM crypto_megolm_seen');
  }
}
