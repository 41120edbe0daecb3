// A facilitator's rights across sign-in, against a real Synapse with its default rate limits
// and default room version (12 on current Synapse, where the room creator is above every
// power level and absent from `users`): circles made offline keep every facilitator control
// the moment the member signs in, with no restart, and after a restart; and when the
// circle's role and the room's power level disagree, both members are told, and the one who
// may change power levels puts it right in one call.
// Default limits because the upload of six new rooms and their operations is exactly what a
// member does on first sign-in, and 429s must not change the outcome.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { converge, startPlenaryClient, type PlenaryClient } from '../helpers/plenary-client';
import { MemorySecretStore } from '../../main/core/secrets/secret-store';
import type { CircleDetail, CircleSummary } from '../../shared/governance/views';

let server: SynapseServer;
let users: Record<'ana' | 'bruno', RegisteredUser>;
const clients: PlenaryClient[] = [];
const anaSecrets = new MemorySecretStore();
let ana: PlenaryClient;
let bruno: PlenaryClient;
let anaDataDir: string;
const circleIds: string[] = [];

beforeAll(async () => {
  server = await SynapseServer.start({ rateLimits: 'default' });
  users = { ana: await server.register('ana'), bruno: await server.register('bruno') };
});

afterAll(async () => {
  for (const client of clients) await client.close();
  await server?.stop();
});

/**
 * Syncs both members until `ready` holds. Bruno belongs to one of Ana's seven circles, so
 * their stores never become equal: wait for what this test looks at instead.
 */
async function syncUntil(ready: () => Promise<boolean>, rounds = 30): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    await ana.syncNow();
    await bruno.syncNow();
    if (await ready()) return;
  }
  throw new Error(`not there after ${rounds} rounds of sync: ana ${JSON.stringify(ana.core.services.sync.view())}, bruno ${JSON.stringify(bruno.core.services.sync.view())}`);
}

const createCircle = (client: PlenaryClient, name: string) =>
  client.call<CircleDetail>('governance.createCircle', { name, purpose: `${name} work`, timezone: 'UTC', displayName: 'Ana', memberTimezone: 'Europe/Madrid' });

async function roomVersion(roomId: string, user: RegisteredUser): Promise<string> {
  const response = await fetch(`${server.baseUrl}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state/m.room.create/`, { headers: { Authorization: `Bearer ${user.accessToken}` } });
  return ((await response.json()) as { room_version: string }).room_version;
}

describe('facilitator rights across sign-in', () => {
  it('keeps every facilitator control of six offline circles right after signing in, without a restart', async () => {
    ana = await startPlenaryClient('ana', { secrets: anaSecrets });
    clients.push(ana);
    anaDataDir = ana.dataDir;
    for (const name of ['Stewards', 'Tech ops', 'Care', 'Outreach', 'Finance', 'Commons hour']) circleIds.push((await createCircle(ana, name)).id);
    const offline = await ana.call<CircleSummary[]>('governance.circles');
    expect(offline.map((c) => [c.myRole, c.canFacilitate, c.authority])).toEqual(Array(6).fill(['facilitator', true, null]));

    await ana.signIn(server, users.ana);
    // At once, before any sync: the handlers ask who "you" are at each call.
    const signedIn = await ana.call<CircleSummary[]>('governance.circles');
    expect(signedIn.every((c) => c.myRole === 'facilitator' && c.canFacilitate)).toBe(true);
    expect(ana.core.services.identity.current()).toBe(users.ana.userId);

    await converge([ana]);
    const synced = await ana.call<CircleSummary[]>('governance.circles');
    expect(synced.every((c) => c.myRole === 'facilitator' && c.canFacilitate)).toBe(true);
    // The room exists on the server with the server's default version; Ana created it, so the server agrees.
    const room = ana.core.services.sync.rooms.roomOf(circleIds[0]!)!;
    const version = await roomVersion(room, users.ana);
    for (const circle of synced) {
      expect(circle.authority).toMatchObject({ agreement: 'agrees', canGrant: true, mismatched: [] });
      expect(circle.authority!.level).toBeGreaterThanOrEqual(100);
      expect(circle.authority!.isCreator).toBe(Number(version) >= 12);
    }
    // New work is Ana's too: a circle made now lists her Matrix id as its facilitator.
    const later = await createCircle(ana, 'Made after sign-in');
    expect(later.members).toEqual([expect.objectContaining({ member: users.ana.userId, role: 'facilitator' })]);
    expect(later.canFacilitate).toBe(true);
  });

  it('keeps them after a restart', async () => {
    await ana.close({ keepData: true });
    clients.splice(clients.indexOf(ana), 1);
    ana = await startPlenaryClient('ana', { dataDir: anaDataDir, secrets: anaSecrets });
    clients.push(ana);
    const circles = await ana.call<CircleSummary[]>('governance.circles');
    expect(circles).toHaveLength(7);
    expect(circles.every((c) => c.myRole === 'facilitator' && c.canFacilitate)).toBe(true);
  });

  it('tells both members when the room and the circle disagree, and the member who may change power levels aligns them', async () => {
    const circleId = circleIds[0]!;
    await ana.call('governance.apply', { type: 'circle.member.set', circle: circleId, payload: { member: users.bruno.userId, displayName: 'Bruno', role: 'facilitator', timezone: 'UTC' } });
    bruno = await startPlenaryClient('bruno');
    clients.push(bruno);
    await bruno.signIn(server, users.bruno);
    await syncUntil(async () => (await bruno.call<CircleSummary[]>('governance.circles')).some((c) => c.id === circleId));
    await syncUntil(async () => (await bruno.call<CircleDetail>('governance.circle', { circleId })).authority?.level === 50);
    expect((await bruno.call<CircleDetail>('governance.circle', { circleId })).authority).toMatchObject({ agreement: 'agrees', level: 50 });

    // Someone lowers Bruno in Element (a raw power-levels change), while the circle still lists him as a facilitator.
    const room = ana.core.services.sync.rooms.roomOf(circleId)!;
    const levelsUrl = `${server.baseUrl}/_matrix/client/v3/rooms/${encodeURIComponent(room)}/state/m.room.power_levels/`;
    const auth = { Authorization: `Bearer ${users.ana.accessToken}`, 'Content-Type': 'application/json' };
    const levels = (await (await fetch(levelsUrl, { headers: auth })).json()) as { users: Record<string, number> };
    // As Element does, wait out the server's rate limit (its default limits are on).
    let lowered: Response;
    for (;;) {
      lowered = await fetch(levelsUrl, { method: 'PUT', headers: auth, body: JSON.stringify({ ...levels, users: { ...levels.users, [users.bruno.userId]: 0 } }) });
      if (lowered.status !== 429) break;
      const { retry_after_ms: wait } = (await lowered.json()) as { retry_after_ms?: number };
      await new Promise((resolve) => setTimeout(resolve, wait ?? 1000));
    }
    expect(lowered.status).toBe(200);
    await syncUntil(async () => (await bruno.call<CircleDetail>('governance.circle', { circleId })).authority?.level === 0);

    const brunoView = (await bruno.call<CircleDetail>('governance.circle', { circleId })).authority!;
    expect(brunoView).toMatchObject({ agreement: 'role-without-power', level: 0, canGrant: false, granters: [{ member: users.ana.userId, displayName: 'Ana' }] });
    const anaView = (await ana.call<CircleDetail>('governance.circle', { circleId })).authority!;
    expect(anaView).toMatchObject({ agreement: 'agrees', canGrant: true, mismatched: [{ member: users.bruno.userId, role: 'facilitator', level: 0 }] });

    // Bruno may not fix it himself; Ana may.
    await expect(bruno.call('governance.alignRoomPower', { circleId })).rejects.toThrow(/forbidden/);
    const aligned = await ana.call<CircleDetail>('governance.alignRoomPower', { circleId });
    expect(aligned.id).toBe(circleId);
    await syncUntil(async () => (await bruno.call<CircleDetail>('governance.circle', { circleId })).authority?.level === 50);
    expect((await bruno.call<CircleDetail>('governance.circle', { circleId })).authority).toMatchObject({ agreement: 'agrees', level: 50 });
    expect((await ana.call<CircleDetail>('governance.circle', { circleId })).authority).toMatchObject({ mismatched: [] });
  });
});
