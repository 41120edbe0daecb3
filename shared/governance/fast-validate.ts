// Hand-written checks for the operations sync delivers by the hundred thousand
// (contributions, ballots, votes, and assemblies with their attendance, agenda and minutes). They accept only what the zod schemas accept (a property
// test holds them to it) and answer "don't know" for everything else, which then goes
// through zod for the precise error. Zod spends several microseconds per object; these
// checks spend well under one, which keeps applying operations close to raw insert speed.
import { idPattern } from './ids';
import { operationSchemaVersion } from './operation';
import { attendanceStatuses, consentPositions, isCalendarDate, maxContributionMinutes, maxMarkdownLength, maxTimeboxMinutes, voteMethods, maxScore, maxVoteOptions, valueStreams, type GovernanceOperation } from './operation-types';

const hlcPattern = /^\d{13}-\d{6}-[A-Za-z0-9_]{1,32}$/;
const actorPattern = /^(@[^\s:]+:[^\s]+|local:[0-9a-f-]{36})$/;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const streams: ReadonlySet<string> = new Set(valueStreams);
const positions: ReadonlySet<string> = new Set(consentPositions);
const statuses: ReadonlySet<string> = new Set(attendanceStatuses);

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Exactly these own keys: all of `required`, any of `optional`, nothing else, no undefined values. */
function hasKeys(value: Plain, required: readonly string[], optional: readonly string[] = []): boolean {
  let count = 0;
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) return false;
    if (!required.includes(key) && !optional.includes(key)) return false;
    if (value[key] === undefined) return false;
    count++;
  }
  for (const key of required) if (!(key in value)) return false;
  return count >= required.length;
}

const isId = (v: unknown): v is string => typeof v === 'string' && idPattern.test(v);
const isActor = (v: unknown): v is string => typeof v === 'string' && v.length >= 3 && v.length <= 255 && actorPattern.test(v);
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
const isRequiredText = (v: unknown, max: number): v is string => isText(v, max) && v.trim().length > 0;
const isInt = (v: unknown, min: number, max: number): v is number => Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max;

function isDate(v: unknown): v is string {
  return typeof v === 'string' && datePattern.test(v) && isCalendarDate(v);
}

/** Every index, holes included (Array.prototype.every skips holes in sparse arrays). */
function everyItem(list: unknown[], check: (item: unknown) => boolean): boolean {
  for (let i = 0; i < list.length; i++) if (!check(list[i])) return false;
  return true;
}

function isTags(v: unknown): v is string[] {
  return Array.isArray(v) && v.length <= 10 && everyItem(v, (tag) => typeof tag === 'string' && tag.length <= 40 && tag.trim().length > 0);
}

function isChoice(v: unknown): boolean {
  if (typeof v === 'string') return positions.has(v) || idPattern.test(v);
  if (Array.isArray(v)) return v.length >= 1 && v.length <= maxVoteOptions && everyItem(v, isId);
  if (!isPlain(v)) return false;
  let keys = 0;
  for (const key in v) {
    if (!Object.prototype.hasOwnProperty.call(v, key)) return false;
    if (++keys > maxVoteOptions || !idPattern.test(key) || !isInt(v[key], 0, maxScore)) return false;
  }
  return true;
}

const contributionKeys = ['contributionId', 'member', 'date', 'minutes', 'stream', 'description', 'tags'] as const;
const fieldKeys = ['member', 'date', 'minutes', 'stream', 'description', 'tags'] as const;

const fieldChecks: Record<(typeof fieldKeys)[number], (v: unknown) => boolean> = {
  member: isActor,
  date: isDate,
  minutes: (v) => isInt(v, 1, maxContributionMinutes),
  stream: (v) => typeof v === 'string' && streams.has(v),
  description: (v) => isText(v, 1000),
  tags: isTags,
};

const payloadCheckList: Record<string, (p: Plain) => boolean> = {
  'contribution.create': (p) => hasKeys(p, contributionKeys) && isId(p.contributionId) && fieldKeys.every((k) => fieldChecks[k](p[k])),
  'contribution.update': (p) => {
    if (!hasKeys(p, ['contributionId', 'fields']) || !isId(p.contributionId) || !isPlain(p.fields)) return false;
    const fields = p.fields;
    if (!hasKeys(fields, [], fieldKeys) || Object.keys(fields).length === 0) return false;
    return (Object.keys(fields) as (typeof fieldKeys)[number][]).every((k) => fieldChecks[k](fields[k]));
  },
  'contribution.delete': (p) => hasKeys(p, ['contributionId']) && isId(p.contributionId),
  'assembly.create': (p) =>
    hasKeys(p, ['assemblyId', 'title'], ['scheduledAt']) && isId(p.assemblyId) && isRequiredText(p.title, 200) && (p.scheduledAt === undefined || p.scheduledAt === null || isInt(p.scheduledAt, 0, maxInstant)),
  'vote.create': isVoteCreate,
  'assembly.attendance.set': (p) =>
    hasKeys(p, ['assemblyId', 'member', 'status']) && isId(p.assemblyId) && isActor(p.member) && typeof p.status === 'string' && statuses.has(p.status),
  'assembly.agenda.set': (p) =>
    hasKeys(p, ['assemblyId', 'itemId', 'title', 'position'], ['timeboxMinutes']) &&
    isId(p.assemblyId) &&
    isId(p.itemId) &&
    isRequiredText(p.title, 200) &&
    isInt(p.position, 0, 10_000) &&
    (p.timeboxMinutes === undefined || isInt(p.timeboxMinutes, 1, maxTimeboxMinutes)),
  'assembly.minutes.set': (p) => hasKeys(p, ['assemblyId', 'itemId', 'markdown']) && isId(p.assemblyId) && isId(p.itemId) && isText(p.markdown, maxMarkdownLength),
  'vote.ballot': (p) =>
    hasKeys(p, ['voteId', 'voter', 'choice'], ['reason', 'proxy']) &&
    isId(p.voteId) &&
    isActor(p.voter) &&
    isChoice(p.choice) &&
    (p.reason === undefined || isText(p.reason, 1000)) &&
    (p.proxy === undefined || isActor(p.proxy)),
};

const maxInstant = 8_640_000_000_000_000;
const methods: ReadonlySet<string> = new Set(voteMethods);
const rankedOrMultiple: ReadonlySet<string> = new Set(['multiple', 'ranked-borda', 'ranked-irv']);

function isVoteCreate(p: Plain): boolean {
  if (!hasKeys(p, ['voteId', 'question', 'details', 'method', 'options', 'quorumPercent'], ['assemblyId', 'itemId', 'maxChoices', 'closesAt', 'quorumBasis', 'hideResults', 'reasons'])) return false;
  if (p.hideResults !== undefined && (typeof p.hideResults !== 'boolean' || (p.hideResults && p.method === 'counted'))) return false;
  if (p.reasons !== undefined && p.reasons !== 'off' && p.reasons !== 'optional' && p.reasons !== 'required') return false;
  if (p.quorumBasis !== undefined && p.quorumBasis !== 'members' && !(p.quorumBasis === 'present' && p.assemblyId !== undefined)) return false;
  if (!isId(p.voteId) || !isRequiredText(p.question, 300) || !isText(p.details, 4000) || typeof p.method !== 'string' || !methods.has(p.method)) return false;
  // A time poll's slots are checked by the schema (operation-types.ts, time-poll.ts).
  if (p.method === 'time') return false;
  if (!isInt(p.quorumPercent, 0, 100) || (p.closesAt !== undefined && !isInt(p.closesAt, 0, maxInstant))) return false;
  if ((p.assemblyId !== undefined && !isId(p.assemblyId)) || (p.itemId !== undefined && (!isId(p.itemId) || p.assemblyId === undefined))) return false;
  const options = p.options;
  if (!Array.isArray(options) || options.length > maxVoteOptions) return false;
  if (p.method === 'consent' ? options.length !== 0 : options.length < 2) return false;
  const ids = new Set<string>();
  for (let i = 0; i < options.length; i++) {
    const option: unknown = options[i];
    if (!isPlain(option) || !hasKeys(option, ['id', 'label']) || !isId(option.id) || !isRequiredText(option.label, 200) || ids.has(option.id)) return false;
    ids.add(option.id);
  }
  if (p.maxChoices !== undefined) return rankedOrMultiple.has(p.method) && isInt(p.maxChoices, 1, maxVoteOptions) && p.maxChoices <= options.length;
  return true;
}

// A Map, so a type named like an Object.prototype member ("valueOf") finds nothing.
const payloadChecks = new Map(Object.entries(payloadCheckList));
const envelopeKeys = ['id', 'hlc', 'actor', 'circle', 'type', 'payload', 'v'] as const;

/** The operation, when it is one of the hot types and certainly valid; otherwise null (ask zod). */
export function fastValidate(raw: unknown): GovernanceOperation | null {
  if (!isPlain(raw) || !hasKeys(raw, envelopeKeys)) return null;
  const { id, hlc, actor, circle, type, payload, v } = raw;
  if (v !== operationSchemaVersion || typeof type !== 'string') return null;
  const check = payloadChecks.get(type);
  if (!check || !isId(id) || !isId(circle) || typeof hlc !== 'string' || !hlcPattern.test(hlc) || !isActor(actor) || !isPlain(payload) || !check(payload)) return null;
  // The object itself: it has exactly the envelope's keys and nothing else, all checked.
  return raw as unknown as GovernanceOperation;
}
