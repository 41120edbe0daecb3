// The circle room's "closing soon" notice against a real Synapse (default rate limits: one
// notice per vote is the point, so the test runs under the limits members have). Three
// replicas read the same circle: Alice's laptop, which creates the vote; Bob's Plenary; and
// a second Plenary signed in as Alice (another device). The room gets exactly one notice for
// the vote, from Alice's laptop, even after every replica has synced several times and the
// laptop restarted; a vote closing beyond the lead time gets none yet. Each member who has
// not voted gets their own desktop reminder on their own Plenary.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { clearCircleRooms, converge, startPlenaryClient, type PlenaryClient } from '../helpers/plenary-client';
import { seedCircle } from '../helpers/governance-seed';
import { MemorySecretStore } from '../../main/core/secrets/secret-store';
import { newId } from '../../shared/governance/ids';
import { chatNoticeKey } from '../../shared/governance/vote-reminders';

interface WireEvent {
  event_id: string;
  type: string;
  sender: string;
  content: Record<string, unknown>;
}

let server: SynapseServer;
let alice: RegisteredUser;
let bob: RegisteredUser;
const clients: PlenaryClient[] = [];

beforeAll(async () => {
  server = await SynapseServer.start({ rateLimits: 'default' });
  [alice, bob] = [await server.register('alice'), await server.register('bob')];
});

afterAll(async () => {
  for (const client of clients) await client.close();
  await server?.stop();
});

/** Every event of the room, oldest first, read with the raw API as Bob (no crypto: the Plenary clients keep circle rooms clear). */
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

const noticesFor = async (roomId: string, voteId: string) =>
  (await roomEvents(roomId)).filter((e) => e.type === 'm.room.message' && (e.content[chatNoticeKey] as { voteId?: string } | undefined)?.voteId === voteId);

describe("a vote's closing-soon notice in the circle's room", () => {
  it('is posted once, by the computer that created the vote, with three replicas syncing', async () => {
    const laptopSecrets = new MemorySecretStore();
    let laptop = await startPlenaryClient('alice-laptop', { secrets: laptopSecrets, coop: clearCircleRooms(server) });
    clients.push(laptop);
    await laptop.signIn(server, alice);
    const circle = seedCircle(laptop.core.services.governance, alice.userId, [bob.userId]);
    await expect.poll(async () => (await laptop.syncNow()).pending, { timeout: 120_000, interval: 500 }).toBe(0);
    const roomId = laptop.core.services.sync.rooms.roomOf(circle)!;
    expect(roomId).toBeTruthy();

    const bobs = await startPlenaryClient('bob', { coop: clearCircleRooms(server) });
    const second = await startPlenaryClient('alice-second', { coop: clearCircleRooms(server) });
    clients.push(bobs, second);
    await bobs.signIn(server, bob);
    await second.signIn(server, alice);
    await converge([laptop, bobs, second], 40);

    const voteId = newId();
    const later = newId();
    const options = [
      { id: newId(), label: 'Yes' },
      { id: newId(), label: 'No' },
    ];
    laptop.core.services.governance.applyLocalBatch([
      {
        type: 'vote.create',
        circle,
        payload: { voteId, question: 'Renew the hosting contract?', details: '', method: 'single', options, quorumPercent: 0, closesAt: Date.now() + 2 * 3_600_000 },
      },
      {
        type: 'vote.create',
        circle,
        payload: { voteId: later, question: 'Move the assembly to Thursdays?', details: '', method: 'single', options, quorumPercent: 0, closesAt: Date.now() + 72 * 3_600_000 },
      },
    ]);
    await converge([laptop, bobs, second], 40);
    // More rounds: every replica has read the vote and had the chance to send.
    for (let round = 0; round < 3; round++) for (const client of [laptop, bobs, second]) await client.syncNow();

    const notices = await noticesFor(roomId, voteId);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ sender: alice.userId, content: { msgtype: 'm.notice' } });
    expect(notices[0]!.content.body).toContain('Renew the hosting contract?');
    expect(notices[0]!.content.body).toContain('2 members have not voted yet.');
    expect(await noticesFor(roomId, later)).toEqual([]);
    // Only the laptop ever queued it; the others know it was not theirs to send.
    const rows = (client: PlenaryClient) => client.core.services.db.prepare("SELECT state FROM sync_vote_notices WHERE state IN ('queued', 'sent')").all();
    expect(rows(laptop)).toEqual([{ state: 'sent' }]);
    expect(rows(bobs)).toEqual([]);
    expect(rows(second)).toEqual([]);

    // Each member who has not voted is reminded on their own Plenary, once.
    expect(bobs.core.services.voteReminders.agenda().closingSoon).toEqual([expect.objectContaining({ voteId, voted: false })]);
    bobs.core.services.voteReminders.tick();
    expect(bobs.core.services.db.prepare('SELECT vote_id FROM vote_reminders_shown').all()).toEqual([{ vote_id: voteId }]);

    // A restart of the laptop does not post it again.
    await laptop.close({ keepData: true });
    clients.splice(clients.indexOf(laptop), 1);
    laptop = await startPlenaryClient('alice-laptop', { dataDir: laptop.dataDir, secrets: laptopSecrets, coop: clearCircleRooms(server) });
    clients.push(laptop);
    await converge([laptop, bobs, second], 40);
    expect(await noticesFor(roomId, voteId)).toHaveLength(1);
  });
});
