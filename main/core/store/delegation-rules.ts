// Standing delegations as this replica knows them, and the checks for a delegation made on
// this computer (governance-rules.ts calls checkDelegation after the authorisation, which
// already made sure only the member themself sets or revokes it). Operations received from
// others skip these state checks like every other; the count ignores a delegation to a
// non-member and a cycle (shared/governance/delegation.ts), so nothing depends on them.
import type { Db } from './database';
import type { PayloadOf } from '../../../shared/governance/operation-types';
import { delegationProblem, delegationsAt, type DelegationEvent } from '../../../shared/governance/delegation';
import { ruleError } from './governance-rules';

type DelegationOperation =
  | { type: 'circle.delegation.set'; circle: string; payload: PayloadOf<'circle.delegation.set'> }
  | { type: 'circle.delegation.revoke'; circle: string; payload: PayloadOf<'circle.delegation.revoke'> };

/** Delegations in force now (the fold's table), by the id each member goes by. */
export function currentDelegations(db: Db, circle: string, links: ReadonlyMap<string, string>): Map<string, string> {
  const rows = db.prepare("SELECT member, delegate FROM gov_delegations WHERE circle = ? AND set_v > removed_v AND delegate != ''").all(circle) as { member: string; delegate: string }[];
  const resolve = (id: string) => links.get(id) ?? id;
  return new Map(rows.map((r) => [resolve(r.member), resolve(r.delegate)]));
}

/**
 * Every delegation operation of the circle in the log (withdrawn and held ones left out), by
 * the id each member goes by: what delegationsAt reads the delegations in force at a close from.
 */
export function delegationEvents(db: Db, circle: string, links: ReadonlyMap<string, string>): DelegationEvent[] {
  const rows = db
    .prepare(
      `SELECT type, hlc || ' ' || id AS stamp, json_extract(payload, '$.member') AS member, json_extract(payload, '$.delegate') AS delegate FROM ops
       WHERE circle = ? AND type IN ('circle.delegation.set', 'circle.delegation.revoke') AND withdrawn = 0 AND held_until IS NULL`,
    )
    .all(circle) as { type: string; stamp: string; member: string; delegate: string | null }[];
  const resolve = (id: string) => links.get(id) ?? id;
  return rows.map((r) => ({ stamp: r.stamp, member: resolve(r.member), delegate: r.type === 'circle.delegation.set' && r.delegate !== null ? resolve(r.delegate) : null }));
}

/** The delegations in force at a stamp (a vote's close), or now when null. */
export function delegationsInForce(db: Db, circle: string, links: ReadonlyMap<string, string>, at: string | null): Map<string, string> {
  return delegationsAt(delegationEvents(db, circle, links), at);
}

export function checkDelegation(db: Db, op: DelegationOperation, state: { live: ReadonlyMap<string, unknown>; resolve(id: string): string }): void {
  const { live, resolve } = state;
  const member = resolve(op.payload.member);
  if (!live.has(member)) throw ruleError('invalid_input', 'payload.member', 'not_member', `${op.payload.member} is not a member of the circle`);
  const links = new Map<string, string>();
  for (const row of db.prepare('SELECT member, account FROM gov_member_links WHERE circle = ?').all(op.circle) as { member: string; account: string }[]) links.set(row.member, row.account);
  const delegations = currentDelegations(db, op.circle, links);
  if (op.type === 'circle.delegation.revoke') {
    if (!delegations.has(member)) throw ruleError('invalid_input', 'payload.member', 'delegation_missing', 'there is no delegation to revoke');
    return;
  }
  const delegate = resolve(op.payload.delegate);
  const problem = delegationProblem(delegations, member, delegate, (id) => live.has(id));
  if (!problem) return;
  switch (problem.problem) {
    case 'delegation_self':
      throw ruleError('invalid_input', 'payload.delegate', 'delegation_self', 'a member cannot delegate to themself');
    case 'delegate_not_member':
      throw ruleError('invalid_input', 'payload.delegate', 'delegate_not_member', `${op.payload.delegate} is not a member of the circle, so cannot hold a delegation in it`);
    case 'delegation_cycle':
      throw ruleError('invalid_input', 'payload.delegate', 'delegation_cycle', `the delegation would make a cycle: ${problem.chain.join(' → ')}`);
  }
}
