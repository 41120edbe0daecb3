// The one schedule engine (shared/schedule/schedule.ts, on rrule-temporal): meetings keep
// their wall-clock time across daylight-saving changes in several zones, the RFC 5545
// examples that use the parts Plenary supports, COUNT and UNTIL, and the stored format's
// checks, each naming its field.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstMeeting, nextOccurrences, occurrencesOf, readSchedule, scheduleText, wallTimeAt, type Schedule } from '../../shared/schedule/schedule';

const end = Date.parse('2100-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace('.000', '');
const spec = (rrule: string, timezone: string, durationMinutes = 60): Schedule => ({ rrule, timezone, durationMinutes });
const expand = (rrule: string, timezone: string, from: string, limit = 6) => occurrencesOf(spec(rrule, timezone), { from: Date.parse(from), to: end, limit }).map((o) => iso(o.start));
/** Local wall-clock times of the meetings, to check they stay put across DST. */
const local = (rrule: string, timezone: string, from: string, limit = 6) =>
  occurrencesOf(spec(rrule, timezone), { from: Date.parse(from), to: end, limit }).map((o) => {
    const t = wallTimeAt(o.start, timezone);
    const p = (n: number) => String(n).padStart(2, '0');
    return `${t.year}-${p(t.month)}-${p(t.day)} ${p(t.hour)}:${p(t.minute)}`;
  });

describe('daylight-saving changes: 18:00 stays 18:00 on the circle clock', () => {
  it('Europe/Madrid, spring (29 March 2026) and autumn (25 October 2026)', () => {
    const rule = 'DTSTART;TZID=Europe/Madrid:20260316T180000\nRRULE:FREQ=WEEKLY;BYDAY=MO';
    expect(local(rule, 'Europe/Madrid', '2026-03-16T00:00:00Z', 3)).toEqual(['2026-03-16 18:00', '2026-03-23 18:00', '2026-03-30 18:00']);
    expect(expand(rule, 'Europe/Madrid', '2026-03-16T00:00:00Z', 3)).toEqual(['2026-03-16T17:00:00Z', '2026-03-23T17:00:00Z', '2026-03-30T16:00:00Z']);
    expect(local(rule, 'Europe/Madrid', '2026-10-19T00:00:00Z', 2)).toEqual(['2026-10-19 18:00', '2026-10-26 18:00']);
    expect(expand(rule, 'Europe/Madrid', '2026-10-19T00:00:00Z', 2)).toEqual(['2026-10-19T16:00:00Z', '2026-10-26T17:00:00Z']);
  });

  it('America/Toronto, spring (8 March 2026) and autumn (1 November 2026)', () => {
    const rule = 'DTSTART;TZID=America/Toronto:20260302T180000\nRRULE:FREQ=WEEKLY;BYDAY=MO';
    expect(expand(rule, 'America/Toronto', '2026-03-01T00:00:00Z', 2)).toEqual(['2026-03-02T23:00:00Z', '2026-03-09T22:00:00Z']);
    expect(expand(rule, 'America/Toronto', '2026-10-25T00:00:00Z', 2)).toEqual(['2026-10-26T22:00:00Z', '2026-11-02T23:00:00Z']);
    expect(local(rule, 'America/Toronto', '2026-01-01T00:00:00Z', 60).every((t) => t.endsWith(' 18:00'))).toBe(true);
  });

  it('keeps a New York daily stand-up at 09:30 across the March and November changes', () => {
    const rule = 'DTSTART;TZID=America/New_York:20260306T093000\nRRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR';
    expect(expand(rule, 'America/New_York', '2026-03-06T00:00:00Z', 3)).toEqual(['2026-03-06T14:30:00Z', '2026-03-09T13:30:00Z', '2026-03-10T13:30:00Z']);
    expect(expand(rule, 'America/New_York', '2026-10-30T00:00:00Z', 2)).toEqual(['2026-10-30T13:30:00Z', '2026-11-02T14:30:00Z']);
  });

  it('skips a meeting whose time does not exist on a spring-forward night (RFC 5545 §3.3.10)', () => {
    expect(local('DTSTART;TZID=America/New_York:20260307T023000\nRRULE:FREQ=DAILY;COUNT=3', 'America/New_York', '2026-03-01T00:00:00Z')).toEqual([
      '2026-03-07 02:30',
      '2026-03-09 02:30',
      '2026-03-10 02:30',
    ]);
  });

  it('follows Sydney, whose DST ends in April and starts in October', () => {
    const rule = 'DTSTART;TZID=Australia/Sydney:20260327T090000\nRRULE:FREQ=MONTHLY;BYDAY=-1FR';
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

  it('gives the same answer whatever zone the process runs in (rrule.js does not)', () => {
    // TZ is read once per process by Date, so this checks the engine never uses local time:
    // only Temporal zones. The expected instants are fixed above; here Date's local zone is
    // whatever the machine has, and results must not depend on it.
    const rule = 'DTSTART;TZID=Europe/Madrid:20260302T180000\nRRULE:FREQ=WEEKLY;BYDAY=MO';
    expect(expand(rule, 'Europe/Madrid', '2026-03-01T00:00:00Z', 6).map((s) => s.slice(11, 16))).toEqual(['17:00', '17:00', '17:00', '17:00', '16:00', '16:00']);
  });
});

describe('RRULE expansion', () => {
  it('gives commons.hour: the fourth Monday of every month at 18:00 UTC', () => {
    expect(expand('DTSTART;TZID=UTC:20260126T180000\nRRULE:FREQ=MONTHLY;BYDAY=4MO', 'UTC', '2026-01-01T00:00:00Z', 12)).toEqual([
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

  it('skips months without a fifth Thursday instead of moving the meeting', () => {
    expect(local('DTSTART;TZID=Europe/Madrid:20260129T180000\nRRULE:FREQ=MONTHLY;BYDAY=5TH', 'Europe/Madrid', '2026-01-01T00:00:00Z', 4)).toEqual([
      '2026-01-29 18:00',
      '2026-04-30 18:00',
      '2026-07-30 18:00',
      '2026-10-29 18:00',
    ]);
  });

  it('finds the last Friday of each month (-1FR), in Toronto across the change', () => {
    expect(local('DTSTART;TZID=America/Toronto:20260130T180000\nRRULE:FREQ=MONTHLY;BYDAY=-1FR', 'America/Toronto', '2026-01-01T00:00:00Z', 4)).toEqual([
      '2026-01-30 18:00',
      '2026-02-27 18:00',
      '2026-03-27 18:00',
      '2026-04-24 18:00',
    ]);
  });

  it('has no DST in Tokyo: the last weekday of each month at 09:00 JST', () => {
    expect(expand('DTSTART;TZID=Asia/Tokyo:20260130T090000\nRRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', 'Asia/Tokyo', '2026-01-01T00:00:00Z', 4)).toEqual([
      '2026-01-30T00:00:00Z',
      '2026-02-27T00:00:00Z',
      '2026-03-31T00:00:00Z',
      '2026-04-30T00:00:00Z',
    ]);
  });

  it('shows the same UTC meeting at different local times in each zone (one instant, many clocks)', () => {
    const [first] = occurrencesOf(spec('DTSTART;TZID=UTC:20260126T180000\nRRULE:FREQ=MONTHLY;BYDAY=4MO', 'UTC'), { from: 0, to: Date.parse('2027-01-01'), limit: 1 });
    expect(wallTimeAt(first!.start, 'Europe/Madrid').hour).toBe(19);
    expect(wallTimeAt(first!.start, 'America/New_York').hour).toBe(13);
    expect(wallTimeAt(first!.start, 'Asia/Tokyo')).toMatchObject({ day: 27, hour: 3 });
    expect(wallTimeAt(first!.start, 'Australia/Sydney')).toMatchObject({ day: 27, hour: 5 });
  });

  // RFC 5545 §3.8.5.3 examples (America/New_York, starting 1997), each with a DTSTART the rule picks.
  it.each([
    ['every other week on Tuesday and Thursday, 8 times', '19970902T090000', 'FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH', ['1997-09-02 09:00', '1997-09-04 09:00', '1997-09-16 09:00', '1997-09-18 09:00', '1997-09-30 09:00', '1997-10-02 09:00', '1997-10-14 09:00', '1997-10-16 09:00']],
    ['monthly on the first Friday, 10 times', '19970905T090000', 'FREQ=MONTHLY;COUNT=10;BYDAY=1FR', ['1997-09-05 09:00', '1997-10-03 09:00', '1997-11-07 09:00', '1997-12-05 09:00', '1998-01-02 09:00', '1998-02-06 09:00']],
    ['every other month on the first and last Sunday, 10 times', '19970907T090000', 'FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU', ['1997-09-07 09:00', '1997-09-28 09:00', '1997-11-02 09:00', '1997-11-30 09:00', '1998-01-04 09:00', '1998-01-25 09:00']],
    ['monthly on the second-to-last Monday, 6 times', '19970922T090000', 'FREQ=MONTHLY;COUNT=6;BYDAY=-2MO', ['1997-09-22 09:00', '1997-10-20 09:00', '1997-11-17 09:00', '1997-12-22 09:00', '1998-01-19 09:00', '1998-02-16 09:00']],
    ['monthly on the third-to-last day', '19970928T090000', 'FREQ=MONTHLY;BYMONTHDAY=-3', ['1997-09-28 09:00', '1997-10-29 09:00', '1997-11-28 09:00', '1997-12-29 09:00', '1998-01-29 09:00', '1998-02-26 09:00']],
    ['monthly on the 2nd and 15th, 10 times', '19970902T090000', 'FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15', ['1997-09-02 09:00', '1997-09-15 09:00', '1997-10-02 09:00', '1997-10-15 09:00', '1997-11-02 09:00', '1997-11-15 09:00']],
    ['every Friday the 13th', '19980213T090000', 'FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13', ['1998-02-13 09:00', '1998-03-13 09:00', '1998-11-13 09:00', '1999-08-13 09:00', '2000-10-13 09:00', '2001-04-13 09:00']],
    ['yearly in June and July, 10 times', '19970610T090000', 'FREQ=YEARLY;COUNT=10;BYMONTH=6,7', ['1997-06-10 09:00', '1997-07-10 09:00', '1998-06-10 09:00', '1998-07-10 09:00', '1999-06-10 09:00', '1999-07-10 09:00']],
    ['every Thursday in March, forever', '19970313T090000', 'FREQ=YEARLY;BYMONTH=3;BYDAY=TH', ['1997-03-13 09:00', '1997-03-20 09:00', '1997-03-27 09:00', '1998-03-05 09:00', '1998-03-12 09:00', '1998-03-19 09:00']],
    ['the 20th Monday of the year', '19970519T090000', 'FREQ=YEARLY;BYDAY=20MO', ['1997-05-19 09:00', '1998-05-18 09:00', '1999-05-17 09:00']],
    ['the third instance of Tuesday-Thursday in the month, 3 times', '19970904T090000', 'FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3', ['1997-09-04 09:00', '1997-10-07 09:00', '1997-11-06 09:00']],
    ['the second-to-last weekday of the month', '19970929T090000', 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2', ['1997-09-29 09:00', '1997-10-30 09:00', '1997-11-27 09:00', '1997-12-30 09:00', '1998-01-29 09:00', '1998-02-26 09:00']],
    ['daily until 24 December 1997 (UTC UNTIL)', '19971220T090000', 'FREQ=DAILY;UNTIL=19971224T000000Z', ['1997-12-20 09:00', '1997-12-21 09:00', '1997-12-22 09:00', '1997-12-23 09:00']],
    ['every 10 days, 5 times', '19970902T090000', 'FREQ=DAILY;INTERVAL=10;COUNT=5', ['1997-09-02 09:00', '1997-09-12 09:00', '1997-09-22 09:00', '1997-10-02 09:00', '1997-10-12 09:00']],
    ['weekly, WKST matters: MO', '19970805T090000', 'FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO', ['1997-08-05 09:00', '1997-08-10 09:00', '1997-08-19 09:00', '1997-08-24 09:00']],
    ['weekly, WKST matters: SU', '19970805T090000', 'FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU', ['1997-08-05 09:00', '1997-08-17 09:00', '1997-08-19 09:00', '1997-08-31 09:00']],
    ['the 31st, skipping shorter months', '20260131T100000', 'FREQ=MONTHLY;COUNT=4', ['2026-01-31 10:00', '2026-03-31 10:00', '2026-05-31 10:00', '2026-07-31 10:00']],
    ['29 February, leap years only', '20240229T100000', 'FREQ=YEARLY;COUNT=2', ['2024-02-29 10:00', '2028-02-29 10:00']],
  ])('RFC 5545: %s', (_name, start, rule, expected) => {
    expect(local(`DTSTART;TZID=America/New_York:${start}\nRRULE:${rule}`, 'America/New_York', '1990-01-01T00:00:00Z', expected.length)).toEqual(expected);
  });

  it('ends on an UNTIL in UTC or a date, both inclusive', () => {
    // 18:00 Madrid in January is 17:00 UTC: an UNTIL of exactly that instant keeps the meeting.
    expect(local('DTSTART;TZID=Europe/Madrid:20260101T180000\nRRULE:FREQ=WEEKLY;UNTIL=20260115T170000Z', 'Europe/Madrid', '2026-01-01T00:00:00Z', 10)).toEqual(['2026-01-01 18:00', '2026-01-08 18:00', '2026-01-15 18:00']);
    expect(local('DTSTART;TZID=Europe/Madrid:20260101T180000\nRRULE:FREQ=WEEKLY;UNTIL=20260115T165959Z', 'Europe/Madrid', '2026-01-01T00:00:00Z', 10)).toHaveLength(2);
    expect(local('DTSTART;TZID=Europe/Madrid:20260101T180000\nRRULE:FREQ=WEEKLY;UNTIL=20260115', 'Europe/Madrid', '2026-01-01T00:00:00Z', 10)).toHaveLength(3);
  });

  it('counts COUNT from DTSTART even when the window starts later', () => {
    expect(expand('DTSTART;TZID=UTC:20260105T100000\nRRULE:FREQ=WEEKLY;COUNT=3', 'UTC', '2026-01-13T00:00:00Z')).toEqual(['2026-01-19T10:00:00Z']);
    expect(nextOccurrences(spec('DTSTART;TZID=UTC:20260105T100000\nRRULE:FREQ=WEEKLY;COUNT=3', 'UTC'), Date.parse('2026-01-01'), 10)).toHaveLength(3);
  });

  it('includes a meeting that is still running at the window start', () => {
    const daily = spec('DTSTART;TZID=UTC:20260126T180000\nRRULE:FREQ=DAILY;COUNT=1', 'UTC', 90);
    expect(occurrencesOf(daily, { from: Date.parse('2026-01-26T19:00:00Z'), to: Date.parse('2026-02-01') })).toEqual([
      { start: Date.parse('2026-01-26T18:00:00Z'), end: Date.parse('2026-01-26T19:30:00Z') },
    ]);
    expect(occurrencesOf(daily, { from: Date.parse('2026-01-26T19:30:00Z'), to: Date.parse('2026-02-01') })).toEqual([]);
  });

  it('finds the first meeting of a rule from any day, for DTSTART', () => {
    const rule = { freq: 'MONTHLY' as const, interval: 1, byDay: [{ weekday: 'WE' as const, ordinal: 2 }] };
    expect(firstMeeting({ year: 2026, month: 11, day: 22, hour: 18, minute: 0 }, 'Europe/Madrid', rule)).toEqual({ year: 2026, month: 12, day: 9, hour: 18, minute: 0 });
    expect(firstMeeting({ year: 2026, month: 1, day: 1, hour: 10, minute: 0 }, 'UTC', { freq: 'YEARLY', interval: 1, byMonth: [2], byMonthDay: [31] })).toBeNull();
  });

  it('writes the stored text from a first meeting and a rule', () => {
    const text = scheduleText({ year: 2026, month: 1, day: 26, hour: 18, minute: 0 }, 'UTC', { freq: 'MONTHLY', interval: 1, byDay: [{ weekday: 'MO', ordinal: 4 }] });
    expect(text).toBe('DTSTART;TZID=UTC:20260126T180000\nRRULE:FREQ=MONTHLY;BYDAY=4MO');
    expect(readSchedule(spec(text, 'UTC')).ok).toBe(true);
  });
});

describe('schedule validation', () => {
  const bad = (rrule: string, timezone = 'UTC', durationMinutes = 60) => {
    const result = readSchedule({ rrule, timezone, durationMinutes });
    return result.ok ? null : { field: result.field, message: result.message };
  };
  const at = 'DTSTART;TZID=UTC:20260126T180000\nRRULE:';

  it.each([
    [`${at}FREQ=HOURLY`, /FREQ=HOURLY is not supported/],
    [`${at}FREQ=WEEKLY;BYHOUR=9`, /BYHOUR is not used: the time of day comes from DTSTART/],
    [`${at}FREQ=WEEKLY;FOO=1`, /"FOO" is not an RRULE part/],
    [`${at}FREQ=WEEKLY;COUNT=2;UNTIL=20270101`, /COUNT or UNTIL, not both/],
    [`${at}FREQ=WEEKLY;BYDAY=2MO`, /only MONTHLY and YEARLY/],
    [`${at}FREQ=MONTHLY;BYDAY=6MO`, /ordinal .* must be 1…5/],
    [`${at}FREQ=MONTHLY;BYDAY=XX`, /not a weekday/],
    [`${at}FREQ=MONTHLY;BYMONTHDAY=0`, /outside -31…31/],
    [`${at}FREQ=WEEKLY;BYMONTHDAY=3`, /cannot be used with FREQ=WEEKLY/],
    [`${at}FREQ=MONTHLY;BYSETPOS=1`, /BYSETPOS needs another BYxxx/],
    [`${at}FREQ=WEEKLY;INTERVAL=0`, /INTERVAL=0 must be/],
    [`${at}FREQ=WEEKLY;FREQ=DAILY`, /FREQ appears twice/],
    [`${at}INTERVAL=2`, /needs FREQ/],
    [`${at}FREQ=WEEKLY;UNTIL=20270101T100000`, /UNTIL=20270101T100000 must be a UTC time/],
    [`${at}FREQ=MONTHLY;BYDAY=4TU`, /not one the rule produces/],
    ['RRULE:FREQ=WEEKLY', /must start with the first meeting and its zone/],
    ['DTSTART:20260126T180000\nRRULE:FREQ=DAILY', /must start with the first meeting and its zone/],
    ['DTSTART;TZID=UTC:20260126T180000', /exactly one line saying how it repeats/],
    ['DTSTART;TZID=UTC:20260230T180000\nRRULE:FREQ=DAILY', /not a real calendar date/],
    ['DTSTART;TZID=UTC:20260126T250000\nRRULE:FREQ=DAILY', /not a real calendar date/],
    ['DTSTART;TZID=UTC:20260126T180030\nRRULE:FREQ=DAILY', /whole minute/],
    ['DTSTART;TZID=UTC:20260126\nRRULE:FREQ=DAILY', /not a local date-time/],
    ['DTSTART;TZID=America/New_York:20260126T180000\nRRULE:FREQ=DAILY', /differs from the schedule's time zone/],
    ['BEGIN:VEVENT', /must start with the first meeting/],
  ])('refuses %j', (rrule, message) => {
    expect(bad(rrule)).toEqual({ field: 'rrule', message: expect.stringMatching(message) });
  });

  it('names the time zone and duration fields', () => {
    expect(bad('DTSTART;TZID=Mars/Olympus:20260126T180000\nRRULE:FREQ=DAILY', 'Mars/Olympus')).toMatchObject({ field: 'timezone' });
    expect(bad(`${at}FREQ=DAILY`, 'UTC', 0)).toMatchObject({ field: 'durationMinutes' });
    expect(bad(`${at}FREQ=DAILY`, 'UTC', 1.5)).toMatchObject({ field: 'durationMinutes' });
    expect(bad(`${at}FREQ=DAILY;${'BYMONTH=1;'.repeat(50)}`)).toMatchObject({ field: 'rrule', message: expect.stringMatching(/longer than 500/) });
  });

  it('has no meetings for a schedule it cannot read or a rule that never matches', () => {
    expect(occurrencesOf(spec(`${at}FREQ=HOURLY`, 'UTC'), { from: 0, to: end })).toEqual([]);
    expect(nextOccurrences(spec('FREQ=WEEKLY;BYDAY=MO;BYHOUR=18', 'UTC'), 0, 3)).toEqual([]);
  });
});

describe('windows', () => {
  it('start anywhere without changing any meeting', () => {
    const rules = fc.constantFrom(
      'FREQ=DAILY',
      'FREQ=DAILY;INTERVAL=3',
      'FREQ=WEEKLY',
      'FREQ=WEEKLY;INTERVAL=2;WKST=SU',
      'FREQ=MONTHLY;BYMONTHDAY=15',
      'FREQ=MONTHLY;INTERVAL=2',
      'FREQ=YEARLY;INTERVAL=2',
      'FREQ=WEEKLY;UNTIL=20290101T000000Z',
    );
    fc.assert(
      fc.property(rules, fc.constantFrom('UTC', 'Europe/Madrid', 'America/Toronto', 'Asia/Tokyo', 'Australia/Sydney'), fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 23 }), (rule, timezone, offsetDays, hour) => {
        const schedule = spec(`DTSTART;TZID=${timezone}:20250115T${String(hour).padStart(2, '0')}3000\nRRULE:${rule}`, timezone, 90);
        const from = Date.parse('2025-01-01T00:00:00Z') + offsetDays * 86_400_000;
        const to = from + 120 * 86_400_000;
        const direct = occurrencesOf(schedule, { from, to, limit: 50 });
        const everything = occurrencesOf(schedule, { from: 0, to, limit: 100_000 }).filter((o) => o.end > from).slice(0, 50);
        expect(direct).toEqual(everything);
      }),
      { numRuns: 150 },
    );
  });
});
