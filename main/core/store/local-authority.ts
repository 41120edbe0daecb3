// The facts authorisation (shared/governance/authorization.ts) reads for an operation made on
// this computer: the circle as this replica knows it. A facilitator is a member the circle
// lists as one (anyone, while the circle has no members yet); when sync knows the circle's
// room, the coop server must also give them facilitator rights there (power level 50),
// since every other replica judges the operation by that power level: a change they would
// refuse is refused here at once, with the reason, instead of after it was uploaded.
import type { Statement } from 'better-sqlite3';
import type { Db } from './database';
import type { AuthorityFacts } from '../../../shared/governance/authorization';

/**
 * Whether the circle's room, as sync last saw it, gives the member facilitator rights (power
 * level 50); null when sync does not know the room (no coop server, or not uploaded yet).
 */
export type RoomGrantsFacilitator = (circle: string, member: string) => boolean | null;

export class LocalAuthority {
  private readonly memberCount: Statement;
  private readonly role: Statement;
  private readonly contribution: Statement;
  private readonly vote: Statement;

  constructor(
    db: Db,
    private readonly roomGrants: RoomGrantsFacilitator = () => null,
  ) {
    this.memberCount = db.prepare('SELECT count(*) AS n FROM gov_members WHERE circle = ? AND set_v > removed_v');
    this.role = db.prepare('SELECT role FROM gov_members WHERE circle = ? AND member = ? AND set_v > removed_v');
    this.contribution = db.prepare('SELECT member, created_by FROM gov_contributions WHERE circle = ? AND contribution_id = ? AND created_v IS NOT NULL');
    this.vote = db.prepare('SELECT created_by FROM gov_votes WHERE circle = ? AND vote_id = ? AND created_v IS NOT NULL');
  }

  /** Whether the circle (as known here) lets the member facilitate; false when the room's power says otherwise. */
  facilitates(circle: string, member: string): boolean {
    const byRole = (this.memberCount.get(circle) as { n: number }).n === 0 || (this.role.get(circle, member) as { role: string } | undefined)?.role === 'facilitator';
    if (!byRole) return false;
    return this.roomGrants(circle, member) !== false;
  }

  factsFor(circle: string): AuthorityFacts {
    return {
      facilitates: (member) => this.facilitates(circle, member),
      contribution: (id) => {
        const row = this.contribution.get(circle, id) as { member: string | null; created_by: string | null } | undefined;
        return row && row.member !== null && row.created_by !== null ? { member: row.member, author: row.created_by } : null;
      },
      vote: (id) => {
        const row = this.vote.get(circle, id) as { created_by: string | null } | undefined;
        return row && row.created_by !== null ? { creator: row.created_by } : null;
      },
    };
  }
}
