import { describe, expect, it } from 'vitest';
import { nextOccurrences, parseRecurrenceRule, scheduleProblem } from '../../shared/governance/schedule';
import { isKnownTimeZone, zonedTimeToUtc } from '../../shared/governance/time-zones';

describe('circle schedules', () => {
  it("finds commons.hour: the fourth Monday of each month at 18:00 UTC", () => {
    const schedule = { rrule: 'FREQ=MONTHLY;BYDAY=4MO;BYHOUR=18;BYMINUTE=0', timezone: 'UTC', durationMinutes: 60 };
    const next = nextOccurrences(schedule, Date.UTC(2026, 10, 22), 3).map((t) => new Date(t).toISOString());
    expect(next).toEqual(['2026-11-23T18:00:00.000Z', '2026-12-28T18:00:00.000Z', '2027-01-25T18:00:00.000Z']);
  });

  it('keeps a weekly meeting at 09:00 local time across a daylight-saving change', () => {
    const schedule = { rrule: 'RRULE:FREQ=WEEKLY;BYDAY=TU;BYHOUR=9;BYMINUTE=30', timezone: 'Europe/Madrid', durationMinutes: 45 };
    const next = nextOccurrences(schedule, Date.UTC(2026, 9, 19), 2).map((t) => new Date(t).toISOString());
    // Summer time (UTC+2) ends on 25 October 2026.
    expect(next).toEqual(['2026-10-20T07:30:00.000Z', '2026-10-27T08:30:00.000Z']);
  });

  it('understands the last weekday of the month, month days and UNTIL', () => {
    const lastFriday = { rrule: 'FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=15', timezone: 'Asia/Tokyo', durationMinutes: 60 };
    expect(nextOccurrences(lastFriday, Date.UTC(2026, 10, 1), 1).map((t) => new Date(t).toISOString())).toEqual(['2026-11-27T06:00:00.000Z']);
    const first = { rrule: 'FREQ=MONTHLY;BYMONTHDAY=1;UNTIL=20270101', timezone: 'UTC', durationMinutes: 60 };
    expect(nextOccurrences(first, Date.UTC(2026, 10, 2), 5)).toHaveLength(2);
  });

  it('explains rules it does not support', () => {
    expect(parseRecurrenceRule('FREQ=YEARLY')).toEqual({ ok: false, problem: 'FREQ must be DAILY, WEEKLY or MONTHLY' });
    expect(parseRecurrenceRule('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO')).toMatchObject({ ok: false, problem: 'only INTERVAL=1 is supported' });
    expect(parseRecurrenceRule('FREQ=MONTHLY;BYDAY=MO')).toMatchObject({ ok: false });
    expect(parseRecurrenceRule('FREQ=WEEKLY;BYHOUR=25;BYDAY=MO')).toMatchObject({ ok: false });
    expect(parseRecurrenceRule('FREQ=WEEKLY;COUNT=3;BYDAY=MO')).toMatchObject({ ok: false });
    expect(scheduleProblem({ rrule: 'FREQ=WEEKLY', timezone: 'UTC', durationMinutes: 60 })).toContain('BYDAY');
    expect(scheduleProblem({ rrule: 'FREQ=DAILY;BYHOUR=8', timezone: 'UTC', durationMinutes: 60 })).toBeNull();
  });

  it('converts wall-clock times in a zone, including skipped hours', () => {
    expect(isKnownTimeZone('America/Toronto')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus')).toBe(false);
    expect(new Date(zonedTimeToUtc('America/Toronto', 2026, 11, 22, 13, 0)).toISOString()).toBe('2026-11-22T18:00:00.000Z');
    // 02:30 does not exist in Madrid on 29 March 2026: it maps to just after the jump.
    expect(new Date(zonedTimeToUtc('Europe/Madrid', 2026, 3, 29, 2, 30)).toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });
});
