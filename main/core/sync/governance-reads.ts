// The few facts sync needs from the governance tables, read in one place so the rest of
// sync does not depend on their layout.
import type { Db } from '../store/database';
import type { VoteMethod } from '../../../shared/governance/operation-types';

export interface CircleFacts {
  circle: string;
  name: string;
  purpose: string;
  createdBy: string | null;
  members: { member: string; role: string }[];
}

export interface VoteFacts {
  circle: string;
  voteId: string;
  question: string;
  method: VoteMethod;
  options: { id: string; label: string }[];
  maxChoices: number | null;
  createdBy: string | null;
}

export class GovernanceReads {
  constructor(private readonly db: Db) {}

  circle(circle: string): CircleFacts | null {
    const row = this.db.prepare('SELECT name, purpose, created_by FROM gov_circles WHERE circle = ? AND created_v IS NOT NULL').get(circle) as
      | { name: string | null; purpose: string | null; created_by: string | null }
      | undefined;
    if (!row) return null;
    // A member is present when their latest set is newer than their latest removal (LWW element set).
    const members = this.db
      .prepare("SELECT member, role FROM gov_members WHERE circle = ? AND set_v > removed_v ORDER BY member")
      .all(circle) as { member: string; role: string }[];
    return { circle, name: row.name ?? '', purpose: row.purpose ?? '', createdBy: row.created_by, members };
  }

  /** The name a member has in a circle (even after leaving it), for messages about them. */
  memberName(circle: string, member: string): string | null {
    const row = this.db.prepare('SELECT display_name FROM gov_members WHERE circle = ? AND member = ?').get(circle, member) as { display_name: string } | undefined;
    return row?.display_name || null;
  }

  vote(voteId: string): VoteFacts | null {
    const row = this.db
      .prepare('SELECT circle, vote_id, question, method, options, max_choices, created_by FROM gov_votes WHERE vote_id = ? AND created_v IS NOT NULL')
      .get(voteId) as
      | { circle: string; vote_id: string; question: string | null; method: VoteMethod; options: string | null; max_choices: number | null; created_by: string | null }
      | undefined;
    if (!row) return null;
    return {
      circle: row.circle,
      voteId: row.vote_id,
      question: row.question ?? '',
      method: row.method,
      options: row.options ? (JSON.parse(row.options) as { id: string; label: string }[]) : [],
      maxChoices: row.max_choices,
      createdBy: row.created_by,
    };
  }
}
