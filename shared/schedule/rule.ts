// The RRULE parts Plenary accepts (RFC 5545 §3.3.10), read into a plain object for the
// editor and the sentence, and written back in one canonical order. This is input
// validation only: expansion is rrule-temporal's (see schedule.ts). rrule-temporal silently
// drops what it does not understand (FOO=1, BYMONTHDAY=0, BYDAY=6MO), so checking here is
// what lets every problem be named to the member.

export const weekdayCodes = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof weekdayCodes)[number];
export type Frequency = 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';

export interface WeekdayRule {
  weekday: Weekday;
  /** 4 in "4MO", -1 in "-1FR"; absent for "MO". */
  ordinal?: number;
}

export interface RecurrenceRule {
  freq: Frequency;
  interval: number;
  count?: number;
  /** As written: a UTC date-time (20261231T230000Z) or a date (20261231, inclusive). */
  until?: string;
  byDay?: WeekdayRule[];
  byMonthDay?: number[];
  byMonth?: number[];
  bySetPos?: number[];
  wkst?: Weekday;
}

export class RuleError extends Error {}

const supportedParts = new Set(['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'BYDAY', 'BYMONTHDAY', 'BYMONTH', 'BYSETPOS', 'WKST']);
const timeOfDayParts = new Set(['BYHOUR', 'BYMINUTE', 'BYSECOND']);
const unsupportedParts = new Set(['BYWEEKNO', 'BYYEARDAY', 'RSCALE', 'SKIP']);

function integerList(name: string, value: string, min: number, max: number): number[] {
  return value.split(',').map((item) => {
    if (!/^[+-]?\d{1,3}$/.test(item)) throw new RuleError(`${name} value "${item}" is not a whole number.`);
    const n = Number(item);
    if (n < min || n > max || n === 0) throw new RuleError(`${name} value ${n} is outside ${min}…${max} (and not 0).`);
    return n;
  });
}

/** Splits "FREQ=…;BYDAY=…" into upper-cased parts; time-of-day parts are returned apart, for legacy rules. */
export function ruleParts(body: string): Map<string, string> {
  const text = body.trim().replace(/^RRULE:/i, '');
  if (text === '') throw new RuleError('The RRULE is empty; it needs at least FREQ, e.g. RRULE:FREQ=WEEKLY.');
  const parts = new Map<string, string>();
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new RuleError(`"${part}" is not a NAME=VALUE part of an RRULE.`);
    const name = part.slice(0, eq).toUpperCase();
    const value = part.slice(eq + 1).toUpperCase();
    if (parts.has(name)) throw new RuleError(`${name} appears twice in the RRULE.`);
    if (value === '') throw new RuleError(`${name} has no value.`);
    parts.set(name, value);
  }
  return parts;
}

/** Reads an RRULE body ("FREQ=MONTHLY;BYDAY=4MO", with or without "RRULE:"). */
export function parseRule(body: string): RecurrenceRule {
  return ruleFromParts(ruleParts(body));
}

export function ruleFromParts(parts: Map<string, string>): RecurrenceRule {
  for (const name of parts.keys()) {
    if (timeOfDayParts.has(name)) throw new RuleError(`${name} is not used: the time of day comes from DTSTART (DTSTART;TZID=Europe/Madrid:20260126T180000).`);
    if (unsupportedParts.has(name)) throw new RuleError(`${name} is not supported; use BYDAY, BYMONTHDAY, BYMONTH or BYSETPOS.`);
    if (!supportedParts.has(name)) throw new RuleError(`"${name}" is not an RRULE part.`);
  }
  const freq = parts.get('FREQ');
  if (!freq) throw new RuleError('The RRULE needs FREQ (DAILY, WEEKLY, MONTHLY or YEARLY).');
  if (!['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'].includes(freq)) throw new RuleError(`FREQ=${freq} is not supported; use DAILY, WEEKLY, MONTHLY or YEARLY.`);
  const rule: RecurrenceRule = { freq: freq as Frequency, interval: 1 };
  const interval = parts.get('INTERVAL');
  if (interval !== undefined) {
    if (!/^\d{1,3}$/.test(interval) || Number(interval) < 1) throw new RuleError(`INTERVAL=${interval} must be a whole number from 1 to 999.`);
    rule.interval = Number(interval);
  }
  const count = parts.get('COUNT');
  const until = parts.get('UNTIL');
  if (count !== undefined && until !== undefined) throw new RuleError('An RRULE may have COUNT or UNTIL, not both.');
  if (count !== undefined) {
    if (!/^\d{1,4}$/.test(count) || Number(count) < 1) throw new RuleError(`COUNT=${count} must be a whole number from 1 to 9999.`);
    rule.count = Number(count);
  }
  if (until !== undefined) {
    if (!/^\d{8}(T\d{6}Z)?$/.test(until)) throw new RuleError(`UNTIL=${until} must be a UTC time such as 20261231T230000Z or a date such as 20261231.`);
    rule.until = until;
  }
  const wkst = parts.get('WKST');
  if (wkst !== undefined) {
    if (!weekdayCodes.includes(wkst as Weekday)) throw new RuleError(`WKST=${wkst} must be a weekday code (MO, TU, WE, TH, FR, SA, SU).`);
    rule.wkst = wkst as Weekday;
  }
  const byDay = parts.get('BYDAY');
  if (byDay !== undefined) {
    rule.byDay = byDay.split(',').map((token) => {
      const m = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(token);
      if (!m) throw new RuleError(`BYDAY value "${token}" is not a weekday such as MO, 4MO or -1FR.`);
      const weekday = m[2] as Weekday;
      if (m[1] === undefined) return { weekday };
      const ordinal = Number(m[1]);
      const limit = rule.freq === 'YEARLY' && !parts.has('BYMONTH') ? 53 : 5;
      if (rule.freq === 'DAILY' || rule.freq === 'WEEKLY') throw new RuleError(`BYDAY "${token}" has an ordinal, which only MONTHLY and YEARLY rules allow.`);
      if (ordinal === 0 || Math.abs(ordinal) > limit) throw new RuleError(`BYDAY ordinal in "${token}" must be 1…${limit} or -${limit}…-1.`);
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

/** The canonical RRULE body: parts in one order, defaults (INTERVAL=1, WKST=MO) left out. */
export function formatRule(rule: RecurrenceRule): string {
  const parts = [`FREQ=${rule.freq}`];
  if (rule.interval !== 1) parts.push(`INTERVAL=${rule.interval}`);
  if (rule.count !== undefined) parts.push(`COUNT=${rule.count}`);
  if (rule.until !== undefined) parts.push(`UNTIL=${rule.until}`);
  if (rule.byDay?.length) parts.push(`BYDAY=${rule.byDay.map((d) => `${d.ordinal ?? ''}${d.weekday}`).join(',')}`);
  if (rule.byMonthDay?.length) parts.push(`BYMONTHDAY=${rule.byMonthDay.join(',')}`);
  if (rule.byMonth?.length) parts.push(`BYMONTH=${rule.byMonth.join(',')}`);
  if (rule.bySetPos?.length) parts.push(`BYSETPOS=${rule.bySetPos.join(',')}`);
  if (rule.wkst !== undefined && rule.wkst !== 'MO') parts.push(`WKST=${rule.wkst}`);
  return parts.join(';');
}
