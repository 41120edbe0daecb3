// Dates and times of meetings in the member's language and time zone.
import type { TFunction } from 'i18next';
import { dateFormatter } from '../app/date-formatter';

const day = 86_400_000;

/**
 * The locale for dates and times: the browser's regional variant of the app's language
 * (en-GB rather than en, so a British member sees 18:00), or the language itself.
 */
export function dateLocale(language: string): string {
  const base = language.toLowerCase().split('-')[0];
  return navigator.languages.find((tag) => tag.toLowerCase().split('-')[0] === base) ?? language;
}

function dayKey(ms: number, timeZone?: string): string {
  return dateFormatter('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

export function formatTime(ms: number, locale: string, timeZone?: string): string {
  return dateFormatter(dateLocale(locale), { timeZone, hour: '2-digit', minute: '2-digit' }).format(ms);
}

/** "Today", "Tomorrow" or "Monday 26 January". */
export function formatDay(ms: number, now: number, locale: string, t: TFunction, timeZone?: string): string {
  if (dayKey(ms, timeZone) === dayKey(now, timeZone)) return t('meetings:today.today');
  if (dayKey(ms, timeZone) === dayKey(now + day, timeZone)) return t('meetings:today.tomorrow');
  return dateFormatter(dateLocale(locale), { timeZone, weekday: 'long', day: 'numeric', month: 'long' }).format(ms);
}

/** A full date and time, for schedule previews. */
export function formatDateTime(ms: number, locale: string, timeZone?: string): string {
  return dateFormatter(dateLocale(locale), { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(ms);
}

/** Weekday names in the member's language, Monday first (RFC 5545 order). */
export function weekdayNames(locale: string): string[] {
  // 1 January 2024 was a Monday.
  return Array.from({ length: 7 }, (_, i) => dateFormatter(locale, { weekday: 'long', timeZone: 'UTC' }).format(Date.UTC(2024, 0, 1 + i)));
}

export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
