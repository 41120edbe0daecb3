// Circle schedules in governance: both earlier forms, still carried by operations already in
// the log, are read into the one format (DTSTART;TZID + RRULE) when folded, giving the same
// meetings as before; changes made here must be in the one format; every replica stores the
// same text for the same operation.
import { describe, expect, it } from 'vitest';
import { alice, makeStore, remoteOp, t0 } from '../helpers/governance';
import { GovernanceQueries } from '../../main/core/governance/governance-queries';
import { normaliseSchedule } from '../../shared/schedule/legacy';
import { isKnownTimeZone, nextOccurrences, readSchedule, type Schedule } from '../../shared/schedule/schedule';
import { newId } from '../../shared/governance/ids';

const iso = (ms: number) => new Date(ms).toISOString();
const normal = (rrule: string, timezone: string, anchor = Date.UTC(2026, 10, 22), durationMinutes = 60) => {
  const result = normaliseSchedule({ rrule, timezone, durationMinutes }, anchor);
  if (!result.ok) throw new Error(`${result.field}: ${result.message}`);
  return result.schedule;
};

describe('the governance form (FREQ=…;BYHOUR=…;BYMINUTE=…)', () => {
  it('reads commons.hour, the fourth Monday of each month at 18:00 UTC, from the moment it was set', () => {
    const schedule = normal('FREQ=MONTHLY;BYDAY=4MO;BYHOUR=18;BYMINUTE=0', 'UTC');
    expect(schedule).toEqual({ rrule: 'DTSTART;TZID=UTC:20261123T180000\nRRULE:FREQ=MONTHLY;BYDAY=4MO', timezone: 'UTC', durationMinutes: 60 });
    expect(nextOccurrences(schedule, Date.UTC(2026, 10, 22), 3).map(iso)).toEqual(['2026-11-23T18:00:00.000Z', '2026-12-28T18:00:00.000Z', '2027-01-25T18:00:00.000Z']);
  });

  it('reads the schedule that never reached Today: the second Wednesday at 18:00 Madrid', () => {
    expect(normal('FREQ=MONTHLY;BYDAY=2WE;BYHOUR=18;BYMINUTE=0', 'Europe/Madrid').rrule).toBe('DTSTART;TZID=Europe/Madrid:20261209T180000\nRRULE:FREQ=MONTHLY;BYDAY=2WE');
  });

  it('keeps a weekly 09:30 meeting at 09:30 Madrid across the October change', () => {
    const schedule = normal('RRULE:FREQ=WEEKLY;BYDAY=TU;BYHOUR=9;BYMINUTE=30', 'Europe/Madrid', Date.UTC(2026, 9, 19), 45);
    expect(schedule.rrule).toBe('DTSTART;TZID=Europe/Madrid:20261020T093000\nRRULE:FREQ=WEEKLY;BYDAY=TU');
    // Summer time (UTC+2) ends on 25 October 2026.
    expect(nextOccurrences(schedule, Date.UTC(2026, 9, 19), 2).map(iso)).toEqual(['2026-10-20T07:30:00.000Z', '2026-10-27T08:30:00.000Z']);
  });

  it('understands the last weekday of the month, month days, midnight by default and UNTIL', () => {
    const lastFriday = normal('FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=15', 'Asia/Tokyo', Date.UTC(2026, 10, 1));
    expect(nextOccurrences(lastFriday, Date.UTC(2026, 10, 1), 1).map(iso)).toEqual(['2026-11-27T06:00:00.000Z']);
    const first = normal('FREQ=MONTHLY;BYMONTHDAY=1;UNTIL=20270101', 'UTC', Date.UTC(2026, 10, 2));
    expect(first.rrule).toBe('DTSTART;TZID=UTC:20261201T000000\nRRULE:FREQ=MONTHLY;UNTIL=20270101;BYMONTHDAY=1');
    expect(nextOccurrences(first, Date.UTC(2026, 10, 2), 5)).toHaveLength(2);
  });

  it('explains what it cannot keep, naming the field', () => {
    expect(normaliseSchedule({ rrule: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9,17', timezone: 'UTC', durationMinutes: 60 }, t0)).toEqual({
      ok: false,
      field: 'rrule',
      message: expect.stringContaining('several meeting times a day cannot be kept'),
    });
    expect(normaliseSchedule({ rrule: 'FREQ=HOURLY;BYHOUR=9', timezone: 'UTC', durationMinutes: 60 }, t0)).toMatchObject({ ok: false, field: 'rrule', message: expect.stringContaining('FREQ=HOURLY') });
    expect(normaliseSchedule({ rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31', timezone: 'UTC', durationMinutes: 60 }, t0)).toMatchObject({ ok: false, message: expect.stringContaining('never gives a meeting') });
    expect(normaliseSchedule({ rrule: 'FREQ=WEEKLY', timezone: 'Mars/Olympus', durationMinutes: 60 }, t0)).toMatchObject({ ok: false, field: 'timezone' });
    expect(isKnownTimeZone('America/Toronto')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe("the meetings form (DTSTART:… floating or in UTC)", () => {
  it('reads a floating DTSTART in the schedule zone and a UTC one converted to it', () => {
    expect(normal('DTSTART:20260126T180000\nRRULE:FREQ=MONTHLY;BYDAY=4MO', 'UTC').rrule).toBe('DTSTART;TZID=UTC:20260126T180000\nRRULE:FREQ=MONTHLY;BYDAY=4MO');
    expect(normal('DTSTART:20260105T170000Z\nRRULE:FREQ=WEEKLY;BYDAY=MO', 'Europe/Madrid').rrule).toBe('DTSTART;TZID=Europe/Madrid:20260105T180000\nRRULE:FREQ=WEEKLY;BYDAY=MO');
  });

  it('writes a floating UNTIL in UTC, moves an unsynchronised DTSTART to the first meeting, keeps a single meeting', () => {
    expect(normal('DTSTART:20260105T180000\nRRULE:FREQ=WEEKLY;UNTIL=20260301T180000', 'Europe/Madrid').rrule).toBe('DTSTART;TZID=Europe/Madrid:20260105T180000\nRRULE:FREQ=WEEKLY;UNTIL=20260301T170000Z');
    expect(normal('DTSTART:20260101T090000\nRRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', 'Asia/Tokyo').rrule).toBe(
      'DTSTART;TZID=Asia/Tokyo:20260130T090000\nRRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1',
    );
    const once = normal('DTSTART:20260126T180000', 'UTC');
    expect(once.rrule).toBe('DTSTART;TZID=UTC:20260126T180000\nRRULE:FREQ=DAILY;COUNT=1');
    expect(nextOccurrences(once, 0, 5).map(iso)).toEqual(['2026-01-26T18:00:00.000Z']);
  });

  it('leaves the one format as it is', () => {
    const current: Schedule = { rrule: 'DTSTART;TZID=UTC:20260126T180000\nRRULE:FREQ=MONTHLY;BYDAY=4MO', timezone: 'UTC', durationMinutes: 60 };
    expect(normaliseSchedule(current, t0)).toEqual({ ok: true, schedule: current, changed: false });
    expect(normaliseSchedule({ ...current, rrule: 'DTSTART;TZID=America/New_York:20260126T180000' }, t0)).toMatchObject({ ok: false, field: 'rrule', message: expect.stringContaining('differs') });
  });
});

describe('the governance store', () => {
  const circle = newId(t0);
  const create = () => {
    const { db, store } = makeStore();
    store.applyLocal('circle.create', circle, { name: 'Tech ops', purpose: '', timezone: 'Europe/Madrid' });
    const queries = new GovernanceQueries(db, () => alice, () => t0);
    return { db, store, queries };
  };

  it('folds both earlier forms from other replicas into the one format, anchored on the operation clock', () => {
    const { store, queries } = create();
    const wall = t0 - 1000;
    store.applyRemote([remoteOp('circle.update', circle, { fields: { schedule: { rrule: 'FREQ=MONTHLY;BYDAY=2WE;BYHOUR=18;BYMINUTE=0', timezone: 'Europe/Madrid', durationMinutes: 90 } } }, { wall })]);
    expect(queries.circle(circle).schedule).toEqual({ rrule: 'DTSTART;TZID=Europe/Madrid:20261209T180000\nRRULE:FREQ=MONTHLY;BYDAY=2WE', timezone: 'Europe/Madrid', durationMinutes: 90 });
    store.applyRemote([remoteOp('circle.update', circle, { fields: { schedule: { rrule: 'DTSTART:20261207T180000\nRRULE:FREQ=WEEKLY;BYDAY=MO', timezone: 'Europe/Madrid', durationMinutes: 60 } } }, { wall: t0 })]);
    expect(queries.circle(circle).schedule?.rrule).toBe('DTSTART;TZID=Europe/Madrid:20261207T180000\nRRULE:FREQ=WEEKLY;BYDAY=MO');
  });

  it('keeps a schedule it cannot read as sent, so readers can say what is wrong', () => {
    const { store, queries } = create();
    const odd = { rrule: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9,17', timezone: 'Europe/Madrid', durationMinutes: 60 };
    store.applyRemote([remoteOp('circle.update', circle, { fields: { schedule: odd } })]);
    expect(queries.circle(circle).schedule).toEqual(odd);
    expect(readSchedule(odd)).toMatchObject({ ok: false, field: 'rrule' });
  });

  it('records changes made here only in the one format, naming the field', () => {
    const { store } = create();
    expect(() => store.applyLocal('circle.update', circle, { fields: { schedule: { rrule: 'FREQ=MONTHLY;BYDAY=4MO;BYHOUR=18;BYMINUTE=0', timezone: 'UTC', durationMinutes: 60 } } })).toThrow(
      expect.objectContaining({ code: 'invalid_input', field: 'payload.fields.schedule.rrule' }),
    );
    expect(() => store.applyLocal('circle.update', circle, { fields: { schedule: { rrule: 'DTSTART;TZID=Mars/Base:20261207T180000\nRRULE:FREQ=WEEKLY', timezone: 'Mars/Base', durationMinutes: 60 } } })).toThrow(
      expect.objectContaining({ field: 'payload.fields.schedule.timezone' }),
    );
    const schedule = { rrule: 'DTSTART;TZID=UTC:20261123T180000\nRRULE:FREQ=MONTHLY;BYDAY=4MO', timezone: 'UTC', durationMinutes: 60 };
    store.applyLocal('circle.update', circle, { fields: { schedule } });
  });

  it('stores the same text on a replica that rebuilds from the log', () => {
    const { db, store, queries } = create();
    store.applyRemote([remoteOp('circle.update', circle, { fields: { schedule: { rrule: 'FREQ=WEEKLY;BYDAY=TH;BYHOUR=9', timezone: 'America/Toronto', durationMinutes: 60 } } }, { wall: Date.UTC(2026, 2, 1) })]);
    const before = queries.circle(circle).schedule;
    store.rebuild();
    expect(new GovernanceQueries(db, () => alice, () => t0).circle(circle).schedule).toEqual(before);
    expect(before?.rrule).toBe('DTSTART;TZID=America/Toronto:20260305T090000\nRRULE:FREQ=WEEKLY;BYDAY=TH');
  });
});
