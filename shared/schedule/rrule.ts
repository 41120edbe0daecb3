// A circle's meeting schedule as RFC 5545 text ("DTSTART:…" and "RRULE:…" lines) in an
// IANA time zone, and its expansion into occurrences. Implemented here, without a calendar
// library, for the parts circles use: FREQ DAILY/WEEKLY/MONTHLY/YEARLY, INTERVAL, COUNT,
// UNTIL, BYDAY (with ordinals such as 4MO or -1FR), BYMONTHDAY, BYMONTH, BYSETPOS, WKST.
// Occurrences are computed on the wall clock of the schedule's zone (so 18:00 stays 18:00
// across daylight-saving changes) and returned as instants; the UI shows them in local time.
//
// As in python-dateutil and rrule.js, DTSTART is the first occurrence only when it matches
// the rule (RFC 5545 leaves the unsynchronised case undefined).
import {
  dateOfDayNumber,
  dayNumber,
  daysInMonth,
  fromZoned,
  isValidTimeZone,
  isoWeekday,
  toZoned,
  wallMs,
  type LocalDateTime,
} from './zoned-time';

export type Frequency = 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';

export interface WeekdayRule {
  /** 0 = Monday … 6 = Sunday. */
  weekday: number;
  /** 4 in "4MO", -1 in "-1FR"; absent for "MO". */
  ordinal?: number;
}

export type Until = { kind: 'utc'; instant: number } | { kind: 'local'; local: LocalDateTime };

export interface RecurrenceRule {
  freq: Frequency;
  interval: number;
  count?: number;
  until?: Until;
  byDay?: WeekdayRule[];
  byMonthDay?: number[];
  byMonth?: number[];
  bySetPos?: number[];
  wkst: number;
}

/** What a circle stores (the governance `schedule` field). */
export interface ScheduleSpec {
  /** "DTSTART:20260126T180000\nRRULE:FREQ=MONTHLY;BYDAY=4MO" (DTSTART in `timezone`). */
  rrule: string;
  /** IANA zone name, e.g. "UTC" or "Europe/Madrid". */
  timezone: string;
  durationMinutes: number;
}

export interface ParsedSchedule {
  start: LocalDateTime;
  /** null for a one-off meeting (DTSTART only). */
  rule: RecurrenceRule | null;
  timezone: string;
  durationMinutes: number;
}

export interface Occurrence {
  start: number;
  end: number;
}

export type ScheduleField = 'rrule' | 'timezone' | 'durationMinutes';
export type ParseResult = { ok: true; schedule: ParsedSchedule } | { ok: false; field: ScheduleField; message: string };

export const weekdayCodes = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export const maxScheduleTextLength = 1000;
const supportedParts = new Set(['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'BYDAY', 'BYMONTHDAY', 'BYMONTH', 'BYSETPOS', 'WKST']);
const knownUnsupported = new Set(['BYHOUR', 'BYMINUTE', 'BYSECOND', 'BYWEEKNO', 'BYYEARDAY', 'RSCALE', 'SKIP']);

class RuleError extends Error {}

function integerList(name: string, value: string, min: number, max: number, allowZero = false): number[] {
  const items = value.split(',');
  return items.map((item) => {
    if (!/^[+-]?\d{1,3}$/.test(item)) throw new RuleError(`${name} value "${item}" is not a whole number.`);
    const n = Number(item);
    if (n < min || n > max || (!allowZero && n === 0)) throw new RuleError(`${name} value ${n} is outside ${min}…${max}${allowZero ? '' : ' (and not 0)'}.`);
    return n;
  });
}

/** "20260126T180000", "20260126T180000Z" or "20260126". */
function parseDateTime(name: string, text: string): { local: LocalDateTime; utc: boolean; dateOnly: boolean } {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(text);
  if (!m) throw new RuleError(`${name} "${text}" is not a date-time like 20260126T180000.`);
  const local = { year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +(m[4] ?? 0), minute: +(m[5] ?? 0), second: +(m[6] ?? 0) };
  if (local.month < 1 || local.month > 12 || local.day < 1 || local.day > daysInMonth(local.year, local.month)) {
    throw new RuleError(`${name} "${text}" is not a real calendar date.`);
  }
  if (local.hour > 23 || local.minute > 59 || local.second > 59) throw new RuleError(`${name} "${text}" is not a real time of day.`);
  return { local, utc: m[7] === 'Z', dateOnly: m[4] === undefined };
}

export function parseRule(text: string): RecurrenceRule {
  const body = text.replace(/^RRULE:/i, '');
  if (body === '') throw new RuleError('The RRULE is empty; it needs at least FREQ, e.g. FREQ=WEEKLY.');
  const parts = new Map<string, string>();
  for (const part of body.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new RuleError(`"${part}" is not a NAME=VALUE part of an RRULE.`);
    const name = part.slice(0, eq).toUpperCase();
    const value = part.slice(eq + 1).toUpperCase();
    if (knownUnsupported.has(name)) throw new RuleError(`${name} is not supported; put the time of day in DTSTART and use BYDAY, BYMONTHDAY or BYMONTH.`);
    if (!supportedParts.has(name)) throw new RuleError(`"${name}" is not an RRULE part.`);
    if (parts.has(name)) throw new RuleError(`${name} appears twice in the RRULE.`);
    if (value === '') throw new RuleError(`${name} has no value.`);
    parts.set(name, value);
  }
  const freq = parts.get('FREQ');
  if (!freq) throw new RuleError('The RRULE needs FREQ (DAILY, WEEKLY, MONTHLY or YEARLY).');
  if (!['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'].includes(freq)) {
    throw new RuleError(`FREQ=${freq} is not supported; use DAILY, WEEKLY, MONTHLY or YEARLY.`);
  }
  const rule: RecurrenceRule = { freq: freq as Frequency, interval: 1, wkst: 0 };
  const interval = parts.get('INTERVAL');
  if (interval !== undefined) {
    if (!/^\d{1,4}$/.test(interval) || Number(interval) < 1) throw new RuleError(`INTERVAL=${interval} must be a whole number from 1.`);
    rule.interval = Number(interval);
  }
  const count = parts.get('COUNT');
  const until = parts.get('UNTIL');
  if (count !== undefined && until !== undefined) throw new RuleError('An RRULE may have COUNT or UNTIL, not both.');
  if (count !== undefined) {
    if (!/^\d{1,5}$/.test(count) || Number(count) < 1) throw new RuleError(`COUNT=${count} must be a whole number from 1.`);
    rule.count = Number(count);
  }
  if (until !== undefined) {
    const parsed = parseDateTime('UNTIL', until);
    if (parsed.utc) rule.until = { kind: 'utc', instant: Date.UTC(parsed.local.year, parsed.local.month - 1, parsed.local.day, parsed.local.hour, parsed.local.minute, parsed.local.second) };
    // A DATE UNTIL includes its whole day.
    else rule.until = { kind: 'local', local: parsed.dateOnly ? { ...parsed.local, hour: 23, minute: 59, second: 59 } : parsed.local };
  }
  const wkst = parts.get('WKST');
  if (wkst !== undefined) {
    const index = weekdayCodes.indexOf(wkst as (typeof weekdayCodes)[number]);
    if (index < 0) throw new RuleError(`WKST=${wkst} must be a weekday code (MO, TU, WE, TH, FR, SA, SU).`);
    rule.wkst = index;
  }
  const byDay = parts.get('BYDAY');
  if (byDay !== undefined) {
    rule.byDay = byDay.split(',').map((token) => {
      const m = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(token);
      if (!m) throw new RuleError(`BYDAY value "${token}" is not a weekday such as MO, 4MO or -1FR.`);
      const weekday = weekdayCodes.indexOf(m[2] as (typeof weekdayCodes)[number]);
      if (m[1] === undefined) return { weekday };
      const ordinal = Number(m[1]);
      const limit = rule.freq === 'YEARLY' && !parts.has('BYMONTH') ? 53 : 5;
      if (ordinal === 0 || Math.abs(ordinal) > limit) throw new RuleError(`BYDAY ordinal in "${token}" must be 1…${limit} or -${limit}…-1.`);
      if (rule.freq === 'DAILY' || rule.freq === 'WEEKLY') throw new RuleError(`BYDAY "${token}" has an ordinal, which only MONTHLY and YEARLY rules allow.`);
      return { weekday, ordinal };
    });
  }
  const byMonthDay = parts.get('BYMONTHDAY');
  if (byMonthDay !== undefined) {
    if (rule.freq === 'WEEKLY') throw new RuleError('BYMONTHDAY cannot be used with FREQ=WEEKLY.');
    rule.byMonthDay = integerList('BYMONTHDAY', byMonthDay, -31, 31);
  }
  const byMonth = parts.get('BYMONTH');
  if (byMonth !== undefined) rule.byMonth = integerList('BYMONTH', byMonth, 1, 12);
  const bySetPos = parts.get('BYSETPOS');
  if (bySetPos !== undefined) {
    if (!rule.byDay && !rule.byMonthDay && !rule.byMonth) throw new RuleError('BYSETPOS needs another BYxxx part (such as BYDAY) to pick from.');
    rule.bySetPos = integerList('BYSETPOS', bySetPos, -366, 366);
  }
  return rule;
}

/** Validates a schedule and reads its DTSTART and RRULE; every problem names its field. */
export function parseSchedule(spec: ScheduleSpec): ParseResult {
  if (!isValidTimeZone(spec.timezone)) {
    return { ok: false, field: 'timezone', message: `"${spec.timezone}" is not a known time zone; use an IANA name such as Europe/Madrid or UTC.` };
  }
  if (!Number.isInteger(spec.durationMinutes) || spec.durationMinutes < 1 || spec.durationMinutes > 24 * 60) {
    return { ok: false, field: 'durationMinutes', message: 'The duration must be a whole number of minutes from 1 to 1440.' };
  }
  if (spec.rrule.length > maxScheduleTextLength) return { ok: false, field: 'rrule', message: `The schedule text is longer than ${maxScheduleTextLength} characters.` };
  try {
    let start: LocalDateTime | null = null;
    let rule: RecurrenceRule | null = null;
    for (const rawLine of spec.rrule.split(/\r?\n/)) {
      const line = rawLine.trim();
      if (line === '') continue;
      const dtstart = /^DTSTART(?:;TZID=([^:;]+))?:(.+)$/i.exec(line);
      if (dtstart) {
        if (start) throw new RuleError('DTSTART appears twice.');
        if (dtstart[1] !== undefined && dtstart[1] !== spec.timezone) {
          throw new RuleError(`DTSTART's TZID "${dtstart[1]}" differs from the schedule's time zone "${spec.timezone}".`);
        }
        const parsed = parseDateTime('DTSTART', dtstart[2]!.toUpperCase());
        if (parsed.dateOnly) throw new RuleError('DTSTART needs a time of day, e.g. 20260126T180000.');
        start = parsed.utc ? toZoned(Date.UTC(parsed.local.year, parsed.local.month - 1, parsed.local.day, parsed.local.hour, parsed.local.minute, parsed.local.second), spec.timezone) : parsed.local;
      } else if (/^RRULE:/i.test(line)) {
        if (rule) throw new RuleError('Only one RRULE line is supported.');
        rule = parseRule(line);
      } else {
        throw new RuleError(`"${line.slice(0, 40)}" is neither a DTSTART nor an RRULE line.`);
      }
    }
    if (!start) throw new RuleError('The schedule needs a DTSTART line with the first meeting, e.g. DTSTART:20260126T180000.');
    return { ok: true, schedule: { start, rule, timezone: spec.timezone, durationMinutes: spec.durationMinutes } };
  } catch (error) {
    if (error instanceof RuleError) return { ok: false, field: 'rrule', message: error.message };
    throw error;
  }
}

function nthWeekdayDays(weekday: number, ordinal: number | undefined, firstDay: number, lastDay: number): number[] {
  const firstWeekday = (((firstDay + 3) % 7) + 7) % 7;
  const first = firstDay + ((weekday - firstWeekday + 7) % 7);
  const all: number[] = [];
  for (let d = first; d <= lastDay; d += 7) all.push(d);
  if (ordinal === undefined) return all;
  const picked = ordinal > 0 ? all[ordinal - 1] : all[all.length + ordinal];
  return picked === undefined ? [] : [picked];
}

function monthDays(rule: RecurrenceRule, start: LocalDateTime, year: number, month: number): number[] {
  const first = dayNumber(year, month, 1);
  const length = daysInMonth(year, month);
  const last = first + length - 1;
  if (rule.byMonthDay) {
    const days = rule.byMonthDay.map((d) => (d > 0 ? d : length + d + 1)).filter((d) => d >= 1 && d <= length).map((d) => first + d - 1);
    if (!rule.byDay) return days;
    const allowed = new Set(rule.byDay.flatMap((r) => nthWeekdayDays(r.weekday, r.ordinal, first, last)));
    return days.filter((d) => allowed.has(d));
  }
  if (rule.byDay) return rule.byDay.flatMap((r) => nthWeekdayDays(r.weekday, r.ordinal, first, last));
  return start.day <= length ? [first + start.day - 1] : [];
}

/** Candidate days (day numbers) of the k-th period after DTSTART's, before BYSETPOS. */
function periodDays(rule: RecurrenceRule, start: LocalDateTime, startDay: number, k: number): { days: number[]; periodStart: number } {
  const step = k * rule.interval;
  const inMonths = (d: number) => !rule.byMonth || rule.byMonth.includes(dateOfDayNumber(d).month);
  switch (rule.freq) {
    case 'DAILY': {
      const d = startDay + step;
      const date = dateOfDayNumber(d);
      const length = daysInMonth(date.year, date.month);
      const ok =
        inMonths(d) &&
        (!rule.byMonthDay || rule.byMonthDay.some((m) => (m > 0 ? m : length + m + 1) === date.day)) &&
        (!rule.byDay || rule.byDay.some((r) => r.weekday === isoWeekday(date.year, date.month, date.day)));
      return { days: ok ? [d] : [], periodStart: d };
    }
    case 'WEEKLY': {
      const weekStart = startDay - ((isoWeekday(start.year, start.month, start.day) - rule.wkst + 7) % 7) + 7 * step;
      const weekdays = rule.byDay ? rule.byDay.map((r) => r.weekday) : [isoWeekday(start.year, start.month, start.day)];
      const days = weekdays.map((w) => weekStart + ((w - rule.wkst + 7) % 7)).filter(inMonths);
      return { days, periodStart: weekStart };
    }
    case 'MONTHLY': {
      const index = start.year * 12 + (start.month - 1) + step;
      const year = Math.floor(index / 12);
      const month = (index % 12) + 1;
      const periodStart = dayNumber(year, month, 1);
      if (rule.byMonth && !rule.byMonth.includes(month)) return { days: [], periodStart };
      return { days: monthDays(rule, start, year, month), periodStart };
    }
    case 'YEARLY': {
      const year = start.year + step;
      const periodStart = dayNumber(year, 1, 1);
      if (rule.byMonth) return { days: rule.byMonth.flatMap((m) => monthDays(rule, start, year, m)), periodStart };
      if (rule.byMonthDay) return { days: Array.from({ length: 12 }, (_, i) => monthDays(rule, start, year, i + 1)).flat(), periodStart };
      if (rule.byDay) {
        return { days: rule.byDay.flatMap((r) => nthWeekdayDays(r.weekday, r.ordinal, periodStart, dayNumber(year, 12, 31))), periodStart };
      }
      return { days: start.day <= daysInMonth(year, start.month) ? [dayNumber(year, start.month, start.day)] : [], periodStart };
    }
  }
}

function applySetPos(days: number[], positions: number[] | undefined): number[] {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  if (!positions) return sorted;
  const picked = positions.map((p) => (p > 0 ? sorted[p - 1] : sorted[sorted.length + p])).filter((d): d is number => d !== undefined);
  return [...new Set(picked)].sort((a, b) => a - b);
}

export interface ExpandOptions {
  /** Occurrences still running at or starting after this instant are returned. */
  from: number;
  /** Occurrences starting at or after this instant are not. */
  to: number;
  /** At most this many occurrences. */
  limit?: number;
}

/**
 * Without COUNT, periods that end well before `from` cannot contribute, so expansion starts
 * a little before it instead of at DTSTART (a weekly meeting since 2019 costs the same as
 * one from last week). With COUNT every earlier occurrence must be counted.
 */
function firstUsefulPeriod(rule: RecurrenceRule, start: LocalDateTime, startDay: number, from: number): number {
  if (rule.count !== undefined) return 0;
  // Two days of margin cover any time zone offset and a meeting running past midnight.
  const fromDay = Math.floor(from / 86_400_000) - 2;
  const fromDate = dateOfDayNumber(fromDay);
  let periods: number;
  switch (rule.freq) {
    case 'DAILY':
      periods = Math.floor((fromDay - startDay) / rule.interval);
      break;
    case 'WEEKLY':
      periods = Math.floor((fromDay - startDay) / (7 * rule.interval)) - 1;
      break;
    case 'MONTHLY':
      periods = Math.floor((fromDate.year * 12 + fromDate.month - (start.year * 12 + start.month)) / rule.interval) - 1;
      break;
    case 'YEARLY':
      periods = Math.floor((fromDate.year - start.year) / rule.interval) - 1;
      break;
  }
  return Math.max(0, periods);
}

/** Safety bound: a rule that never matches (BYMONTHDAY=31;BYMONTH=2) stops here. */
const maxPeriods = 100_000;

/** The schedule's occurrences in [from, to), in order, as instants. */
export function expandSchedule(schedule: ParsedSchedule, options: ExpandOptions): Occurrence[] {
  const { start, rule, timezone, durationMinutes } = schedule;
  const duration = durationMinutes * 60_000;
  const limit = options.limit ?? 1000;
  const out: Occurrence[] = [];
  const emit = (local: LocalDateTime): void => {
    // Clocks run at most 12 h behind UTC, so a wall time this early cannot reach the window;
    // skipping it saves the time zone lookup for the many occurrences before `from`.
    if (wallMs(local) + 12 * 3_600_000 + duration <= options.from) return;
    const instant = fromZoned(local, timezone);
    if (instant + duration > options.from && instant < options.to) out.push({ start: instant, end: instant + duration });
  };
  if (!rule) {
    emit(start);
    return out;
  }
  const startWall = wallMs(start);
  const startDay = dayNumber(start.year, start.month, start.day);
  let emitted = 0;
  for (let k = firstUsefulPeriod(rule, start, startDay, options.from); k < maxPeriods; k++) {
    const { days, periodStart } = periodDays(rule, start, startDay, k);
    // Wall time runs at most 14 h ahead of UTC, so a period whose first day starts over a
    // day after `to` cannot hold an occurrence before it.
    if (periodStart * 86_400_000 > options.to + 86_400_000) break;
    for (const day of applySetPos(days, rule.bySetPos)) {
      const local = { ...dateOfDayNumber(day), hour: start.hour, minute: start.minute, second: start.second };
      if (wallMs(local) < startWall) continue;
      if (rule.until) {
        const wall = wallMs(local);
        const beyond =
          rule.until.kind === 'local'
            ? wall > wallMs(rule.until.local)
            : wall - 14 * 3_600_000 > rule.until.instant || (wall + 12 * 3_600_000 > rule.until.instant && fromZoned(local, timezone) > rule.until.instant);
        if (beyond) return out;
      }
      emit(local);
      emitted++;
      if (out.length >= limit || (rule.count !== undefined && emitted >= rule.count)) return out;
    }
  }
  return out;
}

/** Parses and expands in one step; invalid schedules have no occurrences. */
export function occurrencesOf(spec: ScheduleSpec, options: ExpandOptions): Occurrence[] {
  const parsed = parseSchedule(spec);
  return parsed.ok ? expandSchedule(parsed.schedule, options) : [];
}

/** DTSTART in the compact form RFC 5545 uses: 20260126T180000. */
export function formatLocalDateTime(local: LocalDateTime): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(local.year, 4)}${p(local.month)}${p(local.day)}T${p(local.hour)}${p(local.minute)}${p(local.second)}`;
}

/** Builds the stored text from a first meeting and a rule body ("FREQ=MONTHLY;BYDAY=4MO"). */
export function scheduleText(start: LocalDateTime, ruleBody: string | null): string {
  const dtstart = `DTSTART:${formatLocalDateTime(start)}`;
  return ruleBody ? `${dtstart}\nRRULE:${ruleBody.replace(/^RRULE:/i, '')}` : dtstart;
}
