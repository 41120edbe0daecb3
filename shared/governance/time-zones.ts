// Time-zone arithmetic with Intl only (no time-zone library): which zones exist here, the
// wall-clock time in a zone, and the instant of a wall-clock time in a zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether this computer's time-zone database knows the zone. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function wallTimeIn(timeZone: string, instant: number): WallTime {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour! % 24, minute: parts.minute!, second: parts.second! };
}

/** How far the zone's wall clock is ahead of UTC at an instant, in ms. */
export function zoneOffsetMs(timeZone: string, instant: number): number {
  const w = wallTimeIn(timeZone, instant);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a wall-clock time happens in a zone. A time skipped by a daylight-saving jump
 * maps to the instant just after the jump; a repeated time maps to its first occurrence.
 */
export function zonedTimeToUtc(timeZone: string, year: number, month: number, day: number, hour: number, minute: number): number {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  const first = zoneOffsetMs(timeZone, guess);
  let instant = guess - first;
  const second = zoneOffsetMs(timeZone, instant);
  if (second !== first) {
    const alternative = guess - second;
    // Prefer the earlier instant whose wall time matches; else the one after the gap.
    instant = zoneOffsetMs(timeZone, alternative) === second ? Math.min(instant, alternative) : Math.max(instant, alternative);
  }
  return instant;
}
