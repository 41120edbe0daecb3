// A circle's meeting schedule as an iCalendar file (RFC 5545) that members import into
// their own calendars: one VEVENT with the schedule's DTSTART, RRULE and duration, and a
// VTIMEZONE built from the zone's actual offset changes (found with Intl), so calendars
// place every occurrence at the same wall-clock time Plenary does. Lines end in CRLF and
// are folded at 75 octets; text values are escaped (§3.1, §3.3.11).
import { formatLocalDateTime, type ParsedSchedule } from '../../../shared/schedule/rrule';
import { offsetAt } from '../../../shared/schedule/zoned-time';

export interface IcsInput {
  circleId: string;
  circleName: string;
  schedule: ParsedSchedule;
  /** The original RRULE body (FREQ=…), null for a one-off meeting. */
  ruleBody: string | null;
  rooms: { label: string; url: string }[];
  now: number;
  /** Translated text for the description ("Join: …"). */
  describeRoom: (label: string, url: string) => string;
}

/** Escapes a TEXT value (§3.3.11). */
export function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/** Folds a content line at 75 octets without splitting a UTF-8 character (§3.1). */
export function foldLine(line: string): string {
  const encoder = new TextEncoder();
  const parts: string[] = [];
  let current = '';
  let bytes = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    const limit = parts.length === 0 ? 75 : 74; // continuation lines start with a space
    if (bytes + size > limit) {
      parts.push(current);
      current = '';
      bytes = 0;
    }
    current += char;
    bytes += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

function utcStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function formatOffset(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  const total = Math.abs(Math.round(ms / 60_000));
  return `${sign}${String(Math.floor(total / 60)).padStart(2, '0')}${String(total % 60).padStart(2, '0')}`;
}

/** The instants in [from, to) at which the zone's offset changes. */
export function offsetTransitions(timeZone: string, from: number, to: number): { at: number; before: number; after: number }[] {
  const week = 7 * 86_400_000;
  const found: { at: number; before: number; after: number }[] = [];
  let t = from;
  let offset = offsetAt(t, timeZone);
  while (t < to) {
    const next = Math.min(t + week, to);
    const nextOffset = offsetAt(next, timeZone);
    if (nextOffset !== offset) {
      // Narrow the change down to the minute.
      let lo = t;
      let hi = next;
      while (hi - lo > 60_000) {
        const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
        if (offsetAt(mid, timeZone) === offset) lo = mid;
        else hi = mid;
      }
      found.push({ at: hi, before: offset, after: nextOffset });
      offset = nextOffset;
    }
    t = next;
  }
  return found;
}

/** A VTIMEZONE with one STANDARD or DAYLIGHT block per change between `from` and `to`. */
export function vtimezone(timeZone: string, from: number, to: number): string[] {
  const transitions = offsetTransitions(timeZone, from, to);
  const lines = ['BEGIN:VTIMEZONE', `TZID:${timeZone}`];
  if (transitions.length === 0) {
    const offset = formatOffset(offsetAt(from, timeZone));
    lines.push('BEGIN:STANDARD', 'DTSTART:19700101T000000', `TZOFFSETFROM:${offset}`, `TZOFFSETTO:${offset}`, 'END:STANDARD');
  }
  const standard = Math.min(...transitions.flatMap((t) => [t.before, t.after]));
  for (const t of transitions) {
    const kind = t.after > standard ? 'DAYLIGHT' : 'STANDARD';
    // An observance starts at the local time of the change, read in the offset before it.
    const localStart = utcStamp(t.at + t.before).replace('Z', '');
    lines.push(`BEGIN:${kind}`, `DTSTART:${localStart}`, `TZOFFSETFROM:${formatOffset(t.before)}`, `TZOFFSETTO:${formatOffset(t.after)}`, `END:${kind}`);
  }
  lines.push('END:VTIMEZONE');
  return lines;
}

export function buildIcs(input: IcsInput): string {
  const { schedule, circleName } = input;
  const isUtc = schedule.timezone === 'UTC' || schedule.timezone === 'Etc/UTC';
  const dtstart = isUtc ? `DTSTART:${formatLocalDateTime(schedule.start)}Z` : `DTSTART;TZID=${schedule.timezone}:${formatLocalDateTime(schedule.start)}`;
  const startYear = Date.UTC(schedule.start.year, 0, 1);
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Plenary//Meetings//EN', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', `X-WR-CALNAME:${escapeText(circleName)}`];
  // Ten years of offset changes cover any schedule a member will import.
  if (!isUtc) lines.push(...vtimezone(schedule.timezone, startYear, startYear + 10 * 366 * 86_400_000));
  lines.push(
    'BEGIN:VEVENT',
    `UID:plenary-schedule-${input.circleId}@plenary`,
    `DTSTAMP:${utcStamp(input.now)}`,
    dtstart,
    `DURATION:PT${schedule.durationMinutes}M`,
  );
  if (input.ruleBody) lines.push(`RRULE:${input.ruleBody}`);
  lines.push(`SUMMARY:${escapeText(circleName)}`);
  if (input.rooms.length > 0) {
    lines.push(`LOCATION:${escapeText(input.rooms[0]!.url)}`, `URL:${input.rooms[0]!.url}`);
    lines.push(`DESCRIPTION:${escapeText(input.rooms.map((r) => input.describeRoom(r.label, r.url)).join('\n'))}`);
  }
  lines.push('END:VEVENT', 'END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
