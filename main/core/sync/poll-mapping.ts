// How Plenary votes and MSC3381 polls map onto each other, so Element users see Plenary's
// votes as polls and can answer them, and polls made in Element become Plenary votes.
//
// - Plenary votes publish as polls whose answer ids are the option ids (consent votes use
//   the positions agree/abstain/object/block). Counted votes are not published: they are
//   decided by a show of hands in the room.
// - What Element cannot show rides along in namespaced keys (coop.meet.plenary.*) or stays
//   in the operation events: scores, rankings beyond the first choices, reasons, proxies.
// - An Element answer becomes a ballot: its selections in order (a ranking for ranked
//   votes; "approve" = 5 and the rest 0 for score votes). An answer naming an unknown
//   option, or an empty one (MSC3381's "unvote"), becomes a ballot that counts as spoiled,
//   so both sides count the same votes for every option.
import { consentPositions, maxScore, type BallotChoice, type VoteMethod } from '../../../shared/governance/operation-types';
import { disclosedKind, undisclosedKind, type PollStart } from './msc3381';
import { syntheticEntityId } from './synthetic-ops';
import { elementSlotText, readSlot } from '../../../shared/governance/time-poll';

export const voteKey = 'coop.meet.plenary.vote';
export const ballotKey = 'coop.meet.plenary.ballot';
export const closeKey = 'coop.meet.plenary.close';

/** An option id no vote has, used for answers that must count as spoiled. */
export const spoiledChoice = '0'.repeat(26);

export interface VoteShape {
  method: VoteMethod;
  question: string;
  options: { id: string; label: string }[];
  maxChoices: number | null;
  /** Results hidden until the close: published as an undisclosed poll, so Element hides them too. */
  hideResults?: boolean;
  /** A time poll's slots read in Element in UTC and this zone (the circle's). */
  circleZone?: string | null;
}

/** An option as Element shows it: a time poll's slot as readable times, other options as labelled. */
function answerText(vote: VoteShape, label: string): string {
  if (vote.method !== 'time') return label;
  const read = readSlot(label);
  return read.ok ? elementSlotText(read.slot, vote.circleZone ?? null) : label;
}

export function isPublishedAsPoll(method: VoteMethod): boolean {
  return method !== 'counted';
}

/** The poll a Plenary vote is published as; consent labels come from the translator. */
export function pollForVote(vote: VoteShape, consentLabel: (position: string) => string): PollStart {
  const kind = vote.hideResults === true ? undisclosedKind : disclosedKind;
  if (vote.method === 'consent') {
    return { question: vote.question, answers: consentPositions.map((p) => ({ id: p, text: consentLabel(p) })), maxSelections: 1, kind };
  }
  const all = vote.options.length;
  const maxSelections =
    vote.method === 'single' ? 1 : vote.method === 'multiple' || vote.method.startsWith('ranked') ? (vote.maxChoices ?? all) : all;
  return { question: vote.question, answers: vote.options.map((o) => ({ id: o.id, text: answerText(vote, o.label) })), maxSelections, kind };
}

/** The answers a Plenary ballot shows as in Element (its own member's ballots only). */
export function answersForChoice(vote: VoteShape, choice: BallotChoice, maxSelections: number): string[] {
  if (vote.method === 'score' && typeof choice === 'object' && !Array.isArray(choice)) {
    // Element shows approvals: options scored in the upper half.
    return Object.entries(choice)
      .filter(([, score]) => score * 2 > maxScore)
      .map(([id]) => id);
  }
  if (Array.isArray(choice)) return choice.slice(0, maxSelections);
  if (typeof choice === 'string') return [choice];
  return [];
}

/** The ballot choice an Element answer amounts to. `optionOf` maps answer ids to option ids. */
export function choiceForAnswers(vote: VoteShape, answers: string[], optionOf: (answerId: string) => string | null, maxSelections: number): BallotChoice | null {
  if (vote.method === 'counted') return null;
  const selected = [...new Set(answers.slice(0, maxSelections))];
  if (vote.method === 'consent') {
    const position = selected[0];
    return position && (consentPositions as readonly string[]).includes(position) && selected.length === 1 ? (position as BallotChoice) : spoiledChoice;
  }
  const options = selected.map(optionOf);
  if (selected.length === 0 || options.some((o) => o === null)) return spoiledChoice;
  const ids = options as string[];
  switch (vote.method) {
    case 'single':
      return ids[0]!;
    case 'multiple':
    case 'time':
    case 'ranked-borda':
    case 'ranked-irv':
      return ids;
    case 'score':
      return Object.fromEntries(vote.options.map((o) => [o.id, ids.includes(o.id) ? maxScore : 0]));
  }
}

/** A vote created from a poll started in Element: ids derived from the event, the same everywhere. */
export function voteFromElementPoll(startEventId: string, timestamp: number, poll: PollStart) {
  const voteId = syntheticEntityId(startEventId, timestamp, 'vote');
  const answerToOption = new Map(poll.answers.map((a) => [a.id, syntheticEntityId(`${startEventId}/${a.id}`, timestamp, 'option')]));
  const method: VoteMethod = poll.maxSelections > 1 ? 'multiple' : 'single';
  const payload = {
    voteId,
    question: poll.question.slice(0, 300),
    details: '',
    method,
    options: poll.answers.map((a) => ({ id: answerToOption.get(a.id)!, label: a.text.slice(0, 200) || a.id })),
    ...(method === 'multiple' ? { maxChoices: poll.maxSelections } : {}),
    quorumPercent: 0,
  };
  return { voteId, payload, answerMap: Object.fromEntries([...answerToOption].map(([answer, option]) => [option, answer])) };
}
