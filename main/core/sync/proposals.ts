// Member proposals: polls started in Element, in a circle's room, by members who may not
// create votes (vote.create needs a facilitator). Such a poll does not become a vote; it is
// kept as a proposal, listed on the circle's votes with who proposed it, and answered in
// Element as any poll. Its answers are recorded as ballots of the vote it would become (its
// vote id derives from the poll's event, the same on every replica). A facilitator adopts it
// by creating exactly that vote (same id, same options); every replica then binds the poll
// to the vote and counts the answers already given. Until then it stays Element's only. A
// proposal whose poll was redacted is gone, as for a replica that only sees the shell.
import type { Db } from '../store/database';
import type { MatrixRawEvent } from '../matrix/matrix-connection';
import type { MemberProposal } from '../../../shared/governance/views';
import type { PayloadOf } from '../../../shared/governance/operation-types';
import type { GovernanceReads } from './governance-reads';

type VotePayload = PayloadOf<'vote.create'>;

interface ProposalRow {
  vote_id: string;
  event_id: string;
  creator: string;
  proposal_json: string;
  proposed_at: number | null;
  ended_at: number | null;
  circle: string;
}

export class Proposals {
  constructor(
    private readonly db: Db,
    private readonly reads: GovernanceReads,
  ) {}

  /** Keeps a member's poll as a proposal (call inside the inbound transaction). */
  record(roomId: string, event: MatrixRawEvent, payload: VotePayload, answerMap: Record<string, string>): void {
    this.db
      .prepare('INSERT OR IGNORE INTO sync_vote_polls (vote_id, room_id, event_id, creator, answers_json, proposal_json, proposed_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(payload.voteId, roomId, event.event_id, event.sender, JSON.stringify(answerMap), JSON.stringify(payload), event.origin_server_ts);
  }

  /** The proposal's poll ended in Element before anyone adopted it. */
  markEnded(voteId: string, at: number): void {
    this.db.prepare('UPDATE sync_vote_polls SET ended_at = ? WHERE vote_id = ? AND proposal_json IS NOT NULL AND ended_at IS NULL').run(at, voteId);
  }

  /** The vote a proposal would become (null when the poll is no proposal). */
  payloadOf(voteId: string): VotePayload | null {
    // A poll withdrawn on the server (redacted) is no proposal any more.
    const row = this.db.prepare('SELECT proposal_json FROM sync_vote_polls WHERE vote_id = ? AND proposal_json IS NOT NULL AND withdrawn = 0').get(voteId) as { proposal_json: string } | undefined;
    return row ? (JSON.parse(row.proposal_json) as VotePayload) : null;
  }

  /** Proposals of a circle no facilitator has adopted yet, newest first. */
  list(circle: string): MemberProposal[] {
    const rows = this.db
      .prepare(
        `SELECT p.vote_id, p.event_id, p.creator, p.proposal_json, p.proposed_at, p.ended_at, r.circle
         FROM sync_vote_polls p JOIN sync_circle_rooms r ON r.room_id = p.room_id
         WHERE r.circle = ? AND p.proposal_json IS NOT NULL AND p.withdrawn = 0
           AND NOT EXISTS (SELECT 1 FROM gov_votes v WHERE v.vote_id = p.vote_id AND v.created_v IS NOT NULL)
         ORDER BY p.proposed_at DESC, p.vote_id`,
      )
      .all(circle) as ProposalRow[];
    return rows.map((row) => this.view(row));
  }

  get(circle: string, voteId: string): MemberProposal | null {
    return this.list(circle).find((p) => p.voteId === voteId) ?? null;
  }

  private view(row: ProposalRow): MemberProposal {
    const payload = JSON.parse(row.proposal_json) as VotePayload;
    const answers = (
      this.db.prepare("SELECT count(DISTINCT json_extract(payload, '$.voter')) AS n FROM ops WHERE type = 'vote.ballot' AND withdrawn = 0 AND circle = ? AND json_extract(payload, '$.voteId') = ?").get(row.circle, row.vote_id) as {
        n: number;
      }
    ).n;
    return {
      circle: row.circle,
      voteId: row.vote_id,
      pollEventId: row.event_id,
      proposer: row.creator,
      proposerName: this.reads.memberName(row.circle, row.creator),
      question: payload.question,
      method: payload.method,
      options: payload.options,
      proposedAt: row.proposed_at ?? 0,
      endedAt: row.ended_at,
      answers,
    };
  }
}
