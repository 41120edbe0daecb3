// Wall-clock time in an IANA time zone, using only Intl.DateTimeFormat (no time zone
// library): converting an instant to the zone's local date and time, and a local date and
// time back to an instant, with RFC 5545's rules for the daylight-saving gap and overlap.

/** A civil date and time, as shown on a clock in some zone. Months are 1-12. */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const minute = 60_000;
const hour = 60 * minute;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when the runtime knows this IANA zone name (e.g. "Europe/Madrid", "UTC"). */
export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone.length === 0 || timeZone.length > 64) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The civil date and time an instant shows in a zone. */
export function toZoned(instant: number, timeZone: string): LocalDateTime {
  const parts = formatterFor(timeZone).formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const era = parts.find((p) => p.type === 'era')?.value;
  const year = era === 'BC' || era === 'B' ? 1 - get('year') : get('year');
  return { year, month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** Milliseconds of a civil date-time read as if it were UTC; used for arithmetic on wall time. */
export function wallMs(local: LocalDateTime): number {
  return ((dayNumber(local.year, local.month, local.day) * 24 + local.hour) * 60 + local.minute) * 60_000 + local.second * 1000;
}

// Intl lookups cost tens of microseconds; Today, the tray and reminders ask for the same
// occurrences over and over, so recent answers are kept (bounded, exact keys only).
const offsetCache = new Map<string, number>();
const maxCachedOffsets = 20_000;

/** The zone's offset from UTC at an instant, in ms (e.g. +3 600 000 for CET). */
export function offsetAt(instant: number, timeZone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  const key = `${timeZone}|${whole}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const offset = wallMs(toZoned(whole, timeZone)) - whole;
  if (offsetCache.size >= maxCachedOffsets) offsetCache.clear();
  offsetCache.set(key, offset);
  return offset;
}

/**
 * The instant at which clocks in the zone show this civil time. Per RFC 5545 §3.3.5: a time
 * that falls in a gap (clocks jumped forward) is read with the offset from before the gap,
 * so 02:30 on a spring-forward night becomes 03:30; a time that occurs twice (clocks went
 * back) means its first occurrence.
 */
export function fromZoned(local: LocalDateTime, timeZone: string): number {
  const wall = wallMs(local);
  // Offsets lie within -12 h…+14 h and no zone changes its offset twice within a day, so the
  // offsets 14 h either side of the wall time are the only candidates; when they agree (all
  // but the days of a change) that offset is the answer.
  const before = offsetAt(wall - 14 * hour, timeZone);
  const after = offsetAt(wall + 14 * hour, timeZone);
  if (before === after) return wall - before;
  const candidates = [...new Set([before, after])]
    .map((offset) => wall - offset)
    .filter((instant) => wallMs(toZoned(instant, timeZone)) === wall)
    .sort((a, b) => a - b);
  return candidates[0] ?? wall - before;
}

/** Days since 1970-01-01 of a civil date (proleptic Gregorian; H. Hinnant's days_from_civil). */
export function dayNumber(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The civil date of a day number (civil_from_days). */
export function dateOfDayNumber(n: number): { year: number; month: number; day: number } {
  const z = n + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day: doy - Math.floor((153 * mp + 2) / 5) + 1 };
}

/** 0 = Monday … 6 = Sunday (ISO order, which RFC 5545's WKST default MO follows). */
export function isoWeekday(year: number, month: number, day: number): number {
  return (((dayNumber(year, month, day) + 3) % 7) + 7) % 7;
}

const monthLengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : monthLengths[month - 1]!;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
