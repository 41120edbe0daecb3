// How far this computer's clock is from the coop server's, so the member can be told ("your
// computer's clock is 3 h ahead") before their changes reach others stamped in the future
// (other replicas hold those until their own clocks get there, see store/governance-store.ts).
//
// Every timeline event in a /sync response carries origin_server_ts and unsigned.age, the
// milliseconds since then as the server counted when it sent the response (client-server
// spec, "unsigned"), so origin_server_ts + age is the server's clock at that moment, to the
// millisecond. The response arrives a little later, so the estimate errs slightly towards
// "ahead"; only skews far beyond network delays are reported.
import type { SyncResponse } from '../matrix/matrix-connection';

/** Skews smaller than this are network delay or ordinary drift, not worth a word. */
export const notableSkewMs = 60_000;

/** The server's clock as each timeline event of a response tells it. */
export function serverClockSamples(response: SyncResponse): number[] {
  const samples: number[] = [];
  for (const room of Object.values(response.rooms?.join ?? {})) {
    for (const event of room.timeline?.events ?? []) {
      const age = event?.unsigned?.age;
      if (typeof age === 'number' && Number.isSafeInteger(age) && age >= 0 && Number.isSafeInteger(event.origin_server_ts)) samples.push(event.origin_server_ts + age);
    }
  }
  return samples;
}

/** The median of what a response's events say about the server's clock, minus ours (positive: ours is ahead). */
export function skewOf(response: SyncResponse, localNow: number): number | null {
  const samples = serverClockSamples(response).sort((a, b) => a - b);
  if (samples.length === 0) return null;
  return localNow - samples[Math.floor(samples.length / 2)]!;
}

export class ClockSkew {
  private estimate: number | null = null;

  /**
   * Takes the estimate of the latest response that had events (the clock may be set right
   * at any time). Returns whether what is worth telling changed (to the minute).
   */
  observe(response: SyncResponse, localNow: number): boolean {
    const skew = skewOf(response, localNow);
    if (skew === null) return false;
    const minutes = (value: number | null) => (value === null ? null : Math.round(value / 60_000));
    const before = minutes(this.notable());
    this.estimate = skew;
    return before !== minutes(this.notable());
  }

  /** The skew when it is worth telling the member (ms, positive: this computer is ahead), else null. */
  notable(): number | null {
    return this.estimate !== null && Math.abs(this.estimate) >= notableSkewMs ? this.estimate : null;
  }

  /** The server's clock now, as best known. */
  serverNow(localNow: number): number {
    return localNow - (this.estimate ?? 0);
  }
}
