// Reminders with a fake clock: a notification reminderMinutes before each meeting, once,
// none during Do not disturb, late ones only while the meeting has just begun.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../main/core/clock';
import { ReminderScheduler, type DueReminder, type UpcomingMeeting } from '../../main/core/schedule/reminder-scheduler';
import { occurrencesOf } from '../../shared/schedule/schedule';
import { createLogger, memorySink } from '../../main/core/log';

const minute = 60_000;

function setup(options: { minutes?: number; dnd?: boolean; start?: string } = {}) {
  const clock = new FakeClock(Date.parse(options.start ?? '2026-01-26T17:00:00Z'));
  const settings = { minutes: options.minutes ?? 10, dnd: options.dnd ?? false };
  const notified: DueReminder[] = [];
  // commons.hour: fourth Monday of every month, 18:00 UTC; Stewards: every Monday 18:00 Madrid.
  const schedules = [
    { circleId: 'commons', circleName: 'commons.hour', spec: { rrule: 'DTSTART;TZID=UTC:20260126T180000\nRRULE:FREQ=MONTHLY;BYDAY=4MO', timezone: 'UTC', durationMinutes: 60 } },
    { circleId: 'stewards', circleName: 'Stewards', spec: { rrule: 'DTSTART;TZID=Europe/Madrid:20260105T180000\nRRULE:FREQ=WEEKLY;BYDAY=MO', timezone: 'Europe/Madrid', durationMinutes: 45 } },
  ];
  const upcoming = (from: number, to: number): UpcomingMeeting[] =>
    schedules.flatMap((s) => occurrencesOf(s.spec, { from, to }).map((o) => ({ circleId: s.circleId, circleName: s.circleName, start: o.start, end: o.end, roomId: `${s.circleId}-room` })));
  const { records, sink } = memorySink();
  const scheduler = new ReminderScheduler({
    clock,
    upcoming,
    reminderMinutes: () => settings.minutes,
    doNotDisturb: () => settings.dnd,
    notify: (r) => notified.push(r),
    log: createLogger('test', sink),
  });
  return { clock, settings, notified, scheduler, records };
}

describe('meeting reminders', () => {
  it('fires reminderMinutes before each meeting, once, as the clock moves', () => {
    const { clock, notified, scheduler } = setup();
    // Stewards: 18:00 Madrid = 17:00 UTC in winter; it is 17:00 UTC now: started just now.
    expect(scheduler.tick().map((r) => [r.circleName, r.minutesBefore])).toEqual([['Stewards', 0]]);
    clock.set(Date.parse('2026-01-26T17:49:00Z'));
    expect(scheduler.tick()).toEqual([]);
    clock.advance(minute);
    expect(scheduler.tick().map((r) => [r.circleName, r.minutesBefore, new Date(r.start).toISOString()])).toEqual([['commons.hour', 10, '2026-01-26T18:00:00.000Z']]);
    clock.advance(30_000);
    expect(scheduler.tick()).toEqual([]);
    clock.set(Date.parse('2026-01-26T18:00:00Z'));
    expect(scheduler.tick()).toEqual([]);
    expect(notified).toHaveLength(2);
  });

  it('follows the member\'s setting for how early', () => {
    const { clock, scheduler, settings } = setup({ minutes: 30, start: '2026-01-26T17:29:00Z' });
    expect(scheduler.tick()).toEqual([]);
    clock.advance(minute);
    expect(scheduler.tick().map((r) => r.minutesBefore)).toEqual([30]);
    settings.minutes = 0;
    clock.set(Date.parse('2026-02-02T16:59:59Z'));
    expect(scheduler.tick()).toEqual([]);
    clock.advance(1000);
    expect(scheduler.tick().map((r) => [r.circleName, r.minutesBefore])).toEqual([['Stewards', 0]]);
  });

  it('stays quiet during Do not disturb, and does not fire the skipped reminder later', () => {
    const { clock, scheduler, settings, notified } = setup({ dnd: true, start: '2026-01-26T17:50:00Z' });
    expect(scheduler.tick()).toEqual([]);
    settings.dnd = false;
    clock.advance(minute);
    expect(scheduler.tick()).toEqual([]);
    expect(notified).toEqual([]);
  });

  it('reminds late after the computer slept, but only in the first minutes of the meeting', () => {
    const late = setup({ start: '2026-01-26T18:04:00Z' });
    expect(late.scheduler.tick().map((r) => r.circleName)).toEqual(['commons.hour']);
    const tooLate = setup({ start: '2026-01-26T18:06:00Z' });
    expect(tooLate.scheduler.tick()).toEqual([]);
  });

  it('moves with daylight saving: Stewards at 18:00 Madrid is 16:00 UTC in summer', () => {
    const { clock, scheduler } = setup({ start: '2026-06-01T15:49:00Z' });
    expect(scheduler.tick()).toEqual([]);
    clock.advance(minute);
    expect(scheduler.tick().map((r) => [r.circleName, new Date(r.start).toISOString()])).toEqual([['Stewards', '2026-06-01T16:00:00.000Z']]);
  });

  it('logs and carries on when a notification or the meeting list fails', () => {
    const clock = new FakeClock(Date.parse('2026-01-26T17:55:00Z'));
    const { records, sink } = memorySink();
    let fail = true;
    const scheduler = new ReminderScheduler({
      clock,
      upcoming: () => {
        if (fail) throw new Error('store closed');
        return [{ circleId: 'c', circleName: 'C', start: Date.parse('2026-01-26T18:00:00Z'), end: Date.parse('2026-01-26T19:00:00Z'), roomId: null }];
      },
      reminderMinutes: () => 10,
      doNotDisturb: () => false,
      notify: () => {
        throw new Error('no notification daemon');
      },
      log: createLogger('test', sink),
    });
    expect(scheduler.tick()).toEqual([]);
    fail = false;
    expect(scheduler.tick()).toEqual([]);
    expect(records.map((r) => r.message)).toEqual(['could not list meetings for reminders', 'a meeting reminder could not be shown']);
  });
});
