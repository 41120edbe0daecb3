// What a refusal from the coop server means for the member, decided from its HTTP status
// and Matrix errcode alone (the server's own words are English and vary between servers, so
// they are kept only as the detail behind the translated reason). Pure, unit-tested.
import type { SyncRefusalKind, SyncRefusalReason } from '../../../shared/contract/sync';

export interface RefusalFacts {
  status: number;
  errcode: string;
}

export function refusalReason(kind: SyncRefusalKind, facts: RefusalFacts, otherServer: boolean): SyncRefusalReason {
  if (facts.status === 413 || facts.errcode === 'M_TOO_LARGE') return 'too_large';
  // Inviting someone on another server goes through that server. Synapse answers 403
  // "Federation denied with …" when it does not federate with it, 502 when it cannot reach
  // it; the invite rights themselves are the coop server's, and Plenary's creator has them.
  if (kind === 'invite' && otherServer && (facts.status === 403 || facts.status === 502 || facts.status === 504)) return 'other_server';
  if (facts.status === 404 || facts.errcode === 'M_NOT_FOUND') return 'not_found';
  if (facts.status === 403 || facts.errcode === 'M_FORBIDDEN') return 'forbidden';
  if (facts.status === 400) return 'invalid';
  return 'other';
}

/**
 * Whether the member may let a refusal go. An operations upload or a circle's room holds
 * back changes the other members need, so those can only be retried; an invitation, a
 * power level or a poll mirrored for Element users can be given up.
 */
export function refusalDismissable(kind: SyncRefusalKind): boolean {
  return kind === 'invite' || kind === 'power_levels' || kind === 'poll';
}

export const firstRefusalRetryMs = 60_000;
export const maxRefusalRetryMs = 6 * 60 * 60_000;

/**
 * When a refusal is tried again by itself: a passing one (the member's server could not be
 * reached) after one minute, doubling up to six hours; any other only when the member asks,
 * since retrying a 403, 404 or 400 would only be refused again.
 */
export function refusalRetryAt(transient: boolean, attempts: number, now: number): number | null {
  if (!transient) return null;
  return now + Math.min(maxRefusalRetryMs, firstRefusalRetryMs * 2 ** Math.min(Math.max(0, attempts - 1), 20));
}

/** Matrix user ids are `@localpart:server`; the server part may carry a port. */
export function serverOf(userId: string): string {
  const colon = userId.indexOf(':');
  return colon < 0 ? '' : userId.slice(colon + 1);
}
