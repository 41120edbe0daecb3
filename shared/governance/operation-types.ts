// The registry of governance operation types: each type's strict payload schema and
// whether only a circle's facilitators may issue it. Structural rules only: these checks
// must give the same answer on every replica and every release that speaks this schema
// version (so no time-zone database lookups, no "now"), otherwise replicas that received
// the same operations could disagree about which ones exist. Rules that depend on current
// state (unknown vote, ballot after close) live in the store's semantic checks.
//
// Matrix refuses floats and integers beyond +/-(2^53-1) in events, so numbers are safe
// integers; strings are length-limited so one operation stays far below Matrix's
// 65,536-byte event limit.
import { z } from 'zod';
import { actorIdSchema, entityIdSchema } from './operation';
import { idPattern } from './ids';
import { linkOperationSchemas } from './link-operation-types';
import { slotProblems } from './time-poll';

const text = (max: number) => z.string().max(max);
const requiredText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => s.trim().length > 0, 'must not be empty');

/** An IANA time zone name ("Europe/Madrid", "UTC"). Whether it exists is checked locally. */
export const timeZoneSchema = z
  .string()
  .max(64)
  // A reason the interface translates (governance:errors.unknown_time_zone) rides with the message.
  .refine((s) => /^(UTC|[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2})$/.test(s), { message: 'must be a time zone name like Europe/Madrid', params: { reason: 'unknown_time_zone' } });

/** Milliseconds since the epoch. */
export const instantSchema = z.int().min(0).max(8_640_000_000_000_000);

const monthLengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether YYYY-MM-DD (already matching the pattern) names a real day of the Gregorian calendar. */
export function isCalendarDate(text: string): boolean {
  const y = Number(text.slice(0, 4));
  const m = Number(text.slice(5, 7));
  const d = Number(text.slice(8, 10));
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (m === 2 && leap ? 29 : monthLengths[m - 1]!);
}

export const dateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-22')
  .refine(isCalendarDate, 'must be a real calendar date');

const urlSchema = z
  .string()
  .max(2000)
  .regex(/^https?:\/\/[^\s/?#]+[^\s]*$/, 'must be an http(s) address');

export const roles = ['facilitator', 'steward', 'member'] as const;
export type Role = (typeof roles)[number];
export const attendanceStatuses = ['present', 'apologies', 'absent'] as const;
export type AttendanceStatus = (typeof attendanceStatuses)[number];
export const valueStreams = ['livelihood', 'care', 'commons'] as const;
export type ValueStream = (typeof valueStreams)[number];
/** 'time': a time poll, its options slots (shared/governance/time-poll.ts), answered like a multiple-choice vote. */
export const voteMethods = ['single', 'multiple', 'consent', 'score', 'ranked-borda', 'ranked-irv', 'counted', 'time'] as const;
export type VoteMethod = (typeof voteMethods)[number];
export const consentPositions = ['agree', 'abstain', 'object', 'block'] as const;
export const quorumBases = ['members', 'present'] as const;
export type QuorumBasis = (typeof quorumBases)[number];
export type ConsentPosition = (typeof consentPositions)[number];
/** Whether a vote asks for reasons: off, optional or required (votes made before this setting: optional, up to 1,000 characters). */
export const reasonModes = ['off', 'optional', 'required'] as const;
export type ReasonMode = (typeof reasonModes)[number];
/** A reason on a vote with the reasons setting is at most this long (Loomio's cap). */
export const maxReasonLength = 500;

/** Matrix polls truncate answers to 20 (MSC3381); Plenary never offers more. */
export const maxVoteOptions = 20;
export const maxScore = 5;
/** One contribution entry covers at most a month of someone's time. */
export const maxContributionMinutes = 31 * 24 * 60;
export const maxMarkdownLength = 16_000;

export const scheduleSchema = z
  .object({
    /**
     * RFC 5545 text: "DTSTART;TZID=<timezone>:20260126T180000\nRRULE:FREQ=MONTHLY;BYDAY=4MO"
     * (see shared/schedule/schedule.ts). Operations already in the log may carry an earlier
     * form, "FREQ=…;BYHOUR=18;BYMINUTE=0" or "DTSTART:…\nRRULE:…", so those still pass here
     * and are read into the one format when folded (shared/schedule/legacy.ts).
     */
    rrule: z
      .string()
      .min(6)
      .max(500)
      .regex(/^(DTSTART[;:]|(RRULE:)?FREQ=)/, 'must be RFC 5545 text starting with DTSTART;TZID=<zone>:, followed by a line RRULE:FREQ=…'),
    timezone: timeZoneSchema,
    durationMinutes: z.int().min(5).max(24 * 60),
  })
  .strict();
export type Schedule = z.infer<typeof scheduleSchema>;

export const voteOptionSchema = z.object({ id: entityIdSchema, label: requiredText(200) }).strict();
export type VoteOption = z.infer<typeof voteOptionSchema>;

const consentPositionSet: ReadonlySet<string> = new Set(consentPositions);
const isEntityId = (value: unknown): value is string => typeof value === 'string' && idPattern.test(value);

/** Option ids mapped to whole numbers in [0, max], at most maxVoteOptions of them. */
function isIdToIntRecord(value: unknown, max: number, isKey: (key: string) => boolean = (key) => idPattern.test(key)): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  let keys = 0;
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const n = (value as Record<string, unknown>)[key];
    if (++keys > maxVoteOptions || !isKey(key) || !Number.isSafeInteger(n) || (n as number) < 0 || (n as number) > max) return false;
  }
  return true;
}

function isBallotChoice(value: unknown): boolean {
  if (typeof value === 'string') return consentPositionSet.has(value) || idPattern.test(value);
  if (Array.isArray(value)) return value.length >= 1 && value.length <= maxVoteOptions && Array.from(value).every(isEntityId);
  return isIdToIntRecord(value, maxScore);
}

/**
 * What a ballot says, by method: an option id (single), a list of option ids (multiple:
 * the choices; ranked: best first), a consent position, or scores 0-5 per option id.
 * Whether it fits its vote is decided when counting; a ballot that does not is spoiled.
 * (Checked by hand: a zod union of these shapes costs tens of microseconds a ballot.)
 */
export const ballotChoiceSchema = z.custom<string | string[] | Record<string, number>>(
  isBallotChoice,
  'must be an option id, a list of up to 20 option ids, agree/abstain/object/block, or scores from 0 to 5 per option id',
);
export type BallotChoice = z.infer<typeof ballotChoiceSchema>;

function nonEmptyFields<T extends z.ZodRawShape>(shape: T) {
  return z
    .object(shape)
    .strict()
    .refine((fields) => Object.keys(fields).length > 0, 'must change at least one field');
}

const contributionFields = {
  member: actorIdSchema,
  date: dateSchema,
  minutes: z.int().min(1, 'must be at least one minute').max(maxContributionMinutes),
  stream: z.enum(valueStreams),
  description: text(1000),
  tags: z.array(requiredText(40)).max(10),
};

const circleCreate = z.object({ name: requiredText(120), purpose: text(2000), timezone: timeZoneSchema }).strict();
const circleUpdate = z
  .object({
    fields: nonEmptyFields({
      name: requiredText(120).optional(),
      purpose: text(2000).optional(),
      timezone: timeZoneSchema.optional(),
      schedule: scheduleSchema.nullable().optional(),
    }),
  })
  .strict();
const memberSet = z
  .object({ member: actorIdSchema, displayName: requiredText(120), role: z.enum(roles), timezone: timeZoneSchema })
  .strict();
const memberRemove = z.object({ member: actorIdSchema }).strict();
/** A member without a Matrix account: a local member id made when they were added. */
export const localMemberIdSchema = z.string().regex(/^local:[0-9a-f-]{36}$/, 'must be a local member id (local: and 36 characters)');
export const matrixUserIdSchema = z
  .string()
  .min(3)
  .max(255)
  .regex(/^@[^\s:]+:[^\s]+$/, 'must be a Matrix user id like @name:server');
const memberLink = z.object({ member: localMemberIdSchema, account: matrixUserIdSchema }).strict();
const roomAdd = z.object({ roomId: entityIdSchema, url: urlSchema, label: requiredText(120) }).strict();
const roomRemove = z.object({ roomId: entityIdSchema }).strict();
const circleArchive = z.object({}).strict();

const assemblyId = { assemblyId: entityIdSchema };
const assemblyCreate = z.object({ ...assemblyId, title: requiredText(200), scheduledAt: instantSchema.nullable().optional() }).strict();
const assemblyUpdate = z
  .object({ ...assemblyId, fields: nonEmptyFields({ title: requiredText(200).optional(), scheduledAt: instantSchema.nullable().optional() }) })
  .strict();
const assemblyOnly = z.object(assemblyId).strict();
/** An agenda item's timebox, in minutes. */
export const maxTimeboxMinutes = 600;
const agendaSet = z
  .object({ ...assemblyId, itemId: entityIdSchema, title: requiredText(200), position: z.int().min(0).max(10_000), timeboxMinutes: z.int().min(1).max(maxTimeboxMinutes).optional() })
  .strict();
/** The item the assembly is on now (its timer runs from this operation's clock), or none. */
const agendaCurrent = z.object({ ...assemblyId, itemId: entityIdSchema.nullable() }).strict();
import { maxActionText } from './text-limits';
export { maxActionText };
const actionId = { actionId: entityIdSchema };
const actionSet = z
  .object({ ...assemblyId, ...actionId, itemId: entityIdSchema.optional(), text: requiredText(maxActionText), owner: actorIdSchema, due: dateSchema.nullable().optional() })
  .strict();
const actionRemove = z.object({ ...assemblyId, ...actionId }).strict();
/** owner: whose action it is, as the one marking it knows it (its owner may mark it; others need a facilitator). */
const actionDone = z.object({ ...assemblyId, ...actionId, owner: actorIdSchema, done: z.boolean() }).strict();
const agendaRemove = z.object({ ...assemblyId, itemId: entityIdSchema }).strict();
const attendanceSet = z.object({ ...assemblyId, member: actorIdSchema, status: z.enum(attendanceStatuses) }).strict();
const minutesSet = z.object({ ...assemblyId, itemId: entityIdSchema, markdown: text(maxMarkdownLength) }).strict();
const decisionLink = z.object({ ...assemblyId, itemId: entityIdSchema, voteId: entityIdSchema }).strict();
/** A recording is named by its server's id (BBB's recordID, e.g. "4b0f…-1769450000000"), so attaching it twice is one recording. */
export const recordingIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'must be a recording id such as BBB gives (letters, digits, ".", "_", ":" and "-")');
const recordingAdd = z.object({ ...assemblyId, recordingId: recordingIdSchema, url: urlSchema, label: requiredText(200) }).strict();

const voteId = { voteId: entityIdSchema };
const voteCreate = z
  .object({
    ...voteId,
    assemblyId: entityIdSchema.optional(),
    itemId: entityIdSchema.optional(),
    question: requiredText(300),
    details: text(4000),
    method: z.enum(voteMethods),
    options: z.array(voteOptionSchema).max(maxVoteOptions),
    maxChoices: z.int().min(1).max(maxVoteOptions).optional(),
    quorumPercent: z.int().min(0).max(100),
    /** Whose share the quorum is: all members (the default) or, in an assembly, those marked present. */
    quorumBasis: z.enum(quorumBases).optional(),
    closesAt: instantSchema.optional(),
    /** Totals and others' choices stay hidden until the vote closes; only who has voted shows. */
    hideResults: z.boolean().optional(),
    /** Reasons off, optional or required (each at most maxReasonLength characters). */
    reasons: z.enum(reasonModes).optional(),
  })
  .strict()
  .superRefine((vote, ctx) => {
    if (vote.hideResults === true && vote.method === 'counted') {
      ctx.addIssue({ code: 'custom', path: ['hideResults'], message: 'a show of hands is counted in the open: its results cannot be hidden' });
    }
    // The shape of a vote decides how every replica counts it, so it is structural.
    const ids = new Set(vote.options.map((o) => o.id));
    if (ids.size !== vote.options.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'option ids must be unique' });
    if (vote.method === 'consent') {
      if (vote.options.length > 0) ctx.addIssue({ code: 'custom', path: ['options'], message: 'a consent vote has no options: members agree, abstain, object or block' });
    } else if (vote.options.length < 2) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'needs at least two options' });
    }
    if (vote.method === 'time') {
      for (const p of slotProblems(vote.options.map((o) => o.label))) {
        ctx.addIssue({ code: 'custom', path: p.index < 0 ? ['options'] : ['options', p.index, 'label'], message: p.message, params: { reason: p.reason } });
      }
    }
    if (vote.maxChoices !== undefined) {
      if (vote.method !== 'multiple' && vote.method !== 'ranked-borda' && vote.method !== 'ranked-irv') {
        ctx.addIssue({ code: 'custom', path: ['maxChoices'], message: 'only multiple-choice and ranked votes have a maximum of choices' });
      } else if (vote.maxChoices > vote.options.length) {
        ctx.addIssue({ code: 'custom', path: ['maxChoices'], message: 'cannot exceed the number of options' });
      }
    }
    if (vote.itemId !== undefined && vote.assemblyId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['itemId'], message: 'an agenda item needs its assemblyId' });
    }
    if (vote.quorumBasis === 'present' && vote.assemblyId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['quorumBasis'], message: 'only a vote put during an assembly can count its quorum among those present' });
    }
  });
const voteUpdate = z
  .object({
    ...voteId,
    fields: nonEmptyFields({
      question: requiredText(300).optional(),
      details: text(4000).optional(),
      closesAt: instantSchema.nullable().optional(),
      outcome: text(4000).optional(),
      /** When the outcome is to be reviewed (shown on Today and reminded on the day); null clears it. */
      reviewOn: dateSchema.nullable().optional(),
      /** A closed time poll's chosen slot (one of its option ids): it becomes a meeting of the circle. */
      chosenOption: entityIdSchema.optional(),
    }),
  })
  .strict();
/**
 * The definition of a vote made from a poll started in Element, after the poll was edited
 * there (an m.replace of its start). Only ever derived from that edit, on every replica
 * alike: never made in Plenary and never accepted inside an operations event.
 */
const voteRedefine = z
  .object({
    ...voteId,
    question: requiredText(300),
    method: z.enum(['single', 'multiple']),
    options: z.array(voteOptionSchema).min(2).max(maxVoteOptions),
    maxChoices: z.int().min(1).max(maxVoteOptions).optional(),
  })
  .strict()
  .superRefine((vote, ctx) => {
    if (new Set(vote.options.map((o) => o.id)).size !== vote.options.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'option ids must be unique' });
    if (vote.maxChoices !== undefined && (vote.method !== 'multiple' || vote.maxChoices > vote.options.length)) {
      ctx.addIssue({ code: 'custom', path: ['maxChoices'], message: 'only a multiple-choice poll has a maximum, at most its number of options' });
    }
  });
/** proxy: the member who held the voter's proxy (a proxy ballot is recorded by a facilitator). */
const voteBallot = z.object({ ...voteId, voter: actorIdSchema, choice: ballotChoiceSchema, reason: text(1000).optional(), proxy: actorIdSchema.optional() }).strict();
const voteCount = z
  .object({
    ...voteId,
    totals: z.custom<Record<string, number>>((value) => isIdToIntRecord(value, 1_000_000), 'must map option ids to whole numbers from 0 to 1,000,000'),
    abstain: z.int().min(0).max(1_000_000).optional(),
  })
  .strict();
const voteOnly = z.object(voteId).strict();
const voteAcceptLate = z.object({ ...voteId, ballotOpId: entityIdSchema }).strict();
/** A closed vote's published count (shared/governance/recount.ts): its digest and, to say what differs, its summary. */
const voteDigest = z
  .object({
    ...voteId,
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 digest: 64 lower-case hexadecimal characters'),
    ballots: z.int().min(0).max(1_000_000),
    totals: z.custom<Record<string, number>>(
      (value) => isIdToIntRecord(value, 100_000_000, (key) => idPattern.test(key) || consentPositionSet.has(key)),
      'must map option ids (or consent positions) to whole numbers',
    ),
    winners: z.array(z.string().regex(/^([0-9A-HJKMNP-TV-Z]{26}|passes|blocked|no_quorum)$/, 'must be an option id or a consent outcome')).max(maxVoteOptions),
  })
  .strict();

/** A member's standing delegation of their vote in the circle, until revoked; only the member themself sets or revokes it. */
const delegationSet = z.object({ member: actorIdSchema, delegate: actorIdSchema }).strict().refine((d) => d.member !== d.delegate, { message: 'a member cannot delegate to themself', path: ['delegate'] });
const delegationRevoke = z.object({ member: actorIdSchema }).strict();

const contributionId = { contributionId: entityIdSchema };
const contributionCreate = z.object({ ...contributionId, ...contributionFields }).strict();
const contributionUpdate = z
  .object({
    ...contributionId,
    fields: nonEmptyFields({
      member: contributionFields.member.optional(),
      date: contributionFields.date.optional(),
      minutes: contributionFields.minutes.optional(),
      stream: contributionFields.stream.optional(),
      description: contributionFields.description.optional(),
      tags: contributionFields.tags.optional(),
    }),
  })
  .strict();
const contributionDelete = z.object(contributionId).strict();

interface TypeDefinition<S extends z.ZodType> {
  schema: S;
  /** Only a facilitator may issue it, once the circle has members (checked for local operations). */
  facilitatorOnly: boolean;
}

const def = <S extends z.ZodType>(schema: S, facilitatorOnly: boolean): TypeDefinition<S> => ({ schema, facilitatorOnly });

export const operationTypes = {
  'circle.create': def(circleCreate, false),
  'circle.update': def(circleUpdate, true),
  'circle.member.set': def(memberSet, true),
  'circle.member.remove': def(memberRemove, true),
  // A member added without a Matrix account is linked to their account; their past follows it.
  'circle.member.link': def(memberLink, true),
  'circle.room.add': def(roomAdd, true),
  'circle.room.remove': def(roomRemove, true),
  'circle.archive': def(circleArchive, true),
  // A member delegates their own vote (authorization.ts: only that member, facilitators included).
  'circle.delegation.set': def(delegationSet, false),
  'circle.delegation.revoke': def(delegationRevoke, false),
  'assembly.create': def(assemblyCreate, true),
  'assembly.update': def(assemblyUpdate, true),
  'assembly.open': def(assemblyOnly, true),
  'assembly.close': def(assemblyOnly, true),
  'assembly.agenda.set': def(agendaSet, true),
  'assembly.agenda.remove': def(agendaRemove, true),
  'assembly.agenda.current': def(agendaCurrent, true),
  'assembly.action.set': def(actionSet, true),
  'assembly.action.remove': def(actionRemove, true),
  // An action item's owner marks it done (or a facilitator does), also after the assembly.
  'assembly.action.done': def(actionDone, false),
  'assembly.attendance.set': def(attendanceSet, true),
  'assembly.minutes.set': def(minutesSet, true),
  'assembly.decision.link': def(decisionLink, true),
  // Recordings are added by whoever recorded the meeting (the meetings feature).
  'assembly.recording.add': def(recordingAdd, false),
  'vote.create': def(voteCreate, true),
  'vote.update': def(voteUpdate, true),
  'vote.redefine': def(voteRedefine, true),
  // Anyone votes for themselves; a proxy ballot (voter differs from actor) needs a facilitator.
  'vote.ballot': def(voteBallot, false),
  'vote.count': def(voteCount, true),
  'vote.close': def(voteOnly, true),
  // Undoes a close before the result is final (an outcome recorded, or its assembly closed).
  'vote.reopen': def(voteOnly, true),
  'vote.acceptLate': def(voteAcceptLate, true),
  // Published by whoever may close the vote (its creator or a facilitator), as vote.close.
  'vote.digest': def(voteDigest, true),
  // Members log their own work; logging for someone else needs a facilitator.
  'contribution.create': def(contributionCreate, false),
  'contribution.update': def(contributionUpdate, false),
  'contribution.delete': def(contributionDelete, false),
  // Forum and files (link-operation-types.ts). Facilitators choose the circle's category, link
  // threads and record posted results; any member attaches a file, a facilitator removes one.
  'circle.forum.set': def(linkOperationSchemas['circle.forum.set'], true),
  'forum.thread.set': def(linkOperationSchemas['forum.thread.set'], true),
  'forum.post.add': def(linkOperationSchemas['forum.post.add'], true),
  'attachment.add': def(linkOperationSchemas['attachment.add'], false),
  'attachment.remove': def(linkOperationSchemas['attachment.remove'], true),
} as const;

export type OperationType = keyof typeof operationTypes;

/**
 * Types only ever derived from Matrix events Element sends (see main/core/sync/inbound.ts):
 * never made locally, and refused inside an operations event.
 */
export const elementDerivedTypes: ReadonlySet<OperationType> = new Set<OperationType>(['vote.redefine']);
export const operationTypeNames = Object.keys(operationTypes) as OperationType[];
export type PayloadOf<T extends OperationType> = z.output<(typeof operationTypes)[T]['schema']>;

export function isOperationType(value: unknown): value is OperationType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(operationTypes, value);
}

/** A validated operation of any type, its payload typed by its type. */
export type GovernanceOperation = { [T in OperationType]: { id: string; hlc: string; actor: string; circle: string; type: T; payload: PayloadOf<T>; v: number } }[OperationType];
