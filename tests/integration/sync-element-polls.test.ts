// Element interop: a plain matrix-js-sdk client, acting as Element, answers a vote
// Plenary published as an MSC3381 poll and creates a poll of its own, which Plenary shows
// as a vote. The Element side uses none of Plenary's code: its events are built, and the
// room's poll events parsed and validated, with matrix-js-sdk's own MSC3381 classes (what
// Element uses), and counted as MSC3381 says a client must. Both sides show the same
// tallies, and after the poll ends late answers count on neither side.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type MatrixClient } from 'matrix-js-sdk';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { converge, clearCircleRooms, startPlenaryClient, type PlenaryClient } from '../helpers/plenary-client';
import { seedCircle } from '../helpers/governance-seed';
import { newId } from '../../shared/governance/ids';
import { PollStartEvent } from 'matrix-js-sdk/lib/extensible_events_v1/PollStartEvent.js';
import { PollResponseEvent } from 'matrix-js-sdk/lib/extensible_events_v1/PollResponseEvent.js';
import { PollEndEvent } from 'matrix-js-sdk/lib/extensible_events_v1/PollEndEvent.js';

const pollStartType = 'org.matrix.msc3381.poll.start';
const pollResponseType = 'org.matrix.msc3381.poll.response';
const pollEndType = 'org.matrix.msc3381.poll.end';
interface WireEvent { event_id: string; sender: string; origin_server_ts: number; content: Record<string, unknown>; type: string }
import type { VoteDetail } from '../../shared/governance/views';

// Circle rooms in the clear, whatever the default: Element's side here is a crypto-less matrix-js-sdk client; agreement in encrypted circle rooms is sync-encrypted-circle.test.ts.
let server: SynapseServer;
let alice: RegisteredUser;
let bob: RegisteredUser;
let carol: RegisteredUser;
let plenary: PlenaryClient;
let element: MatrixClient;
let elementCarol: MatrixClient;

beforeAll(async () => {
  // Relaxed rate limits: an Element-side client answers many polls quickly; what is proven is how answers are counted. Waiting out 429s under Synapse's defaults is proven in
  // sync-rate-limits.test.ts and the sync tests that run with the default limits.
  server = await SynapseServer.start({ rateLimits: 'relaxed' });
  [alice, bob, carol] = [await server.register('alice'), await server.register('bob'), await server.register('carol')];
  element = createClient({ baseUrl: server.baseUrl, accessToken: bob.accessToken, userId: bob.userId, deviceId: bob.deviceId });
  elementCarol = createClient({ baseUrl: server.baseUrl, accessToken: carol.accessToken, userId: carol.userId, deviceId: carol.deviceId });
});

afterAll(async () => {
  await plenary?.close();
  await server?.stop();
});

/** Every poll event of a room, as Element would gather them through /messages. */
async function pollEvents(roomId: string): Promise<WireEvent[]> {
  const events: WireEvent[] = [];
  let from: string | undefined;
  const filter = JSON.stringify({ types: [pollStartType, pollResponseType, pollEndType] });
  for (;;) {
    const query = new URLSearchParams({ dir: 'b', limit: '200', filter, ...(from ? { from } : {}) });
    const response = await fetch(`${server.baseUrl}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?${query}`, {
      headers: { Authorization: `Bearer ${bob.accessToken}` },
    });
    const page = (await response.json()) as { chunk: WireEvent[]; end?: string };
    for (const e of page.chunk) events.push({ event_id: e.event_id, sender: e.sender, origin_server_ts: e.origin_server_ts, content: e.content, type: e.type });
    if (!page.end || page.chunk.length === 0) return events.reverse();
    from = page.end;
  }
}

/**
 * The tally an Element user sees: the start parsed by matrix-js-sdk, the first valid end
 * (from the poll's creator) closing it, and each user's latest valid response before that
 * end counting once; spoiled responses count for nothing.
 */
async function elementTally(roomId: string, startEventId: string) {
  const events = await pollEvents(roomId);
  const startEvent = events.find((e) => e.event_id === startEventId)!;
  const start = new PollStartEvent({ type: startEvent.type, content: startEvent.content as never });
  const relates = (e: WireEvent) => (e.content['m.relates_to'] as { event_id?: string } | undefined)?.event_id === startEventId;
  const end = events.find((e) => e.type === pollEndType && relates(e) && e.sender === startEvent.sender && new PollEndEvent({ type: e.type, content: e.content as never }));
  const latest = new Map<string, PollResponseEvent>();
  for (const e of events) {
    if (e.type !== pollResponseType || !relates(e) || (end && e.origin_server_ts > end.origin_server_ts)) continue;
    const response = new PollResponseEvent({ type: e.type, content: e.content as never });
    response.validateAgainst(start);
    latest.set(e.sender, response);
  }
  const counts: Record<string, number> = Object.fromEntries(start.answers.map((a) => [a.id, 0]));
  for (const response of latest.values()) if (!response.spoiled) for (const id of response.answerIds) counts[id] = (counts[id] ?? 0) + 1;
  return { counts, endedBy: end?.sender ?? null, answers: start.answers.map((a) => ({ id: a.id, text: a.text })) };
}

const respond = (client: MatrixClient, roomId: string, startId: string, answer: string) =>
  client.sendEvent(roomId, pollResponseType as never, PollResponseEvent.from([answer], startId).serialize().content as never);

function votesByLabel(detail: VoteDetail): Record<string, number> {
  return Object.fromEntries(detail.results.options.map((o) => [o.label, o.votes]));
}

describe('Element polls and Plenary votes', () => {
  it('shows the same tallies on both sides, for a vote made in Plenary and a poll made in Element', async () => {
    plenary = await startPlenaryClient('alice', { coop: clearCircleRooms(server) });
    await plenary.signIn(server, alice);
    const store = plenary.core.services.governance;
    const circle = seedCircle(store, alice.userId, [bob.userId, carol.userId]);
    // Bob facilitates, so the poll he starts in Element is a vote (a member's would be a
    // proposal a facilitator adopts: tests/integration/sync-hostile-members.test.ts).
    store.applyLocal('circle.member.set', circle, { member: bob.userId, displayName: 'Bob', role: 'facilitator', timezone: 'UTC' });
    await plenary.syncNow();
    const roomId = plenary.core.services.sync.rooms.roomOf(circle)!;
    await element.joinRoom(roomId);
    await elementCarol.joinRoom(roomId);

    // A vote made in Plenary, with Alice's own ballot.
    const voteId = newId();
    const options = [
      { id: newId(), label: 'Renew the server contract' },
      { id: newId(), label: 'Move to the new host' },
      { id: newId(), label: 'Decide next month' },
    ];
    store.applyLocal('vote.create', circle, { voteId, question: 'Which hosting plan?', details: '', method: 'single', options, quorumPercent: 50 });
    store.applyLocal('vote.ballot', circle, { voteId, voter: alice.userId, choice: options[0]!.id });
    await plenary.syncNow();
    const startId = plenary.core.services.db.prepare('SELECT event_id FROM sync_vote_polls WHERE vote_id = ?').pluck().get(voteId) as string;
    expect(startId).toMatch(/^\$/);

    // Element users answer it; Carol changes her mind (only her latest answer counts).
    await respond(element, roomId, startId, options[1]!.id);
    await respond(elementCarol, roomId, startId, options[0]!.id);
    await respond(elementCarol, roomId, startId, options[2]!.id);

    // Bob starts a poll in Element.
    const lunchPoll = PollStartEvent.from('Lunch at the gathering?', ['Soup', 'Salad'], 'org.matrix.msc3381.poll.disclosed');
    const [soup, salad] = lunchPoll.answers.map((a) => a.id) as [string, string];
    const elementPoll = await element.sendEvent(roomId, pollStartType as never, lunchPoll.serialize().content as never);
    await respond(elementCarol, roomId, elementPoll.event_id, salad);

    await converge([plenary]);
    await plenary.syncNow();
    const plenaryVote = await plenary.call<VoteDetail>('governance.vote', { circleId: circle, voteId });
    const onElement = await elementTally(roomId, startId);
    expect(onElement.answers.map((a) => a.text)).toEqual(options.map((o) => o.label));
    expect(votesByLabel(plenaryVote)).toEqual({ 'Renew the server contract': 1, 'Move to the new host': 1, 'Decide next month': 1 });
    expect(Object.fromEntries(options.map((o) => [o.label, onElement.counts[o.id]]))).toEqual(votesByLabel(plenaryVote));

    // Alice votes on Bob's poll from Plenary; her answer reaches Element with Element's answer ids.
    const votes = await plenary.call<{ id: string; question: string; options: { id: string; label: string }[] }[]>('governance.votes', { circleId: circle });
    const lunch = votes.find((v) => v.question === 'Lunch at the gathering?')!;
    expect(lunch.options.map((o) => o.label)).toEqual(['Soup', 'Salad']);
    store.applyLocal('vote.ballot', circle, { voteId: lunch.id, voter: alice.userId, choice: lunch.options[0]!.id });
    await plenary.syncNow();
    const lunchOnElement = await elementTally(roomId, elementPoll.event_id);
    expect(lunchOnElement.counts).toEqual({ [soup]: 1, [salad]: 1 });
    const lunchInPlenary = await plenary.call<VoteDetail>('governance.vote', { circleId: circle, voteId: lunch.id });
    expect(votesByLabel(lunchInPlenary)).toEqual({ Soup: 1, Salad: 1 });

    // Alice closes her vote in Plenary: Element sees the end, and a late answer counts nowhere.
    store.applyLocal('vote.close', circle, { voteId });
    await plenary.syncNow();
    await new Promise((r) => setTimeout(r, 20));
    await respond(element, roomId, startId, options[0]!.id);
    // Bob ends his own poll in Element; Plenary closes the vote.
    await element.sendEvent(roomId, pollEndType as never, PollEndEvent.from(elementPoll.event_id, 'The poll has ended.').serialize().content as never);
    await plenary.syncNow();
    await plenary.syncNow();
    const closed = await plenary.call<VoteDetail>('governance.vote', { circleId: circle, voteId });
    const closedOnElement = await elementTally(roomId, startId);
    expect(closedOnElement.endedBy).not.toBeNull();
    expect(votesByLabel(closed)).toEqual({ 'Renew the server contract': 1, 'Move to the new host': 1, 'Decide next month': 1 });
    expect(Object.fromEntries(options.map((o) => [o.label, closedOnElement.counts[o.id]]))).toEqual(votesByLabel(closed));
    expect(closed.status).toBe('closed');
    expect(closed.results.late).toBe(1);
    const lunchClosed = await plenary.call<VoteDetail>('governance.vote', { circleId: circle, voteId: lunch.id });
    expect(lunchClosed.status).toBe('closed');
    expect(plenary.core.services.sync.view().quarantined).toBe(0);
  });
});
