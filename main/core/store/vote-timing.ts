// What judging a vote's ballots on time needs, read from the log in one place for the tally
// (governance-queries.ts) and the rules (a late ballot a facilitator accepts): each live
// ballot with the server's receipt time, and the vote's close by clocks and by the server
// (see isLate in shared/governance/tally.ts and README "How sync works").
import type { Db } from './database';
import { closePoint, type BallotRecord, type VoteClose } from '../../../shared/governance/tally';

export interface VoteTimingRow {
  circle: string;
  vote_id: string;
  closed_v: string | null;
  closes_at: number | null;
  assembly_id: string | null;
}

export interface VoteTiming {
  ballots: BallotRecord[];
  close: VoteClose;
}

/** Live operations only: held ones (clock ahead) and withdrawn ones (redacted) do not count. */
const live = 'withdrawn = 0 AND held_until IS NULL';

export class VoteTimings {
  constructor(private readonly db: Db) {}

  load(vote: VoteTimingRow): VoteTiming {
    const close = this.close(vote);
    const keyed = vote.assembly_id === null ? null : this.keyedInAssembly(vote.circle, vote.assembly_id, close.claimed);
    // The ops_ballots index serves this: a vote's ballots, straight from the log, in clock order.
    const rows = this.db
      .prepare(
        `SELECT id, hlc, actor, json_extract(payload, '$.voter') AS voter, payload -> '$.choice' AS choice, json_extract(payload, '$.reason') AS reason,
           coalesce(poll_ts, server_ts) AS server_ts
         FROM ops WHERE type = 'vote.ballot' AND circle = ? AND json_extract(payload, '$.voteId') = ? AND ${live} ORDER BY hlc, id`,
      )
      .all(vote.circle, vote.vote_id) as { id: string; hlc: string; actor: string; voter: string; choice: string; reason: string | null; server_ts: number | null }[];
    const ballots = rows.map((b): BallotRecord => {
      const stamp = `${b.hlc} ${b.id}`;
      return {
        opId: b.id,
        stamp,
        serverTs: b.server_ts,
        keyedInAssembly: keyed?.(b.actor, stamp) ?? false,
        voter: b.voter,
        actor: b.actor,
        choice: JSON.parse(b.choice) as unknown,
        reason: b.reason,
      };
    });
    return { ballots, close };
  }

  /**
   * The close of a vote. Published as a poll (its create is shown through a poll start),
   * it closed on the server at the first end event Element accepts, or, until one is read,
   * at its first close operation's event. Otherwise at its first close operation's event or
   * its deadline, whichever is first.
   */
  close(vote: VoteTimingRow): VoteClose {
    const claimed = closePoint(vote.closed_v, vote.closes_at);
    const closes = this.db
      .prepare(
        `SELECT min(server_ts) AS server, min(poll_ts) AS poll FROM ops
         WHERE type IN ('vote.create', 'vote.close') AND type = 'vote.close' AND circle = ? AND json_extract(payload, '$.voteId') = ? AND ${live}`,
      )
      .get(vote.circle, vote.vote_id) as { server: number | null; poll: number | null };
    const isPoll =
      this.db
        .prepare(
          `SELECT 1 FROM ops WHERE type IN ('vote.create', 'vote.close') AND type = 'vote.create' AND circle = ? AND json_extract(payload, '$.voteId') = ?
             AND ${live} AND poll_ts IS NOT NULL LIMIT 1`,
        )
        .get(vote.circle, vote.vote_id) !== undefined;
    if (isPoll) {
      const serverUntil = closes.poll ?? closes.server;
      return { claimed, serverUntil, onServer: serverUntil !== null };
    }
    const deadline = vote.closes_at === null ? null : vote.closes_at - 1;
    const serverUntil = closes.server === null ? deadline : deadline === null ? closes.server : Math.min(closes.server, deadline);
    return { claimed, serverUntil, onServer: closes.server !== null };
  }

  /**
   * Whether a ballot was keyed in by a facilitator during the assembly, before the vote's
   * close by its own clock: the actor was a facilitator of the circle at the ballot's stamp
   * (the log's membership, last writer wins, as the fold decides it) and the assembly was
   * open then.
   */
  private keyedInAssembly(circle: string, assemblyId: string, claimedClose: string | null): (actor: string, stamp: string) => boolean {
    const assembly = this.db.prepare('SELECT opened_v, closed_v FROM gov_assemblies WHERE circle = ? AND assembly_id = ?').get(circle, assemblyId) as
      | { opened_v: string | null; closed_v: string | null }
      | undefined;
    const opened = assembly?.opened_v ?? null;
    if (opened === null) return () => false;
    const closed = assembly?.closed_v ?? null;
    const memberships = this.db
      .prepare(
        `SELECT type, hlc || ' ' || id AS stamp, json_extract(payload, '$.member') AS member, json_extract(payload, '$.role') AS role FROM ops
         WHERE circle = ? AND type IN ('circle.member.set', 'circle.member.remove') AND ${live} ORDER BY hlc, id`,
      )
      .all(circle) as { type: string; stamp: string; member: string; role: string | null }[];
    return (actor, stamp) => {
      if (stamp < opened || (closed !== null && stamp >= closed) || (claimedClose !== null && stamp >= claimedClose)) return false;
      let set: { stamp: string; role: string | null } | null = null;
      let removed = '';
      for (const m of memberships) {
        if (m.stamp >= stamp) break;
        if (m.member !== actor) continue;
        if (m.type === 'circle.member.set') set = m;
        else removed = m.stamp;
      }
      return set !== null && set.stamp > removed && set.role === 'facilitator';
    };
  }
}
