// The facts authorisation reads for operations received from the coop server: the circle's
// room at the event's place in the room's history. Inbound reads each room in timeline order
// (gaps back-filled first), so at every event:
// - power levels are those recorded so far (sync_room_state, moved forward event by event);
// - contributions, votes, action items and member links are those the operations accepted so
//   far established (sync_history_contributions, sync_history_votes, sync_history_actions,
//   sync_history_links: who logged an entry and whose work it is, who created a vote, whose
//   an action item is, which account a local member id was linked to), written here as each
//   accepted operation goes by.
// These depend only on the room's history, never on this replica's own unsent work, so every
// replica, whenever it syncs, decides each operation the same way. (The governance tables
// would not do: they also hold this replica's local changes, sent or not.)
// A redaction takes back what the withdrawn operations established (forget): a replica that
// reads the room later sees only the redacted shell and never learns it, so one that read
// the event before must end knowing what that one knows.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/database';
import type { AuthorityFacts } from '../../../shared/governance/authorization';
import type { GovernanceOperation, OperationType, ReasonMode } from '../../../shared/governance/operation-types';
import { operationStamp } from '../../../shared/governance/stamp';
import { facilitatorPowerLevel } from './power-levels';
import { memberPower, type RoomPower } from './room-power';

export interface HistoryFacts extends AuthorityFacts {
  /** The member's power level in the room at this point (for messages). */
  level(member: string): number;
}

export class HistoryAuthority {
  private readonly readContribution: Statement;
  private readonly readVote: Statement;
  private readonly createContribution: Statement;
  private readonly moveContribution: Statement;
  private readonly createVote: Statement;
  // Prepared on first use, so the sync service starts on a database still being migrated.
  private statements = new Map<string, Statement>();

  constructor(
    private readonly db: Db,
    private readonly power: RoomPower,
  ) {
    this.readContribution = db.prepare('SELECT member, author FROM sync_history_contributions WHERE circle = ? AND contribution_id = ?');
    this.readVote = db.prepare('SELECT creator, reasons FROM sync_history_votes WHERE circle = ? AND vote_id = ?');
    // As in the fold: the earliest create names the author; the member is last-writer-wins.
    this.createContribution = db.prepare(`
      INSERT INTO sync_history_contributions (circle, contribution_id, author, author_v, member, member_v) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (circle, contribution_id) DO UPDATE SET
        author = CASE WHEN excluded.author_v < author_v THEN excluded.author ELSE author END,
        author_v = min(author_v, excluded.author_v),
        member = CASE WHEN excluded.member_v > member_v THEN excluded.member ELSE member END,
        member_v = max(member_v, excluded.member_v)`);
    this.moveContribution = db.prepare('UPDATE sync_history_contributions SET member = ?, member_v = ? WHERE circle = ? AND contribution_id = ? AND member_v < ?');
    this.createVote = db.prepare(`
      INSERT INTO sync_history_votes (circle, vote_id, creator, created_v, reasons) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (circle, vote_id) DO UPDATE SET
        creator = CASE WHEN excluded.created_v < created_v THEN excluded.creator ELSE creator END,
        reasons = CASE WHEN excluded.created_v < created_v THEN excluded.reasons ELSE reasons END,
        created_v = min(created_v, excluded.created_v)`);
  }

  /** The facts for the next event of the room. Read them before its operations, note each accepted one as it goes. */
  factsFor(roomId: string, circle: string): HistoryFacts {
    const state = this.power.state(roomId);
    const levels = new Map<string, number>();
    const level = (member: string) => {
      let known = levels.get(member);
      if (known === undefined) levels.set(member, (known = memberPower(state, member).level));
      return known;
    };
    return {
      level,
      facilitates: (member) => level(member) >= facilitatorPowerLevel,
      contribution: (id) => (this.readContribution.get(circle, id) as { member: string; author: string } | undefined) ?? null,
      vote: (id) => (this.readVote.get(circle, id) as { creator: string; reasons: ReasonMode | null } | undefined) ?? null,
      action: (assemblyId, actionId) =>
        (this.statement('SELECT owner FROM sync_history_actions WHERE circle = ? AND assembly_id = ? AND action_id = ?').get(circle, assemblyId, actionId) as { owner: string } | undefined) ?? null,
      account: (member) =>
        member.startsWith('local:') ? ((this.statement('SELECT account FROM sync_history_links WHERE circle = ? AND member = ?').pluck().get(circle, member) as string | undefined) ?? member) : member,
    };
  }

  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }

  /** Records what an accepted operation establishes for the operations after it. */
  note(op: GovernanceOperation): void {
    const stamp = operationStamp(op);
    switch (op.type) {
      case 'contribution.create':
        this.createContribution.run(op.circle, op.payload.contributionId, op.actor, stamp, op.payload.member, stamp);
        return;
      case 'contribution.update':
        if (op.payload.fields.member !== undefined) this.moveContribution.run(op.payload.fields.member, stamp, op.circle, op.payload.contributionId, stamp);
        return;
      case 'vote.create':
        this.createVote.run(op.circle, op.payload.voteId, op.actor, stamp, op.payload.reasons ?? null);
        return;
      case 'assembly.action.set':
        // As in the fold: the owner is last-writer-wins.
        this.statement(
          `INSERT INTO sync_history_actions (circle, assembly_id, action_id, owner, owner_v) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (circle, assembly_id, action_id) DO UPDATE SET owner = excluded.owner, owner_v = excluded.owner_v WHERE excluded.owner_v > owner_v`,
        ).run(op.circle, op.payload.assemblyId, op.payload.actionId, op.payload.owner, stamp);
        return;
      case 'circle.member.link':
        // As in the fold: the earliest link of a local member id wins.
        this.statement(
          `INSERT INTO sync_history_links (circle, member, account, link_v) VALUES (?, ?, ?, ?)
           ON CONFLICT (circle, member) DO UPDATE SET account = excluded.account, link_v = excluded.link_v WHERE excluded.link_v < link_v`,
        ).run(op.circle, op.payload.member, op.payload.account, stamp);
        return;
      default:
        return;
    }
  }

  /**
   * Forgets what withdrawn operations established: each entry, vote, action item or link they touched is
   * established again from the operations of the room that remain (live, and read from the
   * room: an operation's own event came back with its server time). Their facts are
   * commutative (earliest creation, latest member), so their order does not matter.
   * Operations read before events were linked to operations (20261209T1100-op-events) are
   * not found again: an entry or vote a withdrawal touches is then known only from what came
   * after. Call inside the inbound transaction.
   */
  forget(opIds: readonly string[]): void {
    if (opIds.length === 0) return;
    const read = this.db.prepare('SELECT circle, type, payload FROM ops WHERE id = ?');
    const contributions = new Map<string, { circle: string; id: string }>();
    const votes = new Map<string, { circle: string; id: string }>();
    const actions = new Map<string, { circle: string; assemblyId: string; id: string }>();
    const links = new Map<string, { circle: string; id: string }>();
    for (const opId of opIds) {
      const row = read.get(opId) as { circle: string; type: OperationType; payload: string } | undefined;
      if (!row) continue;
      const payload = JSON.parse(row.payload) as { contributionId?: string; voteId?: string; assemblyId?: string; actionId?: string; member?: string };
      if ((row.type === 'contribution.create' || row.type === 'contribution.update') && payload.contributionId) {
        contributions.set(`${row.circle} ${payload.contributionId}`, { circle: row.circle, id: payload.contributionId });
      } else if (row.type === 'vote.create' && payload.voteId) {
        votes.set(`${row.circle} ${payload.voteId}`, { circle: row.circle, id: payload.voteId });
      } else if (row.type === 'assembly.action.set' && payload.assemblyId && payload.actionId) {
        actions.set(`${row.circle} ${payload.assemblyId} ${payload.actionId}`, { circle: row.circle, assemblyId: payload.assemblyId, id: payload.actionId });
      } else if (row.type === 'circle.member.link' && payload.member) {
        links.set(`${row.circle} ${payload.member}`, { circle: row.circle, id: payload.member });
      }
    }
    const live = `withdrawn = 0 AND EXISTS (SELECT 1 FROM op_events e WHERE e.op_id = ops.id AND e.carries = 1 AND e.server_ts IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM withdrawn_events w WHERE w.event_id = e.event_id))`;
    const remaining = (circle: string, types: string, key: string, id: string) =>
      (
        this.db
          .prepare(`SELECT id, hlc, actor, circle, type, payload, v FROM ops WHERE circle = ? AND type IN (${types}) AND json_extract(payload, '$.${key}') = ? AND ${live} ORDER BY type = 'contribution.update', seq`)
          .all(circle, id) as { id: string; hlc: string; actor: string; circle: string; type: OperationType; payload: string; v: number }[]
      ).map((row) => ({ ...row, payload: JSON.parse(row.payload) as unknown }) as GovernanceOperation);
    for (const { circle, id } of contributions.values()) {
      this.db.prepare('DELETE FROM sync_history_contributions WHERE circle = ? AND contribution_id = ?').run(circle, id);
      // Creations first: a move applies to an entry already known.
      for (const op of remaining(circle, "'contribution.create', 'contribution.update'", 'contributionId', id)) this.note(op);
    }
    for (const { circle, id } of votes.values()) {
      this.db.prepare('DELETE FROM sync_history_votes WHERE circle = ? AND vote_id = ?').run(circle, id);
      for (const op of remaining(circle, "'vote.create'", 'voteId', id)) this.note(op);
    }
    for (const { circle, assemblyId, id } of actions.values()) {
      this.db.prepare('DELETE FROM sync_history_actions WHERE circle = ? AND assembly_id = ? AND action_id = ?').run(circle, assemblyId, id);
      for (const op of remaining(circle, "'assembly.action.set'", 'actionId', id)) if (op.type === 'assembly.action.set' && op.payload.assemblyId === assemblyId) this.note(op);
    }
    for (const { circle, id } of links.values()) {
      this.db.prepare('DELETE FROM sync_history_links WHERE circle = ? AND member = ?').run(circle, id);
      for (const op of remaining(circle, "'circle.member.link'", 'member', id)) this.note(op);
    }
  }

  /** What the room (as sync last saw it) says of a member's facilitator rights; null when sync does not know the room. */
  grantsFacilitator(roomId: string | null, member: string): boolean | null {
    if (!roomId) return null;
    const state = this.power.state(roomId);
    if (!state.create && !state.powerLevels) return null;
    return memberPower(state, member).level >= facilitatorPowerLevel;
  }
}
