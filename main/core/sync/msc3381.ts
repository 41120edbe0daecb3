// Matrix polls as Element sends them today: MSC3381 in its unstable namespace. Parsing,
// building and counting follow the MSC (github.com/matrix-org/matrix-spec-proposals
// pull 3381) and DOMAIN.md:
// - each user's most recent response (by origin_server_ts) counts, even if invalid: an
//   unknown answer id spoils it, an empty selection withdraws the vote, selections are
//   truncated to max_selections and repeats count once;
// - the first valid end event (by origin_server_ts) closes the poll; responses timestamped
//   after it are ignored, those on or before it count;
// - only the poll's creator, or a user allowed to redact others' events, may end it;
// - answers beyond the 20th are ignored.

export const pollStartType = 'org.matrix.msc3381.poll.start';
export const pollResponseType = 'org.matrix.msc3381.poll.response';
export const pollEndType = 'org.matrix.msc3381.poll.end';
export const textKey = 'org.matrix.msc1767.text';
export const disclosedKind = 'org.matrix.msc3381.poll.disclosed';
export const undisclosedKind = 'org.matrix.msc3381.poll.undisclosed';
export const maxPollAnswers = 20;

export interface PollAnswer {
  id: string;
  text: string;
}

export interface PollStart {
  question: string;
  answers: PollAnswer[];
  maxSelections: number;
  kind: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (isRecord(value) && typeof value[textKey] === 'string') return value[textKey] as string;
  // The stable extensible-events form: m.text: [{ body }]
  if (isRecord(value) && Array.isArray(value['m.text'])) {
    const first = (value['m.text'] as unknown[])[0];
    if (isRecord(first) && typeof first.body === 'string') return first.body;
  }
  return null;
}

export function buildPollStart(start: PollStart, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const answers = start.answers.slice(0, maxPollAnswers);
  const fallback = [start.question, ...answers.map((a, i) => `${i + 1}. ${a.text}`)].join('\n');
  return {
    [textKey]: fallback,
    [pollStartType]: {
      kind: start.kind,
      max_selections: start.maxSelections,
      question: { [textKey]: start.question },
      answers: answers.map((a) => ({ id: a.id, [textKey]: a.text })),
    },
    ...extra,
  };
}

export function buildPollResponse(startEventId: string, answers: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    [pollResponseType]: { answers },
    'm.relates_to': { rel_type: 'm.reference', event_id: startEventId },
    ...extra,
  };
}

export function buildPollEnd(startEventId: string, summary: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    [pollEndType]: {},
    [textKey]: summary,
    'm.relates_to': { rel_type: 'm.reference', event_id: startEventId },
    ...extra,
  };
}

export function parsePollStart(content: unknown): { ok: true; poll: PollStart } | { ok: false; reason: string } {
  if (!isRecord(content)) return { ok: false, reason: 'content is not an object' };
  const body = content[pollStartType];
  if (!isRecord(body)) return { ok: false, reason: `missing ${pollStartType}` };
  const question = textOf(body.question);
  if (question === null || question.trim() === '') return { ok: false, reason: 'the poll has no question' };
  if (!Array.isArray(body.answers) || body.answers.length === 0) return { ok: false, reason: 'the poll has no answers' };
  const answers: PollAnswer[] = [];
  const seen = new Set<string>();
  for (const raw of body.answers.slice(0, maxPollAnswers)) {
    if (!isRecord(raw) || typeof raw.id !== 'string' || raw.id === '' || raw.id.length > 100) return { ok: false, reason: 'an answer has no id' };
    const text = textOf(raw);
    if (text === null) return { ok: false, reason: `answer ${raw.id} has no text` };
    if (seen.has(raw.id)) return { ok: false, reason: `answer id ${raw.id} is repeated` };
    seen.add(raw.id);
    answers.push({ id: raw.id, text });
  }
  const max = body.max_selections;
  // MSC3381: max_selections defaults to 1 and is clamped to at least 1.
  const maxSelections = typeof max === 'number' && Number.isInteger(max) && max >= 1 ? Math.min(max, answers.length) : 1;
  const kind = typeof body.kind === 'string' ? body.kind : disclosedKind;
  return { ok: true, poll: { question, answers, maxSelections, kind } };
}

export function referencedEvent(content: unknown): string | null {
  if (!isRecord(content)) return null;
  const relation = content['m.relates_to'];
  if (!isRecord(relation) || relation.rel_type !== 'm.reference' || typeof relation.event_id !== 'string') return null;
  return relation.event_id;
}

/** The answer ids of a response, or null when the response is malformed. */
export function parsePollResponseAnswers(content: unknown): string[] | null {
  if (!isRecord(content)) return null;
  const body = content[pollResponseType];
  if (!isRecord(body) || !Array.isArray(body.answers)) return null;
  if (!body.answers.every((a) => typeof a === 'string')) return null;
  return body.answers as string[];
}

export interface PollEventLike {
  event_id: string;
  sender: string;
  origin_server_ts: number;
  content: unknown;
}

export interface PollTally {
  /** Votes per answer id (every answer listed, zero included). */
  counts: Record<string, number>;
  /** The answer ids each voter's counted response selected. */
  votes: Record<string, string[]>;
  /** Voters whose latest response was invalid. */
  spoiled: string[];
  /** The end event that closed the poll, if any. */
  endedBy: string | null;
  endedAt: number | null;
}

/** Server order: by origin_server_ts, then event id so equal timestamps still sort the same everywhere. */
function byServerOrder(a: PollEventLike, b: PollEventLike): number {
  return a.origin_server_ts - b.origin_server_ts || (a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0);
}

/**
 * Counts a poll as MSC3381 says a client must. `mayEnd(sender)` tells whether a sender
 * other than the creator can redact others' events (power level >= redact).
 */
export function tallyPoll(
  start: PollEventLike & { poll: PollStart },
  responses: readonly PollEventLike[],
  ends: readonly PollEventLike[],
  mayEnd: (sender: string) => boolean,
): PollTally {
  const validEnds = ends
    .filter((e) => referencedEvent(e.content) === start.event_id && (e.sender === start.sender || mayEnd(e.sender)))
    .sort(byServerOrder);
  const end = validEnds[0] ?? null;
  const ids = new Set(start.poll.answers.map((a) => a.id));
  const latest = new Map<string, PollEventLike>();
  for (const response of [...responses].sort(byServerOrder)) {
    if (referencedEvent(response.content) !== start.event_id) continue;
    if (end && response.origin_server_ts > end.origin_server_ts) continue;
    latest.set(response.sender, response);
  }
  const counts: Record<string, number> = Object.fromEntries(start.poll.answers.map((a) => [a.id, 0]));
  const votes: Record<string, string[]> = {};
  const spoiled: string[] = [];
  for (const [sender, response] of latest) {
    const answers = parsePollResponseAnswers(response.content);
    const unique = answers ? [...new Set(answers.slice(0, start.poll.maxSelections))] : null;
    if (!unique || !unique.every((a) => ids.has(a))) {
      spoiled.push(sender);
      continue;
    }
    if (unique.length === 0) continue; // an empty selection withdraws the vote
    votes[sender] = unique;
    for (const answer of unique) counts[answer] = (counts[answer] ?? 0) + 1;
  }
  return { counts, votes, spoiled: spoiled.sort(), endedBy: end?.event_id ?? null, endedAt: end?.origin_server_ts ?? null };
}
