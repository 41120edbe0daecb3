// A circle's meeting schedule: an RFC 5545 recurrence rule (RFC 5545 section 3.3.10) read in
// the circle's time zone, with a duration. Plenary understands the subset coops use for
// regular meetings and says clearly when a rule goes beyond it:
//   FREQ=DAILY | WEEKLY | MONTHLY, INTERVAL=1,
//   BYDAY (weekly: MO..SU; monthly: with an ordinal such as 4MO or -1FR),
//   BYMONTHDAY (monthly), BYHOUR and BYMINUTE (one value each; default 00:00), UNTIL.
// Example: commons.hour, "fourth Monday of each month at 18:00 UTC", is
//   FREQ=MONTHLY;BYDAY=4MO;BYHOUR=18;BYMINUTE=0 in time zone UTC.
import type { Schedule } from './operation-types';
import { zonedTimeToUtc, wallTimeIn } from './time-zones';

const weekdays = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;

export interface RecurrenceRule {
  freq: 'DAILY' | 'WEEKLY' | 'MONTHLY';
  byDay: { weekday: number; ordinal: number | null }[];
  byMonthDay: number[];
  hour: number;
  minute: number;
  until: number | null;
}

export type RuleParse = { ok: true; rule: RecurrenceRule } | { ok: false; problem: string };

function integer(text: string, min: number, max: number): number | null {
  if (!/^[+-]?\d{1,4}$/.test(text)) return null;
  const value = Number(text);
  return value >= min && value <= max ? value : null;
}

export function parseRecurrenceRule(text: string): RuleParse {
  const body = text.trim().replace(/^RRULE:/, '');
  const parts = new Map<string, string>();
  for (const part of body.split(';')) {
    const [key, value, ...rest] = part.split('=');
    if (!key || value === undefined || rest.length > 0 || value === '') return { ok: false, problem: `"${part}" is not NAME=VALUE` };
    if (parts.has(key)) return { ok: false, problem: `${key} appears twice` };
    parts.set(key, value);
  }
  const freq = parts.get('FREQ');
  if (freq !== 'DAILY' && freq !== 'WEEKLY' && freq !== 'MONTHLY') return { ok: false, problem: 'FREQ must be DAILY, WEEKLY or MONTHLY' };
  const rule: RecurrenceRule = { freq, byDay: [], byMonthDay: [], hour: 0, minute: 0, until: null };
  for (const [key, value] of parts) {
    switch (key) {
      case 'FREQ':
        break;
      case 'INTERVAL':
        if (value !== '1') return { ok: false, problem: 'only INTERVAL=1 is supported' };
        break;
      case 'BYDAY':
        for (const item of value.split(',')) {
          const m = /^([+-]?\d)?(SU|MO|TU|WE|TH|FR|SA)$/.exec(item);
          if (!m) return { ok: false, problem: `BYDAY value "${item}" is not a weekday like MO or 4MO` };
          const ordinal = m[1] === undefined ? null : Number(m[1]);
          if (ordinal !== null && (freq !== 'MONTHLY' || ordinal === 0 || Math.abs(ordinal) > 5)) {
            return { ok: false, problem: `BYDAY "${item}": ordinals (1 to 5, or -1 to -5) only go with FREQ=MONTHLY` };
          }
          rule.byDay.push({ weekday: weekdays.indexOf(m[2] as (typeof weekdays)[number]), ordinal });
        }
        break;
      case 'BYMONTHDAY':
        if (freq !== 'MONTHLY') return { ok: false, problem: 'BYMONTHDAY only goes with FREQ=MONTHLY' };
        for (const item of value.split(',')) {
          const day = integer(item, -31, 31);
          if (day === null || day === 0) return { ok: false, problem: `BYMONTHDAY value "${item}" must be 1 to 31 or -1 to -31` };
          rule.byMonthDay.push(day);
        }
        break;
      case 'BYHOUR': {
        const hour = integer(value, 0, 23);
        if (hour === null) return { ok: false, problem: 'BYHOUR must be one hour, 0 to 23' };
        rule.hour = hour;
        break;
      }
      case 'BYMINUTE': {
        const minute = integer(value, 0, 59);
        if (minute === null) return { ok: false, problem: 'BYMINUTE must be one minute, 0 to 59' };
        rule.minute = minute;
        break;
      }
      case 'UNTIL': {
        const m = /^(\d{4})(\d{2})(\d{2})(T(\d{2})(\d{2})(\d{2})Z)?$/.exec(value);
        if (!m) return { ok: false, problem: 'UNTIL must look like 20271231 or 20271231T235959Z' };
        rule.until = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[5] ?? 23), Number(m[6] ?? 59), Number(m[7] ?? 59));
        break;
      }
      default:
        return { ok: false, problem: `${key} is not supported (supported: FREQ, INTERVAL=1, BYDAY, BYMONTHDAY, BYHOUR, BYMINUTE, UNTIL)` };
    }
  }
  if (rule.freq === 'MONTHLY' && rule.byDay.length === 0 && rule.byMonthDay.length === 0) {
    return { ok: false, problem: 'a monthly rule needs BYDAY (such as 4MO) or BYMONTHDAY' };
  }
  if (rule.freq === 'MONTHLY' && rule.byDay.some((d) => d.ordinal === null)) {
    return { ok: false, problem: 'a monthly BYDAY needs an ordinal, such as 1MO or -1FR' };
  }
  return { ok: true, rule };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function matchesDate(rule: RecurrenceRule, year: number, month: number, day: number): boolean {
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  if (rule.freq === 'DAILY') return rule.byDay.length === 0 || rule.byDay.some((d) => d.weekday === weekday);
  // A weekly rule without BYDAY would need a start date to know its weekday (refused by scheduleProblem).
  if (rule.freq === 'WEEKLY') return rule.byDay.some((d) => d.weekday === weekday);
  const length = daysInMonth(year, month);
  if (rule.byMonthDay.some((d) => (d > 0 ? d === day : length + d + 1 === day))) return true;
  const fromStart = Math.ceil(day / 7);
  const fromEnd = -Math.ceil((length - day + 1) / 7);
  return rule.byDay.some((d) => d.weekday === weekday && (d.ordinal === fromStart || d.ordinal === fromEnd));
}

/** The next `count` meeting start instants at or after `from` (none for an unusable rule). */
export function nextOccurrences(schedule: Schedule, from: number, count: number): number[] {
  const parsed = parseRecurrenceRule(schedule.rrule);
  if (!parsed.ok) return [];
  const rule = parsed.rule;
  const start = wallTimeIn(schedule.timezone, from);
  const out: number[] = [];
  // Walk calendar days in the schedule's zone; two years covers any supported rule.
  for (let offset = 0; offset < 800 && out.length < count; offset++) {
    const date = new Date(Date.UTC(start.year, start.month - 1, start.day + offset));
    const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    if (!matchesDate(rule, y, m, d)) continue;
    const instant = zonedTimeToUtc(schedule.timezone, y, m, d, rule.hour, rule.minute);
    if (rule.until !== null && instant > rule.until) break;
    if (instant >= from) out.push(instant);
  }
  return out;
}

/** Why a schedule cannot be used here, or null. */
export function scheduleProblem(schedule: Schedule): string | null {
  const parsed = parseRecurrenceRule(schedule.rrule);
  if (!parsed.ok) return parsed.problem;
  if (parsed.rule.freq === 'WEEKLY' && parsed.rule.byDay.length === 0) return 'a weekly rule needs BYDAY, such as BYDAY=TU';
  return null;
}
