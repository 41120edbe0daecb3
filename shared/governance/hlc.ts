// Hybrid logical clock (Kulkarni et al., 2014). Timestamps order every operation across
// replicas consistently with causality, while staying close to wall-clock time, so "last
// writer wins" means what people expect even when a facilitator's laptop was offline.
//
// Encoded as a fixed-width string that sorts lexicographically in clock order:
//   <wall ms, 13 digits>-<counter, 6 digits>-<node id>
// The node id makes every timestamp unique, so comparisons never tie.

export interface Hlc {
  wall: number;
  counter: number;
  node: string;
}

/**
 * How far a timestamp may be ahead of a clock and still count as "now". A received
 * operation further ahead of the receiver's clock is held (kept, not yet applied) until the
 * receiver's clock gets there; the local clock never runs further ahead of this computer's
 * wall clock than this (bounded advance), so one wrong clock cannot drag every later
 * timestamp into the future.
 */
export const maxClockDriftMs = 5 * 60 * 1000;
const maxCounter = 999_999;
const nodePattern = /^[A-Za-z0-9_]{1,32}$/;
const hlcPattern = /^(\d{13})-(\d{6})-([A-Za-z0-9_]{1,32})$/;

/** The earliest wall-clock time at which a timestamp counts as "now" (it is at most maxClockDriftMs ahead). */
export function dueAt(hlc: string): number {
  return hlcWall(hlc) - maxClockDriftMs;
}

export function formatHlc(h: Hlc): string {
  return `${String(h.wall).padStart(13, '0')}-${String(h.counter).padStart(6, '0')}-${h.node}`;
}

export function parseHlc(text: string): Hlc | null {
  const m = hlcPattern.exec(text);
  if (!m) return null;
  return { wall: Number(m[1]), counter: Number(m[2]), node: m[3]! };
}

export function isHlc(text: unknown): text is string {
  return typeof text === 'string' && hlcPattern.test(text);
}

/** The wall-clock part of an encoded timestamp, in ms since the epoch. */
export function hlcWall(text: string): number {
  return Number(text.slice(0, 13));
}

export class HybridClock {
  private wall = 0;
  private counter = 0;

  constructor(
    readonly node: string,
    private readonly now: () => number,
    last?: string,
  ) {
    if (!nodePattern.test(node)) throw new Error(`Invalid clock node id "${node}"`);
    if (last) {
      const parsed = parseHlc(last);
      if (parsed) {
        this.wall = parsed.wall;
        this.counter = parsed.counter;
      }
    }
  }

  /**
   * Whether the clock ran ahead of this computer's wall clock by more than maxClockDriftMs
   * (this computer's clock was set ahead when earlier timestamps were made, then corrected).
   * The next tick resumes from the wall clock.
   */
  isAheadOfWall(): boolean {
    return this.wall > this.now() + maxClockDriftMs;
  }

  /** A new timestamp for a local event. */
  tick(): string {
    const physical = this.now();
    if (this.wall > physical + maxClockDriftMs) {
      // Bounded advance: a lead this large is a wrong clock, not causality (received
      // timestamps that far ahead are held, never absorbed), so keeping it would stamp every
      // later change in the future. Resume from the wall clock; the node id keeps timestamps unique.
      this.wall = physical;
      this.counter = 0;
    } else if (physical > this.wall) {
      this.wall = physical;
      this.counter = 0;
    } else {
      this.counter++;
      if (this.counter > maxCounter) {
        // More than a million events in one millisecond: borrow the next millisecond.
        this.wall++;
        this.counter = 0;
      }
    }
    return formatHlc({ wall: this.wall, counter: this.counter, node: this.node });
  }

  /**
   * Folds in a timestamp received from another replica so later local events order after
   * it. A timestamp more than maxClockDriftMs ahead of the wall clock is not absorbed (the
   * store holds such operations until their time comes, then receives them): one computer
   * with a wrong date must not drag every later local timestamp forward.
   */
  receive(remote: string): void {
    const r = parseHlc(remote);
    if (!r) throw new Error(`Invalid HLC timestamp "${remote}"`);
    const physical = this.now();
    if (r.wall > physical + maxClockDriftMs) return;
    const wall = Math.max(this.wall, r.wall, physical);
    if (wall === this.wall && wall === r.wall) this.counter = Math.max(this.counter, r.counter) + 1;
    else if (wall === this.wall) this.counter++;
    else if (wall === r.wall) this.counter = r.counter + 1;
    else this.counter = 0;
    this.wall = wall;
    if (this.counter > maxCounter) {
      this.wall++;
      this.counter = 0;
    }
  }

  last(): string {
    return formatHlc({ wall: this.wall, counter: this.counter, node: this.node });
  }
}
