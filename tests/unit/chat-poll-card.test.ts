// Votes in the conversation: a poll start is a card in the timeline (its answers and end only
// update it), described by the vote it is when there is one, else by the poll's own events.
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/core/store/database';
import { ChatStore, isShown } from '../../main/core/chat/chat-store';
import { buildTimeline } from '../../main/core/chat/timeline-view';
import { ballotLabels, pollCard, readPollStart, type PollVoteState } from '../../main/core/chat/poll-card';
import { buildPollEnd, buildPollResponse, buildPollStart, disclosedKind } from '../../main/core/sync/msc3381';
import type { MatrixRawEvent } from '../../main/core/matrix/matrix-connection';
import { GovernanceQueries } from '../../main/core/governance/governance-queries';
import { pollVoteLookup } from '../../main/core/governance/poll-vote-lookup';
import { alice, ids, makeStore } from '../helpers/governance';

const roomId = '!circle:meet.coop';
const ana = '@ana:meet.coop';
const bruno = '@bruno:meet.coop';
const start = buildPollStart({ question: 'Buy a new server?', answers: [{ id: 'yes', text: 'Yes' }, { id: 'no', text: 'No' }], maxSelections: 1, kind: disclosedKind });

function setup() {
  const store = new ChatStore(openDatabase(':memory:'));
  store.ensureRoom(roomId);
  let pos = 0;
  const add = (event: Partial<MatrixRawEvent> & { type: string; content: Record<string, unknown> }) => {
    const full = { event_id: `$e${pos}`, sender: ana, origin_server_ts: 1000 + pos, ...event } as MatrixRawEvent;
    store.insertEvent(roomId, pos++, full);
    return full.event_id;
  };
  const timeline = (pollVote?: (roomId: string, eventId: string) => PollVoteState | null) =>
    buildTimeline(store, roomId, { limit: 50 }, { me: { userId: bruno, displayName: null }, elementUrl: 'https://element.example', ...(pollVote ? { pollVote } : {}) });
  return { store, add, timeline };
}

describe('poll cards in the timeline', () => {
  it('shows a poll start as a card, and keeps answers and ends hidden', () => {
    const { add, timeline } = setup();
    add({ type: 'm.room.message', content: { msgtype: 'm.text', body: 'Shall we?' } });
    const poll = add({ type: 'org.matrix.msc3381.poll.start', content: start });
    add({ type: 'org.matrix.msc3381.poll.response', sender: bruno, content: buildPollResponse(poll, ['no']) });
    add({ type: 'coop.meet.plenary.ops', content: { ops: [] } });
    const items = timeline().items;
    expect(items.map((i) => i.kind)).toEqual(['text', 'poll']);
    expect(items[1]!.poll).toEqual({ question: 'Buy a new server?', answers: ['Yes', 'No'], status: 'open', vote: null, myBallot: ['No'] });
    expect(isShown({ type: 'org.matrix.msc3381.poll.response', content: {} })).toBe(false);
    expect(isShown({ type: 'm.poll.start', content: {} })).toBe(true);
  });

  it('closes an Element poll on its creator’s end event only; a forged end from someone else changes nothing', () => {
    const { add, timeline } = setup();
    const poll = add({ type: 'org.matrix.msc3381.poll.start', content: start });
    add({ type: 'org.matrix.msc3381.poll.end', sender: bruno, content: buildPollEnd(poll, 'ended') });
    expect(timeline().items[0]!.poll!.status).toBe('open');
    add({ type: 'org.matrix.msc3381.poll.end', content: buildPollEnd(poll, 'ended') });
    expect(timeline().items[0]!.poll!.status).toBe('closed');
  });

  it('shows the member’s latest answer as their ballot, and none after an empty answer (a withdrawn vote)', () => {
    const { add, timeline } = setup();
    const poll = add({ type: 'org.matrix.msc3381.poll.start', content: start });
    add({ type: 'org.matrix.msc3381.poll.response', sender: bruno, content: buildPollResponse(poll, ['yes']) });
    expect(timeline().items[0]!.poll!.myBallot).toEqual(['Yes']);
    add({ type: 'org.matrix.msc3381.poll.response', sender: bruno, content: buildPollResponse(poll, []) });
    expect(timeline().items[0]!.poll!.myBallot).toBeNull();
    // Another member's answer is not yours.
    add({ type: 'org.matrix.msc3381.poll.response', sender: ana, content: buildPollResponse(poll, ['no']) });
    expect(timeline().items[0]!.poll!.myBallot).toBeNull();
  });

  it('describes a poll that is a Plenary vote by the vote: its question, state, your ballot and the vote to open', () => {
    const { add, timeline } = setup();
    const poll = add({ type: 'org.matrix.msc3381.poll.start', content: start });
    const vote: PollVoteState = { circleId: 'c1', voteId: 'v1', question: 'Buy a new server (edited)?', answers: ['Yes', 'No'], status: 'closed', myBallot: ['Yes'] };
    const seen: [string, string][] = [];
    const item = timeline((room, event) => (seen.push([room, event]), vote)).items[0]!;
    expect(seen).toEqual([[roomId, poll]]);
    expect(item.poll).toEqual({ question: 'Buy a new server (edited)?', answers: ['Yes', 'No'], status: 'closed', vote: { circleId: 'c1', voteId: 'v1' }, myBallot: ['Yes'] });
  });

  it('leaves out a poll start it cannot read and no vote describes; a redacted one is a removed message', () => {
    const { store, add, timeline } = setup();
    add({ type: 'org.matrix.msc3381.poll.start', content: { 'org.matrix.msc3381.poll.start': { question: 'no answers' } } });
    const redacted = add({ type: 'org.matrix.msc3381.poll.start', content: start });
    store.redact(redacted);
    expect(timeline().items.map((i) => i.kind)).toEqual(['redacted']);
  });

  it('reads the stable m.poll form too', () => {
    const stable = { 'm.poll': { question: { 'm.text': [{ body: 'Lunch?' }] }, answers: [{ 'm.id': 'a', 'm.text': [{ body: 'Pizza' }] }, { 'm.id': 'b', 'm.text': [{ body: 'Soup' }] }] } };
    expect(readPollStart(stable)).toEqual({ question: 'Lunch?', answers: [{ id: 'a', text: 'Pizza' }, { id: 'b', text: 'Soup' }] });
    const card = pollCard({ content: stable, sender: ana, me: bruno, relations: [{ type: 'm.poll.response', sender: bruno, ts: 1, content: { 'm.selections': ['b'] } }], vote: null });
    expect(card).toMatchObject({ question: 'Lunch?', status: 'open', myBallot: ['Soup'] });
  });

  it('puts a ballot’s choice in the options’ words', () => {
    const options = [
      { id: 'o1', label: 'Alpha' },
      { id: 'o2', label: 'Beta' },
    ];
    expect(ballotLabels('o2', options)).toEqual(['Beta']);
    expect(ballotLabels(['o2', 'o1'], options)).toEqual(['Beta', 'Alpha']);
    expect(ballotLabels({ o1: 2, o2: 5 }, options)).toEqual(['Beta (5)', 'Alpha (2)']);
    expect(ballotLabels('agree', options)).toEqual(['agree']);
    expect(ballotLabels(null, options)).toEqual([]);
  });
});

describe('the vote behind a poll start (governance, through the core)', () => {
  function seeded() {
    const { db, store, clock } = makeStore();
    const circle = store.applyLocal('circle.create', ids(), { name: 'Tech ops', purpose: '', timezone: 'UTC' }).circle;
    store.applyLocal('circle.member.set', circle, { member: alice, displayName: 'Alice', role: 'facilitator', timezone: 'UTC' });
    const voteId = ids();
    const [yes, no] = [ids(), ids()];
    store.applyLocal('vote.create', circle, { voteId, question: 'Buy a server?', details: '', method: 'single', options: [{ id: yes, label: 'Yes' }, { id: no, label: 'No' }], quorumPercent: 0 });
    db.prepare('INSERT INTO sync_vote_polls (vote_id, room_id, event_id, creator, answers_json) VALUES (?, ?, ?, ?, ?)').run(voteId, roomId, '$start', alice, '{}');
    const lookup = pollVoteLookup(db, new GovernanceQueries(db, () => alice, () => clock.now()), (room) => (room === roomId ? circle : null));
    return { store, circle, voteId, yes, no, lookup };
  }

  it('reads the vote’s question, state and the member’s ballot in force', () => {
    const { store, circle, voteId, no, lookup } = seeded();
    expect(lookup(roomId, '$start')).toEqual({ circleId: circle, voteId, question: 'Buy a server?', answers: ['Yes', 'No'], status: 'open', myBallot: null });
    store.applyLocal('vote.ballot', circle, { voteId, voter: alice, choice: no });
    store.applyLocal('vote.close', circle, { voteId });
    expect(lookup(roomId, '$start')).toMatchObject({ status: 'closed', myBallot: ['No'] });
  });

  it('describes nothing for a poll start it does not know, or one that names the vote from another room', () => {
    const { lookup } = seeded();
    expect(lookup(roomId, '$other')).toBeNull();
    // A copy of the poll start posted in another room does not describe the circle's vote.
    expect(lookup('!elsewhere:meet.coop', '$start')).toBeNull();
  });
});
