// Plenary counts exactly what Element counts (MSC3381 as Element implements it), against
// Synapse with its default rate limits and room version. Element's side is a matrix-js-sdk
// client reading the room through its own Poll model and counting as Element Web does
// (tests/helpers/element-polls.ts); its users' events are built with matrix-js-sdk's own
// MSC3381 classes and sent through the raw client-server API. One case per way the two used
// to disagree:
// - a vote closed offline while an Element answer reached the server before the end;
// - one member answering in Plenary offline and in Element;
// - a vote with a deadline: the first authorised member's app publishes the end, once;
// - a poll edited in Element;
// - a redacted answer;
// - answers from room members outside the circle (Element counts them, Plenary says so);
// - an answer carrying Plenary's ballot marker;
// - an empty latest answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PollStartEvent } from 'matrix-js-sdk/lib/extensible_events_v1/PollStartEvent.js';
import { PollResponseEvent } from 'matrix-js-sdk/lib/extensible_events_v1/PollResponseEvent.js';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { clearCircleRooms, startPlenaryClient, type PlenaryClient } from '../helpers/plenary-client';
import { joinRaw, redactRaw, sendRaw, type RawClient } from '../helpers/matrix-raw';
import { elementPoll, endEventCount } from '../helpers/element-polls';
import { syncUntil } from '../helpers/wait-for';
import { OffsetClock } from '../helpers/offset-clock';
import { newId } from '../../shared/governance/ids';
import type { VoteDetail } from '../../shared/governance/views';

const pollStartType = 'org.matrix.msc3381.poll.start';
const pollResponseType = 'org.matrix.msc3381.poll.response';

// Circle rooms in the clear, whatever the default: Element's side here is a crypto-less matrix-js-sdk client and raw API; agreement in encrypted circle rooms is sync-encrypted-circle.test.ts.
let server: SynapseServer;
let alice: RegisteredUser;
let bob: RegisteredUser;
let carol: RegisteredUser;
let dana: RegisteredUser;
let a: PlenaryClient;
let c: PlenaryClient;
let circle: string;
let roomId: string;
/** Alice's computer's clock, right until the deadline case moves it on. */
const aliceClock = new OffsetClock(0);

const raw = (user: RegisteredUser): RawClient => ({ baseUrl: server.baseUrl, userId: user.userId, accessToken: user.accessToken });
const answer = (user: RegisteredUser, pollId: string, answers: string[], extra: Record<string, unknown> = {}) =>
  sendRaw(raw(user), roomId, pollResponseType, { ...PollResponseEvent.from(answers, pollId).serialize().content, ...extra });

beforeAll(async () => {
  server = await SynapseServer.start({ rateLimits: 'default' });
  [alice, bob, carol, dana] = [await server.register('alice'), await server.register('bob'), await server.register('carol'), await server.register('dana')];
  a = await startPlenaryClient('alice', { clock: aliceClock, coop: clearCircleRooms(server) });
  await a.signIn(server, alice);
  const store = a.core.services.governance;
  circle = newId();
  store.applyLocal('circle.create', circle, { name: 'Technology operations', purpose: '', timezone: 'UTC' });
  store.applyLocal('circle.member.set', circle, { member: alice.userId, displayName: 'Alice', role: 'facilitator', timezone: 'UTC' });
  store.applyLocal('circle.member.set', circle, { member: bob.userId, displayName: 'Bob', role: 'member', timezone: 'UTC' });
  store.applyLocal('circle.member.set', circle, { member: carol.userId, displayName: 'Carol', role: 'member', timezone: 'UTC' });
  await a.syncNow();
  roomId = a.core.services.sync.rooms.roomOf(circle)!;
  c = await startPlenaryClient('carol', { coop: clearCircleRooms(server) });
  await c.signIn(server, carol);
  await syncUntil(() => c.syncNow(), () => c.core.services.sync.rooms.roomOf(circle), "Carol's Plenary in the circle's room");
  await joinRaw(raw(bob), roomId);
  // Dana is in the room (invited for the chat) but not a member of the circle.
  await fetch(`${server.baseUrl}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/invite`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${alice.accessToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ user_id: dana.userId }),
  });
  await joinRaw(raw(dana), roomId);
});

afterAll(async () => {
  await a?.close();
  await c?.close();
  await server?.stop();
});

/** A vote Alice makes in Plenary, once its poll is on the server: its id, its poll start, its option (= answer) ids. */
async function publishedVote(question: string, extra: { closesAt?: number } = {}) {
  const voteId = newId();
  const options = [newId(), newId()];
  a.core.services.governance.applyLocal('vote.create', circle, { voteId, question, details: '', method: 'single', options: options.map((id, i) => ({ id, label: `Option ${i + 1}` })), quorumPercent: 0, ...extra });
  const pollId = await syncUntil(
    () => a.syncNow(),
    () => a.core.services.db.prepare('SELECT event_id FROM sync_vote_polls WHERE vote_id = ?').pluck().get(voteId) as string | undefined,
    `the poll of "${question}"`,
  );
  return { voteId, pollId, options: options as [string, string] };
}

const vote = (client: PlenaryClient, voteId: string) => client.call<VoteDetail>('governance.vote', { circleId: circle, voteId });

/** Plenary's counts per poll answer id (its option ids, or an Element poll's own answer ids). */
async function plenaryCounts(client: PlenaryClient, voteId: string): Promise<Record<string, number>> {
  const detail = await vote(client, voteId);
  const answers = JSON.parse((client.core.services.db.prepare('SELECT answers_json FROM sync_vote_polls WHERE vote_id = ?').pluck().get(voteId) as string) ?? '{}') as Record<string, string>;
  return Object.fromEntries(detail.results.options.map((o) => [answers[o.id] ?? o.id, o.votes]));
}

const ballotsOf = async (client: PlenaryClient, voteId: string) => (await vote(client, voteId)).ballots.length;
const elementSees = (pollId: string) => elementPoll(server.baseUrl, bob, roomId, pollId);

describe('Plenary and Element count the same', () => {
  it('when a vote closed offline gets an Element answer before its end reaches the server', async () => {
    const { voteId, pollId, options } = await publishedVote('Renew the support contract?');
    await a.call('matrix.disconnect');
    a.core.services.governance.applyLocal('vote.close', circle, { voteId });
    // By Alice's clock the vote is closed; the server has no end yet, so Element takes Bob's answer.
    await answer(bob, pollId, [options[0]]);
    await a.call('matrix.connect');
    await syncUntil(() => a.syncNow(), async () => a.core.services.sync.view().pending === 0 && (await ballotsOf(a, voteId)) === 1, 'the close uploaded and Bob’s answer read');
    const element = await elementSees(pollId);
    expect(element.ended).toBe(true);
    expect(element.counts).toEqual({ [options[0]]: 1, [options[1]]: 0 });
    expect(await plenaryCounts(a, voteId)).toEqual(element.counts);
  });

  it('when one member answers in Plenary offline and in Element', async () => {
    const { voteId, pollId, options } = await publishedVote('Which host?');
    await syncUntil(() => c.syncNow(), () => c.core.services.db.prepare('SELECT 1 FROM gov_votes WHERE vote_id = ?').get(voteId), 'the vote on Carol’s Plenary');
    await c.call('matrix.disconnect');
    c.core.services.governance.applyLocal('vote.ballot', circle, { voteId, voter: carol.userId, choice: options[1] });
    // Meanwhile, in Element, Carol answers the other way; her Plenary answer reaches the server later.
    await answer(carol, pollId, [options[0]]);
    await c.call('matrix.connect');
    await syncUntil(() => c.syncNow(), () => c.core.services.sync.view().pending === 0, 'Carol’s Plenary ballot and its poll answer uploaded');
    await syncUntil(() => a.syncNow(), async () => (await ballotsOf(a, voteId)) === 2, 'both of Carol’s answers on Alice’s Plenary');
    const element = await elementSees(pollId);
    expect(element.counts).toEqual({ [options[0]]: 0, [options[1]]: 1 });
    expect(await plenaryCounts(a, voteId)).toEqual(element.counts);
    expect(await plenaryCounts(c, voteId)).toEqual(element.counts);
  });

  it('when a poll is edited in Element', async () => {
    const original = PollStartEvent.from('Lunch at the gathering?', ['Soup', 'Salad'], 'org.matrix.msc3381.poll.disclosed');
    const pollId = await sendRaw(raw(alice), roomId, pollStartType, original.serialize().content);
    await answer(bob, pollId, [original.answers[0]!.id]);
    const edited = PollStartEvent.from('Dinner at the gathering?', ['Curry', 'Pasta', 'Tacos'], 'org.matrix.msc3381.poll.disclosed');
    await sendRaw(raw(alice), roomId, pollStartType, { 'm.new_content': edited.serialize().content, 'm.relates_to': { rel_type: 'm.replace', event_id: pollId } });
    await answer(carol, pollId, [edited.answers[2]!.id]);
    const voteId = await syncUntil(
      () => a.syncNow(),
      async () => {
        const id = a.core.services.db.prepare('SELECT vote_id FROM sync_vote_polls WHERE event_id = ?').pluck().get(pollId) as string | undefined;
        return id && (await vote(a, id)).question === 'Dinner at the gathering?' && (await ballotsOf(a, id)) === 2 ? id : undefined;
      },
      'the edited poll as a vote with both answers',
    );
    const element = await elementSees(pollId);
    expect(element).toMatchObject({ question: 'Dinner at the gathering?', edited: true });
    expect((await vote(a, voteId)).options.map((o) => o.label)).toEqual(element.answers.map((x) => x.text));
    // Bob answered the poll before the edit: his answer names an option the poll no longer has.
    expect(element.counts).toEqual({ [edited.answers[0]!.id]: 0, [edited.answers[1]!.id]: 0, [edited.answers[2]!.id]: 1 });
    expect(await plenaryCounts(a, voteId)).toEqual(element.counts);
    expect(a.core.services.sync.view().quarantined).toBe(0);
  });

  it('when an answer is redacted', async () => {
    const { voteId, pollId, options } = await publishedVote('Meet on Tuesdays?');
    await answer(bob, pollId, [options[0]]);
    const changed = await answer(bob, pollId, [options[1]]);
    await redactRaw(raw(bob), roomId, changed);
    await syncUntil(() => a.syncNow(), () => a.core.services.sync.view().withdrawn > 0 && a.core.services.db.prepare('SELECT 1 FROM withdrawn_events WHERE event_id = ?').get(changed), 'the redaction on Alice’s Plenary');
    const element = await elementSees(pollId);
    expect(element.counts).toEqual({ [options[0]]: 1, [options[1]]: 0 });
    expect(await plenaryCounts(a, voteId)).toEqual(element.counts);
  });

  it("when someone outside the circle answers: Plenary shows Element's count and why", async () => {
    const { voteId, pollId, options } = await publishedVote('Open the books?');
    await answer(dana, pollId, [options[0]]);
    await answer(bob, pollId, [options[1]]);
    await syncUntil(() => a.syncNow(), async () => (await ballotsOf(a, voteId)) === 2, 'both answers on Alice’s Plenary');
    const element = await elementSees(pollId);
    expect(element.counts).toEqual({ [options[0]]: 1, [options[1]]: 1 });
    const detail = await vote(a, voteId);
    expect(await plenaryCounts(a, voteId)).toEqual({ [options[0]]: 0, [options[1]]: 1 });
    expect(detail.results.notMembers).toEqual([dana.userId]);
    // What the vote page shows as "Element counts N": Plenary's count plus what non-members add.
    const elementOnThePage = Object.fromEntries(detail.results.options.map((o) => [o.id, o.votes + (detail.results.outsideVotes?.[o.id] ?? 0)]));
    expect(elementOnThePage).toEqual(element.counts);
  });

  it("when an answer carries Plenary's ballot marker without being Plenary's own", async () => {
    const { voteId, pollId, options } = await publishedVote('Switch the mailing list?');
    await answer(bob, pollId, [options[1]], { 'coop.meet.plenary.ballot': { voteId, opId: newId() } });
    await syncUntil(() => a.syncNow(), async () => (await ballotsOf(a, voteId)) === 1, 'the answer on Alice’s Plenary');
    const element = await elementSees(pollId);
    expect(element.counts).toEqual({ [options[0]]: 0, [options[1]]: 1 });
    expect(await plenaryCounts(a, voteId)).toEqual(element.counts);
  });

  it('when the latest answer is empty (Element takes it as withdrawing the vote)', async () => {
    const { voteId, pollId, options } = await publishedVote('Hold the retreat in spring?');
    await answer(carol, pollId, [options[0]]);
    await answer(carol, pollId, []);
    await answer(bob, pollId, [options[1]]);
    await syncUntil(() => a.syncNow(), async () => (await ballotsOf(a, voteId)) === 3, 'the three answers on Alice’s Plenary');
    const element = await elementSees(pollId);
    expect(element.counts).toEqual({ [options[0]]: 0, [options[1]]: 1 });
    expect(await plenaryCounts(a, voteId)).toEqual(element.counts);
  });

  // Last: Alice's computer is moved on an hour, past the deadline, rather than waited for.
  it('for a vote with a deadline: the first app that may end it publishes the end, once', async () => {
    const { voteId, pollId, options } = await publishedVote('Adopt the new handbook?', { closesAt: aliceClock.now() + 3600_000 });
    await answer(bob, pollId, [options[0]]);
    await syncUntil(() => a.syncNow(), async () => (await ballotsOf(a, voteId)) === 1, 'Bob’s answer on Alice’s Plenary');
    aliceClock.offsetMs = 3600_000 + 60_000;
    await syncUntil(() => a.syncNow(), async () => (await endEventCount(server.baseUrl, bob, roomId, pollId)) > 0, 'the deadline’s end event');
    await answer(carol, pollId, [options[1]]);
    for (const client of [a, c, a, c]) await client.syncNow();
    expect(await endEventCount(server.baseUrl, bob, roomId, pollId)).toBe(1);
    await syncUntil(() => a.syncNow(), async () => (await ballotsOf(a, voteId)) === 2, 'both answers on Alice’s Plenary');
    const element = await elementSees(pollId);
    expect(element.ended).toBe(true);
    expect(element.counts).toEqual({ [options[0]]: 1, [options[1]]: 0 });
    expect(await plenaryCounts(a, voteId)).toEqual(element.counts);
    expect((await vote(a, voteId)).status).toBe('closed');
  });
});
