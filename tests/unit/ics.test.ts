// ICS export: RFC 5545 structure, CRLF line ends, 75-octet folding, text escaping, and a
// VTIMEZONE whose offset changes match the zone's real ones.
import { describe, expect, it } from 'vitest';
import { buildIcs, escapeText, foldLine, offsetTransitions } from '../../main/core/schedule/ics';
import { parseSchedule } from '../../shared/schedule/rrule';

function ics(rrule: string, timezone: string, circleName = 'Technology operations') {
  const parsed = parseSchedule({ rrule, timezone, durationMinutes: 90 });
  if (!parsed.ok) throw new Error(parsed.message);
  return buildIcs({
    circleId: 'C1',
    circleName,
    schedule: parsed.schedule,
    ruleBody: rrule.split('\n')[1]?.replace('RRULE:', '') ?? null,
    rooms: [{ label: 'Main room', url: 'https://meet.example.coop/b/abc-def-ghi' }],
    now: Date.parse('2026-01-10T12:00:00Z'),
    describeRoom: (label, url) => `${label}: ${url}`,
  });
}

/** Undoes folding, as a calendar reading the file does. */
const unfold = (text: string) => text.replace(/\r\n /g, '');

describe('ICS export', () => {
  it('writes a VCALENDAR with one recurring VEVENT, CRLF line ends and folded lines', () => {
    const text = ics('DTSTART:20260126T180000\nRRULE:FREQ=MONTHLY;BYDAY=4MO', 'UTC');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    for (const line of text.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    const lines = unfold(text).split('\r\n');
    expect(lines.slice(0, 6)).toEqual(['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Plenary//Meetings//EN', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', 'X-WR-CALNAME:Technology operations']);
    expect(lines).toContain('DTSTART:20260126T180000Z');
    expect(lines).toContain('RRULE:FREQ=MONTHLY;BYDAY=4MO');
    expect(lines).toContain('DURATION:PT90M');
    expect(lines).toContain('UID:plenary-schedule-C1@plenary');
    expect(lines).toContain('DTSTAMP:20260110T120000Z');
    expect(lines).toContain('URL:https://meet.example.coop/b/abc-def-ghi');
    expect(lines).toContain('DESCRIPTION:Main room: https://meet.example.coop/b/abc-def-ghi');
    expect(text).not.toContain('VTIMEZONE'); // UTC needs none
  });

  it('uses TZID with a VTIMEZONE for zoned schedules, with the real transitions', () => {
    const lines = unfold(ics('DTSTART:20260105T180000\nRRULE:FREQ=WEEKLY;BYDAY=MO', 'Europe/Madrid')).split('\r\n');
    expect(lines).toContain('DTSTART;TZID=Europe/Madrid:20260105T180000');
    const tz = lines.slice(lines.indexOf('BEGIN:VTIMEZONE'), lines.indexOf('END:VTIMEZONE') + 1);
    expect(tz[1]).toBe('TZID:Europe/Madrid');
    // 2026: summer time starts 29 March at 02:00 (+01 -> +02) and ends 25 October at 03:00 (+02 -> +01).
    expect(tz.slice(2, 7)).toEqual(['BEGIN:DAYLIGHT', 'DTSTART:20260329T020000', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0200', 'END:DAYLIGHT']);
    expect(tz.slice(7, 12)).toEqual(['BEGIN:STANDARD', 'DTSTART:20261025T030000', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'END:STANDARD']);
  });

  it('writes southern-hemisphere and DST-free zones correctly', () => {
    const sydney = unfold(ics('DTSTART:20260105T090000\nRRULE:FREQ=WEEKLY', 'Australia/Sydney')).split('\r\n');
    expect(sydney).toContain('TZOFFSETFROM:+1100');
    const firstDaylight = sydney.indexOf('BEGIN:DAYLIGHT');
    expect(sydney[firstDaylight + 1]).toBe('DTSTART:20261004T020000');
    const tokyo = unfold(ics('DTSTART:20260105T090000', 'Asia/Tokyo')).split('\r\n');
    const tz = tokyo.slice(tokyo.indexOf('BEGIN:VTIMEZONE'), tokyo.indexOf('END:VTIMEZONE') + 1);
    expect(tz).toEqual(['BEGIN:VTIMEZONE', 'TZID:Asia/Tokyo', 'BEGIN:STANDARD', 'DTSTART:19700101T000000', 'TZOFFSETFROM:+0900', 'TZOFFSETTO:+0900', 'END:STANDARD', 'END:VTIMEZONE']);
    expect(tokyo.some((l) => l.startsWith('RRULE'))).toBe(false);
  });

  it('finds New York transitions to the minute', () => {
    const found = offsetTransitions('America/New_York', Date.parse('2026-01-01T00:00:00Z'), Date.parse('2027-01-01T00:00:00Z'));
    expect(found.map((t) => new Date(t.at).toISOString())).toEqual(['2026-03-08T07:00:00.000Z', '2026-11-01T06:00:00.000Z']);
  });

  it('escapes text values', () => {
    expect(escapeText('Care, love; and\\ commons\nwork')).toBe('Care\\, love\\; and\\\\ commons\\nwork');
    const text = unfold(ics('DTSTART:20260126T180000', 'UTC', 'Stewards; board, and care'));
    expect(text).toContain('SUMMARY:Stewards\\; board\\, and care');
  });

  it('folds at 75 octets without splitting multi-byte characters', () => {
    const line = `SUMMARY:${'会議'.repeat(40)}`;
    const folded = foldLine(line);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(new TextEncoder().encode(part).length).toBeLessThanOrEqual(75);
    expect(folded.replace(/\r\n /g, '')).toBe(line);
    expect(foldLine('SHORT:x')).toBe('SHORT:x');
  });
});
