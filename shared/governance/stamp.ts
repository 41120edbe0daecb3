// A stamp totally orders operations: "<hlc> <op id>". The hybrid logical clock decides;
// the op id only separates two operations that (through a faulty replica) share a clock
// value, so last-writer-wins never depends on arrival order. A space sorts before every
// character a clock node id may contain, so comparing stamps as strings orders them by
// clock exactly as comparing the clocks does.
export function operationStamp(op: { hlc: string; id: string }): string {
  return `${op.hlc} ${op.id}`;
}

/** The stamp of a wall-clock deadline: it sorts before any operation made at or after `ms`. */
export function deadlineStamp(ms: number): string {
  return `${String(ms).padStart(13, '0')}-`;
}

/** The wall-clock time (ms) in a stamp or timestamp. */
export function stampWall(stamp: string): number {
  return Number(stamp.slice(0, 13));
}

export function minStamp(a: string | null | undefined, b: string | null | undefined): string | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return a < b ? a : b;
}
