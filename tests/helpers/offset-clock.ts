// A computer whose clock is off by a chosen amount, and can be set right (or moved on) at
// any moment: real time plus an offset. Unlike FakeClock it keeps running, so everything
// that waits on time (rate limits, long polls) behaves as on a member's computer.
import type { Clock } from '../../main/core/clock';

export class OffsetClock implements Clock {
  constructor(public offsetMs: number) {}
  now(): number {
    return Date.now() + this.offsetMs;
  }
}
