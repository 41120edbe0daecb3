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

/** How far ahead of our clock a timestamp may be before it is refused, not absorbed. */
export const maxClockDriftMs = 5 * 60 * 1000;
const maxCounter = 999_999;
const nodePattern = /^[A-Za-z0-9_]{1,32}$/;
const hlcPattern = /^(\d{13})-(\d{6})-([A-Za-z0-9_]{1,32})$/;

export class ClockSkewError extends Error {
  constructor(
    readonly remoteWall: number,
    readonly localWall: number,
  ) {
    super(
      `A timestamp is ${Math.round((remoteWall - localWall) / 1000)} s ahead of this computer's clock ` +
        `(more than ${maxClockDriftMs / 60000} min allowed). Check the date and time settings of both computers.`,
    );
    this.name = 'ClockSkewError';
  }
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

  /** A new timestamp for a local event. */
  tick(): string {
    const physical = this.now();
    if (physical > this.wall) {
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
   * it. Refuses (throws ClockSkewError) a timestamp too far in the future rather than
   * dragging every later local timestamp forward with it.
   */
  receive(remote: string): void {
    const r = parseHlc(remote);
    if (!r) throw new Error(`Invalid HLC timestamp "${remote}"`);
    const physical = this.now();
    if (r.wall > physical + maxClockDriftMs) throw new ClockSkewError(r.wall, physical);
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

  /** Whether a timestamp is acceptable from the point of view of this clock. */
  checkDrift(remote: string): ClockSkewError | null {
    const wall = hlcWall(remote);
    const physical = this.now();
    return wall > physical + maxClockDriftMs ? new ClockSkewError(wall, physical) : null;
  }

  last(): string {
    return formatHlc({ wall: this.wall, counter: this.counter, node: this.node });
  }
}
