// Standing delegation: a member of a circle may give their vote in the circle's votes to
// another member of the circle until they revoke it (circle.delegation.set / .revoke; only
// the member themself sets or revokes it: authorization.ts). Pure functions, the same on
// every replica:
//
// - Which delegations are in force at a point (a vote's close) is read from the operations'
//   stamps: for each member the newest set or revoke before that point wins.
// - Delegation is transitive: a member who has not voted follows their delegate; if the
//   delegate has not voted either, the delegate's own delegation is followed, and so on, to
//   the first member of the chain who has a counted ballot of their own. That ballot then
//   also counts for the member, once (a member is counted by their own ballot or by one
//   delegated ballot, never both).
// - A member's own ballot always overrides their delegation, and ends the chain there for
//   everyone delegating through them.
// - A chain that reaches someone outside the electorate (not a member as of the close), or
//   comes back to a member already on it (a cycle, which two members offline can make
//   together even though each set is refused locally when it would close one), counts for
//   nobody: those members simply have not voted.
import type { BallotRecord } from './tally';

/** member -> the member they delegate to. */
export type Delegations = ReadonlyMap<string, string>;

/** A delegation operation as the log holds it: by its stamp (hlc + op id). */
export interface DelegationEvent {
  stamp: string;
  member: string;
  /** The delegate for a set; null for a revoke. */
  delegate: string | null;
}

/**
 * The delegations in force just before `at` (a stamp; null: all of them, i.e. now). For
 * each member the event with the newest stamp wins, whatever order they are given in.
 */
export function delegationsAt(events: readonly DelegationEvent[], at: string | null): Map<string, string> {
  const newest = new Map<string, DelegationEvent>();
  for (const event of events) {
    if (at !== null && event.stamp >= at) continue;
    const current = newest.get(event.member);
    if (!current || event.stamp > current.stamp) newest.set(event.member, event);
  }
  const result = new Map<string, string>();
  for (const [member, event] of newest) if (event.delegate !== null) result.set(member, event.delegate);
  return result;
}

/** Why a new delegation cannot be made, for the local check (governance:errors.<problem>). */
export type DelegationProblem =
  | { problem: 'delegate_not_member' }
  | { problem: 'delegation_self' }
  | { problem: 'delegation_cycle'; chain: string[] };

/**
 * Whether `member` may delegate to `delegate` given the delegations in force and who the
 * circle's members are: the delegate must be a member and not lead back to `member`
 * (A -> B while B -> A, or any longer loop). `chain` lists the loop from the member round
 * to the member again, for the message.
 */
export function delegationProblem(delegations: Delegations, member: string, delegate: string, isMember: (id: string) => boolean): DelegationProblem | null {
  if (member === delegate) return { problem: 'delegation_self' };
  if (!isMember(delegate)) return { problem: 'delegate_not_member' };
  const chain = [member, delegate];
  const seen = new Set(chain);
  let at = delegate;
  for (;;) {
    const next = delegations.get(at);
    if (next === undefined) return null;
    if (next === member) return { problem: 'delegation_cycle', chain: [...chain, member] };
    // A loop further on that does not come back to the member is not this member's to fix.
    if (seen.has(next)) return null;
    seen.add(next);
    chain.push(next);
    at = next;
  }
}

/**
 * Whose ballot counts for a member who has not voted: the first member along their chain of
 * delegations with a ballot of their own, or null (no delegation, a non-member on the chain,
 * a cycle, or nobody on it voted).
 */
export function delegateFor(member: string, delegations: Delegations, hasBallot: (id: string) => boolean, isMember: (id: string) => boolean): string | null {
  const seen = new Set([member]);
  let at = member;
  for (;;) {
    const next = delegations.get(at);
    if (next === undefined || !isMember(next) || seen.has(next)) return null;
    if (hasBallot(next)) return next;
    seen.add(next);
    at = next;
  }
}

/** A ballot that counts for `voter` because their delegate (`delegatedVia`) voted. */
export type DelegatedBallot = BallotRecord & { delegatedVia: string };

/**
 * The ballots delegation adds: for each member of the electorate without a ballot among
 * `ballots` (the counted ones: each voter's newest ballot on time), a copy of the ballot of
 * the member their chain of delegations reaches, under the member's name, with no reason (the
 * reason is the delegate's). Ordered by member id.
 */
export function delegatedBallots(ballots: readonly BallotRecord[], delegations: Delegations, isMember: (id: string) => boolean): DelegatedBallot[] {
  if (delegations.size === 0) return [];
  const own = new Map<string, BallotRecord>();
  for (const ballot of ballots) own.set(ballot.voter, ballot);
  // Whose ballot each member on a chain ends at (null: none). Every member on one walk shares
  // the walk's end, so each chain is walked once however many members delegate along it.
  const ends = new Map<string, string | null>();
  // Which walk last visited a member (a cycle is a member visited twice on one walk).
  const visited = new Map<string, number>();
  const path: string[] = [];
  let walk = 0;
  const endOf = (member: string): string | null => {
    walk++;
    path.length = 0;
    let at = member;
    let end: string | null;
    for (;;) {
      path.push(at);
      visited.set(at, walk);
      const next = delegations.get(at);
      if (next === undefined || !isMember(next) || visited.get(next) === walk) {
        end = null;
        break;
      }
      if (own.has(next)) {
        end = next;
        break;
      }
      const known = ends.get(next);
      if (known !== undefined) {
        end = known;
        break;
      }
      at = next;
    }
    for (const id of path) ends.set(id, end);
    return end;
  };
  const added: DelegatedBallot[] = [];
  for (const member of delegations.keys()) {
    if (own.has(member) || !isMember(member)) continue;
    const via = ends.get(member) ?? (ends.has(member) ? null : endOf(member));
    if (via === null) continue;
    const source = own.get(via)!;
    added.push({ ...source, opId: `${source.opId}/${member}`, voter: member, reason: null, proxy: null, delegatedVia: via });
  }
  // The same order on every replica, whatever order the delegations were read in.
  return added.sort((a, b) => (a.voter < b.voter ? -1 : a.voter > b.voter ? 1 : 0));
}
