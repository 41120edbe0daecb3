// The schedule in one sentence, in English and Japanese (and a check that every locale has
// the words): ordinals including "last", weekly days, daily, monthly by date, intervals,
// COUNT and UNTIL, and the next meeting in the member's zone when it differs.
import { describe, expect, it } from 'vitest';
import { describeSchedule, formatDuration } from '../../shared/schedule/describe';
import { readSchedule, type ReadSchedule } from '../../shared/schedule/schedule';
import { createTranslator } from '../../main/core/i18n/translator';
import { supportedLocales } from '../../shared/locales';

function read(rrule: string, timezone = 'UTC', durationMinutes = 120): ReadSchedule {
  const result = readSchedule({ rrule, timezone, durationMinutes });
  if (!result.ok) throw new Error(result.message);
  return result.schedule;
}

const say = (locale: 'en' | 'ja', intl: string, schedule: ReadSchedule, viewerZone?: string) =>
  describeSchedule(schedule, { t: createTranslator(locale, 'schedule'), locale: intl, ...(viewerZone ? { viewerZone, now: Date.UTC(2026, 10, 22) } : {}) });

describe('the schedule sentence', () => {
  it('says commons.hour in English and Japanese', () => {
    const commons = read('DTSTART;TZID=UTC:20260126T180000\nRRULE:FREQ=MONTHLY;BYDAY=4MO');
    expect(say('en', 'en-GB', commons)).toBe('Every month on the fourth Monday at 18:00 UTC, 2 hrs');
    expect(say('ja', 'ja', commons)).toBe('毎月第4月曜日 18:00（UTC）、2 時間');
  });

  it('says the last weekday, weekly days, daily, monthly by date and intervals', () => {
    expect(say('en', 'en-GB', read('DTSTART;TZID=Europe/Madrid:20260130T180000\nRRULE:FREQ=MONTHLY;BYDAY=-1FR', 'Europe/Madrid', 90))).toBe('Every month on the last Friday at 18:00 Europe/Madrid, 1 hr 30 mins');
    expect(say('en', 'en-GB', read('DTSTART;TZID=UTC:20260105T093000\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH,MO', 'UTC', 45))).toBe('Every 2 weeks on Monday and Thursday at 09:30 UTC, 45 mins');
    expect(say('en', 'en-GB', read('DTSTART;TZID=UTC:20260105T093000\nRRULE:FREQ=DAILY'))).toBe('Every day at 09:30 UTC, 2 hrs');
    expect(say('en', 'en-GB', read('DTSTART;TZID=UTC:20260105T093000\nRRULE:FREQ=DAILY;INTERVAL=3'))).toBe('Every 3 days at 09:30 UTC, 2 hrs');
    expect(say('en', 'en-GB', read('DTSTART;TZID=UTC:20260115T093000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=15'))).toBe('Every month on day 15 at 09:30 UTC, 2 hrs');
    expect(say('en', 'en-GB', read('DTSTART;TZID=UTC:20260129T180000\nRRULE:FREQ=MONTHLY;INTERVAL=3;BYDAY=5TH'))).toBe('Every 3 months on the fifth Thursday at 18:00 UTC, 2 hrs');
    expect(say('ja', 'ja', read('DTSTART;TZID=Europe/Madrid:20260130T180000\nRRULE:FREQ=MONTHLY;BYDAY=-1FR', 'Europe/Madrid', 90))).toBe('毎月最終金曜日 18:00（Europe/Madrid）、1 時間 30 分');
    expect(say('ja', 'ja', read('DTSTART;TZID=UTC:20260105T093000\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH', 'UTC', 45))).toBe('2 週間ごとの月曜日、木曜日 09:30（UTC）、45 分');
    expect(say('ja', 'ja', read('DTSTART;TZID=UTC:20260115T093000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=15'))).toBe('毎月15日 09:30（UTC）、2 時間');
  });

  it('says how it ends', () => {
    expect(say('en', 'en-GB', read('DTSTART;TZID=UTC:20260105T100000\nRRULE:FREQ=WEEKLY;COUNT=10'))).toBe('Every week on Monday at 10:00 UTC, 2 hrs, 10 times');
    expect(say('en', 'en-GB', read('DTSTART;TZID=Europe/Madrid:20260105T100000\nRRULE:FREQ=WEEKLY;UNTIL=20261231T225959Z', 'Europe/Madrid'))).toBe('Every week on Monday at 10:00 Europe/Madrid, 2 hrs, until 31 Dec 2026');
    expect(say('ja', 'ja', read('DTSTART;TZID=UTC:20260105T100000\nRRULE:FREQ=WEEKLY;COUNT=10'))).toBe('毎週月曜日 10:00（UTC）、2 時間、全 10 回');
  });

  it("adds the next meeting in the member's zone when it differs", () => {
    const commons = read('DTSTART;TZID=UTC:20260126T180000\nRRULE:FREQ=MONTHLY;BYDAY=4MO');
    expect(say('en', 'en-GB', commons, 'Asia/Tokyo')).toBe('Every month on the fourth Monday at 18:00 UTC, 2 hrs (next for you: Tue 24 Nov, 03:00, Asia/Tokyo)');
    expect(say('ja', 'ja', commons, 'Asia/Tokyo')).toBe('毎月第4月曜日 18:00（UTC）、2 時間（あなたの次回: 11月24日(火) 03:00、Asia/Tokyo）');
    expect(say('en', 'en-GB', commons, 'UTC')).toBe('Every month on the fourth Monday at 18:00 UTC, 2 hrs');
  });

  it('falls back to the rule itself for what it has no words for', () => {
    expect(say('en', 'en-GB', read('DTSTART;TZID=UTC:20260130T090000\nRRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1'))).toBe(
      'Repeats by the rule RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1 at 09:00 UTC, 2 hrs',
    );
  });

  it('has every word in all six locales (no key falls through)', () => {
    const schedule = read('DTSTART;TZID=UTC:20260126T180000\nRRULE:FREQ=MONTHLY;INTERVAL=2;BYDAY=-1MO;COUNT=3');
    for (const locale of supportedLocales) {
      const text = describeSchedule(schedule, { t: createTranslator(locale, 'schedule'), locale, viewerZone: 'Asia/Tokyo', now: Date.UTC(2026, 0, 1) });
      expect(text, locale).not.toMatch(/describe\.|\{\{/);
    }
    expect(formatDuration(60, 'en')).toBe('1 hr');
  });
});
