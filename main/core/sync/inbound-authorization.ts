// Who may do what, for operations received from the coop server. The Matrix event's sender
// is authenticated by the homeserver; an operation's actor is only a claim. So:
// - the actor must be the sender (nobody writes in someone else's name);
// - operations only a facilitator may issue, the circle's definition, proxy ballots (voter
//   is not the actor) and contributions logged for someone else need power level >= 50 in
//   the circle's room.
// Reference: issue "Sync with the coop server", section Inbound.
import type { Operation } from '../../../shared/governance/operation';
import { facilitatorPowerLevel } from './power-levels';

export interface AuthorizationContext {
  sender: string;
  senderPowerLevel: number;
  isFacilitatorOnly(type: string): boolean;
}

export type Authorization = { ok: true } | { ok: false; reason: string };

/** Whether the operation acts for someone other than its actor (a proxy ballot, or work logged for another member). */
export function actsForSomeoneElse(op: Operation): boolean {
  const payload = op.payload;
  if (op.type === 'vote.ballot') return payload.voter !== op.actor;
  // An action item's owner ticks it off; anyone else doing so needs facilitator rights.
  if (op.type === 'assembly.action.done') return payload.owner !== op.actor;
  if (op.type === 'contribution.create') return payload.member !== op.actor;
  if (op.type === 'contribution.update') {
    const fields = payload.fields as Record<string, unknown> | undefined;
    return fields?.member !== undefined && fields.member !== op.actor;
  }
  return false;
}

export function authorizeOperation(op: Operation, context: AuthorizationContext): Authorization {
  if (op.actor !== context.sender) {
    return { ok: false, reason: `actor ${op.actor} is not the event's sender ${context.sender}` };
  }
  // circle.create is open to anyone locally, but in a circle's room only its creator (or a
  // facilitator) may (re)define the circle.
  const privileged = context.isFacilitatorOnly(op.type) || op.type === 'circle.create' || actsForSomeoneElse(op);
  if (privileged && context.senderPowerLevel < facilitatorPowerLevel) {
    return {
      ok: false,
      reason: `${op.type} needs facilitator rights (power level ${facilitatorPowerLevel}) but ${context.sender} has ${context.senderPowerLevel}`,
    };
  }
  return { ok: true };
}
