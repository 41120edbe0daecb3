// The whole upload run against a stand-in homeserver that answers 429 to the first attempt
// of every request: room creation, space, operations, invitation, power levels, the results
// message, poll events and joins all wait it out through the one RateLimitGate (the status
// reads "waiting", never an error), in the order that gets the operations up first. A
// refused invitation is kept, named, and not sent again by automatic runs. Joining a circle
// room we were invited to is queued by the /sync consumer and sent by the upload run.
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/core/store/database';
import { GovernanceStore } from '../../main/core/store/governance-store';
import { SyncService } from '../../main/core/sync/sync-service';
import { FakeClock } from '../../main/core/clock';
import { createLogger } from '../../main/core/log';
import { createTranslator } from '../../main/core/i18n/translator';
import { MatrixHttpError, type ConnectionStatus, type MatrixSession } from '../../main/core/matrix/matrix-connection';
import type { MatrixConnectionService } from '../../main/core/matrix/matrix-connection-service';
import type { SyncStatusView } from '../../shared/contract/sync';
import { recordOfflineAssembly } from '../helpers/offline-assembly';
import { newId } from '../../shared/governance/ids';

const self = '@ana:meet.coop';
const bob = '@bob:meet.coop';
const dana = '@dana:elsewhere.example';

/** A homeserver stand-in: each distinct request is answered 429 once, then as `answer` says. */
class LimitedServer {
  readonly done: string[] = [];
  readonly contents = new Map<string, unknown>();
  readonly attempts = new Map<string, number>();
  refuse = new Set<string>();
  private events = 0;
  private readonly session: MatrixSession = { userId: self, deviceId: 'DEV', homeserverUrl: 'https://matrix.meet.coop' };

  private answer(key: string): unknown {
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempt);
    if (attempt === 1) throw new MatrixHttpError(429, 'M_LIMIT_EXCEEDED', 'Too Many Requests', 5_000);
    if (this.refuse.has(key)) throw new MatrixHttpError(403, 'M_FORBIDDEN', 'Federation denied with elsewhere.example.');
    this.done.push(key);
    return {};
  }

  asConnection(): MatrixConnectionService {
    const connection = {
      session: () => this.session,
      status: (): ConnectionStatus => ({ status: 'connecting' }),
      addConsumer: () => () => {},
      onSkipped: () => () => {},
      onStatusChange: () => () => {},
      syncNow: async () => {},
      // Clear circle rooms (encrypted ones: tests/integration/sync-encrypted-circle.test.ts).
      isRoomEncrypted: () => Promise.resolve(false),
      encryptsNewRooms: () => false,
      connect: () => {},
      request: async (method: string, path: string, options?: { body?: Record<string, unknown> }) => {
        if (path.endsWith('/createRoom')) {
          const space = (options?.body?.creation_content as Record<string, unknown>)?.type === 'm.space';
          this.answer(space ? 'create space' : 'create room');
          return { room_id: space ? '!space:meet.coop' : '!circle:meet.coop' };
        }
        if (path.endsWith('/invite')) return this.answer(`invite ${String(options?.body?.user_id)}`);
        if (method === 'GET' && path.includes('m.room.power_levels')) {
          this.answer('read power levels');
          return { users: { [self]: 100 } };
        }
        if (path.includes('/state/m.space.child/')) return this.answer('list in space');
        if (path.startsWith('/_matrix/client/v3/join/')) return this.answer(`join ${decodeURIComponent(path.split('/').pop()!)}`);
        // The circle's address on the coop server names the room invited to: a declared room
        // (room-declarations.ts). Read while judging the invitation, not a join: not counted.
        if (method === 'GET' && path.startsWith('/_matrix/client/v3/directory/room/')) return { room_id: '!invited:meet.coop' };
        if (method === 'PUT' && path.includes('m.room.power_levels')) return this.answer('set power levels');
        throw new Error(`unexpected request ${method} ${path}`);
      },
      sendEvent: async (_room: string, type: string, content: unknown, txnId: string) => {
        this.answer(`${type} ${txnId}`);
        this.contents.set(`${type} ${txnId}`, content);
        return { event_id: `$e${this.events++}` };
      },
    };
    return connection as unknown as MatrixConnectionService;
  }
}

function setup() {
  const db = openDatabase(':memory:');
  const clock = new FakeClock(1_800_000_000_000);
  const server = new LimitedServer();
  const sleeps: number[] = [];
  const governance = new GovernanceStore(db, { actor: self, now: () => clock.now() });
  const sync = new SyncService({
    db,
    governance,
    matrix: server.asConnection(),
    clock,
    log: createLogger('test', () => {}),
    translate: createTranslator('en'),
    // Time passes only while sync waits, so every wait is one the gate chose.
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
    },
  });
  const seen: SyncStatusView[] = [];
  sync.onChange((view) => seen.push(view));
  const circle = newId();
  governance.applyLocal('circle.create', circle, { name: 'Stewards', purpose: 'Look after the commons', timezone: 'UTC' });
  governance.applyLocal('circle.member.set', circle, { member: self, displayName: 'Ana', role: 'facilitator', timezone: 'UTC' });
  governance.applyLocal('circle.member.set', circle, { member: bob, displayName: 'Bob', role: 'facilitator', timezone: 'UTC' });
  governance.applyLocal('circle.member.set', circle, { member: dana, displayName: 'Dana', role: 'member', timezone: 'UTC' });
  return { db, clock, server, sleeps, governance, sync, seen, circle };
}

describe('sync upload run', () => {
  it('waits out a 429 on every kind of request through one path, reading as waiting, and sends operations first', async () => {
    const { server, sleeps, governance, sync, seen, circle } = setup();
    recordOfflineAssembly(governance, circle, { votes: 2, self, proxyFor: bob });
    // And a vote still open, with Ana's own ballot: a poll Element users can answer.
    const open = newId();
    governance.applyLocal('vote.create', circle, { voteId: open, question: 'Next meeting online?', details: '', method: 'consent', options: [], quorumPercent: 50 });
    governance.applyLocal('vote.ballot', circle, { voteId: open, voter: self, choice: 'agree' });
    expect(await sync.upload()).toMatchObject({ kind: 'done' });

    const kinds = server.done.map((key) => key.split(' ')[0]);
    expect(kinds).toEqual([
      'create', // the coop's space
      'create', // the circle's room, inviting Bob (same server) as it is made
      'list', // the room in the space
      'coop.meet.plenary.ops', // every operation in one event
      'invite', // Dana, on another server, one by one
      'read',
      'set', // Bob facilitates: power level 50
      'm.room.message', // the results of the two votes opened and closed offline, in one message
      'org.matrix.msc3381.poll.start', // the open vote's poll
      'org.matrix.msc3381.poll.response', // Ana's own answer
    ]);
    expect(server.done).toContain(`invite ${dana}`);
    const results = server.contents.get(server.done.find((key) => key.startsWith('m.room.message'))!) as { body: string };
    expect(results.body).toContain('1. Proposal 1: adopt the budget line 1\n   Method: Consent · Result: Passes');
    expect(results.body).toContain('2. Proposal 2: adopt the budget line 2');
    expect(results.body).not.toContain('Next meeting online?');
    // One wait per request, as long as the server asked, and never a request sent twice after success.
    expect(sleeps).toEqual(Array(server.done.length).fill(5_000));
    expect([...server.attempts.values()].every((n) => n === 2)).toBe(true);

    expect(seen.some((view) => view.state === 'waiting' && view.retryAt !== null)).toBe(true);
    expect(seen.filter((view) => view.state === 'error')).toEqual([]);
    expect(sync.view()).toMatchObject({ state: 'idle', pending: 0, refused: 0, problem: null, retryAt: null });
  });

  it('keeps a refused invitation, naming the member, and does not send it again until asked', async () => {
    const { server, sync, governance, circle } = setup();
    server.refuse.add(`invite ${dana}`);
    await sync.upload();
    expect(sync.view()).toMatchObject({ state: 'refused', refused: 1, pending: 0 });
    const [refusal] = sync.refusalList();
    expect(refusal).toMatchObject({
      kind: 'invite',
      reason: 'other_server',
      circleName: 'Stewards',
      member: { id: dana, name: 'Dana' },
      serverMessage: 'M_FORBIDDEN: Federation denied with elsewhere.example.',
      retryAt: null,
      canDismiss: true,
    });

    // More work goes up; the refused invitation is not tried again by itself.
    governance.applyLocal('circle.member.set', circle, { member: dana, displayName: 'Dana', role: 'facilitator', timezone: 'UTC' });
    await sync.upload();
    expect(server.attempts.get(`invite ${dana}`)).toBe(2);
    expect(sync.view().state).toBe('refused');

    // Sync now is the member asking: it is tried once more.
    await sync.syncNow();
    expect(server.attempts.get(`invite ${dana}`)).toBe(3);
    expect(sync.refusalList()).toMatchObject([{ attempts: 2 }]);

    expect(() => sync.dismissRefusal(999)).toThrow(/No refusal with id 999/);
    expect(sync.dismissRefusal(refusal!.id)).toEqual([]);
    expect(sync.view()).toMatchObject({ state: 'idle', refused: 0 });
  });

  it('joins a circle room it was invited to in the upload run, through the gate, never inside the /sync loop', async () => {
    const { server, sync, sleeps } = setup();
    await sync.upload();
    const before = server.done.length;
    const invite = { invite_state: { events: [{ type: 'm.room.create', state_key: '', sender: bob, content: { 'coop.meet.plenary.circle': newId() } }] } };
    // Reading the server only queues the join: nothing is sent, so no 429 can hold up /sync.
    await sync.inbound.onSync({ next_batch: 'n', rooms: { invite: { '!invited:meet.coop': invite } } });
    expect(server.done.length).toBe(before);
    expect(server.attempts.has('join !invited:meet.coop')).toBe(false);
    expect(sync.joins.pendingCount()).toBe(1);
    const waits = sleeps.length;
    await sync.upload();
    expect(server.done.slice(before)).toEqual(['join !invited:meet.coop']);
    expect(sleeps.slice(waits)).toEqual([5_000]);
    expect(sync.joins.pendingCount()).toBe(0);
  });

  it('drops what is queued later for a vote listed in a results message, instead of holding it forever', async () => {
    const { server, sync, governance, circle, db } = setup();
    recordOfflineAssembly(governance, circle, { votes: 1, self, proxyFor: bob });
    await sync.upload();
    expect(server.done.filter((key) => key.startsWith('m.room.message'))).toHaveLength(1);
    const voteId = db.prepare('SELECT vote_id FROM sync_results_votes').pluck().get() as string;
    // An answer queued for it afterwards (its deadline moved, say): there is no poll to answer.
    sync.polls.enqueueFor({ id: newId(), hlc: `${Date.now()}-000000-n1`, actor: self, circle, type: 'vote.ballot', payload: { voteId, voter: self, choice: 'object' }, v: 1 });
    expect(sync.view().pending).toBe(1);
    await sync.upload();
    expect(sync.view().pending).toBe(0);
    expect(server.done.filter((key) => key.startsWith('org.matrix.msc3381'))).toEqual([]);
  });
});
