import { describe, expect, it } from 'vitest';
import {
  buildPollEnd,
  buildPollResponse,
  buildPollStart,
  parsePollStart,
  pollStartType,
  tallyPoll,
  textKey,
  type PollEventLike,
  type PollStart,
} from '../../main/core/sync/msc3381';

const poll: PollStart = {
  question: 'Adopt the care-work tariff?',
  answers: [
    { id: 'yes', text: 'Yes' },
    { id: 'no', text: 'No' },
    { id: 'later', text: 'Decide later' },
  ],
  maxSelections: 1,
  kind: 'org.matrix.msc3381.poll.disclosed',
};

const start = { event_id: '$start', sender: '@alice:meet.coop', origin_server_ts: 1000, content: buildPollStart(poll), poll };
let n = 0;
const response = (sender: string, ts: number, answers: unknown): PollEventLike => ({
  event_id: `$r${n++}`,
  sender,
  origin_server_ts: ts,
  content: { 'org.matrix.msc3381.poll.response': { answers }, 'm.relates_to': { rel_type: 'm.reference', event_id: '$start' } },
});
const end = (sender: string, ts: number): PollEventLike => ({ event_id: `$e${n++}`, sender, origin_server_ts: ts, content: buildPollEnd('$start', 'closed') });
const nobodyElse = () => false;

describe('MSC3381 poll events', () => {
  it('builds a start event Element can read back', () => {
    const content = buildPollStart(poll, { 'coop.meet.plenary.vote': { voteId: 'v' } });
    expect(content[textKey]).toBe('Adopt the care-work tariff?\n1. Yes\n2. No\n3. Decide later');
    expect(parsePollStart(content)).toEqual({ ok: true, poll });
    expect(buildPollResponse('$start', ['yes'])).toEqual({
      'org.matrix.msc3381.poll.response': { answers: ['yes'] },
      'm.relates_to': { rel_type: 'm.reference', event_id: '$start' },
    });
  });

  it('rejects malformed starts and truncates answers to 20', () => {
    expect(parsePollStart({})).toEqual({ ok: false, reason: `missing ${pollStartType}` });
    expect(parsePollStart({ [pollStartType]: { question: { [textKey]: ' ' }, answers: [{ id: 'a', [textKey]: 'A' }] } })).toMatchObject({ ok: false });
    expect(parsePollStart({ [pollStartType]: { question: { [textKey]: 'Q' }, answers: [] } })).toMatchObject({ ok: false, reason: 'the poll has no answers' });
    expect(parsePollStart({ [pollStartType]: { question: { [textKey]: 'Q' }, answers: [{ id: 'a', [textKey]: 'A' }, { id: 'a', [textKey]: 'B' }] } })).toMatchObject({
      ok: false,
      reason: 'answer id a is repeated',
    });
    const many = Array.from({ length: 25 }, (_, i) => ({ id: `a${i}`, [textKey]: `A${i}` }));
    const parsed = parsePollStart({ [pollStartType]: { question: { [textKey]: 'Q' }, answers: many, max_selections: 0 } });
    expect(parsed.ok && parsed.poll.answers.length).toBe(20);
    expect(parsed.ok && parsed.poll.maxSelections).toBe(1);
  });

  it("counts each user's latest response", () => {
    const tally = tallyPoll(start, [response('@bob:x', 2000, ['no']), response('@bob:x', 3000, ['yes']), response('@carol:x', 2500, ['no'])], [], nobodyElse);
    expect(tally.counts).toEqual({ yes: 1, no: 1, later: 0 });
    expect(tally.votes).toEqual({ '@bob:x': ['yes'], '@carol:x': ['no'] });
  });

  it('spoils a vote whose latest response names an unknown answer, even after a valid one', () => {
    const tally = tallyPoll(start, [response('@bob:x', 2000, ['yes']), response('@bob:x', 3000, ['maybe'])], [], nobodyElse);
    expect(tally.counts.yes).toBe(0);
    expect(tally.spoiled).toEqual(['@bob:x']);
  });

  it('treats an empty selection as withdrawing the vote, truncates to max_selections and counts repeats once', () => {
    const tally = tallyPoll(
      start,
      [response('@bob:x', 2000, ['yes']), response('@bob:x', 3000, []), response('@carol:x', 2000, ['no', 'yes']), response('@dan:x', 2000, ['later', 'later'])],
      [],
      nobodyElse,
    );
    expect(tally.counts).toEqual({ yes: 0, no: 1, later: 1 });
    expect(tally.spoiled).toEqual([]);
  });

  it('closes at the first valid end; responses after it are ignored, those at its timestamp count', () => {
    const tally = tallyPoll(
      start,
      [response('@bob:x', 2000, ['yes']), response('@carol:x', 5000, ['no']), response('@bob:x', 6000, ['no']), response('@dan:x', 7000, ['later'])],
      [end('@alice:meet.coop', 7000), end('@alice:meet.coop', 5000)],
      nobodyElse,
    );
    expect(tally.counts).toEqual({ yes: 1, no: 1, later: 0 });
    expect(tally.endedAt).toBe(5000);
  });

  it('ignores an end from someone who is neither creator nor allowed to redact', () => {
    const responses = [response('@bob:x', 2000, ['yes']), response('@carol:x', 9000, ['no'])];
    expect(tallyPoll(start, responses, [end('@mallory:x', 3000)], nobodyElse)).toMatchObject({ endedBy: null, counts: { yes: 1, no: 1 } });
    expect(tallyPoll(start, responses, [end('@mod:x', 3000)], (s) => s === '@mod:x')).toMatchObject({ endedAt: 3000, counts: { yes: 1, no: 0 } });
  });

  it('ignores responses to other polls and malformed responses', () => {
    const other = { ...response('@bob:x', 2000, ['yes']), content: buildPollResponse('$other', ['yes']) };
    const malformed = { ...response('@carol:x', 2000, ['yes']), content: { 'org.matrix.msc3381.poll.response': { answers: 'yes' }, 'm.relates_to': { rel_type: 'm.reference', event_id: '$start' } } };
    const tally = tallyPoll(start, [other, malformed], [], nobodyElse);
    expect(tally.counts).toEqual({ yes: 0, no: 0, later: 0 });
    expect(tally.spoiled).toEqual(['@carol:x']);
  });
});
