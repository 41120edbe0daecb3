// Which rooms are a circle's room: only those an authorised declaration backs. The rule
// itself (pure), then invitations as inbound sees them, with a stand-in for the coop server's
// room directory: a look-alike is neither joined nor bound and the member is told; the
// circle's real room, named by its address on the coop server, is joined (queued for the
// upload run's rate-limit gate) and bound once sync shows it joined.
import { describe, expect, it } from 'vitest';
import { judgeRoomDeclaration, type RoomDeclarationFacts } from '../../main/core/sync/room-declaration-rule';
import { MatrixHttpError, type SyncResponse } from '../../main/core/matrix/matrix-connection';
import { inboundFixture } from '../helpers/inbound-fixture';
import { newId } from '../../shared/governance/ids';

const base = (over: Partial<RoomDeclarationFacts>): RoomDeclarationFacts => ({
  roomId: '!room:meet.coop',
  roomCreator: '@mallory:meet.coop',
  boundRoom: null,
  circle: null,
  listedInSpace: async () => false,
  addressedRoom: async () => null,
  ...over,
});
const never = async (): Promise<never> => {
  throw new Error('not asked when the circle decides');
};

describe('the room declaration rule', () => {
  it.each([
    ['the room already bound', base({ boundRoom: '!room:meet.coop' }), { ok: true, by: 'bound' }],
    ['a second room for a bound circle, even from its creator', base({ boundRoom: '!other:meet.coop', roomCreator: '@alice:meet.coop', circle: { creator: '@alice:meet.coop', facilitators: [] } }), { ok: false, reason: 'circle_has_room' }],
    ['made by the circle’s creator', base({ roomCreator: '@alice:meet.coop', circle: { creator: '@alice:meet.coop', facilitators: [] }, listedInSpace: never, addressedRoom: never }), { ok: true, by: 'circle' }],
    ['made by a facilitator', base({ roomCreator: '@dan:meet.coop', circle: { creator: '@alice:meet.coop', facilitators: ['@dan:meet.coop'] }, listedInSpace: never, addressedRoom: never }), { ok: true, by: 'circle' }],
    ['made by a member of a known circle', base({ circle: { creator: '@alice:meet.coop', facilitators: [] } }), { ok: false, reason: 'not_declared' }],
    ['a look-alike of a circle that has its room', base({ boundRoom: '!real:meet.coop', circle: { creator: '@alice:meet.coop', facilitators: [] }, addressedRoom: async () => '!real:meet.coop' }), { ok: false, reason: 'not_declared' }],
    ['named by the circle’s address', base({ addressedRoom: async () => '!room:meet.coop' }), { ok: true, by: 'address' }],
    ['the address names another room', base({ addressedRoom: async () => '!real:meet.coop' }), { ok: false, reason: 'not_declared' }],
    ['listed in the coop space by its admins', base({ listedInSpace: async () => true }), { ok: true, by: 'space' }],
    ['nothing backs it', base({}), { ok: false, reason: 'not_declared' }],
  ] as const)('%s', async (_name, facts, expected) => {
    expect(await judgeRoomDeclaration(facts)).toEqual(expected);
  });
});

describe('invitations to rooms claiming a circle', () => {
  const now = Date.UTC(2026, 11, 9, 10);
  const circle = newId(now);
  const frank = '@frank:meet.coop';

  function setup(directory: Record<string, string>, refuse: { directory?: MatrixHttpError } = {}) {
    const requests: string[] = [];
    const connection = {
      session: () => ({ userId: frank, deviceId: 'D', homeserverUrl: 'http://127.0.0.1:1' }),
      request: async <T,>(method: string, path: string): Promise<T> => {
        requests.push(`${method} ${decodeURIComponent(path)}`);
        const alias = decodeURIComponent(path).match(/directory\/room\/(.+)$/)?.[1];
        if (alias !== undefined) {
          if (refuse.directory) throw refuse.directory;
          if (directory[alias]) return { room_id: directory[alias] } as T;
          throw new MatrixHttpError(404, 'M_NOT_FOUND', 'Room alias not found');
        }
        return {} as T;
      },
    };
    return { ...inboundFixture({ self: frank, now, connection }), requests };
  }

  const invite = (roomId: string, creator: string, inviter = creator): SyncResponse => ({
    next_batch: 's',
    rooms: {
      invite: {
        [roomId]: {
          invite_state: {
            events: [
              { type: 'm.room.create', state_key: '', sender: creator, content: { room_version: '12', 'coop.meet.plenary.circle': circle } },
              { type: 'm.room.name', state_key: '', sender: creator, content: { name: 'Tech ops' } },
              { type: 'm.room.member', state_key: frank, sender: inviter, content: { membership: 'invite' } },
            ],
          },
        },
      },
    },
  });

  it('does not join or bind a look-alike, and tells the member who invited them', async () => {
    const f = setup({ [`#plenary.circle.${circle.toLowerCase()}:meet.coop`]: '!real:meet.coop' });
    await f.inbound.onSync(invite('!fake:meet.coop', '@mallory:meet.coop'));
    expect(f.requests.filter((r) => r.startsWith('POST'))).toEqual([]);
    expect(f.rooms.roomOf(circle)).toBeNull();
    expect(f.declarations.list()).toEqual([
      { roomId: '!fake:meet.coop', circleId: circle, circleName: null, roomName: 'Tech ops', roomCreator: '@mallory:meet.coop', inviter: '@mallory:meet.coop', reason: 'not_declared', noticedAt: now },
    ]);
    // Judged once: the same invitation again asks nothing more.
    const asked = f.requests.length;
    await f.inbound.onSync(invite('!fake:meet.coop', '@mallory:meet.coop'));
    expect(f.requests).toHaveLength(asked);
    expect(f.declarations.dismiss('!fake:meet.coop')).toBe(true);
    expect(f.declarations.count()).toBe(0);
  });

  it('queues the join to the circle’s real room, named by its address on the coop server, and binds it once joined', async () => {
    const f = setup({ [`#plenary.circle.${circle.toLowerCase()}:meet.coop`]: '!real:meet.coop' });
    await f.inbound.onSync(invite('!real:meet.coop', '@alice:meet.coop'));
    // Joined by the upload run through its rate-limit gate, not from inside the /sync loop.
    expect(f.requests.filter((r) => r.startsWith('POST'))).toEqual([]);
    expect(f.joins).toEqual(['!real:meet.coop']);
    // Not in the room yet (the join may still be refused): not bound.
    expect(f.rooms.roomOf(circle)).toBeNull();
    expect(f.declarations.list()).toEqual([]);

    const create = { event_id: '$create', type: 'm.room.create', state_key: '', sender: '@alice:meet.coop', origin_server_ts: now, content: { room_version: '12', 'coop.meet.plenary.circle': circle } };
    await f.inbound.onSync({ next_batch: 's2', rooms: { join: { '!real:meet.coop': { state: { events: [create] }, timeline: { events: [] } } } } });
    expect(f.rooms.roomOf(circle)).toBe('!real:meet.coop');
    expect(f.declarations.list()).toEqual([]);
  });

  it('reads an address the server will not resolve as naming nothing, instead of stalling sync', async () => {
    const f = setup({}, { directory: new MatrixHttpError(403, 'M_FORBIDDEN', 'not allowed') });
    await f.inbound.onSync(invite('!fake:meet.coop', '@mallory:meet.coop'));
    expect(f.declarations.list()).toEqual([expect.objectContaining({ roomId: '!fake:meet.coop', reason: 'not_declared' })]);
    // A passing failure is thrown, so the same response is read again later.
    const g = setup({}, { directory: new MatrixHttpError(502, 'M_UNKNOWN', 'bad gateway') });
    await expect(g.inbound.onSync(invite('!fake:meet.coop', '@mallory:meet.coop'))).rejects.toThrow('bad gateway');
    expect(g.declarations.count()).toBe(0);
  });

  it('does not trust an address on another server than the member’s', async () => {
    const f = setup({ [`#plenary.circle.${circle.toLowerCase()}:evil.example`]: '!fake:evil.example' });
    await f.inbound.onSync(invite('!fake:evil.example', '@mallory:evil.example'));
    expect(f.requests.some((r) => r.includes('evil.example') && r.includes('directory'))).toBe(false);
    expect(f.rooms.roomOf(circle)).toBeNull();
    expect(f.declarations.count()).toBe(1);
  });

  it('never binds a joined room by its marker alone', async () => {
    const f = setup({});
    const create = { event_id: '$c', type: 'm.room.create', state_key: '', sender: '@mallory:meet.coop', origin_server_ts: now, content: { room_version: '12', 'coop.meet.plenary.circle': circle } };
    await f.inbound.onSync({ next_batch: 's', rooms: { join: { '!joined:meet.coop': { state: { events: [create] }, timeline: { events: [] } } } } });
    expect(f.rooms.roomOf(circle)).toBeNull();
    expect(f.declarations.list()).toEqual([expect.objectContaining({ roomId: '!joined:meet.coop', reason: 'not_declared', inviter: null })]);
  });
});
