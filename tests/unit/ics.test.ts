// ICS export (ical-generator): RFC 5545 structure, CRLF line ends, 75-octet folding, text
// escaping, a VTIMEZONE from the runtime's own zone data, and, read back with ical.js as an
// independent parser, the same meetings at the same instants as Plenary's engine, across
// daylight-saving changes, so calendar apps and Plenary agree.
import ICAL from 'ical.js';
import { afterEach, describe, expect, it } from 'vitest';
import { buildIcs, vtimezone } from '../../main/core/schedule/ics';
import { occurrencesOf, readSchedule, type Schedule } from '../../shared/schedule/schedule';

const now = Date.parse('2026-01-10T12:00:00Z');

function ics(rrule: string, timezone: string, circleName = 'Technology operations', durationMinutes = 90) {
  const read = readSchedule({ rrule, timezone, durationMinutes });
  if (!read.ok) throw new Error(read.message);
  return buildIcs({
    circleId: 'C1',
    circleName,
    schedule: read.schedule,
    rooms: [{ label: 'Main room', url: 'https://meet.example.coop/b/abc-def-ghi' }],
    now,
    describeRoom: (label, url) => `${label}: ${url}`,
  });
}

/** Undoes folding, as a calendar reading the file does. */
const unfold = (text: string) => text.replace(/\r\n /g, '');

const registered: string[] = [];
afterEach(() => {
  for (const zone of registered.splice(0)) ICAL.TimezoneService.remove(zone);
});

/** The first `count` meetings as ical.js reads the file: start and end instants. */
function icalMeetings(text: string, count: number): { start: number; end: number }[] {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const zone of calendar.getAllSubcomponents('vtimezone')) {
    ICAL.TimezoneService.register(zone);
    registered.push(String(zone.getFirstPropertyValue('tzid')));
  }
  // Re-read so DTSTART's TZID resolves against the registered zone.
  const event = new ICAL.Event(new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent')!);
  const iterator = event.iterator();
  const out: { start: number; end: number }[] = [];
  for (let next = iterator.next(); next && out.length < count; next = iterator.next()) {
    const details = event.getOccurrenceDetails(next);
    out.push({ start: details.startDate.toUnixTime() * 1000, end: details.endDate.toUnixTime() * 1000 });
  }
  return out;
}

describe('ICS export', () => {
  it('writes a VCALENDAR with one recurring VEVENT, CRLF line ends and folded lines', () => {
    const text = ics('DTSTART;TZID=UTC:20260126T180000\nRRULE:FREQ=MONTHLY;BYDAY=4MO', 'UTC');
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    for (const line of text.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    const lines = unfold(text).split('\r\n');
    expect(lines.slice(0, 3)).toEqual(['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Plenary//Meetings//EN']);
    expect(lines).toContain('X-WR-CALNAME:Technology operations');
    expect(lines).toContain('DTSTART:20260126T180000Z');
    expect(lines).toContain('DTEND:20260126T193000Z');
    expect(lines).toContain('RRULE:FREQ=MONTHLY;BYDAY=4MO');
    expect(lines).toContain('UID:plenary-schedule-C1@plenary');
    expect(lines).toContain('DTSTAMP:20260110T120000Z');
    expect(lines).toContain('URL;VALUE=URI:https://meet.example.coop/b/abc-def-ghi');
    expect(lines).toContain('DESCRIPTION:Main room: https://meet.example.coop/b/abc-def-ghi');
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(1);
    expect(text).not.toContain('VTIMEZONE'); // UTC needs none
  });

  it('uses TZID with a VTIMEZONE holding the zone’s real changes', () => {
    const lines = unfold(ics('DTSTART;TZID=Europe/Madrid:20260105T180000\nRRULE:FREQ=WEEKLY;BYDAY=MO', 'Europe/Madrid')).split('\r\n');
    expect(lines).toContain('DTSTART;TZID=Europe/Madrid:20260105T180000');
    expect(lines).toContain('DTEND;TZID=Europe/Madrid:20260105T193000');
    const tz = lines.slice(lines.indexOf('BEGIN:VTIMEZONE'), lines.indexOf('END:VTIMEZONE') + 1);
    expect(tz[1]).toBe('TZID:Europe/Madrid');
    // In force on 1 January 2026, then summer time from 29 March at 02:00 to 25 October at 03:00.
    expect(tz.slice(2, 7)).toEqual(['BEGIN:STANDARD', 'DTSTART:20260101T000000', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0100', 'END:STANDARD']);
    expect(tz.slice(7, 12)).toEqual(['BEGIN:DAYLIGHT', 'DTSTART:20260329T020000', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0200', 'END:DAYLIGHT']);
    expect(tz.slice(12, 17)).toEqual(['BEGIN:STANDARD', 'DTSTART:20261025T030000', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'END:STANDARD']);
  });

  it('follows current zone rules: Mexico City has had no summer time since 2022', () => {
    const text = vtimezone('America/Mexico_City', Date.parse('2026-01-01T06:00:00Z'), Date.parse('2036-01-01T00:00:00Z'));
    expect(text).not.toContain('DAYLIGHT');
    expect(text).toContain('TZOFFSETTO:-0600');
    const sydney = vtimezone('Australia/Sydney', Date.parse('2026-01-01T00:00:00Z'), Date.parse('2027-01-01T00:00:00Z'));
    expect(sydney).toContain('BEGIN:DAYLIGHT\r\nDTSTART:20261004T020000\r\nTZOFFSETFROM:+1000\r\nTZOFFSETTO:+1100');
  });

  it.each([
    ['Madrid weekly, across both 2026 changes', 'DTSTART;TZID=Europe/Madrid:20260302T180000\nRRULE:FREQ=WEEKLY;BYDAY=MO', 'Europe/Madrid', 40],
    ['Toronto, the last Friday of each month', 'DTSTART;TZID=America/Toronto:20260130T180000\nRRULE:FREQ=MONTHLY;BYDAY=-1FR', 'America/Toronto', 24],
    ['Madrid, the fifth Thursday (skipped in months without one)', 'DTSTART;TZID=Europe/Madrid:20260129T180000\nRRULE:FREQ=MONTHLY;BYDAY=5TH', 'Europe/Madrid', 12],
    ['commons.hour in UTC', 'DTSTART;TZID=UTC:20260126T180000\nRRULE:FREQ=MONTHLY;BYDAY=4MO', 'UTC', 12],
    ['Sydney, every two weeks on Tuesday and Thursday', 'DTSTART;TZID=Australia/Sydney:20260106T090000\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH', 'Australia/Sydney', 30],
    ['Tokyo, the last weekday of the month', 'DTSTART;TZID=Asia/Tokyo:20260130T090000\nRRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', 'Asia/Tokyo', 12],
    ['Toronto, ten meetings (COUNT)', 'DTSTART;TZID=America/Toronto:20260302T180000\nRRULE:FREQ=WEEKLY;COUNT=10', 'America/Toronto', 20],
    ['Madrid until the autumn change (UNTIL)', 'DTSTART;TZID=Europe/Madrid:20260907T180000\nRRULE:FREQ=WEEKLY;UNTIL=20261102T170000Z', 'Europe/Madrid', 20],
  ])('reads back with ical.js into the same meetings: %s', (_name, rrule, timezone, count) => {
    const schedule: Schedule = { rrule, timezone, durationMinutes: 90 };
    const ours = occurrencesOf(schedule, { from: 0, to: Date.parse('2030-01-01'), limit: count });
    expect(ours.length).toBeGreaterThan(0);
    expect(icalMeetings(ics(rrule, timezone), count)).toEqual(ours);
  });

  it('escapes text values and folds long ones without splitting characters', () => {
    const text = ics('DTSTART;TZID=UTC:20260126T180000\nRRULE:FREQ=DAILY;COUNT=1', 'UTC', `Stewards; board, and care ${'会議'.repeat(30)}`);
    expect(unfold(text)).toContain(`SUMMARY:Stewards\\; board\\, and care ${'会議'.repeat(30)}`);
    for (const line of text.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    const event = new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent')!;
    expect(event.getFirstPropertyValue('summary')).toBe(`Stewards; board, and care ${'会議'.repeat(30)}`);
  });
});
