// Element interop: a plain matrix-js-sdk client, acting as Element, answers a vote
// Plenary published as an MSC3381 poll and creates a poll of its own, which Plenary shows
// as a vote. Both sides count the same tallies (Element's counted as MSC3381 says a
// client must), and after the poll ends late answers count on neither side.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type MatrixClient } from 'matrix-js-sdk';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { converge, startPlenaryClient, type PlenaryClient } from '../helpers/plenary-client';
import { seedCircle } from '../helpers/governance-seed';
import { newId } from '../../shared/governance/ids';
import {
  buildPollEnd,
  buildPollResponse,
  buildPollStart,
  parsePollStart,
  pollEndType,
  pollResponseType,
  pollStartType,
  tallyPoll,
  type PollEventLike,
} from '../../main/core/sync/msc3381';
import type { VoteDetail } from '../../shared/governance/views';

let server: SynapseServer;
let alice: RegisteredUser;
let bob: RegisteredUser;
let carol: RegisteredUser;
let plenary: PlenaryClient;
let element: MatrixClient;
let elementCarol: MatrixClient;

beforeAll(async () => {
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
async function pollEvents(roomId: string): Promise<(PollEventLike & { type: string })[]> {
  const events: (PollEventLike & { type: string })[] = [];
  let from: string | undefined;
  const filter = JSON.stringify({ types: [pollStartType, pollResponseType, pollEndType] });
  for (;;) {
    const query = new URLSearchParams({ dir: 'b', limit: '200', filter, ...(from ? { from } : {}) });
    const response = await fetch(`${server.baseUrl}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?${query}`, {
      headers: { Authorization: `Bearer ${bob.accessToken}` },
    });
    const page = (await response.json()) as { chunk: { event_id: string; sender: string; origin_server_ts: number; content: unknown; type: string }[]; end?: string };
    for (const e of page.chunk) events.push({ event_id: e.event_id, sender: e.sender, origin_server_ts: e.origin_server_ts, content: e.content, type: e.type });
    if (!page.end || page.chunk.length === 0) return events.reverse();
    from = page.end;
  }
}

async function elementTally(roomId: string, startEventId: string) {
  const events = await pollEvents(roomId);
  const start = events.find((e) => e.event_id === startEventId)!;
  const parsed = parsePollStart(start.content);
  if (!parsed.ok) throw new Error(parsed.reason);
  return tallyPoll(
    { ...start, poll: parsed.poll },
    events.filter((e) => e.type === pollResponseType),
    events.filter((e) => e.type === pollEndType),
    () => false,
  );
}

function votesByLabel(detail: VoteDetail): Record<string, number> {
  return Object.fromEntries(detail.results.options.map((o) => [o.label, o.votes]));
}

describe('Element polls and Plenary votes', () => {
  it('shows the same tallies on both sides, for a vote made in Plenary and a poll made in Element', async () => {
    plenary = await startPlenaryClient('alice');
    await plenary.signIn(server, alice);
    const store = plenary.core.services.governance;
    const circle = seedCircle(store, alice.userId, [bob.userId, carol.userId]);
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
    await element.sendEvent(roomId, pollResponseType as never, buildPollResponse(startId, [options[1]!.id]) as never);
    await elementCarol.sendEvent(roomId, pollResponseType as never, buildPollResponse(startId, [options[0]!.id]) as never);
    await elementCarol.sendEvent(roomId, pollResponseType as never, buildPollResponse(startId, [options[2]!.id]) as never);

    // Bob starts a poll in Element.
    const elementPoll = await element.sendEvent(
      roomId,
      pollStartType as never,
      buildPollStart({ question: 'Lunch at the gathering?', answers: [{ id: 'soup', text: 'Soup' }, { id: 'salad', text: 'Salad' }], maxSelections: 1, kind: 'org.matrix.msc3381.poll.disclosed' }) as never,
    );
    await elementCarol.sendEvent(roomId, pollResponseType as never, buildPollResponse(elementPoll.event_id, ['salad']) as never);

    await converge([plenary]);
    await plenary.syncNow();
    const plenaryVote = await plenary.call<VoteDetail>('governance.vote', { circleId: circle, voteId });
    const onElement = await elementTally(roomId, startId);
    expect(votesByLabel(plenaryVote)).toEqual({ 'Renew the server contract': 1, 'Move to the new host': 1, 'Decide next month': 1 });
    expect(Object.fromEntries(options.map((o) => [o.label, onElement.counts[o.id]]))).toEqual(votesByLabel(plenaryVote));

    // Alice votes on Bob's poll from Plenary; her answer reaches Element with Element's answer ids.
    const votes = await plenary.call<{ id: string; question: string; options: { id: string; label: string }[] }[]>('governance.votes', { circleId: circle });
    const lunch = votes.find((v) => v.question === 'Lunch at the gathering?')!;
    expect(lunch.options.map((o) => o.label)).toEqual(['Soup', 'Salad']);
    store.applyLocal('vote.ballot', circle, { voteId: lunch.id, voter: alice.userId, choice: lunch.options[0]!.id });
    await plenary.syncNow();
    const lunchOnElement = await elementTally(roomId, elementPoll.event_id);
    expect(lunchOnElement.counts).toEqual({ soup: 1, salad: 1 });
    const lunchInPlenary = await plenary.call<VoteDetail>('governance.vote', { circleId: circle, voteId: lunch.id });
    expect(votesByLabel(lunchInPlenary)).toEqual({ Soup: 1, Salad: 1 });

    // Alice closes her vote in Plenary: Element sees the end, and a late answer counts nowhere.
    store.applyLocal('vote.close', circle, { voteId });
    await plenary.syncNow();
    await new Promise((r) => setTimeout(r, 20));
    await element.sendEvent(roomId, pollResponseType as never, buildPollResponse(startId, [options[0]!.id]) as never);
    // Bob ends his own poll in Element; Plenary closes the vote.
    await element.sendEvent(roomId, pollEndType as never, buildPollEnd(elementPoll.event_id, 'Closed') as never);
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
