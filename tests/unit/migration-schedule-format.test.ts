// Migration 20261207T1500-one-schedule-format on a database written by the previous release,
// holding schedules in both earlier forms: each row becomes the one format, exactly what a
// fresh fold of the same operations stores; rows in the one format and rows that cannot be
// read are left as they are.
import { describe, expect, it } from 'vitest';
import { migrations } from '../../main/core/store/migrations';
import { migrate, openDatabase } from '../../main/core/store/database';
import { GovernanceStore } from '../../main/core/store/governance-store';
import { alice, remoteOp, t0 } from '../helpers/governance';
import { readSchedule } from '../../shared/schedule/schedule';

const before = '20261207T0100-chat-invites';
const step = '20261207T1500-one-schedule-format';
const circleId = (n: number) => `C${String(n).padStart(25, '0')}`;

const rows = [
  // The Circles page's form: time of day in BYHOUR/BYMINUTE, no first meeting.
  { raw: { rrule: 'FREQ=MONTHLY;BYDAY=2WE;BYHOUR=18;BYMINUTE=0', timezone: 'Europe/Madrid', durationMinutes: 90 }, expected: 'DTSTART;TZID=Europe/Madrid:20261209T180000\nRRULE:FREQ=MONTHLY;BYDAY=2WE' },
  { raw: { rrule: 'RRULE:FREQ=WEEKLY;BYDAY=TU;BYHOUR=9;BYMINUTE=30', timezone: 'America/Toronto', durationMinutes: 45 }, expected: 'DTSTART;TZID=America/Toronto:20261124T093000\nRRULE:FREQ=WEEKLY;BYDAY=TU' },
  // Today's form: a floating or UTC DTSTART.
  { raw: { rrule: 'DTSTART:20260126T180000\nRRULE:FREQ=MONTHLY;BYDAY=4MO', timezone: 'UTC', durationMinutes: 60 }, expected: 'DTSTART;TZID=UTC:20260126T180000\nRRULE:FREQ=MONTHLY;BYDAY=4MO' },
  { raw: { rrule: 'DTSTART:20260105T170000Z\nRRULE:FREQ=WEEKLY;BYDAY=MO', timezone: 'Europe/Madrid', durationMinutes: 60 }, expected: 'DTSTART;TZID=Europe/Madrid:20260105T180000\nRRULE:FREQ=WEEKLY;BYDAY=MO' },
  // Already in the one format: untouched.
  { raw: { rrule: 'DTSTART;TZID=Asia/Tokyo:20260130T090000\nRRULE:FREQ=MONTHLY;BYDAY=-1FR', timezone: 'Asia/Tokyo', durationMinutes: 60 }, expected: 'DTSTART;TZID=Asia/Tokyo:20260130T090000\nRRULE:FREQ=MONTHLY;BYDAY=-1FR' },
  // Cannot be read (two meeting times a day): kept as it was.
  { raw: { rrule: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9,17', timezone: 'UTC', durationMinutes: 60 }, expected: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9,17' },
];

function previousReleaseDatabase() {
  const db = openDatabase(':memory:', { until: before });
  // The operations, logged and folded by today's store on a database of today, then copied
  // into one of the previous release's schema (the columns it had).
  const today = openDatabase(':memory:');
  const store = new GovernanceStore(today, { actor: alice, now: () => t0 });
  rows.forEach(({ raw }, n) => {
    const circle = circleId(n);
    store.applyRemote([
      remoteOp('circle.create', circle, { name: `Circle ${n}`, purpose: '', timezone: raw.timezone }, { wall: t0 - 2000 }),
      remoteOp('circle.update', circle, { fields: { schedule: raw } }, { wall: t0 - 1000 }),
    ]);
  });
  for (const table of ['ops', 'gov_circles']) {
    const columns = (db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[]).join(', ');
    const insert = db.prepare(`INSERT INTO ${table} (${columns}) VALUES (${columns.split(', ').map(() => '?').join(', ')})`);
    for (const row of today.prepare(`SELECT ${columns} FROM ${table}`).raw().all() as unknown[][]) insert.run(...row);
  }
  today.close();
  // What the previous release's fold wrote: the schedule exactly as the operation carried it.
  rows.forEach(({ raw }, n) => db.prepare('UPDATE gov_circles SET schedule = ? WHERE circle = ?').run(JSON.stringify(raw), circleId(n)));
  return { db };
}

const schedules = (db: ReturnType<typeof openDatabase>) =>
  (db.prepare('SELECT circle, schedule FROM gov_circles ORDER BY circle').all() as { circle: string; schedule: string | null }[]).map((r) => ({ circle: r.circle, schedule: r.schedule && JSON.parse(r.schedule) }));

describe(`migration ${step}`, () => {
  it('rewrites each stored schedule in either earlier form, row by row, and leaves the rest', () => {
    const { db } = previousReleaseDatabase();
    expect(schedules(db).map((r) => r.schedule.rrule)).toEqual(rows.map((r) => r.raw.rrule));
    expect(migrate(db, migrations)[0]).toBe(step);
    const after = schedules(db);
    rows.forEach(({ raw, expected }, n) => {
      expect(after[n], `row ${n}: ${raw.rrule}`).toEqual({ circle: circleId(n), schedule: { ...raw, rrule: expected } });
    });
    expect(after.slice(0, 5).every((r) => readSchedule(r.schedule).ok)).toBe(true);
    expect(readSchedule(after[5]!.schedule)).toMatchObject({ ok: false, field: 'rrule' });
  });

  it('leaves the tables as a fresh fold of the same operations would', () => {
    const { db } = previousReleaseDatabase();
    migrate(db, migrations);
    const migrated = schedules(db);
    new GovernanceStore(db, { actor: alice, now: () => t0 }).rebuild();
    expect(schedules(db)).toEqual(migrated);
  });

  it('does nothing on a database without schedules', () => {
    const db = openDatabase(':memory:', { until: before });
    expect(migrate(db, migrations)[0]).toBe(step);
    expect(schedules(db)).toEqual([]);
  });
});
