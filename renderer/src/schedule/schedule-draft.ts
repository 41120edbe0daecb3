// What the schedule form edits, and how it maps to and from the stored schedule. The form
// covers what coops use for regular meetings (daily, weekly on some days, monthly on the
// n-th or last weekday, monthly on a date, every n days/weeks/months); a stored rule beyond
// that (from an older release or another client) is described in words and replaced only
// when the member saves.
import {
  firstMeeting,
  isKnownTimeZone,
  maxDurationMinutes,
  minDurationMinutes,
  readSchedule,
  scheduleText,
  wallTimeAt,
  type RecurrenceRule,
  type Schedule,
} from '../../../shared/schedule/schedule';
import { weekdayCodes, type Weekday } from '../../../shared/schedule/rule';

export type Kind = 'daily' | 'weekly' | 'monthly' | 'monthlyDay';
export const kinds: Kind[] = ['daily', 'weekly', 'monthly', 'monthlyDay'];
/** 1-5, or -1 for the last one of the month. */
export const ordinals = [1, 2, 3, 4, 5, -1] as const;

export interface Draft {
  kind: Kind;
  interval: number;
  /** Weekly: the days of the week. */
  weekdays: Weekday[];
  /** Monthly on a weekday: which one, and which weekday. */
  ordinal: number;
  weekday: Weekday;
  /** Monthly on a date. */
  monthDay: number;
  /** "2026-01-26": the first meeting is the first matching day from here. */
  startDate: string;
  /** "18:00". */
  time: string;
  timezone: string;
  durationMinutes: number;
  /** COUNT or UNTIL of a stored rule, kept when it is edited (the form has no fields for them). */
  end: Pick<RecurrenceRule, 'count' | 'until'>;
}

const pad = (n: number) => String(n).padStart(2, '0');

function weekdayOf(date: string): Weekday {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return weekdayCodes[(new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7]!;
}

/** A new schedule: the fourth Monday of each month at 18:00, from today, one hour (commons.hour). */
export function defaultDraft(timezone: string, now: number): Draft {
  const today = wallTimeAt(now, isKnownTimeZone(timezone) ? timezone : 'UTC');
  const startDate = `${today.year}-${pad(today.month)}-${pad(today.day)}`;
  return { kind: 'monthly', interval: 1, weekdays: [weekdayOf(startDate)], ordinal: 4, weekday: 'MO', monthDay: today.day, startDate, time: '18:00', timezone, durationMinutes: 60, end: {} };
}

/** The form's starting point for a stored schedule, and whether the form can show its rule. */
export function draftFrom(schedule: Schedule | null, fallbackZone: string, now: number): { draft: Draft; fits: boolean } {
  if (!schedule) return { draft: defaultDraft(fallbackZone, now), fits: true };
  const base = { ...defaultDraft(schedule.timezone, now), durationMinutes: schedule.durationMinutes };
  const read = readSchedule(schedule);
  if (!read.ok) return { draft: base, fits: false };
  const { start, rule } = read.schedule;
  const startDate = `${start.year}-${pad(start.month)}-${pad(start.day)}`;
  const draft: Draft = { ...base, startDate, time: `${pad(start.hour)}:${pad(start.minute)}`, interval: rule.interval, weekdays: [weekdayOf(startDate)], weekday: weekdayOf(startDate), end: { ...(rule.count !== undefined ? { count: rule.count } : {}), ...(rule.until !== undefined ? { until: rule.until } : {}) } };
  const onlyDays = rule.byDay?.every((d) => d.ordinal === undefined) ?? true;
  const extra = rule.byMonth || rule.bySetPos || rule.interval > 99;
  if (extra) return { draft: base, fits: false };
  if (rule.freq === 'DAILY' && !rule.byDay && !rule.byMonthDay) return { draft: { ...draft, kind: 'daily' }, fits: true };
  if (rule.freq === 'WEEKLY' && onlyDays) return { draft: { ...draft, kind: 'weekly', weekdays: rule.byDay ? rule.byDay.map((d) => d.weekday) : draft.weekdays }, fits: true };
  if (rule.freq === 'MONTHLY' && rule.byDay?.length === 1 && !rule.byMonthDay) {
    const [day] = rule.byDay as [{ weekday: Weekday; ordinal?: number }];
    if (day.ordinal !== undefined && (ordinals as readonly number[]).includes(day.ordinal)) return { draft: { ...draft, kind: 'monthly', ordinal: day.ordinal, weekday: day.weekday }, fits: true };
  }
  if (rule.freq === 'MONTHLY' && !rule.byDay && (rule.byMonthDay?.length ?? 1) === 1) {
    const monthDay = rule.byMonthDay?.[0] ?? start.day;
    if (monthDay > 0) return { draft: { ...draft, kind: 'monthlyDay', monthDay }, fits: true };
  }
  return { draft: base, fits: false };
}

export type DraftProblem = 'timezone' | 'days' | 'startDate' | 'time' | 'duration' | 'interval' | 'never';

function ruleOf(draft: Draft): RecurrenceRule {
  const base = { interval: draft.interval, ...draft.end };
  switch (draft.kind) {
    case 'daily':
      return { freq: 'DAILY', ...base };
    case 'weekly':
      return { freq: 'WEEKLY', ...base, byDay: [...draft.weekdays].sort((a, b) => weekdayCodes.indexOf(a) - weekdayCodes.indexOf(b)).map((weekday) => ({ weekday })) };
    case 'monthly':
      return { freq: 'MONTHLY', ...base, byDay: [{ weekday: draft.weekday, ordinal: draft.ordinal }] };
    case 'monthlyDay':
      return { freq: 'MONTHLY', ...base, byMonthDay: [draft.monthDay] };
  }
}

/** The stored schedule the draft stands for (DTSTART moved to the first real meeting), or what is wrong. */
export function scheduleFrom(draft: Draft): { ok: true; schedule: Schedule } | { ok: false; problem: DraftProblem } {
  if (!isKnownTimeZone(draft.timezone)) return { ok: false, problem: 'timezone' };
  if (!Number.isInteger(draft.durationMinutes) || draft.durationMinutes < minDurationMinutes || draft.durationMinutes > maxDurationMinutes) return { ok: false, problem: 'duration' };
  if (!Number.isInteger(draft.interval) || draft.interval < 1 || draft.interval > 99) return { ok: false, problem: 'interval' };
  if (draft.kind === 'weekly' && draft.weekdays.length === 0) return { ok: false, problem: 'days' };
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(draft.startDate);
  if (!date) return { ok: false, problem: 'startDate' };
  const time = /^(\d{2}):(\d{2})/.exec(draft.time);
  if (!time) return { ok: false, problem: 'time' };
  const rule = ruleOf(draft);
  const first = firstMeeting({ year: +date[1]!, month: +date[2]!, day: +date[3]!, hour: +time[1]!, minute: +time[2]! }, draft.timezone, rule);
  if (!first) return { ok: false, problem: 'never' };
  const schedule = { rrule: scheduleText(first, draft.timezone, rule), timezone: draft.timezone, durationMinutes: draft.durationMinutes };
  return readSchedule(schedule).ok ? { ok: true, schedule } : { ok: false, problem: 'never' };
}
