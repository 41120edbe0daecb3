// Semantic checks for operations made on this computer, against the current state: the
// things a structurally valid operation can still get wrong (a ballot for a vote that does
// not exist or has closed, removing the last facilitator), and who may make it, decided by
// the one authorisation rule every replica applies to what it receives
// (shared/governance/authorization.ts, with this replica's facts: local-authority.ts).
// Operations from other replicas skip the state checks: they were checked where they were
// made, and the fold must accept any set of valid operations in any order; sync authorises
// them by the room's history (main/core/sync/history-authority.ts).
import type { Statement } from 'better-sqlite3';
import type { Db } from './database';
import { PlenaryError } from '../../../shared/errors';
import { elementDerivedTypes, type GovernanceOperation, type VoteOption } from '../../../shared/governance/operation-types';
import { ballotProblem, isLate, type VoteDefinition } from '../../../shared/governance/tally';
import { VoteTimings } from './vote-timing';
import { isKnownTimeZone, readSchedule } from '../../../shared/schedule/schedule';
import { checkLinkOperation } from './link-rules';
import { checkDelegation } from './delegation-rules';
import { authorize, type AuthorizationReason } from '../../../shared/governance/authorization';
import { LocalAuthority, type RoomGrantsFacilitator } from './local-authority';
import { MemberDirectory } from './member-directory';
import { duplicateOptionIndexes, isAbstainLabel } from '../../../shared/governance/option-labels';
import { chooseSlotProblem, slotProblems, type ChooseReason } from '../../../shared/governance/time-poll';

/** A short machine reason the renderer translates; the message stays precise English for logs. */
export type RuleReason =
  | 'circle_exists'
  | 'circle_missing'
  | 'circle_archived'
  | 'not_facilitator'
  | 'not_owner'
  | 'not_vote_creator'
  | 'not_action_owner'
  | 'not_sender'
  | 'last_facilitator'
  | 'not_member'
  | 'unknown_time_zone'
  | 'bad_schedule'
  | 'room_missing'
  | 'assembly_exists'
  | 'assembly_missing'
  | 'assembly_not_planned'
  | 'assembly_not_open'
  | 'assembly_closed'
  | 'agenda_item_missing'
  | 'vote_exists'
  | 'vote_missing'
  | 'vote_other_assembly'
  | 'vote_closed'
  | 'vote_open'
  | 'closes_in_past'
  | 'review_in_past'
  | 'slot_in_past'
  | ChooseReason
  | 'ballot_invalid'
  | 'ballot_missing'
  | 'ballot_not_late'
  | 'not_counted_vote'
  | 'counted_vote'
  | 'contribution_exists'
  | 'contribution_missing'
  | 'date_in_future'
  | 'already_linked'
  | 'duplicate_option'
  | 'abstain_option'
  | 'too_many_hands'
  | 'vote_final'
  | 'vote_closed_by_time'
  | 'proxy_is_voter'
  | 'action_missing'
  | 'action_owner'
  | 'attachment_missing'
  | 'element_only'
  | 'not_delegator'
  | 'reason_required'
  | 'reason_too_long'
  | 'reasons_off'
  | 'delegate_not_member'
  | 'delegation_self'
  | 'delegation_cycle'
  | 'delegation_missing';

export function ruleError(code: 'invalid_input' | 'forbidden', field: string, reason: RuleReason, detail: string): PlenaryError {
  return new PlenaryError(code, `Operation field "${field}": ${detail}`, { field, params: { field, detail, reason } });
}

interface VoteRow {
  created_v: string | null;
  method: VoteDefinition['method'];
  options: string;
  max_choices: number | null;
  quorum_percent: number;
  closed_v: string | null;
  closes_at: number | null;
  assembly_id: string | null;
  outcome: string | null;
}

/** Small prepared reads of the current state. */
class Lookups {
  private readonly statements = new Map<string, Statement>();
  constructor(private readonly db: Db) {}

  private get<T>(sql: string, ...args: unknown[]): T | undefined {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement.get(...args) as T | undefined;
  }

  circle(circle: string) {
    return this.get<{ created_v: string | null; archived_v: string | null }>('SELECT created_v, archived_v FROM gov_circles WHERE circle = ?', circle);
  }
  room(circle: string, roomId: string) {
    return this.get<{ url: string }>('SELECT url FROM gov_rooms WHERE circle = ? AND room_id = ? AND set_v > removed_v', circle, roomId);
  }
  assembly(circle: string, assemblyId: string) {
    return this.get<{ opened_v: string | null; closed_v: string | null }>(
      'SELECT opened_v, closed_v FROM gov_assemblies WHERE circle = ? AND assembly_id = ? AND created_v IS NOT NULL',
      circle,
      assemblyId,
    );
  }
  agendaItem(circle: string, assemblyId: string, itemId: string) {
    return this.get<{ title: string }>(
      'SELECT title FROM gov_agenda_items WHERE circle = ? AND assembly_id = ? AND item_id = ? AND set_v > removed_v',
      circle,
      assemblyId,
      itemId,
    );
  }
  vote(circle: string, voteId: string) {
    return this.get<VoteRow>(
      'SELECT created_v, method, options, max_choices, quorum_percent, closed_v, closes_at, assembly_id, outcome FROM gov_votes WHERE circle = ? AND vote_id = ? AND created_v IS NOT NULL',
      circle,
      voteId,
    );
  }
  action(circle: string, assemblyId: string, actionId: string) {
    return this.get<{ owner: string }>(
      'SELECT owner FROM gov_actions WHERE circle = ? AND assembly_id = ? AND action_id = ? AND set_v > removed_v',
      circle,
      assemblyId,
      actionId,
    );
  }
  /** A ballot operation by its id, from the log (ballots are keyed by vote, not by op id). */
  ballot(opId: string) {
    return this.get<{ circle: string; vote_id: string; stamp: string }>(
      "SELECT circle, json_extract(payload, '$.voteId') AS vote_id, hlc || ' ' || id AS stamp FROM ops WHERE id = ? AND type = 'vote.ballot' AND withdrawn = 0 AND held_until IS NULL",
      opId,
    );
  }
  contribution(circle: string, contributionId: string) {
    return this.get<{ created_v: string | null; deleted_v: string | null; member: string; created_by: string }>(
      'SELECT created_v, deleted_v, member, created_by FROM gov_contributions WHERE circle = ? AND contribution_id = ? AND created_v IS NOT NULL',
      circle,
      contributionId,
    );
  }
}

export class GovernanceRules {
  private readonly look: Lookups;
  private readonly directory: MemberDirectory;
  private readonly authority: LocalAuthority;
  private readonly timings: VoteTimings;

  constructor(
    private readonly db: Db,
    roomGrants?: RoomGrantsFacilitator,
  ) {
    this.look = new Lookups(db);
    this.authority = new LocalAuthority(db, roomGrants);
    this.timings = new VoteTimings(db);
    this.directory = new MemberDirectory(db);
  }

  /** Throws the refusal, naming the field, when the actor may not make the operation (the same rule sync applies to others). */
  private authorize(op: GovernanceOperation): void {
    const verdict = authorize(op, op.actor, this.authority.factsFor(op.circle));
    if (verdict.ok) return;
    const missing: AuthorizationReason[] = ['contribution_missing', 'vote_missing', 'action_missing', 'reason_required', 'reason_too_long', 'reasons_off'];
    throw ruleError(missing.includes(verdict.reason) ? 'invalid_input' : 'forbidden', verdict.field, verdict.reason, verdict.detail);
  }

  /** Throws a PlenaryError naming the field when the operation cannot be made now. */
  check(op: GovernanceOperation, now: number): void {
    const circle = this.look.circle(op.circle);
    if (op.type === 'circle.create') {
      if (circle?.created_v) throw ruleError('invalid_input', 'circle', 'circle_exists', 'a circle with this id already exists');
      this.timeZone('payload.timezone', op.payload.timezone);
      this.authorize(op);
      return;
    }
    if (!circle?.created_v) throw ruleError('invalid_input', 'circle', 'circle_missing', 'no circle has this id');
    if (circle.archived_v) throw ruleError('invalid_input', 'circle', 'circle_archived', 'the circle is archived and read-only');
    if (op.type === 'contribution.update' || op.type === 'contribution.delete') {
      // A deleted entry is missing for its owner too (the authorisation below only knows it exists).
      const c = this.look.contribution(op.circle, op.payload.contributionId);
      if (!c || c.deleted_v) throw ruleError('invalid_input', 'payload.contributionId', 'contribution_missing', 'no contribution has this id');
    }
    // Said before who may: nobody makes these here, whatever their rights.
    if (elementDerivedTypes.has(op.type)) throw ruleError('forbidden', 'type', 'element_only', "a vote's definition changes only when its poll is edited in Element");
    this.authorize(op);

    // Members by the id each goes by (a linked local id goes by its account): see member-directory.ts.
    const links = this.directory.links(op.circle);
    const live = this.directory.live(op.circle, links);
    const resolve = (id: string) => links.get(id) ?? id;
    const members = live.size;
    const requireMember = (field: string, member: string) => {
      if (members > 0 && !live.has(resolve(member))) throw ruleError('invalid_input', field, 'not_member', `${member} is not a member of the circle`);
    };
    const facilitators = () => new Set([...live.values()].filter((m) => m.role === 'facilitator').map((m) => m.member));

    switch (op.type) {
      case 'circle.update': {
        const { timezone, schedule } = op.payload.fields;
        if (timezone !== undefined) this.timeZone('payload.fields.timezone', timezone);
        if (schedule) {
          this.timeZone('payload.fields.schedule.timezone', schedule.timezone);
          // Changes made here are written in the one format; only other replicas' older
          // operations may still carry an earlier form (the fold reads those).
          const read = readSchedule(schedule);
          if (!read.ok) throw ruleError('invalid_input', `payload.fields.schedule.${read.field}`, 'bad_schedule', read.message);
        }
        return;
      }
      case 'circle.member.set': {
        this.timeZone('payload.timezone', op.payload.timezone);
        const leading = facilitators();
        if (op.payload.role === 'facilitator') leading.add(resolve(op.payload.member));
        else leading.delete(resolve(op.payload.member));
        if (leading.size === 0) throw ruleError('invalid_input', 'payload.role', 'last_facilitator', 'a circle with members needs at least one facilitator');
        return;
      }
      case 'circle.member.remove': {
        requireMember('payload.member', op.payload.member);
        const leading = facilitators();
        leading.delete(resolve(op.payload.member));
        if (leading.size === 0 && members > 1) {
          throw ruleError('invalid_input', 'payload.member', 'last_facilitator', 'a circle with members needs at least one facilitator');
        }
        return;
      }
      case 'circle.member.link': {
        const { member } = op.payload;
        if (links.has(member)) throw ruleError('invalid_input', 'payload.member', 'already_linked', `${member} is already linked to ${links.get(member)!}`);
        if (!live.has(member)) throw ruleError('invalid_input', 'payload.member', 'not_member', `${member} is not a member of the circle`);
        // The account may already be a member too (added twice): the two become one.
        return;
      }
      case 'circle.delegation.set':
      case 'circle.delegation.revoke':
        return checkDelegation(this.db, op, { live, resolve });
      case 'circle.room.remove':
        if (!this.look.room(op.circle, op.payload.roomId)) throw ruleError('invalid_input', 'payload.roomId', 'room_missing', 'the circle has no such room');
        return;
      case 'circle.room.add':
      case 'circle.archive':
        return;
      case 'assembly.create':
        if (this.look.assembly(op.circle, op.payload.assemblyId)) throw ruleError('invalid_input', 'payload.assemblyId', 'assembly_exists', 'an assembly with this id already exists');
        return;
      case 'assembly.update':
      case 'assembly.agenda.set':
      case 'assembly.agenda.remove':
      case 'assembly.minutes.set':
        this.openAssembly(op.circle, op.payload.assemblyId);
        if (op.type === 'assembly.agenda.remove' || op.type === 'assembly.minutes.set') this.agendaItem(op.circle, op.payload.assemblyId, op.payload.itemId);
        return;
      case 'assembly.attendance.set':
        this.openAssembly(op.circle, op.payload.assemblyId);
        requireMember('payload.member', op.payload.member);
        return;
      case 'assembly.open': {
        const assembly = this.assembly(op.circle, op.payload.assemblyId);
        if (assembly.opened_v || assembly.closed_v) throw ruleError('invalid_input', 'payload.assemblyId', 'assembly_not_planned', 'the assembly has already been opened');
        return;
      }
      case 'assembly.close': {
        const assembly = this.assembly(op.circle, op.payload.assemblyId);
        if (!assembly.opened_v || assembly.closed_v) throw ruleError('invalid_input', 'payload.assemblyId', 'assembly_not_open', 'only an open assembly can be closed');
        return;
      }
      case 'assembly.decision.link': {
        this.openAssembly(op.circle, op.payload.assemblyId);
        this.agendaItem(op.circle, op.payload.assemblyId, op.payload.itemId);
        // The vote is looked up in the assembly's own circle, so a vote of another circle is
        // "missing"; a vote put during another assembly is that assembly's decision.
        const vote = this.vote(op.circle, op.payload.voteId);
        if (vote.assembly_id !== null && vote.assembly_id !== op.payload.assemblyId) {
          throw ruleError('invalid_input', 'payload.voteId', 'vote_other_assembly', 'the vote was put during another assembly');
        }
        return;
      }
      case 'assembly.agenda.current': {
        const assembly = this.assembly(op.circle, op.payload.assemblyId);
        if (!assembly.opened_v || assembly.closed_v) throw ruleError('invalid_input', 'payload.assemblyId', 'assembly_not_open', 'only an assembly in session has a current item');
        if (op.payload.itemId !== null) this.agendaItem(op.circle, op.payload.assemblyId, op.payload.itemId);
        return;
      }
      case 'assembly.action.set': {
        const p = op.payload;
        this.openAssembly(op.circle, p.assemblyId);
        if (p.itemId !== undefined) this.agendaItem(op.circle, p.assemblyId, p.itemId);
        requireMember('payload.owner', p.owner);
        return;
      }
      case 'assembly.action.remove':
        this.openAssembly(op.circle, op.payload.assemblyId);
        this.action(op.circle, op.payload.assemblyId, op.payload.actionId);
        return;
      case 'assembly.action.done': {
        // Also after the assembly: action items are done afterwards.
        const p = op.payload;
        const action = this.action(op.circle, p.assemblyId, p.actionId);
        // Who may tick it off is the authorisation's (its owner or a facilitator); the owner
        // the operation names must still be the item's, so the list reads what was meant.
        if (resolve(p.owner) !== resolve(action.owner)) throw ruleError('invalid_input', 'payload.owner', 'action_owner', 'the action item has another owner');
        return;
      }
      case 'assembly.recording.add':
        this.assembly(op.circle, op.payload.assemblyId);
        return;
      case 'vote.create': {
        const p = op.payload;
        if (this.look.vote(op.circle, p.voteId)) throw ruleError('invalid_input', 'payload.voteId', 'vote_exists', 'a vote with this id already exists');
        // Checked here, not in the schema: votes made before these rules still sync everywhere.
        const repeated = duplicateOptionIndexes(p.options.map((o) => o.label))[0];
        if (repeated !== undefined) {
          throw ruleError('invalid_input', `payload.options.${repeated}.label`, 'duplicate_option', `option "${p.options[repeated]!.label}" repeats an earlier option`);
        }
        const abstain = p.method === 'counted' ? p.options.findIndex((o) => isAbstainLabel(o.label)) : -1;
        if (abstain >= 0) {
          throw ruleError('invalid_input', `payload.options.${abstain}.label`, 'abstain_option', 'a show of hands counts abstentions in its own field, not as an option');
        }
        if (p.assemblyId !== undefined) this.openAssembly(op.circle, p.assemblyId);
        if (p.assemblyId !== undefined && p.itemId !== undefined) this.agendaItem(op.circle, p.assemblyId, p.itemId);
        if (p.closesAt !== undefined && p.closesAt <= now) throw ruleError('invalid_input', 'payload.closesAt', 'closes_in_past', 'the closing time has already passed');
        const past = p.method === 'time' ? slotProblems(p.options.map((o) => o.label), now).find((s) => s.reason === 'slot_in_past') : undefined;
        if (past) throw ruleError('invalid_input', `payload.options.${past.index}.label`, 'slot_in_past', past.message);
        return;
      }
      case 'vote.update': {
        const vote = this.vote(op.circle, op.payload.voteId);
        const { outcome: _outcome, reviewOn: _reviewOn, chosenOption, ...rest } = op.payload.fields;
        if (chosenOption !== undefined) {
          const problem = chooseSlotProblem(this.definition(vote), chosenOption, this.isClosed(vote, now));
          if (problem) throw ruleError('invalid_input', 'payload.fields.chosenOption', problem.reason, problem.message);
        }
        // After the close only the outcome statement (and its review date) may still be written, except that a vote
        // closed by its closing time may be given a later one (extended) until it is final.
        const extendsClosed = vote.closed_v === null && Object.keys(rest).every((field) => field === 'closesAt');
        if (Object.keys(rest).length > 0 && this.isClosed(vote, now)) {
          if (!extendsClosed) throw ruleError('invalid_input', 'payload.voteId', 'vote_closed', 'the vote is closed; only its outcome can be recorded');
          this.notFinal(op.circle, vote);
        }
        if (typeof rest.closesAt === 'number' && rest.closesAt <= now) throw ruleError('invalid_input', 'payload.fields.closesAt', 'closes_in_past', 'the closing time has already passed');
        // A review date is a day somewhere: a day of slack covers every time zone.
        const reviewOn = op.payload.fields.reviewOn;
        if (typeof reviewOn === 'string' && reviewOn < new Date(now - 24 * 60 * 60 * 1000).toISOString().slice(0, 10)) {
          throw ruleError('invalid_input', 'payload.fields.reviewOn', 'review_in_past', 'the review date has already passed');
        }
        return;
      }
      case 'vote.redefine':
        throw ruleError('forbidden', 'type', 'element_only', "a vote's definition changes only when its poll is edited in Element");
      case 'vote.ballot': {
        const p = op.payload;
        const vote = this.vote(op.circle, p.voteId);
        if (this.isClosed(vote, now)) throw ruleError('invalid_input', 'payload.voteId', 'vote_closed', 'the vote is closed and takes no more ballots');
        if (vote.method === 'counted') throw ruleError('invalid_input', 'payload.choice', 'counted_vote', 'a counted vote takes totals from a show of hands, not ballots');
        requireMember('payload.voter', p.voter);
        if (p.proxy !== undefined) {
          requireMember('payload.proxy', p.proxy);
          if (resolve(p.proxy) === resolve(p.voter)) throw ruleError('invalid_input', 'payload.proxy', 'proxy_is_voter', 'the voter cannot hold their own proxy');
        }
        const problem = ballotProblem(this.definition(vote), p.choice);
        if (problem) throw ruleError('invalid_input', 'payload.choice', 'ballot_invalid', `the choice does not fit this vote (${problem.replace(/_/g, ' ')})`);
        return;
      }
      case 'vote.count': {
        const vote = this.vote(op.circle, op.payload.voteId);
        if (vote.method !== 'counted') throw ruleError('invalid_input', 'payload.voteId', 'not_counted_vote', 'totals can only be entered for a counted vote');
        if (this.isClosed(vote, now)) throw ruleError('invalid_input', 'payload.voteId', 'vote_closed', 'the vote is closed');
        const known = new Set((JSON.parse(vote.options) as VoteOption[]).map((o) => o.id));
        const unknown = Object.keys(op.payload.totals).find((id) => !known.has(id));
        if (unknown) throw ruleError('invalid_input', `payload.totals.${unknown}`, 'ballot_invalid', 'the vote has no such option');
        // No more hands than the circle has members (each has one hand, proxies included).
        const hands = Object.values(op.payload.totals).reduce((sum, n) => sum + n, 0) + (op.payload.abstain ?? 0);
        if (members > 0 && hands > members) {
          throw ruleError('invalid_input', 'payload.totals', 'too_many_hands', `${hands} hands counted, but the circle has ${members} members`);
        }
        return;
      }
      case 'vote.close': {
        const vote = this.vote(op.circle, op.payload.voteId);
        if (vote.closed_v) throw ruleError('invalid_input', 'payload.voteId', 'vote_closed', 'the vote is already closed');
        return;
      }
      case 'vote.reopen': {
        const vote = this.vote(op.circle, op.payload.voteId);
        const pastDeadline = vote.closes_at !== null && vote.closes_at <= now;
        if (pastDeadline) throw ruleError('invalid_input', 'payload.voteId', 'vote_closed_by_time', 'the vote closed at its closing time: give it a later closing time instead');
        if (!vote.closed_v) throw ruleError('invalid_input', 'payload.voteId', 'vote_open', 'the vote is open');
        this.notFinal(op.circle, vote);
        return;
      }
      case 'vote.digest': {
        const vote = this.vote(op.circle, op.payload.voteId);
        if (!this.isClosed(vote, now)) throw ruleError('invalid_input', 'payload.voteId', 'vote_open', 'the count is published once the vote has closed');
        return;
      }
      case 'vote.acceptLate': {
        const vote = this.vote(op.circle, op.payload.voteId);
        const ballot = this.look.ballot(op.payload.ballotOpId);
        if (!ballot || ballot.circle !== op.circle || ballot.vote_id !== op.payload.voteId) {
          throw ruleError('invalid_input', 'payload.ballotOpId', 'ballot_missing', 'no ballot of this vote has this id');
        }
        // Judged exactly as the tally judges it (server receipt time first).
        const timing = this.timings.load({ circle: op.circle, vote_id: op.payload.voteId, closed_v: vote.closed_v, closes_at: vote.closes_at, assembly_id: vote.assembly_id });
        const record = timing.ballots.find((b) => b.opId === op.payload.ballotOpId);
        if (!record || !isLate(record, timing.close, new Set())) throw ruleError('invalid_input', 'payload.ballotOpId', 'ballot_not_late', 'the ballot was cast in time and already counts');
        return;
      }
      case 'contribution.create': {
        const p = op.payload;
        if (this.look.contribution(op.circle, p.contributionId)) {
          throw ruleError('invalid_input', 'payload.contributionId', 'contribution_exists', 'a contribution with this id already exists');
        }
        this.notFuture('payload.date', p.date, now);
        requireMember('payload.member', p.member);
        return;
      }
      case 'contribution.update':
      case 'contribution.delete': {
        if (op.type === 'contribution.update') {
          const f = op.payload.fields;
          if (f.date !== undefined) this.notFuture('payload.fields.date', f.date, now);
          if (f.member !== undefined) requireMember('payload.fields.member', f.member);
        }
        return;
      }
      case 'circle.forum.set':
      case 'forum.thread.set':
      case 'forum.post.add':
      case 'attachment.add':
      case 'attachment.remove':
        return checkLinkOperation(this.db, op, {
          vote: (voteId) => void this.vote(op.circle, voteId),
          assembly: (assemblyId) => void this.assembly(op.circle, assemblyId),
          agendaItem: (assemblyId, itemId) => this.agendaItem(op.circle, assemblyId, itemId),
          requireMember,
        });
    }
  }

  private timeZone(field: string, zone: string): void {
    if (!isKnownTimeZone(zone)) throw ruleError('invalid_input', field, 'unknown_time_zone', `"${zone}" is not a time zone this computer knows`);
  }

  private notFuture(field: string, date: string, now: number): void {
    // Work is logged on or after the day it was done; a day of slack covers every time zone.
    const latest = new Date(now + 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    if (date > latest) throw ruleError('invalid_input', field, 'date_in_future', 'the date is in the future');
  }

  private assembly(circle: string, assemblyId: string) {
    const assembly = this.look.assembly(circle, assemblyId);
    if (!assembly) throw ruleError('invalid_input', 'payload.assemblyId', 'assembly_missing', 'the circle has no assembly with this id');
    return assembly;
  }

  private openAssembly(circle: string, assemblyId: string): void {
    if (this.assembly(circle, assemblyId).closed_v) throw ruleError('invalid_input', 'payload.assemblyId', 'assembly_closed', 'the assembly is closed; its minutes are final');
  }

  private agendaItem(circle: string, assemblyId: string, itemId: string): void {
    if (!this.look.agendaItem(circle, assemblyId, itemId)) throw ruleError('invalid_input', 'payload.itemId', 'agenda_item_missing', 'the assembly has no such agenda item');
  }

  private action(circle: string, assemblyId: string, actionId: string) {
    const action = this.look.action(circle, assemblyId, actionId);
    if (!action) throw ruleError('invalid_input', 'payload.actionId', 'action_missing', 'the assembly has no such action item');
    return action;
  }

  private vote(circle: string, voteId: string): VoteRow {
    const vote = this.look.vote(circle, voteId);
    if (!vote) throw ruleError('invalid_input', 'payload.voteId', 'vote_missing', 'the circle has no vote with this id');
    return vote;
  }

  /** A result is final once its outcome is recorded or its assembly has closed: then it is not reopened. */
  private notFinal(circle: string, vote: VoteRow): void {
    if ((vote.outcome ?? '').trim() !== '') throw ruleError('invalid_input', 'payload.voteId', 'vote_final', 'the outcome has been recorded; the result is final');
    if (vote.assembly_id !== null && this.look.assembly(circle, vote.assembly_id)?.closed_v) {
      throw ruleError('invalid_input', 'payload.voteId', 'vote_final', 'its assembly is closed; the result is final');
    }
  }

  private isClosed(vote: VoteRow, now: number): boolean {
    return vote.closed_v !== null || (vote.closes_at !== null && vote.closes_at <= now);
  }

  private definition(vote: VoteRow): VoteDefinition {
    return { method: vote.method, options: JSON.parse(vote.options) as VoteOption[], maxChoices: vote.max_choices, quorumPercent: vote.quorum_percent };
  }
}
