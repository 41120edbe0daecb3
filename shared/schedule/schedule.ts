// A circle's regular meeting, in the one format every part of Plenary stores and reads:
//   { rrule: "DTSTART;TZID=Europe/Madrid:20260126T180000\nRRULE:FREQ=MONTHLY;BYDAY=4MO",
//     timezone: "Europe/Madrid", durationMinutes: 90 }
// RFC 5545 text: DTSTART is the first meeting on the wall clock of `timezone` (its TZID must
// be the same zone) and gives the time of day (no BYHOUR/BYMINUTE); RRULE says how it
// repeats. The shape { rrule, timezone, durationMinutes } is kept from before so the
// governance operation, the meetings contract and the directory stay one object.
//
// Expansion is rrule-temporal's, on Temporal time zones (temporal-polyfill where the runtime
// has no Temporal yet). Why this library and not rrule.js: measured on 2026 dates,
// rrule.js with TZID returns "wall time disguised as UTC" that depends on the process's own
// zone (run under TZ=America/Toronto it put a Madrid 18:00 meeting at 13:00, then 14:00 once
// Toronto changed clocks, three weeks before Madrid did) and treated an inclusive UNTIL equal
// to the last meeting as past it. rrule-temporal gave 18:00 Madrid and 18:00 Toronto wall
// time across both spring and autumn changes in any process zone, skipped a fifth weekday
// in months without one, and agreed with ical.js reading our ICS export. It bundles its own
// Temporal polyfill and uses no Node or DOM API, so it lives here in shared/.
//
// One behaviour follows RFC 5545 §3.3.10 rather than the old hand-written engine: an
// occurrence whose wall time does not exist (02:30 on a spring-forward night) is skipped,
// not moved to 03:30.
import { RRuleTemporal } from 'rrule-temporal';
import { Temporal } from 'temporal-polyfill';
import { formatRule, parseRule, RuleError, type RecurrenceRule } from './rule';

export interface Schedule {
  /** "DTSTART;TZID=<timezone>:YYYYMMDDTHHMMSS" + "\n" + "RRULE:…". */
  rrule: string;
  /** IANA zone name, e.g. "UTC" or "Europe/Madrid"; the same as DTSTART's TZID. */
  timezone: string;
  durationMinutes: number;
}

export type ScheduleField = 'rrule' | 'timezone' | 'durationMinutes';

/** A civil date and time on some zone's clock. Months are 1-12. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

export interface ReadSchedule {
  /** The first meeting, on the wall clock of `timezone`. */
  start: WallTime;
  rule: RecurrenceRule;
  timezone: string;
  durationMinutes: number;
}

export type ReadResult = { ok: true; schedule: ReadSchedule } | { ok: false; field: ScheduleField; message: string };

export interface Occurrence {
  start: number;
  end: number;
}

/** The governance operation limits the text (a Matrix event must stay small). */
export const maxScheduleTextLength = 500;
export const minDurationMinutes = 5;
export const maxDurationMinutes = 24 * 60;

export function isKnownTimeZone(zone: string): boolean {
  if (typeof zone !== 'string' || zone.length === 0 || zone.length > 64) return false;
  try {
    Temporal.Now.instant().toZonedDateTimeISO(zone);
    return true;
  } catch {
    return false;
  }
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** 20260126T180000, as DTSTART writes it. */
export function formatWallTime(wall: WallTime): string {
  return `${pad(wall.year, 4)}${pad(wall.month)}${pad(wall.day)}T${pad(wall.hour)}${pad(wall.minute)}00`;
}

/** The stored text for a first meeting and a rule. */
export function scheduleText(start: WallTime, timezone: string, rule: RecurrenceRule): string {
  return `DTSTART;TZID=${timezone}:${formatWallTime(start)}\nRRULE:${formatRule(rule)}`;
}

/** Reads "YYYYMMDDTHHMMSS" as a wall time; throws RuleError naming DTSTART otherwise. */
export function parseWallTime(text: string): WallTime {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) throw new RuleError(`DTSTART "${text}" is not a local date-time like 20260126T180000.`);
  const wall = { year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +m[4]!, minute: +m[5]! };
  try {
    Temporal.PlainDateTime.from({ ...wall, second: +m[6]! }, { overflow: 'reject' });
  } catch {
    throw new RuleError(`DTSTART "${text}" is not a real calendar date and time.`);
  }
  if (m[6] !== '00') throw new RuleError(`DTSTART "${text}" has seconds; meetings start on a whole minute.`);
  return wall;
}

/** The wall time an instant shows in a zone. */
export function wallTimeAt(instant: number, zone: string): WallTime {
  const z = Temporal.Instant.fromEpochMilliseconds(instant).toZonedDateTimeISO(zone);
  return { year: z.year, month: z.month, day: z.day, hour: z.hour, minute: z.minute };
}

/** The instant a wall time shows in a zone (a time in a spring-forward gap moves past it). */
export function instantOf(wall: WallTime, zone: string): number {
  return Temporal.ZonedDateTime.from({ ...wall, timeZone: zone }).epochMilliseconds;
}

// Today, the tray and reminders ask for the same schedules over and over; a parsed rule keeps
// rrule-temporal's own query plans, so recent ones are kept (bounded, exact text keys).
const rules = new Map<string, RRuleTemporal>();
const maxCachedRules = 200;

function ruleFor(text: string): RRuleTemporal {
  let rule = rules.get(text);
  if (!rule) {
    rule = new RRuleTemporal({ rruleString: text, maxIterations: 5000 });
    if (rules.size >= maxCachedRules) rules.clear();
    rules.set(text, rule);
  }
  return rule;
}

function textOf(schedule: ReadSchedule): string {
  return scheduleText(schedule.start, schedule.timezone, schedule.rule);
}

/** Whether DTSTART is itself a meeting of the rule (COUNT and UNTIL aside), which calendars assume. */
function startMatchesRule(start: WallTime, timezone: string, rule: RecurrenceRule): boolean {
  const { count: _count, until: _until, ...open } = rule;
  const text = scheduleText(start, timezone, open);
  try {
    return ruleFor(text).matches(new Date(instantOf(start, timezone)));
  } catch {
    return false;
  }
}

/** Checks a stored or submitted schedule in the one format; every problem names its field. */
export function readSchedule(spec: Schedule): ReadResult {
  if (!isKnownTimeZone(spec.timezone)) {
    return { ok: false, field: 'timezone', message: `"${spec.timezone}" is not a known time zone; use an IANA name such as Europe/Madrid or UTC.` };
  }
  if (!Number.isInteger(spec.durationMinutes) || spec.durationMinutes < minDurationMinutes || spec.durationMinutes > maxDurationMinutes) {
    return { ok: false, field: 'durationMinutes', message: `The length must be a whole number of minutes from ${minDurationMinutes} to ${maxDurationMinutes}.` };
  }
  if (typeof spec.rrule !== 'string' || spec.rrule.length > maxScheduleTextLength) {
    return { ok: false, field: 'rrule', message: `The schedule text is longer than ${maxScheduleTextLength} characters.` };
  }
  try {
    const lines = spec.rrule.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
    const dtstart = /^DTSTART;TZID=([^:;]+):(.*)$/i.exec(lines[0] ?? '');
    if (!dtstart) throw new RuleError(`The schedule must start with the first meeting and its zone, e.g. DTSTART;TZID=${spec.timezone}:20260126T180000.`);
    if (dtstart[1] !== spec.timezone) throw new RuleError(`DTSTART's TZID "${dtstart[1]}" differs from the schedule's time zone "${spec.timezone}".`);
    const start = parseWallTime(dtstart[2]!.toUpperCase());
    if (lines.length !== 2 || !/^RRULE:/i.test(lines[1]!)) throw new RuleError('After DTSTART the schedule needs exactly one line saying how it repeats, e.g. RRULE:FREQ=WEEKLY.');
    const rule = parseRule(lines[1]!);
    if (!startMatchesRule(start, spec.timezone, rule)) {
      throw new RuleError(`The first meeting (DTSTART ${formatWallTime(start)}) is not one the rule produces; start on a day the rule picks.`);
    }
    return { ok: true, schedule: { start, rule, timezone: spec.timezone, durationMinutes: spec.durationMinutes } };
  } catch (error) {
    if (error instanceof RuleError) return { ok: false, field: 'rrule', message: error.message };
    throw error;
  }
}

export interface Window {
  /** Meetings still running at or starting after this instant are returned. */
  from: number;
  /** Meetings starting at or after this instant are not. */
  to: number;
  /** At most this many. */
  limit?: number;
}

/** The schedule's meetings in [from, to), soonest first. */
export function occurrences(schedule: ReadSchedule, window: Window): Occurrence[] {
  const duration = schedule.durationMinutes * 60_000;
  const limit = window.limit ?? 1000;
  if (window.to <= window.from || limit <= 0) return [];
  const rule = ruleFor(textOf(schedule));
  const out: Occurrence[] = [];
  // Meeting by meeting with next(): between() would enumerate the whole window at once, which
  // for a daily rule over decades exceeds rrule-temporal's iteration cap.
  try {
    let next = rule.next(new Date(window.from - duration), false);
    while (next && out.length < limit) {
      const start = next.epochMilliseconds;
      if (start >= window.to) break;
      out.push({ start, end: start + duration });
      next = rule.next(new Date(start), false);
    }
  } catch {
    // A rule that never matches (BYMONTH=2;BYMONTHDAY=31) exhausts rrule-temporal's search.
  }
  return out;
}

/** Reads and expands in one step; a schedule that cannot be read has no meetings. */
export function occurrencesOf(spec: Schedule, window: Window): Occurrence[] {
  const read = readSchedule(spec);
  return read.ok ? occurrences(read.schedule, window) : [];
}

/** The next `count` meeting starts at or after `from`. */
export function nextOccurrences(spec: Schedule, from: number, count: number): number[] {
  const read = readSchedule(spec);
  if (!read.ok) return [];
  const rule = ruleFor(textOf(read.schedule));
  const out: number[] = [];
  try {
    let next = rule.next(new Date(from), true);
    while (next && out.length < count) {
      out.push(next.epochMilliseconds);
      next = rule.next(new Date(next.epochMilliseconds), false);
    }
  } catch {
    // As in occurrences(): a rule that never matches has no next meeting.
  }
  return out;
}

/**
 * The first meeting the rule gives at or after `from` (a wall time in `timezone`), or null.
 * The editor and the legacy reader use it so DTSTART is always a real meeting of the rule.
 */
export function firstMeeting(from: WallTime, timezone: string, rule: RecurrenceRule): WallTime | null {
  const { count: _count, until: _until, ...open } = rule;
  try {
    const first = ruleFor(scheduleText(from, timezone, open)).all((_, i) => i < 1)[0];
    return first ? wallTimeAt(first.epochMilliseconds, timezone) : null;
  } catch {
    return null;
  }
}

export { RuleError, formatRule, parseRule, type RecurrenceRule };
