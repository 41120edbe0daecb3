// How the uploader reacts to each kind of failure. Pure, so every branch is unit-tested.
import { MatrixHttpError, MatrixNetworkError } from '../matrix/matrix-connection';

export type FailureAction =
  /** Rate limited: wait what the server asked, then resend the same batch. */
  | { kind: 'wait'; ms: number }
  /** The network is gone: report offline and try again after a growing pause. */
  | { kind: 'offline'; ms: number; reason: string }
  /** A passing server failure (5xx, timeouts): back off and resend the same batch. */
  | { kind: 'backoff'; ms: number; reason: string }
  /** The event was too large for the server: repack smaller. */
  | { kind: 'repack' }
  /** Needs the user (signed out, not allowed in the room): stop and say why. */
  | { kind: 'stop'; code: string; reason: string };

export const minBackoffMs = 500;
export const maxBackoffMs = 60_000;

/** Exponential back-off with full jitter: random in [0, min(max, base * 2^attempt)]. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxBackoffMs, minBackoffMs * 2 ** Math.min(attempt, 20));
  return Math.max(minBackoffMs, Math.round(random() * ceiling));
}

export function classifyFailure(error: unknown, attempt: number, random: () => number = Math.random): FailureAction {
  if (error instanceof MatrixNetworkError) return { kind: 'offline', ms: backoffMs(attempt, random), reason: error.message };
  if (error instanceof MatrixHttpError) {
    if (error.status === 429 || error.errcode === 'M_LIMIT_EXCEEDED') return { kind: 'wait', ms: Math.max(0, error.retryAfterMs ?? backoffMs(attempt, random)) };
    if (error.status === 413 || error.errcode === 'M_TOO_LARGE') return { kind: 'repack' };
    if (error.status === 401 || error.errcode === 'M_UNKNOWN_TOKEN' || error.errcode === 'M_MISSING_TOKEN') {
      return { kind: 'stop', code: 'signed_out', reason: 'The coop server signed this device out. Sign in again in Settings.' };
    }
    if (error.status === 403) return { kind: 'stop', code: 'forbidden', reason: `The coop server refused: ${error.message}` };
    if (error.status >= 500 || error.status === 408) return { kind: 'backoff', ms: backoffMs(attempt, random), reason: `server error ${error.status}` };
    return { kind: 'stop', code: 'remote_error', reason: `${error.errcode}: ${error.message}` };
  }
  return { kind: 'backoff', ms: backoffMs(attempt, random), reason: error instanceof Error ? error.message : String(error) };
}
