// Who may do what, for operations received from the coop server: the one authorisation rule
// (shared/governance/authorization.ts) that local operations also follow, applied with the
// facts of the circle room's history at the event's place (history-authority.ts). The Matrix
// event's sender is authenticated by the homeserver; an operation's actor is only a claim, so
// the actor must be the sender. An operation is checked for structure first, so the rule and
// the history it writes only ever see well-formed operations.
import { authorize, type Authorization } from '../../../shared/governance/authorization';
import { elementDerivedTypes, isOperationType, type GovernanceOperation } from '../../../shared/governance/operation-types';
import { validateOperation } from '../../../shared/governance/validate-operation';
import type { HistoryFacts } from './history-authority';

export type ReceivedVerdict =
  | { ok: true; op: GovernanceOperation }
  /** Not an operation this Plenary can apply: never applied anywhere. */
  | { ok: false; invalid: string }
  /** Well formed, but not allowed at this point of the room's history. */
  | { ok: false; op: GovernanceOperation; refused: Extract<Authorization, { ok: false }> };

/**
 * `conflict` says why a well-formed operation cannot be taken whatever its sender's rights
 * (its id was already received with other content), before the rule is applied: the
 * history the rule writes must only come from operations the store will take.
 */
export function judgeReceived(raw: unknown, sender: string, facts: HistoryFacts, conflict?: (op: GovernanceOperation) => string | null): ReceivedVerdict {
  const type = (raw as { type?: unknown } | null)?.type;
  if (!isOperationType(type)) return { ok: false, invalid: `unknown operation type ${JSON.stringify(type ?? null).slice(0, 80)}` };
  if (elementDerivedTypes.has(type)) return { ok: false, invalid: `${type} only comes from an edit of a poll in Element, never inside an operations event` };
  const checked = validateOperation(raw);
  if (!checked.ok) return { ok: false, invalid: checked.error.message };
  const reused = conflict?.(checked.op) ?? null;
  if (reused !== null) return { ok: false, invalid: reused };
  const verdict = authorize(checked.op, sender, facts);
  if (!verdict.ok) {
    // Say what the room said, so the reason reads the same on every replica's list.
    const refused = verdict.reason === 'not_facilitator' || verdict.reason === 'not_owner' || verdict.reason === 'not_vote_creator' || verdict.reason === 'not_action_owner'
      ? { ...verdict, detail: `${verdict.detail} (power level ${facts.level(sender)}, facilitators have 50)` }
      : verdict;
    return { ok: false, op: checked.op, refused };
  }
  return { ok: true, op: checked.op };
}
