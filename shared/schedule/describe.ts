// A schedule in one sentence, in the member's language: "Every month on the fourth Monday at
// 18:00 UTC, 2 hr (next for you: Mon 23 Nov, 19:00 Europe/Madrid)". Words come from the
// "schedule" namespace (describe.*), passed in as `t` so this stays plain TypeScript;
// weekday and month names, times, lists and units come from Intl in the same locale.
import { nextOccurrences, scheduleText, type ReadSchedule } from './schedule';
import { weekdayCodes, type RecurrenceRule, type Weekday } from './rule';

export type Translate = (key: string, options?: Record<string, string | number>) => string;

export interface DescribeOptions {
  t: Translate;
  /** For Intl: the interface language, or its regional variant (en-GB shows 18:00). */
  locale: string;
  /** The member's own zone; when it differs, the next meeting is also given in it. */
  viewerZone?: string;
  /** Now, for "next for you". */
  now?: number;
}

/** Weekday names, Monday first; 5 January 2026 was a Monday. */
export function weekdayName(code: Weekday, locale: string, width: 'long' | 'short' = 'long'): string {
  return new Intl.DateTimeFormat(locale, { weekday: width, timeZone: 'UTC' }).format(Date.UTC(2026, 0, 5 + weekdayCodes.indexOf(code)));
}

/** "1 hr 30 min", "2 時間". */
export function formatDuration(minutes: number, locale: string): string {
  const unit = (value: number, name: 'hour' | 'minute') => new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'short' }).format(value);
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return [hours > 0 ? unit(hours, 'hour') : null, rest > 0 || hours === 0 ? unit(rest, 'minute') : null].filter((p) => p !== null).join(' ');
}

/** The rule alone ("Every 2 weeks on Monday and Thursday"), or null when it needs the raw text. */
function rulePhrase(schedule: ReadSchedule, t: Translate, locale: string): string | null {
  const { rule, start } = schedule;
  const count = rule.interval;
  // "Every week" and "Every 2 weeks" are separate sentences: Japanese has no plural forms to tell them apart.
  const key = (name: string) => `describe.${name}${count > 1 ? 'Interval' : ''}`;
  const startWeekday = weekdayCodes[(new Date(Date.UTC(start.year, start.month - 1, start.day)).getUTCDay() + 6) % 7]!;
  if (rule.bySetPos?.length) return null;
  const plainDays = rule.byDay?.every((d) => d.ordinal === undefined) ?? true;
  const days = (codes: Weekday[]) => new Intl.ListFormat(locale, { type: 'conjunction' }).format(codes.map((c) => weekdayName(c, locale)));
  switch (rule.freq) {
    case 'DAILY':
      if (rule.byMonthDay || rule.byMonth) return null;
      if (rule.byDay) return count === 1 && plainDays ? t(key('weekly'), { count, days: days(sortedDays(rule)) }) : null;
      return t(key('daily'), { count });
    case 'WEEKLY':
      if (rule.byMonth) return null;
      return t(key('weekly'), { count, days: days(rule.byDay ? sortedDays(rule) : [startWeekday]) });
    case 'MONTHLY': {
      if (rule.byMonth) return null;
      if (rule.byDay && !rule.byMonthDay) {
        const [only, ...more] = rule.byDay;
        if (more.length > 0 || only!.ordinal === undefined || only!.ordinal < -1) return null;
        const ordinal = t(`describe.ordinal.${only!.ordinal === -1 ? 'last' : only!.ordinal}`);
        return t(key('monthlyWeekday'), { count, ordinal, weekday: weekdayName(only!.weekday, locale) });
      }
      if (rule.byDay) return null;
      const monthDays = rule.byMonthDay ?? [start.day];
      if (monthDays.length !== 1 || monthDays[0]! < 1) return null;
      return t(key('monthlyDay'), { count, day: monthDays[0]! });
    }
    case 'YEARLY': {
      if (rule.byDay || (rule.byMonth?.length ?? 1) !== 1 || (rule.byMonthDay?.length ?? 1) !== 1) return null;
      const month = rule.byMonth?.[0] ?? start.month;
      const day = rule.byMonthDay?.[0] ?? start.day;
      if (day < 1) return null;
      const date = new Intl.DateTimeFormat(locale, { month: 'long', day: 'numeric', timeZone: 'UTC' }).format(Date.UTC(2024, month - 1, day));
      return t(key('yearly'), { count, date });
    }
  }
}

function sortedDays(rule: RecurrenceRule): Weekday[] {
  return [...new Set(rule.byDay!.map((d) => d.weekday))].sort((a, b) => weekdayCodes.indexOf(a) - weekdayCodes.indexOf(b));
}

function untilText(until: string, zone: string, locale: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z)?$/.exec(until)!;
  const utc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 12), +(m[5] ?? 0));
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: m[4] === undefined ? 'UTC' : zone }).format(utc);
}

export function describeSchedule(schedule: ReadSchedule, options: DescribeOptions): string {
  const { t, locale } = options;
  const zone = schedule.timezone;
  const rule = rulePhrase(schedule, t, locale) ?? t('describe.custom', { rule: scheduleText(schedule.start, zone, schedule.rule).split('\n')[1]! });
  const { hour, minute } = schedule.start;
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }).format(Date.UTC(2026, 0, 5, hour, minute));
  let sentence = t('describe.sentence', { rule, time, zone, duration: formatDuration(schedule.durationMinutes, locale) });
  const { count, until } = schedule.rule;
  if (count !== undefined) sentence = t('describe.withEnd', { sentence, end: t('describe.endCount', { count }) });
  else if (until !== undefined) sentence = t('describe.withEnd', { sentence, end: t('describe.endUntil', { date: untilText(until, zone, locale) }) });
  if (options.viewerZone && options.viewerZone !== zone) {
    const spec = { rrule: scheduleText(schedule.start, zone, schedule.rule), timezone: zone, durationMinutes: schedule.durationMinutes };
    const [next] = nextOccurrences(spec, options.now ?? Date.now(), 1);
    if (next !== undefined) {
      const when = new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: options.viewerZone }).format(next);
      sentence = t('describe.forYou', { sentence, when, zone: options.viewerZone });
    }
  }
  return sentence;
}
