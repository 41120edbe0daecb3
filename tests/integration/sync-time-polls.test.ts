// A time poll in Element, against a real Synapse: Plenary publishes it as an MSC3381 poll
// whose answers read as times in UTC and the circle's zone (not the stored ISO labels), an
// Element user ticks two of them (parsed and answered with matrix-js-sdk's own MSC3381
// classes), Plenary counts the same, and once the poll is closed the chosen slot becomes a
// meeting of the circle in the meetings overview. Default rate limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type MatrixClient } from 'matrix-js-sdk';
import { PollStartEvent } from 'matrix-js-sdk/lib/extensible_events_v1/PollStartEvent.js';
import { PollResponseEvent } from 'matrix-js-sdk/lib/extensible_events_v1/PollResponseEvent.js';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { converge, clearCircleRooms, startPlenaryClient, type PlenaryClient } from '../helpers/plenary-client';
import { seedCircle } from '../helpers/governance-seed';
import { newId } from '../../shared/governance/ids';
import { slotLabel } from '../../shared/governance/time-poll';
import type { VoteDetail } from '../../shared/governance/views';

const pollStartType = 'org.matrix.msc3381.poll.start';
const pollResponseType = 'org.matrix.msc3381.poll.response';

// Circle rooms in the clear, whatever the default: Element's side here is a crypto-less matrix-js-sdk client; the test is about time polls, not encryption.
let server: SynapseServer;
let alice: RegisteredUser;
let bob: RegisteredUser;
let plenary: PlenaryClient;
let element: MatrixClient;

beforeAll(async () => {
  server = await SynapseServer.start();
  [alice, bob] = [await server.register('alice'), await server.register('bob')];
  element = createClient({ baseUrl: server.baseUrl, accessToken: bob.accessToken, userId: bob.userId, deviceId: bob.deviceId });
});

afterAll(async () => {
  await plenary?.close();
  await server?.stop();
});

describe('a time poll in Element', () => {
  it('reads as times in UTC and the circle’s zone, counts Element’s answers, and its chosen slot becomes a meeting', async () => {
    plenary = await startPlenaryClient('alice', { coop: clearCircleRooms(server) });
    await plenary.signIn(server, alice);
    const store = plenary.core.services.governance;
    const circle = seedCircle(store, alice.userId, [bob.userId]);
    store.applyLocal('circle.update', circle, { fields: { timezone: 'Europe/Madrid' } });
    await plenary.syncNow();
    const roomId = plenary.core.services.sync.rooms.roomOf(circle)!;
    await element.joinRoom(roomId);

    const day = 86_400_000;
    const base = Math.ceil(Date.now() / 3_600_000) * 3_600_000;
    const voteId = newId();
    const options = [1, 2, 3].map((n) => ({ id: newId(), label: slotLabel(base + n * day, 90) }));
    store.applyLocal('vote.create', circle, { voteId, question: 'When shall we meet?', details: '', method: 'time', options, quorumPercent: 0 });
    await plenary.syncNow();
    const startId = plenary.core.services.db.prepare('SELECT event_id FROM sync_vote_polls WHERE vote_id = ?').pluck().get(voteId) as string;
    expect(startId).toMatch(/^\$/);

    const event = await element.fetchRoomEvent(roomId, startId);
    const start = new PollStartEvent({ type: pollStartType, content: event.content as never });
    expect(start.answers).toHaveLength(3);
    for (const answer of start.answers) {
      expect(answer.text).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}–\d{2}:\d{2} UTC \(\d{4}-\d{2}-\d{2} \d{2}:\d{2}–\d{2}:\d{2} Europe\/Madrid\)$/);
      expect(answer.text).not.toContain('/PT');
    }
    expect(start.maxSelections).toBe(3);

    // Bob can make the first two times.
    await element.sendEvent(roomId, pollResponseType as never, PollResponseEvent.from([options[0]!.id, options[1]!.id], startId).serialize().content as never);
    await converge([plenary]);
    await plenary.syncNow();
    await expect
      .poll(async () => {
        await plenary.syncNow();
        const vote = await plenary.call<VoteDetail>('governance.vote', { circleId: circle, voteId });
        return vote.results.options.map((o) => o.votes);
      })
      .toEqual([1, 1, 0]);

    store.applyLocal('vote.close', circle, { voteId });
    store.applyLocal('vote.update', circle, { voteId, fields: { chosenOption: options[1]!.id } });
    await plenary.syncNow();
    const overview = plenary.core.services.meetings.overview();
    const meeting = overview.next.find((o) => o.circleId === circle);
    expect(meeting).toEqual(expect.objectContaining({ start: base + 2 * day, end: base + 2 * day + 90 * 60_000, title: 'When shall we meet?' }));
  });
});
