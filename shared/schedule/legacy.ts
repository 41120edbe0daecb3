// Schedules written before there was one format, read into it. Operations in the log sync
// between replicas and never change, so a circle.update from an older release may carry
// either of the two earlier forms:
//   governance form: "FREQ=MONTHLY;BYDAY=2WE;BYHOUR=18;BYMINUTE=0" (optionally "RRULE:"),
//     time of day in BYHOUR/BYMINUTE (00:00 when absent), no first meeting;
//   meetings form: "DTSTART:20260126T180000\nRRULE:…" with DTSTART floating (read in the
//     schedule's zone) or in UTC ("…Z"), an UNTIL that may be floating, or DTSTART alone
//     for a single meeting.
// The governance form has no first meeting, so one is chosen: the first meeting the rule
// gives on or after `anchor`, the moment the operation was made (its clock), which every
// replica and the migration read the same way. The result always passes readSchedule.
import { Temporal } from 'temporal-polyfill';
import {
  firstMeeting,
  instantOf,
  parseWallTime,
  readSchedule,
  scheduleText,
  wallTimeAt,
  type ReadResult,
  type Schedule,
  type ScheduleField,
  type WallTime,
} from './schedule';
import { RuleError, ruleFromParts, ruleParts, type RecurrenceRule } from './rule';

export type NormaliseResult = { ok: true; schedule: Schedule; changed: boolean } | { ok: false; field: ScheduleField; message: string };

/** The one value a legacy BYHOUR/BYMINUTE may have. */
function single(parts: Map<string, string>, name: string, max: number): number {
  const value = parts.get(name);
  parts.delete(name);
  if (value === undefined) return 0;
  if (!/^\d{1,2}$/.test(value) || Number(value) > max) throw new RuleError(`${name}=${value} must be one number from 0 to ${max}; several meeting times a day cannot be kept.`);
  return Number(value);
}

/** A floating UNTIL (no Z) is read in the schedule's zone and written in UTC, as RFC 5545 wants with TZID. */
function utcUntil(parts: Map<string, string>, zone: string): Map<string, string> {
  const until = parts.get('UNTIL');
  if (until === undefined || !/^\d{8}T\d{6}$/.test(until)) return parts;
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})$/.exec(until)!;
  let local: Temporal.ZonedDateTime;
  try {
    local = Temporal.ZonedDateTime.from({ year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +m[4]!, minute: +m[5]!, second: +m[6]!, timeZone: zone }, { overflow: 'reject' });
  } catch {
    throw new RuleError(`UNTIL=${until} is not a real calendar date and time.`);
  }
  const utc = local.withTimeZone('UTC').toPlainDateTime().toString().replace(/[-:]/g, '').slice(0, 15);
  return new Map(parts).set('UNTIL', `${utc}Z`);
}

function governanceForm(text: string, timezone: string, anchor: number): { start: WallTime; rule: RecurrenceRule } {
  const parts = ruleParts(text);
  const hour = single(parts, 'BYHOUR', 23);
  const minute = single(parts, 'BYMINUTE', 59);
  const second = single(parts, 'BYSECOND', 59);
  if (second !== 0) throw new RuleError('BYSECOND must be 0; meetings start on a whole minute.');
  const rule = ruleFromParts(parts);
  const day = wallTimeAt(anchor, timezone);
  return { start: { ...day, hour, minute }, rule };
}

function meetingsForm(lines: string[], timezone: string): { start: WallTime; rule: RecurrenceRule } {
  const dtstart = /^DTSTART(?:;TZID=([^:;]+))?:(\d{8}T\d{6})(Z?)$/i.exec(lines[0]!);
  if (!dtstart) throw new RuleError(`"${lines[0]!.slice(0, 60)}" is not a DTSTART such as DTSTART;TZID=${timezone}:20260126T180000.`);
  if (dtstart[1] !== undefined && dtstart[1] !== timezone) throw new RuleError(`DTSTART's TZID "${dtstart[1]}" differs from the schedule's time zone "${timezone}".`);
  let start = parseWallTime(dtstart[2]!);
  if (dtstart[3]) start = wallTimeAt(instantOf(start, 'UTC'), timezone);
  if (lines.length > 2 || (lines[1] !== undefined && !/^RRULE:/i.test(lines[1]))) {
    throw new RuleError('After DTSTART the schedule may have one RRULE line and nothing else.');
  }
  // A single meeting (DTSTART alone) is a rule that stops after one.
  const rule: RecurrenceRule = lines[1] === undefined ? { freq: 'DAILY', interval: 1, count: 1 } : ruleFromParts(utcUntil(ruleParts(lines[1]), timezone));
  return { start, rule };
}

/**
 * The schedule in the one format, whichever form it was written in. `anchor` (ms) is when
 * it was set: the governance form's first meeting is the first one on or after it.
 */
export function normaliseSchedule(spec: Schedule, anchor: number): NormaliseResult {
  const current = readSchedule(spec);
  if (current.ok) return { ok: true, schedule: spec, changed: false };
  if (current.field !== 'rrule') return current;
  try {
    const lines = spec.rrule.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
    if (lines.length === 0) throw new RuleError('The schedule is empty; it needs a first meeting and a rule.');
    const legacy = /^DTSTART/i.test(lines[0]!) ? meetingsForm(lines, spec.timezone) : lines.length === 1 ? governanceForm(lines[0]!, spec.timezone, anchor) : null;
    if (!legacy) throw new RuleError(current.message);
    const start = firstMeeting(legacy.start, spec.timezone, legacy.rule);
    if (!start) throw new RuleError('The rule never gives a meeting; check its BYDAY, BYMONTHDAY and BYMONTH.');
    const schedule = { ...spec, rrule: scheduleText(start, spec.timezone, legacy.rule) };
    const read: ReadResult = readSchedule(schedule);
    if (!read.ok) return read;
    return { ok: true, schedule, changed: true };
  } catch (error) {
    if (error instanceof RuleError) return { ok: false, field: 'rrule', message: error.message };
    throw error;
  }
}
