// How governance sync reacts to each kind of failure. Pure, so every branch is unit-tested.
import { MatrixHttpError, MatrixNetworkError } from '../matrix/matrix-connection';

export type FailureAction =
  /** The network is gone: report offline and try again after a growing pause. */
  | { kind: 'offline'; ms: number; reason: string }
  /** A passing server failure (5xx, timeouts): back off and resend the same thing. */
  | { kind: 'backoff'; ms: number; reason: string }
  /** The event was too large for the server: repack smaller (operations events only). */
  | { kind: 'repack' }
  /**
   * The server said no to this one thing (403, 404, 400, …): it is kept as a refusal the
   * member sees. `transient` refusals (the member's server could not be reached) are tried
   * again by themselves with a growing pause; the others wait for the member.
   */
  | { kind: 'refused'; error: MatrixHttpError; transient: boolean }
  /** This device was signed out: stop everything and say so. */
  | { kind: 'stop'; code: 'signed_out'; reason: string };

export const minBackoffMs = 500;
export const maxBackoffMs = 60_000;

/** Exponential back-off with full jitter: random in [0, min(max, base * 2^attempt)]. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxBackoffMs, minBackoffMs * 2 ** Math.min(attempt, 20));
  return Math.max(minBackoffMs, Math.round(random() * ceiling));
}

export function isRateLimited(error: unknown): boolean {
  return error instanceof MatrixHttpError && (error.status === 429 || error.errcode === 'M_LIMIT_EXCEEDED');
}

/**
 * How long to wait before sending again after the server said "too many requests": what it
 * asked for (`retry_after_ms`, or its Retry-After header, see matrix-http.ts), else a back-off.
 * Null when the failure is not a rate limit. Only RateLimitGate acts on this.
 */
export function rateLimitWaitMs(error: unknown, attempt: number, random: () => number = Math.random): number | null {
  if (!isRateLimited(error)) return null;
  return Math.max(0, (error as MatrixHttpError).retryAfterMs ?? backoffMs(attempt, random));
}

export interface FailureContext {
  /** The request concerned a member on another server (an invitation). */
  otherServer?: boolean;
  /** The caller can split what it sent (operations batches); others see 413 as a refusal. */
  canRepack?: boolean;
}

export function classifyFailure(error: unknown, attempt: number, random: () => number = Math.random, context: FailureContext = {}): FailureAction {
  if (error instanceof MatrixNetworkError) return { kind: 'offline', ms: backoffMs(attempt, random), reason: error.message };
  if (error instanceof MatrixHttpError) {
    // Every sync request goes through RateLimitGate, which waits 429s out; one made outside
    // it backs off by what the server asked rather than counting as a refusal.
    if (isRateLimited(error)) return { kind: 'backoff', ms: rateLimitWaitMs(error, attempt, random)!, reason: 'rate limited' };
    if (context.canRepack && (error.status === 413 || error.errcode === 'M_TOO_LARGE')) return { kind: 'repack' };
    if (error.status === 401 || error.errcode === 'M_UNKNOWN_TOKEN' || error.errcode === 'M_MISSING_TOKEN') {
      return { kind: 'stop', code: 'signed_out', reason: 'The coop server signed this device out. Sign in again in Settings.' };
    }
    // Synapse answers 502 "Can't connect to server …" (or 504) when the member's own
    // server cannot be reached: that server may come back, the coop server is fine.
    if (context.otherServer && (error.status === 502 || error.status === 504)) return { kind: 'refused', error, transient: true };
    if (error.status >= 500 || error.status === 408) return { kind: 'backoff', ms: backoffMs(attempt, random), reason: `server error ${error.status}` };
    return { kind: 'refused', error, transient: false };
  }
  return { kind: 'backoff', ms: backoffMs(attempt, random), reason: error instanceof Error ? error.message : String(error) };
}
