// What judging a vote's ballots on time needs, read from the log in one place for the tally
// (governance-queries.ts) and the rules (a late ballot a facilitator accepts): each live
// ballot with the server's receipt time, and the vote's close by clocks and by the server,
// with the stretches it stood closed before a facilitator reopened it (see isLate in
// shared/governance/tally.ts and README "How sync works").
import type { Db } from './database';
import { closePoint, closureState, type BallotRecord, type ClosureEvent, type ServerPause, type VoteClose } from '../../../shared/governance/tally';

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

function min(values: readonly (number | null)[]): number | null {
  let least: number | null = null;
  for (const v of values) if (v !== null && (least === null || v < least)) least = v;
  return least;
}

export class VoteTimings {
  constructor(private readonly db: Db) {}

  /** `links`: local member ids linked to accounts (member-directory.ts), so a linked member's ballots are the account's. */
  load(vote: VoteTimingRow, links: ReadonlyMap<string, string> = new Map()): VoteTiming {
    const close = this.close(vote);
    const keyed = vote.assembly_id === null ? null : this.keyedInAssembly(vote.circle, vote.assembly_id, close.claimed);
    // The ops_ballots index serves this: a vote's ballots, straight from the log, in clock order.
    const rows = this.db
      .prepare(
        `SELECT id, hlc, actor, json_extract(payload, '$.voter') AS voter, payload -> '$.choice' AS choice, json_extract(payload, '$.reason') AS reason,
           json_extract(payload, '$.proxy') AS proxy, coalesce(poll_ts, server_ts) AS server_ts
         FROM ops WHERE type = 'vote.ballot' AND circle = ? AND json_extract(payload, '$.voteId') = ? AND ${live} ORDER BY hlc, id`,
      )
      .all(vote.circle, vote.vote_id) as { id: string; hlc: string; actor: string; voter: string; choice: string; reason: string | null; proxy: string | null; server_ts: number | null }[];
    const ballots = rows.map((b): BallotRecord => {
      const stamp = `${b.hlc} ${b.id}`;
      return {
        opId: b.id,
        stamp,
        serverTs: b.server_ts,
        keyedInAssembly: keyed?.(b.actor, stamp) ?? false,
        voter: links.get(b.voter) ?? b.voter,
        actor: links.get(b.actor) ?? b.actor,
        choice: JSON.parse(b.choice) as unknown,
        reason: b.reason,
        proxy: b.proxy === null ? null : (links.get(b.proxy) ?? b.proxy),
      };
    });
    return { ballots, close };
  }

  /**
   * The close of a vote. Published as a poll (its create is shown through a poll start),
   * it closed on the server at the first end event Element accepts, or, until one is read,
   * at its first close operation's event. Otherwise at its first close operation's event or
   * its deadline, whichever is first.
   *
   * A vote a facilitator reopened (vote.reopen) is read from all its closes and reopens:
   * by clocks for `claimed` and `pauses` (closureState), and by server receipt time for the
   * rest, each close at its poll end's time when Element has one (a poll vote), else at its
   * own event's, each reopen at its event's, in the order the server received them. A close
   * or reopen not on the server yet reaches it after everything that is. Element cannot
   * reopen a poll: after a reopen, Element keeps showing the poll ended with the answers it
   * had (README, "How sync works").
   */
  close(vote: VoteTimingRow): VoteClose {
    const claimed = closePoint(vote.closed_v, vote.closes_at);
    const isPoll =
      this.db
        .prepare(
          `SELECT 1 FROM ops WHERE type IN ('vote.create', 'vote.close') AND type = 'vote.create' AND circle = ? AND json_extract(payload, '$.voteId') = ?
             AND ${live} AND poll_ts IS NOT NULL LIMIT 1`,
        )
        .get(vote.circle, vote.vote_id) !== undefined;
    const closures = this.db
      .prepare(
        `SELECT type, hlc || ' ' || id AS stamp, actor, server_ts, poll_ts FROM ops
         WHERE type IN ('vote.close', 'vote.reopen') AND circle = ? AND json_extract(payload, '$.voteId') = ? AND ${live}`,
      )
      .all(vote.circle, vote.vote_id) as { type: 'vote.close' | 'vote.reopen'; stamp: string; actor: string; server_ts: number | null; poll_ts: number | null }[];
    const deadline = vote.closes_at === null ? null : vote.closes_at - 1;
    const withDeadline = (closedAt: number | null) => (isPoll || deadline === null ? closedAt : closedAt === null ? deadline : Math.min(closedAt, deadline));
    if (!closures.some((c) => c.type === 'vote.reopen')) {
      const closes = { server: min(closures.map((c) => c.server_ts)), poll: min(closures.map((c) => c.poll_ts)) };
      if (isPoll) {
        const serverUntil = closes.poll ?? closes.server;
        return { claimed, serverUntil, onServer: serverUntil !== null };
      }
      return { claimed, serverUntil: withDeadline(closes.server), onServer: closes.server !== null };
    }
    const { pauses } = closureState(closures.map((c): ClosureEvent => ({ stamp: c.stamp, kind: c.type === 'vote.close' ? 'close' : 'reopen', actor: c.actor })));
    const received = closures
      .map((c) => ({ ...c, at: c.type === 'vote.close' && isPoll ? (c.poll_ts ?? c.server_ts) : c.server_ts }))
      .filter((c): c is typeof c & { at: number } => c.at !== null)
      .sort((a, b) => a.at - b.at || (a.stamp < b.stamp ? -1 : a.stamp > b.stamp ? 1 : 0));
    let closedAt: number | null = null;
    const serverPauses: ServerPause[] = [];
    for (const c of received) {
      if (c.type === 'vote.close' && closedAt === null) closedAt = c.at;
      else if (c.type === 'vote.reopen' && closedAt !== null) {
        serverPauses.push({ from: closedAt, to: c.at });
        closedAt = null;
      }
    }
    const reopenWaiting = closures.some((c) => c.type === 'vote.reopen' && c.server_ts === null);
    return { claimed, serverUntil: withDeadline(closedAt), onServer: closedAt !== null && !reopenWaiting, pauses, serverPauses };
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
