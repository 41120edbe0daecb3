// Results anyone can re-count: the SHA-256 of a vote's canonical count (shared/governance/
// recount.ts builds the text) and the latest count published for a vote (a vote.digest
// operation, read straight from the log like ballots: withdrawn and held ones do not count).
import { createHash } from 'node:crypto';
import type { Db } from '../store/database';
import type { PublishedCount } from '../../../shared/governance/recount';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export interface PublishedDigest {
  count: PublishedCount;
  actor: string;
  stamp: string;
  opId: string;
}

/** The newest live vote.digest of a vote (by its stamp), or null when none was published. */
export function latestDigest(db: Db, circle: string, voteId: string): PublishedDigest | null {
  const row = db
    .prepare(
      `SELECT id, hlc, actor, payload FROM ops WHERE type = 'vote.digest' AND circle = ? AND json_extract(payload, '$.voteId') = ?
         AND withdrawn = 0 AND held_until IS NULL ORDER BY hlc DESC, id DESC LIMIT 1`,
    )
    .get(circle, voteId) as { id: string; hlc: string; actor: string; payload: string } | undefined;
  if (!row) return null;
  const p = JSON.parse(row.payload) as PublishedCount & { voteId: string };
  return { count: { sha256: p.sha256, ballots: p.ballots, totals: p.totals, winners: p.winners }, actor: row.actor, stamp: `${row.hlc} ${row.id}`, opId: row.id };
}
