// RRULE expansion on the schedule's wall clock, across daylight-saving changes in several
// zones, with the RFC 5545 examples that use the parts Plenary supports.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandSchedule, occurrencesOf, parseSchedule, scheduleText, type ScheduleSpec } from '../../shared/schedule/rrule';
import { dateOfDayNumber, dayNumber, fromZoned, offsetAt, toZoned } from '../../shared/schedule/zoned-time';

const iso = (ms: number) => new Date(ms).toISOString().replace('.000', '');
const expand = (rrule: string, timezone: string, from: string, limit = 6, durationMinutes = 60) =>
  occurrencesOf({ rrule, timezone, durationMinutes }, { from: Date.parse(from), to: Date.parse('2100-01-01T00:00:00Z'), limit }).map((o) => iso(o.start));
/** Local wall-clock times of the occurrences, to check they stay put across DST. */
const local = (rrule: string, timezone: string, from: string, limit = 6) =>
  occurrencesOf({ rrule, timezone, durationMinutes: 60 }, { from: Date.parse(from), to: Date.parse('2100-01-01T00:00:00Z'), limit }).map((o) => {
    const t = toZoned(o.start, timezone);
    return `${t.year}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')} ${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
  });

describe('time zones through Intl', () => {
  it('converts wall time to instants with the right offsets', () => {
    expect(offsetAt(Date.parse('2026-01-15T12:00:00Z'), 'Europe/Madrid')).toBe(3_600_000);
    expect(offsetAt(Date.parse('2026-07-15T12:00:00Z'), 'Europe/Madrid')).toBe(7_200_000);
    expect(offsetAt(Date.parse('2026-07-15T12:00:00Z'), 'Australia/Sydney')).toBe(10 * 3_600_000);
    expect(offsetAt(Date.parse('2026-01-15T12:00:00Z'), 'Australia/Sydney')).toBe(11 * 3_600_000);
    expect(iso(fromZoned({ year: 2026, month: 6, day: 1, hour: 9, minute: 0, second: 0 }, 'Asia/Tokyo'))).toBe('2026-06-01T00:00:00Z');
  });

  it('reads a time in the spring-forward gap with the offset before it (RFC 5545 §3.3.5)', () => {
    // New York skips 02:00-03:00 on 8 March 2026: 02:30 means 03:30 EDT.
    expect(iso(fromZoned({ year: 2026, month: 3, day: 8, hour: 2, minute: 30, second: 0 }, 'America/New_York'))).toBe('2026-03-08T07:30:00Z');
    expect(iso(fromZoned({ year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0 }, 'Europe/Madrid'))).toBe('2026-03-29T01:30:00Z');
  });

  it('reads a time that occurs twice as its first occurrence', () => {
    expect(iso(fromZoned({ year: 2026, month: 11, day: 1, hour: 1, minute: 30, second: 0 }, 'America/New_York'))).toBe('2026-11-01T05:30:00Z');
    expect(iso(fromZoned({ year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0 }, 'Europe/Madrid'))).toBe('2026-10-25T00:30:00Z');
    expect(iso(fromZoned({ year: 2026, month: 4, day: 5, hour: 2, minute: 30, second: 0 }, 'Australia/Sydney'))).toBe('2026-04-04T15:30:00Z');
  });
});

describe('RRULE expansion', () => {
  it('gives commons.hour: the fourth Monday of every month at 18:00 UTC', () => {
    expect(expand('DTSTART:20260126T180000\nRRULE:FREQ=MONTHLY;BYDAY=4MO', 'UTC', '2026-01-01T00:00:00Z', 12)).toEqual([
      '2026-01-26T18:00:00Z',
      '2026-02-23T18:00:00Z',
      '2026-03-23T18:00:00Z',
      '2026-04-27T18:00:00Z',
      '2026-05-25T18:00:00Z',
      '2026-06-22T18:00:00Z',
      '2026-07-27T18:00:00Z',
      '2026-08-24T18:00:00Z',
      '2026-09-28T18:00:00Z',
      '2026-10-26T18:00:00Z',
      '2026-11-23T18:00:00Z',
      '2026-12-28T18:00:00Z',
    ]);
  });

  it('keeps a Madrid circle at 18:00 local across both DST changes', () => {
    const rule = 'DTSTART:20260316T180000\nRRULE:FREQ=WEEKLY;BYDAY=MO';
    expect(local(rule, 'Europe/Madrid', '2026-03-16T00:00:00Z', 3)).toEqual(['2026-03-16 18:00', '2026-03-23 18:00', '2026-03-30 18:00']);
    expect(expand(rule, 'Europe/Madrid', '2026-03-16T00:00:00Z', 3)).toEqual(['2026-03-16T17:00:00Z', '2026-03-23T17:00:00Z', '2026-03-30T16:00:00Z']);
    expect(expand(rule, 'Europe/Madrid', '2026-10-19T00:00:00Z', 2)).toEqual(['2026-10-19T16:00:00Z', '2026-10-26T17:00:00Z']);
  });

  it('keeps a New York daily stand-up at 09:30 local across the March and November changes', () => {
    const rule = 'DTSTART:20260306T093000\nRRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR';
    expect(expand(rule, 'America/New_York', '2026-03-06T00:00:00Z', 3)).toEqual(['2026-03-06T14:30:00Z', '2026-03-09T13:30:00Z', '2026-03-10T13:30:00Z']);
    expect(expand(rule, 'America/New_York', '2026-10-30T00:00:00Z', 2)).toEqual(['2026-10-30T13:30:00Z', '2026-11-02T14:30:00Z']);
  });

  it('moves a meeting scheduled inside the spring-forward gap to just after it', () => {
    expect(local('DTSTART:20260307T023000\nRRULE:FREQ=DAILY;COUNT=3', 'America/New_York', '2026-03-01T00:00:00Z')).toEqual([
      '2026-03-07 02:30',
      '2026-03-08 03:30',
      '2026-03-09 02:30',
    ]);
  });

  it('has no DST in Tokyo: the last weekday of each month at 09:00 JST', () => {
    expect(expand('DTSTART:20260101T090000\nRRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', 'Asia/Tokyo', '2026-01-01T00:00:00Z', 4)).toEqual([
      '2026-01-30T00:00:00Z',
      '2026-02-27T00:00:00Z',
      '2026-03-31T00:00:00Z',
      '2026-04-30T00:00:00Z',
    ]);
  });

  it('follows Sydney, whose DST ends in April and starts in October', () => {
    const rule = 'DTSTART:20260327T090000\nRRULE:FREQ=MONTHLY;BYDAY=-1FR';
    expect(local(rule, 'Australia/Sydney', '2026-03-01T00:00:00Z', 8).every((t) => t.endsWith('09:00'))).toBe(true);
    expect(expand(rule, 'Australia/Sydney', '2026-03-01T00:00:00Z', 8)).toEqual([
      '2026-03-26T22:00:00Z',
      '2026-04-23T23:00:00Z',
      '2026-05-28T23:00:00Z',
      '2026-06-25T23:00:00Z',
      '2026-07-30T23:00:00Z',
      '2026-08-27T23:00:00Z',
      '2026-09-24T23:00:00Z',
      '2026-10-29T22:00:00Z',
    ]);
  });

  it('shows the same UTC meeting at different local times in each zone (one instant, many clocks)', () => {
    const [first] = occurrencesOf({ rrule: 'DTSTART:20260126T180000\nRRULE:FREQ=MONTHLY;BYDAY=4MO', timezone: 'UTC', durationMinutes: 60 }, { from: 0, to: Date.parse('2027-01-01'), limit: 1 });
    expect(toZoned(first!.start, 'Europe/Madrid').hour).toBe(19);
    expect(toZoned(first!.start, 'America/New_York').hour).toBe(13);
    expect(toZoned(first!.start, 'Asia/Tokyo')).toMatchObject({ day: 27, hour: 3 });
    expect(toZoned(first!.start, 'Australia/Sydney')).toMatchObject({ day: 27, hour: 5 });
  });

  // RFC 5545 §3.8.5.3 examples (America/New_York, starting 1997).
  it.each([
    ['every other week on Tuesday and Thursday, 8 times', 'DTSTART:19970902T090000\nRRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH', ['1997-09-02 09:00', '1997-09-04 09:00', '1997-09-16 09:00', '1997-09-18 09:00', '1997-09-30 09:00', '1997-10-02 09:00', '1997-10-14 09:00', '1997-10-16 09:00']],
    ['monthly on the first Friday, 10 times', 'DTSTART:19970905T090000\nRRULE:FREQ=MONTHLY;COUNT=10;BYDAY=1FR', ['1997-09-05 09:00', '1997-10-03 09:00', '1997-11-07 09:00', '1997-12-05 09:00', '1998-01-02 09:00', '1998-02-06 09:00']],
    ['every other month on the first and last Sunday, 10 times', 'DTSTART:19970907T090000\nRRULE:FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU', ['1997-09-07 09:00', '1997-09-28 09:00', '1997-11-02 09:00', '1997-11-30 09:00', '1998-01-04 09:00', '1998-01-25 09:00']],
    ['monthly on the second-to-last Monday, 6 times', 'DTSTART:19970922T090000\nRRULE:FREQ=MONTHLY;COUNT=6;BYDAY=-2MO', ['1997-09-22 09:00', '1997-10-20 09:00', '1997-11-17 09:00', '1997-12-22 09:00', '1998-01-19 09:00', '1998-02-16 09:00']],
    ['monthly on the third-to-last day', 'DTSTART:19970928T090000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=-3', ['1997-09-28 09:00', '1997-10-29 09:00', '1997-11-28 09:00', '1997-12-29 09:00', '1998-01-29 09:00', '1998-02-26 09:00']],
    ['monthly on the 2nd and 15th, 10 times', 'DTSTART:19970902T090000\nRRULE:FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15', ['1997-09-02 09:00', '1997-09-15 09:00', '1997-10-02 09:00', '1997-10-15 09:00', '1997-11-02 09:00', '1997-11-15 09:00']],
    ['every Friday the 13th', 'DTSTART:19970902T090000\nRRULE:FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13', ['1998-02-13 09:00', '1998-03-13 09:00', '1998-11-13 09:00', '1999-08-13 09:00', '2000-10-13 09:00', '2001-04-13 09:00']],
    ['yearly in June and July, 10 times', 'DTSTART:19970610T090000\nRRULE:FREQ=YEARLY;COUNT=10;BYMONTH=6,7', ['1997-06-10 09:00', '1997-07-10 09:00', '1998-06-10 09:00', '1998-07-10 09:00', '1999-06-10 09:00', '1999-07-10 09:00']],
    ['every Thursday in March, forever', 'DTSTART:19970313T090000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=TH', ['1997-03-13 09:00', '1997-03-20 09:00', '1997-03-27 09:00', '1998-03-05 09:00', '1998-03-12 09:00', '1998-03-19 09:00']],
    ['the 20th Monday of the year', 'DTSTART:19970519T090000\nRRULE:FREQ=YEARLY;BYDAY=20MO', ['1997-05-19 09:00', '1998-05-18 09:00', '1999-05-17 09:00']],
    ['the third instance of Tuesday-Thursday in the month, 3 times', 'DTSTART:19970904T090000\nRRULE:FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3', ['1997-09-04 09:00', '1997-10-07 09:00', '1997-11-06 09:00']],
    ['the second-to-last weekday of the month', 'DTSTART:19970929T090000\nRRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2', ['1997-09-29 09:00', '1997-10-30 09:00', '1997-11-27 09:00', '1997-12-30 09:00', '1998-01-29 09:00', '1998-02-26 09:00']],
    ['daily until 24 December 1997 (UTC UNTIL)', 'DTSTART:19971220T090000\nRRULE:FREQ=DAILY;UNTIL=19971224T000000Z', ['1997-12-20 09:00', '1997-12-21 09:00', '1997-12-22 09:00', '1997-12-23 09:00']],
    ['every 10 days, 5 times', 'DTSTART:19970902T090000\nRRULE:FREQ=DAILY;INTERVAL=10;COUNT=5', ['1997-09-02 09:00', '1997-09-12 09:00', '1997-09-22 09:00', '1997-10-02 09:00', '1997-10-12 09:00']],
    ['weekly, WKST matters: MO', 'DTSTART:19970805T090000\nRRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO', ['1997-08-05 09:00', '1997-08-10 09:00', '1997-08-19 09:00', '1997-08-24 09:00']],
    ['weekly, WKST matters: SU', 'DTSTART:19970805T090000\nRRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU', ['1997-08-05 09:00', '1997-08-17 09:00', '1997-08-19 09:00', '1997-08-31 09:00']],
    ['the 31st, skipping shorter months', 'DTSTART:20260131T100000\nRRULE:FREQ=MONTHLY;COUNT=4', ['2026-01-31 10:00', '2026-03-31 10:00', '2026-05-31 10:00', '2026-07-31 10:00']],
    ['29 February, leap years only', 'DTSTART:20240229T100000\nRRULE:FREQ=YEARLY;COUNT=2', ['2024-02-29 10:00', '2028-02-29 10:00']],
  ])('RFC 5545: %s', (_name, rrule, expected) => {
    expect(local(rrule, 'America/New_York', '1990-01-01T00:00:00Z', expected.length)).toEqual(expected);
  });

  it('honours a local UNTIL and a DATE UNTIL (inclusive)', () => {
    expect(local('DTSTART:20260101T100000\nRRULE:FREQ=WEEKLY;UNTIL=20260115T100000', 'Europe/Madrid', '2026-01-01T00:00:00Z', 10)).toEqual(['2026-01-01 10:00', '2026-01-08 10:00', '2026-01-15 10:00']);
    expect(local('DTSTART:20260101T100000\nRRULE:FREQ=WEEKLY;UNTIL=20260115', 'Europe/Madrid', '2026-01-01T00:00:00Z', 10)).toHaveLength(3);
  });

  it('counts COUNT from DTSTART even when the window starts later', () => {
    expect(expand('DTSTART:20260105T100000\nRRULE:FREQ=WEEKLY;COUNT=3', 'UTC', '2026-01-13T00:00:00Z')).toEqual(['2026-01-19T10:00:00Z']);
  });

  it('includes a meeting that is still running at the window start', () => {
    const spec: ScheduleSpec = { rrule: 'DTSTART:20260126T180000', timezone: 'UTC', durationMinutes: 90 };
    expect(occurrencesOf(spec, { from: Date.parse('2026-01-26T19:00:00Z'), to: Date.parse('2026-02-01') })).toEqual([
      { start: Date.parse('2026-01-26T18:00:00Z'), end: Date.parse('2026-01-26T19:30:00Z') },
    ]);
    expect(occurrencesOf(spec, { from: Date.parse('2026-01-26T19:30:00Z'), to: Date.parse('2026-02-01') })).toEqual([]);
  });

  it('stops on a rule that never matches instead of looping', () => {
    expect(expand('DTSTART:20260101T100000\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31', 'UTC', '2026-01-01T00:00:00Z')).toEqual([]);
  });

  it('accepts DTSTART with a matching TZID or in UTC', () => {
    const withTzid = parseSchedule({ rrule: 'DTSTART;TZID=Europe/Madrid:20260105T180000\nRRULE:FREQ=WEEKLY', timezone: 'Europe/Madrid', durationMinutes: 60 });
    expect(withTzid.ok && withTzid.schedule.start.hour).toBe(18);
    const utc = parseSchedule({ rrule: 'DTSTART:20260105T170000Z\nRRULE:FREQ=WEEKLY', timezone: 'Europe/Madrid', durationMinutes: 60 });
    expect(utc.ok && utc.schedule.start.hour).toBe(18);
  });

  it('builds the stored text from a start and a rule', () => {
    const text = scheduleText({ year: 2026, month: 1, day: 26, hour: 18, minute: 0, second: 0 }, 'FREQ=MONTHLY;BYDAY=4MO');
    expect(text).toBe('DTSTART:20260126T180000\nRRULE:FREQ=MONTHLY;BYDAY=4MO');
    const parsed = parseSchedule({ rrule: text, timezone: 'UTC', durationMinutes: 60 });
    expect(parsed.ok && expandSchedule(parsed.schedule, { from: 0, to: Date.parse('2026-02-01') }).length).toBe(1);
  });
});

describe('schedule validation', () => {
  const bad = (rrule: string, timezone = 'UTC', durationMinutes = 60) => {
    const result = parseSchedule({ rrule, timezone, durationMinutes });
    return result.ok ? null : { field: result.field, message: result.message };
  };

  it.each([
    ['DTSTART:20260126T180000\nRRULE:FREQ=HOURLY', /FREQ=HOURLY is not supported/],
    ['DTSTART:20260126T180000\nRRULE:FREQ=WEEKLY;BYHOUR=9', /BYHOUR is not supported; put the time of day in DTSTART/],
    ['DTSTART:20260126T180000\nRRULE:FREQ=WEEKLY;FOO=1', /"FOO" is not an RRULE part/],
    ['DTSTART:20260126T180000\nRRULE:FREQ=WEEKLY;COUNT=2;UNTIL=20270101', /COUNT or UNTIL, not both/],
    ['DTSTART:20260126T180000\nRRULE:FREQ=WEEKLY;BYDAY=2MO', /only MONTHLY and YEARLY/],
    ['DTSTART:20260126T180000\nRRULE:FREQ=MONTHLY;BYDAY=6MO', /ordinal .* must be 1…5/],
    ['DTSTART:20260126T180000\nRRULE:FREQ=MONTHLY;BYDAY=XX', /not a weekday/],
    ['DTSTART:20260126T180000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=0', /outside -31…31/],
    ['DTSTART:20260126T180000\nRRULE:FREQ=WEEKLY;BYMONTHDAY=3', /cannot be used with FREQ=WEEKLY/],
    ['DTSTART:20260126T180000\nRRULE:FREQ=MONTHLY;BYSETPOS=1', /BYSETPOS needs another BYxxx/],
    ['DTSTART:20260126T180000\nRRULE:FREQ=WEEKLY;INTERVAL=0', /INTERVAL=0 must be/],
    ['DTSTART:20260126T180000\nRRULE:FREQ=WEEKLY;FREQ=DAILY', /FREQ appears twice/],
    ['DTSTART:20260126T180000\nRRULE:INTERVAL=2', /needs FREQ/],
    ['RRULE:FREQ=WEEKLY', /needs a DTSTART line/],
    ['DTSTART:20260230T180000', /not a real calendar date/],
    ['DTSTART:20260126T250000', /not a real time of day/],
    ['DTSTART:20260126', /needs a time of day/],
    ['DTSTART;TZID=America/New_York:20260126T180000', /differs from the schedule's time zone/],
    ['BEGIN:VEVENT', /neither a DTSTART nor an RRULE/],
  ])('refuses %j', (rrule, message) => {
    expect(bad(rrule)).toEqual({ field: 'rrule', message: expect.stringMatching(message) });
  });

  it('names the time zone and duration fields', () => {
    expect(bad('DTSTART:20260126T180000', 'Mars/Olympus')).toMatchObject({ field: 'timezone' });
    expect(bad('DTSTART:20260126T180000', 'UTC', 0)).toMatchObject({ field: 'durationMinutes' });
    expect(bad('DTSTART:20260126T180000', 'UTC', 1.5)).toMatchObject({ field: 'durationMinutes' });
  });
});

describe('expansion shortcuts stay exact', () => {
  it('converts civil dates like Date does, across centuries and leap years', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (n) => {
        const d = new Date(n * 86_400_000);
        expect(dateOfDayNumber(n)).toEqual({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
        expect(dayNumber(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())).toBe(n);
      }),
      { numRuns: 3000 },
    );
  });

  it('maps every wall time back to an instant showing that wall time', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('2020-01-01'), max: Date.parse('2030-12-31') }), fc.constantFrom('Europe/Madrid', 'America/New_York', 'Australia/Sydney', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Chatham', 'America/St_Johns'), (instant, zone) => {
        const wall = toZoned(Math.floor(instant / 1000) * 1000, zone);
        expect(toZoned(fromZoned(wall, zone), zone)).toEqual(wall);
      }),
      { numRuns: 3000 },
    );
  });

  it('starts near the window without changing any occurrence', () => {
    const rules = fc.constantFrom(
      'FREQ=DAILY',
      'FREQ=DAILY;INTERVAL=3',
      'FREQ=WEEKLY;BYDAY=MO,TH',
      'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;WKST=SU',
      'FREQ=MONTHLY;BYDAY=4MO',
      'FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=-1',
      'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1',
      'FREQ=YEARLY;BYMONTH=3,9;BYDAY=-1SU',
      'FREQ=YEARLY;INTERVAL=2',
      'FREQ=WEEKLY;UNTIL=20290101T000000Z',
    );
    fc.assert(
      fc.property(rules, fc.constantFrom(...['UTC', 'Europe/Madrid', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney', 'Pacific/Kiritimati']), fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 23 }), (rule, timezone, offsetDays, hour) => {
        const spec = { rrule: `DTSTART:20250115T${String(hour).padStart(2, '0')}3000\nRRULE:${rule}`, timezone, durationMinutes: 90 };
        const from = Date.parse('2025-01-01T00:00:00Z') + offsetDays * 86_400_000;
        const to = from + 120 * 86_400_000;
        const direct = occurrencesOf(spec, { from, to, limit: 50 });
        const everything = occurrencesOf(spec, { from: 0, to, limit: 100_000 }).filter((o) => o.end > from).slice(0, 50);
        expect(direct).toEqual(everything);
      }),
      { numRuns: 300 },
    );
  });
});
