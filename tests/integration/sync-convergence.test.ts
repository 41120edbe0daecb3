// Governance sync against a real Synapse: a facilitator prepares a circle offline, signs
// in and uploads; members join through the invitation; then three desktops edit offline at
// the same time and converge to identical state when they reconnect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { converge, startPlenaryClient, type PlenaryClient } from '../helpers/plenary-client';
import { newId } from '../../shared/governance/ids';

let server: SynapseServer;
let users: Record<'alice' | 'bob' | 'carol', RegisteredUser>;
const clients: PlenaryClient[] = [];

beforeAll(async () => {
  // Relaxed rate limits: the property runs many random cases through the server, each uploading from several replicas; pacing does not change convergence. Waiting out 429s under Synapse's defaults is proven in
  // sync-rate-limits.test.ts and the sync tests that run with the default limits.
  server = await SynapseServer.start({ rateLimits: 'relaxed' });
  users = { alice: await server.register('alice'), bob: await server.register('bob'), carol: await server.register('carol') };
});

afterAll(async () => {
  for (const client of clients) await client.close();
  await server?.stop();
});

function contribution(member: string, minutes: number, description: string) {
  return { contributionId: newId(), member, date: '2026-11-20', minutes, stream: 'care', description, tags: ['sync-test'] };
}

describe('governance sync through Synapse', () => {
  it('uploads an offline circle on first sign-in, and members receive it through the invitation', async () => {
    const alice = await startPlenaryClient('alice');
    clients.push(alice);
    const gov = alice.core.services.governance;
    const self = alice.core.services.localActor;
    expect(self.startsWith('local:')).toBe(true);
    const circle = newId();
    gov.applyLocal('circle.create', circle, { name: 'Technology operations', purpose: 'Keep the servers running', timezone: 'UTC' });
    gov.applyLocal('circle.member.set', circle, { member: self, displayName: 'Alice', role: 'facilitator', timezone: 'Europe/Madrid' });
    gov.applyLocal('circle.member.set', circle, { member: users.bob.userId, displayName: 'Bob', role: 'member', timezone: 'America/New_York' });
    gov.applyLocal('circle.member.set', circle, { member: users.carol.userId, displayName: 'Carol', role: 'member', timezone: 'Asia/Tokyo' });
    gov.applyLocal('contribution.create', circle, contribution(self, 90, 'Prepared the agenda offline'));
    expect(alice.core.services.sync.view()).toMatchObject({ state: 'signed-out', pending: 5 });

    await alice.signIn(server, users.alice);
    expect(alice.core.services.localActor).toBe(users.alice.userId);
    const status = await alice.syncNow();
    expect(status).toMatchObject({ state: 'idle', pending: 0, problem: null });
    expect(status.lastSyncedAt).not.toBeNull();
    // The offline identity was claimed: every operation now carries the Matrix user id.
    const actors = gov.db.prepare('SELECT DISTINCT actor FROM ops').all() as { actor: string }[];
    expect(actors).toEqual([{ actor: users.alice.userId }]);

    const bob = await startPlenaryClient('bob');
    const carol = await startPlenaryClient('carol');
    clients.push(bob, carol);
    await bob.signIn(server, users.bob);
    await carol.signIn(server, users.carol);
    await converge([alice, bob, carol]);
    expect(bob.core.services.governance.opCount()).toBe(5);
    const room = alice.core.services.sync.rooms.roomOf(circle);
    expect(room).toMatch(/^!/);
    expect(bob.core.services.sync.rooms.roomOf(circle)).toBe(room);
    // Circle rooms are encrypted by default. Bob and Carol signed in after Alice's operations
    // were sent: they read them through the history Alice's Plenary shared when they joined.
    expect(await alice.core.services.matrix.isRoomEncrypted(room!)).toBe(true);
    for (const member of [bob, carol]) expect(member.logs.some((r) => r.message === 'took the room-key bundle of the member who invited us')).toBe(true);
  });

  it('converges after all three edit offline at the same time', async () => {
    const [alice, bob, carol] = clients as [PlenaryClient, PlenaryClient, PlenaryClient];
    const circle = (alice.core.services.db.prepare('SELECT circle FROM gov_circles').get() as { circle: string }).circle;
    for (const client of clients) await client.call('matrix.disconnect');

    const a = alice.core.services.governance;
    a.applyLocal('circle.update', circle, { fields: { purpose: 'Keep the servers running, kindly' } });
    const assemblyId = newId();
    a.applyLocal('assembly.create', circle, { assemblyId, title: 'November all-hands' });
    for (let i = 0; i < 40; i++) a.applyLocal('contribution.create', circle, contribution(users.alice.userId, 15 + i, `Alice task ${i}`));
    for (let i = 0; i < 30; i++) bob.core.services.governance.applyLocal('contribution.create', circle, contribution(users.bob.userId, 30, `Bob task ${i}`));
    for (let i = 0; i < 30; i++) carol.core.services.governance.applyLocal('contribution.create', circle, contribution(users.carol.userId, 45, `Carol task ${i}`));
    // A conflicting edit: both Bob and Carol correct the same contribution of Bob's later (LWW per field).
    const shared = contribution(users.bob.userId, 60, 'Shared fix');
    bob.core.services.governance.applyLocal('contribution.create', circle, shared);

    expect(new Set(clients.map((c) => c.digest())).size).toBe(3);
    for (const client of clients) await client.call('matrix.connect');
    await converge([alice, bob, carol]);
    expect(alice.core.services.governance.opCount()).toBe(5 + 2 + 40 + 30 + 30 + 1);
    const totals = alice.core.services.db.prepare('SELECT member, sum(minutes) AS minutes FROM gov_contribution_totals GROUP BY member ORDER BY member').all();
    expect(totals).toEqual([
      { member: users.alice.userId, minutes: 90 + (40 * 15 + (39 * 40) / 2) },
      { member: users.bob.userId, minutes: 30 * 30 + 60 },
      { member: users.carol.userId, minutes: 30 * 45 },
    ]);
    for (const client of clients) expect(client.core.services.sync.view().quarantined).toBe(0);
  });
});
