// An assembly of 15 votes run with no network, uploaded to a Synapse with its DEFAULT rate
// limits, as Element users see it. Each vote was opened, voted (the facilitator's own ballot
// and a proxy) and closed offline: a poll for it would be born closed, so all 15 reach
// Element users in one results message (question, method, result and counts for each), not
// as 45 poll events. A vote still open gets its poll, which an Element user answers and
// Plenary counts. The Element side reads the room with the raw API and parses polls with
// matrix-js-sdk's own MSC3381 classes; it shares no code with Plenary. The time this takes is
// the bench's (sync.assembly_15_votes_default_s), not this test's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type MatrixClient } from 'matrix-js-sdk';
import { PollStartEvent } from 'matrix-js-sdk/lib/extensible_events_v1/PollStartEvent.js';
import { PollResponseEvent } from 'matrix-js-sdk/lib/extensible_events_v1/PollResponseEvent.js';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { clearCircleRooms, startPlenaryClient, type PlenaryClient } from '../helpers/plenary-client';
import { seedCircle } from '../helpers/governance-seed';
import { recordOfflineAssembly } from '../helpers/offline-assembly';
import { newId } from '../../shared/governance/ids';
import type { VoteDetail } from '../../shared/governance/views';

interface WireEvent {
  event_id: string;
  type: string;
  sender: string;
  content: Record<string, unknown>;
}

// Circle rooms in the clear, whatever the default: the Element side reads the room with the raw API and no crypto; agreement in encrypted circle rooms is sync-encrypted-circle.test.ts.
let server: SynapseServer;
let alice: RegisteredUser;
let bob: RegisteredUser;
let plenary: PlenaryClient;
let element: MatrixClient;

beforeAll(async () => {
  server = await SynapseServer.start({ rateLimits: 'default' });
  [alice, bob] = [await server.register('alice'), await server.register('bob')];
  element = createClient({ baseUrl: server.baseUrl, accessToken: bob.accessToken, userId: bob.userId, deviceId: bob.deviceId });
});

afterAll(async () => {
  await plenary?.close();
  await server?.stop();
});

/** Every event of the room, oldest first, as Bob's Element reads it. */
async function roomEvents(roomId: string): Promise<WireEvent[]> {
  const events: WireEvent[] = [];
  let from: string | undefined;
  for (;;) {
    const query = new URLSearchParams({ dir: 'b', limit: '100', ...(from ? { from } : {}) });
    const response = await fetch(`${server.baseUrl}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?${query}`, { headers: { Authorization: `Bearer ${bob.accessToken}` } });
    const page = (await response.json()) as { chunk: WireEvent[]; end?: string };
    events.push(...page.chunk);
    if (!page.end || page.chunk.length === 0) return events.reverse();
    from = page.end;
  }
}

describe('an assembly of 15 votes made offline', () => {
  it('reaches Element users as one results message for the decided votes and a poll they can answer for the open one', async () => {
    plenary = await startPlenaryClient('alice', { coop: clearCircleRooms(server) });
    await plenary.signIn(server, alice);
    const store = plenary.core.services.governance;
    const circle = seedCircle(store, alice.userId, [bob.userId]);
    let status = await plenary.syncNow();
    while (status.pending > 0) status = await plenary.syncNow();
    const roomId = plenary.core.services.sync.rooms.roomOf(circle)!;
    await element.joinRoom(roomId);
    const before = (await roomEvents(roomId)).length;

    await plenary.call('matrix.disconnect');
    recordOfflineAssembly(store, circle, { votes: 15, self: alice.userId, proxyFor: bob.userId });
    const open = newId();
    store.applyLocal('vote.create', circle, { voteId: open, question: 'Meet on the first Monday of each month?', details: '', method: 'consent', options: [], quorumPercent: 50 });
    store.applyLocal('vote.ballot', circle, { voteId: open, voter: alice.userId, choice: 'agree' });
    await plenary.call('matrix.connect');
    await expect.poll(async () => (await plenary.syncNow()).pending, { timeout: 120_000, interval: 500 }).toBe(0);

    const sent = (await roomEvents(roomId)).slice(before).filter((e) => e.sender === alice.userId);
    // The operations, one results message, the open vote's poll and Alice's own answer to it.
    expect(sent.map((e) => e.type)).toEqual(['coop.meet.plenary.ops', 'm.room.message', 'org.matrix.msc3381.poll.start', 'org.matrix.msc3381.poll.response']);

    const results = sent[1]!.content;
    expect(results).toMatchObject({ msgtype: 'm.notice', format: 'org.matrix.custom.html' });
    const body = results.body as string;
    expect(body.split('\n')[0]).toBe('Results of 15 votes decided in Plenary');
    for (let i = 1; i <= 15; i++) {
      // Alice agreed; her proxy for Bob abstained on every fourth vote.
      const counts = i % 4 === 0 ? 'Agree: 1 · Abstain: 1 · Object: 0 · Block: 0' : 'Agree: 2 · Abstain: 0 · Object: 0 · Block: 0';
      expect(body).toContain(`${i}. Proposal ${i}: adopt the budget line ${i}\n   Method: Consent · Result: Passes\n   ${counts}\n`);
      expect(results.formatted_body as string).toContain(`<strong>Proposal ${i}: adopt the budget line ${i}</strong>`);
    }
    expect(body).not.toContain('Meet on the first Monday');

    const start = new PollStartEvent({ type: sent[2]!.type, content: sent[2]!.content as never });
    expect(start.question.text).toBe('Meet on the first Monday of each month?');
    expect(start.answers.map((a) => a.text)).toEqual(['Agree', 'Abstain', 'Object', 'Block']);
    const own = new PollResponseEvent({ type: sent[3]!.type, content: sent[3]!.content as never });
    own.validateAgainst(start);
    expect([own.spoiled, own.answerIds]).toEqual([false, ['agree']]);

    // Bob answers in Element; Plenary counts it.
    await element.sendEvent(roomId, 'org.matrix.msc3381.poll.response' as never, PollResponseEvent.from(['object'], sent[2]!.event_id).serialize().content as never);
    await expect
      .poll(
        async () => {
          await plenary.syncNow();
          const vote = await plenary.call<VoteDetail>('governance.vote', { circleId: circle, voteId: open });
          return vote.results.consent?.positions;
        },
        { timeout: 60_000, interval: 500 },
      )
      .toEqual({ agree: 1, abstain: 0, object: 1, block: 0 });
  });
});
