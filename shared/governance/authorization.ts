// Who may make an operation: the one rule for operations made on this computer and for
// operations received from the coop server, so the two can never disagree. What differs is
// only where the facts come from (see AuthorityFacts):
// - on this computer: the circle as this replica knows it (roles, entries, votes), and the
//   member's power level in the circle's room when sync knows the room
//   (main/core/store/local-authority.ts);
// - received: the circle's room at the event's place in the room's history, the same on
//   every replica (power levels in force when the event was sent, and the entries and votes
//   made by the operations accepted before it; main/core/sync/history-authority.ts).
// Pure: no database, no clock, so a table of cases tests it (tests/unit/authorization.test.ts).
//
// The rules:
// - an operation is made by whoever signs it: its actor must be the one who sent it;
// - facilitator-only types (operation-types.ts), re-defining a circle (circle.create in an
//   existing room), ballots cast for someone else and work logged for someone else need a
//   facilitator;
// - a contribution is changed or deleted by its member, its author (who logged it) or a
//   facilitator; moving it to another member is logging work for someone else; an entry
//   already logged is logged again (the same operation re-sent) only by its author, so an
//   earlier-stamped copy cannot make someone else its author;
// - a vote is closed, and reopened, and its count published (vote.digest), by its creator or
//   a facilitator;
// - an action item is ticked off (or back) by its owner or a facilitator; setting and
//   removing action items, the assembly's current item and linking a member to their Matrix
//   account are facilitator-only (operation-types.ts);
// - a standing delegation (circle.delegation.set / .revoke) is set and revoked only by the
//   delegating member themself, never by a facilitator for them;
// - a ballot's reason suits its vote's reasons setting (reasons.ts: required, at most 500
//   characters, or none when off), so a ballot without a required reason is refused
//   wherever it comes from;
// - a member added without a Matrix account (a local member id) is, once linked, the account
//   it was linked to: their ballots, entries and action items are the account's own.
import { operationTypes, isOperationType, type ReasonMode } from './operation-types';
import { reasonProblem, reasonProblemDetail, type ReasonProblem } from './reasons';

/** A machine reason the interface translates (governance:errors.<reason>). */
export type AuthorizationReason = 'not_sender' | 'not_facilitator' | 'not_owner' | 'not_vote_creator' | 'contribution_missing' | 'vote_missing' | 'action_missing' | 'not_action_owner' | 'not_delegator' | ReasonProblem;

export interface AuthorityFacts {
  /** Whether the member acts with facilitator rights in the circle at this point. */
  facilitates(member: string): boolean;
  /** A contribution entry of the circle: whose work it is and who logged it; null when unknown here. */
  contribution(contributionId: string): { member: string; author: string } | null;
  /** A vote of the circle, who created it and its reasons setting (absent: a vote without one); null when unknown here. */
  vote(voteId: string): { creator: string; reasons?: ReasonMode | null } | null;
  /** An action item of the circle's assembly and whose it is; null when unknown here (never set). */
  action(assemblyId: string, actionId: string): { owner: string } | null;
  /** The id a member goes by: the Matrix account a local member id was linked to (circle.member.link), else the id itself. */
  account(member: string): string;
}

/** An operation as far as authorisation reads it; payloads received from others are not trusted to have any shape. */
export interface AuthorizedOperation {
  actor: string;
  type: string;
  payload: unknown;
}

export type Authorization = { ok: true } | { ok: false; reason: AuthorizationReason; field: string; detail: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

const refuse = (reason: AuthorizationReason, field: string, detail: string): Authorization => ({ ok: false, reason, field, detail });

/**
 * Whether `by` (the member making it here, or the event's sender) may make `op` given `facts`.
 * `detail` is precise English for logs and the quarantine list; `reason` is translated for members.
 */
export function authorize(op: AuthorizedOperation, by: string, facts: AuthorityFacts): Authorization {
  if (op.actor !== by) return refuse('not_sender', 'actor', `actor ${op.actor} is not the event's sender ${by}`);
  const payload = isRecord(op.payload) ? op.payload : {};
  let facilitator: boolean | undefined;
  const isFacilitator = () => (facilitator ??= facts.facilitates(op.actor));
  /** Whether a member id the payload names is the actor (directly, or as the local id linked to the actor's account). */
  const is = (member: unknown): boolean => typeof member === 'string' && (member === op.actor || facts.account(member) === facts.account(op.actor));
  const needFacilitator = (field: string, what: string): Authorization =>
    isFacilitator() ? { ok: true } : refuse('not_facilitator', field, `${what} needs facilitator rights in the circle, which ${op.actor} does not have here`);

  switch (op.type) {
    case 'circle.create':
      // Anyone may make a new circle (and facilitates it while it has no members), but only a
      // facilitator re-defines an existing one.
      return needFacilitator('actor', 'circle.create');
    case 'vote.ballot': {
      const problem = reasonProblem(facts.vote(text(payload.voteId) ?? '')?.reasons, payload.reason);
      if (problem) return refuse(problem, 'payload.reason', reasonProblemDetail(problem));
      return is(payload.voter) ? { ok: true } : needFacilitator('payload.voter', 'a ballot for someone else');
    }
    case 'circle.delegation.set':
    case 'circle.delegation.revoke':
      return is(payload.member)
        ? { ok: true }
        : refuse('not_delegator', 'payload.member', `only ${typeof payload.member === 'string' ? payload.member.slice(0, 255) : 'the member'} may ${op.type === 'circle.delegation.set' ? 'delegate' : 'revoke the delegation of'} their own vote, not ${op.actor}`);
    case 'contribution.create': {
      const known = facts.contribution(text(payload.contributionId) ?? '');
      if (known && known.author !== op.actor) {
        return refuse('not_owner', 'payload.contributionId', `the entry was already logged by ${known.author}; only its author logs it again`);
      }
      return is(payload.member) ? { ok: true } : needFacilitator('payload.member', 'logging work for someone else');
    }
    case 'contribution.update':
    case 'contribution.delete': {
      const id = text(payload.contributionId) ?? '';
      const entry = facts.contribution(id);
      if (!entry) return refuse('contribution_missing', 'payload.contributionId', `no contribution ${id.slice(0, 64)} is known at this point`);
      if (!is(entry.member) && entry.author !== op.actor && !isFacilitator()) {
        return refuse('not_owner', 'payload.contributionId', `${op.type} of ${entry.member}'s entry (logged by ${entry.author}) needs its member, its author or a facilitator`);
      }
      const moveTo = op.type === 'contribution.update' && isRecord(payload.fields) ? payload.fields.member : undefined;
      if (moveTo !== undefined && !is(moveTo)) return needFacilitator('payload.fields.member', 'giving an entry to someone else');
      return { ok: true };
    }
    case 'vote.close':
    case 'vote.reopen':
    case 'vote.digest': {
      const id = text(payload.voteId) ?? '';
      const vote = facts.vote(id);
      if (!vote) return refuse('vote_missing', 'payload.voteId', `no vote ${id.slice(0, 64)} is known at this point`);
      if (vote.creator === op.actor || isFacilitator()) return { ok: true };
      return refuse('not_vote_creator', 'payload.voteId', `only the vote's creator (${vote.creator}) or a facilitator may ${op.type === 'vote.close' ? 'close' : op.type === 'vote.reopen' ? 'reopen' : 'publish the count of'} it`);
    }
    case 'assembly.action.done': {
      const id = text(payload.actionId) ?? '';
      const action = facts.action(text(payload.assemblyId) ?? '', id);
      if (!action) return refuse('action_missing', 'payload.actionId', `no action item ${id.slice(0, 64)} is known at this point`);
      if (is(action.owner) || isFacilitator()) return { ok: true };
      return refuse('not_action_owner', 'payload.actionId', `only the action item's owner (${action.owner}) or a facilitator may mark it done`);
    }
    default:
      if (isOperationType(op.type) && operationTypes[op.type].facilitatorOnly) return needFacilitator('actor', op.type);
      return { ok: true };
  }
}
