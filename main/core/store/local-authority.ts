// The facts authorisation (shared/governance/authorization.ts) reads for an operation made on
// this computer: the circle as this replica knows it. A facilitator is a member the circle
// lists as one (anyone, while the circle has no members yet); when sync knows the circle's
// room, the coop server must also give them facilitator rights there (power level 50),
// since every other replica judges the operation by that power level: a change they would
// refuse is refused here at once, with the reason, instead of after it was uploaded.
// Members are read through their links (member-directory.ts): a local member id linked to a
// Matrix account is that account, with the role of the member's newest set.
import type { Statement } from 'better-sqlite3';
import type { Db } from './database';
import type { AuthorityFacts } from '../../../shared/governance/authorization';
import { MemberDirectory } from './member-directory';
import type { ReasonMode } from '../../../shared/governance/operation-types';

/**
 * Whether the circle's room, as sync last saw it, gives the member facilitator rights (power
 * level 50); null when sync does not know the room (no coop server, or not uploaded yet).
 */
export type RoomGrantsFacilitator = (circle: string, member: string) => boolean | null;

export class LocalAuthority {
  private readonly contribution: Statement;
  private readonly vote: Statement;
  // Prepared on first use, so a store opens on a database still being migrated.
  private actionRow: Statement | null = null;
  private readonly directory: MemberDirectory;

  constructor(
    private readonly db: Db,
    private readonly roomGrants: RoomGrantsFacilitator = () => null,
  ) {
    this.contribution = db.prepare('SELECT member, created_by FROM gov_contributions WHERE circle = ? AND contribution_id = ? AND created_v IS NOT NULL');
    this.vote = db.prepare('SELECT created_by, reasons FROM gov_votes WHERE circle = ? AND vote_id = ? AND created_v IS NOT NULL');
    this.directory = new MemberDirectory(db);
  }

  /** Whether the circle (as known here) lets the member facilitate; false when the room's power says otherwise. */
  facilitates(circle: string, member: string): boolean {
    const links = this.directory.links(circle);
    const live = this.directory.live(circle, links);
    const byRole = live.size === 0 || live.get(links.get(member) ?? member)?.role === 'facilitator';
    if (!byRole) return false;
    return this.roomGrants(circle, member) !== false;
  }

  factsFor(circle: string): AuthorityFacts {
    let links: Map<string, string> | undefined;
    return {
      facilitates: (member) => this.facilitates(circle, member),
      account: (member) => (links ??= this.directory.links(circle)).get(member) ?? member,
      // Any action item ever set (a removed one too): the removal is a state check of the rules.
      action: (assemblyId, actionId) => {
        this.actionRow ??= this.db.prepare("SELECT owner FROM gov_actions WHERE circle = ? AND assembly_id = ? AND action_id = ? AND set_v <> ''");
        return (this.actionRow.get(circle, assemblyId, actionId) as { owner: string } | undefined) ?? null;
      },
      contribution: (id) => {
        const row = this.contribution.get(circle, id) as { member: string | null; created_by: string | null } | undefined;
        return row && row.member !== null && row.created_by !== null ? { member: row.member, author: row.created_by } : null;
      },
      vote: (id) => {
        const row = this.vote.get(circle, id) as { created_by: string | null; reasons: ReasonMode | null } | undefined;
        return row && row.created_by !== null ? { creator: row.created_by, reasons: row.reasons } : null;
      },
    };
  }
}
