// How long the sync loop waits before retrying after a failure: exponential from one
// second, capped so a laptop that wakes up reconnects within half a minute, with jitter so
// many clients coming back together do not hit the server in the same instant. A 429
// carries its own delay, which wins when it is longer.
export const backoffBaseMs = 1_000;
export const backoffMaxMs = 30_000;

/** `attempt` counts consecutive failures from 1; `random` is in [0, 1). */
export function backoffDelayMs(attempt: number, random: number, retryAfterMs?: number): number {
  const exponential = Math.min(backoffMaxMs, backoffBaseMs * 2 ** Math.max(0, attempt - 1));
  // Full jitter on the upper half: between 50% and 100% of the exponential step.
  const jittered = Math.round(exponential * (0.5 + random * 0.5));
  return retryAfterMs !== undefined ? Math.max(jittered, retryAfterMs) : jittered;
}
