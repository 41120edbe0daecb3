// What a hostile member can cost a replica, against a real Synapse with its DEFAULT rate
// limits. Mallory is an ordinary member of Alice's circle room and talks to the server with
// the raw client-server API; Alice runs Plenary.
// - A flood of forged operations (three events of 20,000 operations claiming to be Alice's)
//   costs one quarantine record per event, a few hundred bytes each, and one log line.
// - An operation id reused for other content is listed, and the first copy stands.
// - A consumer that keeps failing on one event does not stall sync: the event is skipped and
//   listed, and what came after it arrives. No hostile event makes today's consumers fail
//   (they are hardened against every malformed event the fuzz tests know), so the failure is
//   planted in Alice's real store: a trigger that refuses to cache one message's content, as
//   a bug met by that one event would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { clearCircleRooms, startPlenaryClient, type PlenaryClient } from '../helpers/plenary-client';
import { seedCircle } from '../helpers/governance-seed';
import { encodeOpsContent, opsEventType } from '../../main/core/sync/ops-event';
import type { Operation } from '../../shared/governance/operation';
import type { QuarantinedItem } from '../../shared/contract/sync';
import { newId } from '../../shared/governance/ids';

let server: SynapseServer;
let alice: RegisteredUser;
let mallory: RegisteredUser;
let plenary: PlenaryClient;
let circle: string;
let roomId: string;
let sent = 0;

/** Mallory's client: the raw client-server API, nothing of Plenary's. */
async function malloryRequest(method: 'POST' | 'PUT', path: string, body: unknown): Promise<{ event_id?: string }> {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${mallory.accessToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { event_id?: string };
}

const malloryEvent = async (type: string, content: unknown) =>
  (await malloryRequest('PUT', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/${encodeURIComponent(type)}/mallory-${sent++}`, content)).event_id!;

function contribution(actor: string, id = newId()): Operation {
  return {
    id,
    hlc: `${Date.now()}-000000-mallory`,
    actor,
    circle,
    type: 'contribution.create',
    payload: { contributionId: newId(), member: actor, date: '2026-12-08', minutes: 30, stream: 'care', description: 'Answered support', tags: [] },
    v: 1,
  };
}

const quarantined = (): QuarantinedItem[] => plenary.core.services.sync.quarantined(500);
/** Pages the quarantine table and its indices take in Alice's store file. */
const quarantinePages = () =>
  plenary.core.services.db
    .prepare("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN (SELECT name FROM sqlite_schema WHERE tbl_name = 'sync_quarantine')")
    .pluck()
    .get() as number;

/** Alice reads the server until `done` holds. */
async function aliceReadsUntil(done: () => boolean): Promise<void> {
  await expect.poll(async () => (await plenary.syncNow(), done()), { timeout: 90_000, interval: 500 }).toBe(true);
}

beforeAll(async () => {
  server = await SynapseServer.start({ rateLimits: 'default' });
  [alice, mallory] = [await server.register('alice'), await server.register('mallory')];
  // Circle rooms in the clear: the test counts the operations on the server through the raw API, which cannot read encrypted ones (encrypted circle rooms are tests/integration/sync-encrypted-circle and sync-key-bundles).
  plenary = await startPlenaryClient('alice', { coop: clearCircleRooms(server) });
  await plenary.signIn(server, alice);
  circle = seedCircle(plenary.core.services.governance, alice.userId, [mallory.userId]);
  await plenary.syncNow();
  roomId = plenary.core.services.sync.rooms.roomOf(circle)!;
  await malloryRequest('POST', `/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, {});
});

afterAll(async () => {
  await plenary?.close();
  await server?.stop();
});

describe('a hostile member', () => {
  it('costs one small quarantine record and no log flood per forged event', async () => {
    const ops = plenary.core.services.governance.opCount();
    const pagesBefore = quarantinePages();
    // 20,000 operations claiming to be Alice closing a vote: the same one over and over
    // compresses to a few bytes each, so the whole flood fits in one small event. Well formed
    // (a ULID has no letter O): received operations are checked for structure before the rule.
    const close: Operation = { id: '01JF0RGED0000000000000000X', hlc: `${Date.now()}-000000-mallory`, actor: alice.userId, circle, type: 'vote.close', payload: { voteId: newId() }, v: 1 };
    const forged = Array.from({ length: 20_000 }, () => close);
    const content = encodeOpsContent(newId(), circle, forged);
    const events = [await malloryEvent(opsEventType, content), await malloryEvent(opsEventType, content), await malloryEvent(opsEventType, content)];
    await aliceReadsUntil(() => events.every((id) => quarantined().some((q) => q.eventId === id)));

    expect(plenary.core.services.governance.opCount()).toBe(ops);
    const records = quarantined().filter((q) => events.includes(q.eventId));
    expect(records).toHaveLength(3);
    for (const record of records) {
      expect(record).toMatchObject({ sender: mallory.userId, refused: 20_000, operations: 20_000 });
      expect(record.reasons).toEqual([{ reason: `actor ${alice.userId} is not the event's sender ${mallory.userId}`, count: 20_000, first: 0 }]);
    }
    expect((quarantinePages() - pagesBefore) / events.length).toBeLessThanOrEqual(4096);
    expect(plenary.logs.filter((r) => r.message === 'quarantined a governance event')).toHaveLength(1);
  });

  it('cannot rewrite an operation by sending its id again with other content: the copy is listed', async () => {
    const original = contribution(mallory.userId);
    await malloryEvent(opsEventType, encodeOpsContent(newId(), circle, [original]));
    const rewritten = { ...original, payload: { ...original.payload, minutes: 900, description: 'Rewrote history' } };
    const second = await malloryEvent(opsEventType, encodeOpsContent(newId(), circle, [rewritten]));
    await aliceReadsUntil(() => quarantined().some((q) => q.eventId === second));

    const [record] = quarantined().filter((q) => q.eventId === second);
    expect(record!.reason).toBe(`operation id ${original.id} was already received with other content (its payload differs); this copy is not applied`);
    const stored = plenary.core.services.db.prepare('SELECT minutes, description FROM gov_contributions WHERE contribution_id = ?').get(original.payload.contributionId);
    expect(stored).toEqual({ minutes: 30, description: 'Answered support' });
  });

  it('cannot stall sync with an event a consumer keeps failing on: it is skipped and listed, and what follows arrives', async () => {
    plenary.core.services.db.exec(`CREATE TRIGGER poison BEFORE INSERT ON chat_events WHEN NEW.content LIKE '%poison-pill%' BEGIN SELECT RAISE(ABORT, 'a bug met by this one message'); END`);
    const pill = await malloryEvent('m.room.message', { msgtype: 'm.text', body: 'poison-pill' });
    const work = contribution(mallory.userId);
    await malloryEvent(opsEventType, encodeOpsContent(newId(), circle, [work]));
    const after = await malloryEvent('m.room.message', { msgtype: 'm.text', body: 'Meanwhile, the backups ran fine.' });
    await aliceReadsUntil(() => plenary.core.services.db.prepare('SELECT 1 FROM chat_events WHERE event_id = ?').get(after) !== undefined);

    const [record] = quarantined().filter((q) => q.eventId === pill);
    expect(record).toMatchObject({ sender: mallory.userId, eventType: 'm.room.message' });
    expect(record!.reason).toMatch(/^chat could not process this event in 4 attempts \(a bug met by this one message\); sync went on without it$/);
    expect(plenary.core.services.db.prepare('SELECT 1 FROM ops WHERE id = ?').get(work.id)).toBeDefined();
    expect(plenary.core.services.matrix.status()).toMatchObject({ status: 'online' });
  });
});
