// Time polls ("when shall we meet?"): a vote with method 'time' whose options are slots.
// Each option's label is the slot itself as an ISO 8601 interval in UTC with a duration in
// minutes, "2026-12-15T17:00Z/PT90M", so the vote machinery (ballots, closing, sync, the
// Element poll) carries it unchanged and every replica reads the same instant. Members
// answer as in a multiple-choice vote: the slots they can make. Each member sees the slots
// on their own clock (formatSlot, through Intl with the member's zone); Element shows them
// in UTC and the circle's zone (elementSlotText). A facilitator picks one slot of a closed
// poll (vote.update fields.chosenOption) and it becomes a one-off meeting of the circle
// (meetingOfChosenSlot), listed on Today with its rooms like scheduled meetings.
//
// Pure: no "now" unless given, no Node or DOM API.

/** A slot is at most a day long, as a scheduled meeting (shared/schedule maxDurationMinutes). */
export const maxSlotMinutes = 24 * 60;

export interface TimeSlot {
  /** Milliseconds since the epoch (UTC). */
  start: number;
  durationMinutes: number;
  end: number;
}

// The minutes may carry a sign so a non-positive duration gets its own clear message.
const slotPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})Z\/PT(-?\d{1,5})M$/;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The label a slot is stored as: "2026-12-15T17:00Z/PT90M". */
export function slotLabel(start: number, durationMinutes: number): string {
  const d = new Date(start);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}Z/PT${durationMinutes}M`;
}

export type SlotReason = 'not_a_slot' | 'duration_not_positive' | 'duration_too_long' | 'duplicate_slot' | 'slot_in_past' | 'too_few_slots';

export type SlotRead = { ok: true; slot: TimeSlot } | { ok: false; reason: SlotReason; message: string };

/** Reads one option label as a slot; a label that is not one says what is wrong. */
export function readSlot(label: string): SlotRead {
  const m = slotPattern.exec(label);
  if (!m) return { ok: false, reason: 'not_a_slot', message: `"${label.slice(0, 40)}" is not a time slot like 2026-12-15T17:00Z/PT90M (a UTC start and its length in minutes)` };
  const [year, month, day, hour, minute, minutes] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const start = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(start);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59) {
    return { ok: false, reason: 'not_a_slot', message: `"${label.slice(0, 40)}" is not a real date and time` };
  }
  if (minutes <= 0) return { ok: false, reason: 'duration_not_positive', message: 'a time slot must last at least one minute' };
  if (minutes > maxSlotMinutes) return { ok: false, reason: 'duration_too_long', message: `a time slot lasts at most ${maxSlotMinutes} minutes (a day)` };
  return { ok: true, slot: { start, durationMinutes: minutes, end: start + minutes * 60_000 } };
}

export interface SlotProblem {
  /** The option's index, or -1 for the poll as a whole. */
  index: number;
  reason: SlotReason;
  message: string;
}

/**
 * What is wrong with a time poll's slots: each label must be a slot, no two may start at the
 * same instant, and there must be at least two. Given `now`, slots that have already started
 * are refused too (only where a poll is made: replicas must agree on what exists without a clock).
 */
export function slotProblems(labels: readonly string[], now?: number): SlotProblem[] {
  const problems: SlotProblem[] = [];
  const starts = new Map<number, number>();
  labels.forEach((label, index) => {
    const read = readSlot(label);
    if (!read.ok) {
      problems.push({ index, reason: read.reason, message: read.message });
      return;
    }
    const earlier = starts.get(read.slot.start);
    if (earlier !== undefined) {
      problems.push({ index, reason: 'duplicate_slot', message: `slot ${index + 1} starts at the same time as slot ${earlier + 1}` });
      return;
    }
    starts.set(read.slot.start, index);
    if (now !== undefined && read.slot.start <= now) problems.push({ index, reason: 'slot_in_past', message: `slot ${index + 1} (${label}) has already begun; offer times still to come` });
  });
  if (labels.length < 2) problems.push({ index: -1, reason: 'too_few_slots', message: 'a time poll needs at least two slots' });
  return problems;
}

/** The slots of a time poll's options, by option id (options that are not slots are left out). */
export function slotsOf(options: readonly { id: string; label: string }[]): Map<string, TimeSlot> {
  const out = new Map<string, TimeSlot>();
  for (const o of options) {
    const read = readSlot(o.label);
    if (read.ok) out.set(o.id, read.slot);
  }
  return out;
}

export type ChooseReason = 'not_time_poll' | 'poll_open' | 'not_an_option';

/** Why a slot cannot be chosen for this vote, or null when it can (a closed time poll and one of its options). */
export function chooseSlotProblem(vote: { method: string; options: readonly { id: string; label: string }[] }, optionId: string, closed: boolean): { reason: ChooseReason; message: string } | null {
  if (vote.method !== 'time') return { reason: 'not_time_poll', message: 'only a time poll has a slot to choose' };
  if (!closed) return { reason: 'poll_open', message: 'close the time poll before choosing its slot' };
  if (!slotsOf(vote.options).has(optionId)) return { reason: 'not_an_option', message: 'the chosen slot is not one of the poll’s options' };
  return null;
}

export interface OneOffMeeting {
  /** The time poll it was chosen in. */
  voteId: string;
  title: string;
  start: number;
  end: number;
}

/** The meeting a time poll's chosen slot becomes, or null when none is chosen (or it is not a slot). */
export function meetingOfChosenSlot(vote: { voteId: string; question: string; method: string; options: readonly { id: string; label: string }[]; chosenOption: string | null }): OneOffMeeting | null {
  if (vote.method !== 'time' || vote.chosenOption === null) return null;
  const slot = slotsOf(vote.options).get(vote.chosenOption);
  return slot ? { voteId: vote.voteId, title: vote.question, start: slot.start, end: slot.end } : null;
}

/** A slot on a member's clock, in their language: "Tue, 15 Dec 2026, 18:00 – 19:30 CET". */
export function formatSlot(slot: TimeSlot, locale: string, timeZone: string): string {
  const format = new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' });
  return format.formatRange(new Date(slot.start), new Date(slot.end));
}

/** The wall clock of an instant in a zone, "2026-12-15 18:00", the same in every language. */
function wallText(ms: number, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** An Element poll answer for a slot: UTC, and the circle's zone when it is not UTC. */
export function elementSlotText(slot: TimeSlot, circleZone: string | null): string {
  const utc = `${wallText(slot.start, 'UTC')}–${wallText(slot.end, 'UTC').slice(11)} UTC`;
  if (!circleZone || circleZone === 'UTC') return utc;
  return `${utc} (${wallText(slot.start, circleZone)}–${wallText(slot.end, circleZone).slice(11)} ${circleZone})`;
}

/** One-off meetings overlapping [from, to), soonest first (as a schedule's occurrences). */
export function oneOffOccurrences(meetings: readonly OneOffMeeting[], from: number, to: number): OneOffMeeting[] {
  return meetings.filter((m) => m.end > from && m.start < to).sort((a, b) => a.start - b.start || (a.voteId < b.voteId ? -1 : 1));
}
