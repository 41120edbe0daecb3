// A poll start in the chat timeline as a card: the question, its answers, whether it is open,
// the member's ballot and the vote to open in Plenary. A poll that is a Plenary vote (a
// circle's vote published as a poll, or an Element poll that became one) is described by the
// vote as governance has folded it: its state and the member's ballot in force there. An
// Element poll that is no vote is described by its own events: closed by an end event from
// its creator, the member's ballot their latest response. Pure: the timeline builder hands
// in the events and the vote it looked up.
import type { ChatPollCard } from '../../../shared/contract/chat';
import { parsePollResponseAnswers, parsePollStart, pollEndType, pollResponseType, pollStartType } from '../sync/msc3381';

/** What the core knows of the vote behind a poll start (see app-core's provider). */
export interface PollVoteState {
  circleId: string;
  voteId: string;
  question: string;
  answers: string[];
  status: 'open' | 'closed';
  /** Labels of the member's ballot in force, or null when they have not voted. */
  myBallot: string[] | null;
}

/** Gives the vote a poll start in a room is, or null when it is none (yet). */
export type PollVoteProvider = (roomId: string, startEventId: string) => PollVoteState | null;

export interface PollRelation {
  type: string;
  sender: string;
  ts: number;
  content: Record<string, unknown>;
}

type Content = Record<string, unknown>;
const isRecord = (value: unknown): value is Content => typeof value === 'object' && value !== null && !Array.isArray(value);

function firstText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (isRecord(value) && Array.isArray(value['m.text'])) {
    const first = (value['m.text'] as unknown[])[0];
    if (isRecord(first) && typeof first.body === 'string') return first.body;
  }
  if (isRecord(value) && typeof value['org.matrix.msc1767.text'] === 'string') return value['org.matrix.msc1767.text'] as string;
  return null;
}

/** The question and answers of a poll start, unstable (MSC3381) or stable (m.poll) form; null when unreadable. */
export function readPollStart(content: Content): { question: string; answers: { id: string; text: string }[] } | null {
  if (isRecord(content[pollStartType])) {
    const parsed = parsePollStart(content);
    return parsed.ok ? { question: parsed.poll.question, answers: parsed.poll.answers } : null;
  }
  const stable = content['m.poll'];
  if (!isRecord(stable)) return null;
  const question = firstText(stable.question);
  if (!question || !Array.isArray(stable.answers)) return null;
  const answers = stable.answers.flatMap((a: unknown) => {
    if (!isRecord(a) || typeof a['m.id'] !== 'string') return [];
    const text = firstText(a);
    return text === null ? [] : [{ id: a['m.id'], text }];
  });
  return answers.length > 0 ? { question, answers } : null;
}

const responseTypes = new Set([pollResponseType, 'm.poll.response']);
const endTypes = new Set([pollEndType, 'm.poll.end']);

function responseAnswers(content: Content): string[] | null {
  const unstable = parsePollResponseAnswers(content);
  if (unstable) return unstable;
  const stable = content['m.selections'];
  return Array.isArray(stable) && stable.every((a) => typeof a === 'string') ? (stable as string[]) : null;
}

/**
 * The card for a poll start, or null when there is nothing to show (an unreadable poll that
 * is no vote). `relations` are the events that point at the start (answers and ends).
 */
export function pollCard(input: { content: Content; sender: string; me: string; relations: readonly PollRelation[]; vote: PollVoteState | null }): ChatPollCard | null {
  const { vote } = input;
  if (vote) {
    return { question: vote.question, answers: vote.answers, status: vote.status, vote: { circleId: vote.circleId, voteId: vote.voteId }, myBallot: vote.myBallot };
  }
  const poll = readPollStart(input.content);
  if (!poll) return null;
  const ended = input.relations.some((r) => endTypes.has(r.type) && r.sender === input.sender);
  const mine = input.relations.filter((r) => responseTypes.has(r.type) && r.sender === input.me).sort((a, b) => a.ts - b.ts).at(-1);
  const chosen = mine ? responseAnswers(mine.content) : null;
  const labels = chosen?.map((id) => poll.answers.find((a) => a.id === id)?.text).filter((text): text is string => text !== undefined) ?? null;
  return {
    question: poll.question,
    answers: poll.answers.map((a) => a.text),
    status: ended ? 'closed' : 'open',
    vote: null,
    // An empty response withdraws the member's vote (MSC3381).
    myBallot: labels && labels.length > 0 ? labels : null,
  };
}

/**
 * The labels of a ballot's choice: an option id, a list of them (multiple, ranked), scores
 * (the options scored, highest first) or a consent position (its key).
 */
export function ballotLabels(choice: unknown, options: readonly { id: string; label: string }[]): string[] {
  const label = (id: string) => options.find((o) => o.id === id)?.label ?? id;
  if (typeof choice === 'string') return [label(choice)];
  if (Array.isArray(choice)) return choice.filter((c): c is string => typeof c === 'string').map(label);
  if (isRecord(choice)) {
    return Object.entries(choice)
      .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
      .sort((a, b) => b[1] - a[1])
      .map(([id, score]) => `${label(id)} (${score})`);
  }
  return [];
}
