// A circle's meeting schedule as an iCalendar file (RFC 5545) that members import into their
// own calendars, written by ical-generator: one VEVENT whose DTSTART (with TZID), RRULE and
// DTEND are the stored schedule's, so calendars place every meeting at the wall-clock time
// Plenary does. Tests read the file back with ical.js and compare the meetings.
//
// The VTIMEZONE is built here from the runtime's own time-zone data (Temporal's
// getTimeZoneTransition), not taken from @touch4it/ical-timezones, the generator
// ical-generator suggests: that package ships Olson 2018g, which still has daylight-saving
// time in America/Mexico_City (abolished in 2022), and calendars that trust the file's
// VTIMEZONE over the TZID name would place those meetings an hour off.
import ical from 'ical-generator';
import { Temporal } from 'temporal-polyfill';
import { scheduleText, type ReadSchedule } from '../../../shared/schedule/schedule';

export interface IcsInput {
  circleId: string;
  circleName: string;
  schedule: ReadSchedule;
  rooms: { label: string; url: string }[];
  now: number;
  /** Translated text for the description ("Join: …"). */
  describeRoom: (label: string, url: string) => string;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function offsetText(nanoseconds: number): string {
  const minutes = Math.round(nanoseconds / 60e9);
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

function localStamp(z: Temporal.PlainDateTime): string {
  return `${pad(z.year, 4)}${pad(z.month)}${pad(z.day)}T${pad(z.hour)}${pad(z.minute)}${pad(z.second)}`;
}

/**
 * A VTIMEZONE with the offset in force at `from` and one STANDARD or DAYLIGHT block for
 * each change until `to` (RFC 5545 §3.6.5). Observances start at the local time of the
 * change, read in the offset before it.
 */
export function vtimezone(zone: string, from: number, to: number): string {
  let cursor = Temporal.Instant.fromEpochMilliseconds(from).toZonedDateTimeISO(zone);
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`];
  const changes: { at: Temporal.ZonedDateTime; before: number; after: number }[] = [];
  for (;;) {
    const next = cursor.getTimeZoneTransition('next');
    if (!next || next.epochMilliseconds > to) break;
    changes.push({ at: next, before: next.subtract({ nanoseconds: 1 }).offsetNanoseconds, after: next.offsetNanoseconds });
    cursor = next;
  }
  const start = Temporal.Instant.fromEpochMilliseconds(from).toZonedDateTimeISO(zone);
  const offsets = [start.offsetNanoseconds, ...changes.map((c) => c.after)];
  const standard = Math.min(...offsets);
  const block = (kind: 'STANDARD' | 'DAYLIGHT', local: Temporal.PlainDateTime, before: number, after: number) =>
    lines.push(`BEGIN:${kind}`, `DTSTART:${localStamp(local)}`, `TZOFFSETFROM:${offsetText(before)}`, `TZOFFSETTO:${offsetText(after)}`, `END:${kind}`);
  block(start.offsetNanoseconds > standard ? 'DAYLIGHT' : 'STANDARD', start.toPlainDateTime(), start.offsetNanoseconds, start.offsetNanoseconds);
  for (const c of changes) {
    const local = c.at.toInstant().toZonedDateTimeISO('UTC').toPlainDateTime().add({ nanoseconds: c.before });
    block(c.after > standard ? 'DAYLIGHT' : 'STANDARD', local, c.before, c.after);
  }
  lines.push('END:VTIMEZONE');
  return lines.join('\r\n');
}

const year = 366 * 86_400_000;

export function buildIcs(input: IcsInput): string {
  const { schedule, circleName } = input;
  const zone = schedule.timezone;
  const isUtc = zone === 'UTC' || zone === 'Etc/UTC';
  const start = Temporal.ZonedDateTime.from({ ...schedule.start, timeZone: zone });
  // From the start of the first meeting's year to ten years past now covers any schedule a member imports.
  const from = Temporal.ZonedDateTime.from({ year: schedule.start.year, month: 1, day: 1, timeZone: zone }).epochMilliseconds;
  const to = Math.max(input.now, start.epochMilliseconds) + 10 * year;
  const calendar = ical({
    name: circleName,
    prodId: { company: 'Plenary', product: 'Meetings', language: 'EN' },
    // No calendar-wide zone: ical-generator would then write DTSTAMP as a floating time.
    timezone: { name: null, generator: (name) => vtimezone(name, from, to) },
  });
  const end = start.add({ minutes: schedule.durationMinutes });
  calendar.createEvent({
    id: `plenary-schedule-${input.circleId}@plenary`,
    stamp: new Date(input.now),
    start: isUtc ? new Date(start.epochMilliseconds) : start,
    end: isUtc ? new Date(end.epochMilliseconds) : end,
    timezone: isUtc ? null : zone,
    repeating: scheduleText(schedule.start, zone, schedule.rule).split('\n')[1]!,
    summary: circleName,
    ...(input.rooms.length > 0
      ? {
          location: input.rooms[0]!.url,
          url: input.rooms[0]!.url,
          description: input.rooms.map((r) => input.describeRoom(r.label, r.url)).join('\n'),
        }
      : {}),
  });
  return calendar.toString();
}
