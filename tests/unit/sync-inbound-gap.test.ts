// Operations that arrive through a gap (a limited /sync, back-filled with /messages) are
// authorised by the power levels in force when they were sent, not by the state after the
// gap: a facilitator demoted later keeps what they did while a facilitator, and a member
// promoted later does not gain rights over what they sent before.
import { describe, expect, it } from 'vitest';
import { encodeOpsContent, opsEventType } from '../../main/core/sync/ops-event';
import { createLogger } from '../../main/core/log';
import { inboundFixture } from '../helpers/inbound-fixture';
import { MatrixHttpError, type MatrixConnection, type MatrixRawEvent, type SyncResponse } from '../../main/core/matrix/matrix-connection';
import type { Operation } from '../../shared/governance/operation';
import { newId } from '../../shared/governance/ids';

const roomId = '!circle:meet.coop';
const circle = newId();
const admin = '@admin:meet.coop';
const bob = '@bob:meet.coop';
const now = Date.UTC(2026, 10, 22, 12);

let counter = 0;
function event(type: string, sender: string, content: Record<string, unknown>, extra: Partial<MatrixRawEvent> = {}): MatrixRawEvent {
  return { event_id: `$g${counter++}`, type, sender, origin_server_ts: now, content, ...extra };
}
const levels = (bobLevel: number) => event('m.room.power_levels', admin, { users: { [admin]: 100, [bob]: bobLevel }, users_default: 0 }, { state_key: '' });

/** Work Bob logs for someone else: allowed only with facilitator rights (power level 50). */
function proxyContribution(): Operation {
  return {
    id: newId(now),
    hlc: `${now}-${String(counter++).padStart(6, '0')}-n1`,
    actor: bob,
    circle,
    type: 'contribution.create',
    payload: { contributionId: newId(now), member: '@carol:meet.coop', date: '2026-11-20', minutes: 30, stream: 'care', description: 'Logged for Carol', tags: [] },
    v: 1,
  };
}

function setup(gap: MatrixRawEvent[], failure?: Error) {
  const requests: string[] = [];
  const connection = {
    session: () => ({ userId: admin, deviceId: 'D', homeserverUrl: 'http://127.0.0.1:1' }),
    // /messages, newest first, as the server pages backwards through the gap.
    request: async (_method: string, path: string) => {
      requests.push(path);
      if (failure) throw failure;
      return { chunk: [...gap].reverse(), end: 'end-of-room' };
    },
  } as unknown as Pick<MatrixConnection, 'request' | 'session'>;
  const { db, inbound, rooms } = inboundFixture({ self: admin, now, connection, log: createLogger('gap', () => {}) });
  rooms.remember(circle, roomId);
  const applied = () => (db.prepare("SELECT count(*) AS n FROM gov_contributions").get() as { n: number }).n;
  const quarantineReasons = () => (db.prepare('SELECT reason FROM sync_quarantine').all() as { reason: string }[]).map((r) => r.reason);
  return { inbound, applied, quarantineReasons, requests };
}

const sync = (timeline: MatrixRawEvent[], state: MatrixRawEvent[], limited = false): SyncResponse => ({
  next_batch: 's',
  rooms: { join: { [roomId]: { state: { events: state }, timeline: { events: timeline, limited, prev_batch: limited ? 'gap-start' : undefined } } } },
});

const ops = (list: Operation[]) => event(opsEventType, bob, { ...encodeOpsContent(newId(), circle, list) });

describe('inbound authorisation across a gap', () => {
  it('keeps what a facilitator did before being demoted inside the gap', async () => {
    const demote = levels(0);
    const gap = [ops([proxyContribution()]), demote];
    const { inbound, applied, quarantineReasons, requests } = setup(gap);
    await inbound.onSync(sync([], [levels(50)]));
    await inbound.onSync(sync([ops([proxyContribution()])], [demote], true));
    expect(requests.some((p) => p.includes('/messages'))).toBe(true);
    // The one sent while Bob was a facilitator applies; the one after the demotion does not.
    expect(applied()).toBe(1);
    expect(quarantineReasons()).toHaveLength(1);
    expect(quarantineReasons()[0]).toMatch(/needs facilitator rights/);
  });

  it('does not let a later promotion authorise what was sent before it', async () => {
    const promote = levels(50);
    const gap = [ops([proxyContribution()]), promote];
    const { inbound, applied, quarantineReasons } = setup(gap);
    await inbound.onSync(sync([], [levels(0)]));
    await inbound.onSync(sync([ops([proxyContribution()])], [promote], true));
    expect(applied()).toBe(1);
    expect(quarantineReasons()).toHaveLength(1);
  });

  it('judges a room seen for the first time by the state it arrives with', async () => {
    const { inbound, applied } = setup([]);
    await inbound.onSync(sync([ops([proxyContribution()])], [levels(50)], true));
    expect(applied()).toBe(1);
  });

  it('records a gap the server refuses to fill and goes on, instead of retrying it forever', async () => {
    const { inbound, applied, quarantineReasons } = setup([], new MatrixHttpError(403, 'M_FORBIDDEN', 'history not visible'));
    await inbound.onSync(sync([], [levels(50)]));
    await inbound.onSync(sync([ops([proxyContribution()])], [levels(50)], true));
    expect(applied()).toBe(1);
    expect(quarantineReasons()).toEqual([expect.stringMatching(/could not back-fill a gap .*403 M_FORBIDDEN/)]);
    // The same refusal again (the batch retried) is not listed twice.
    await inbound.onSync(sync([], [levels(50)], true));
    expect(quarantineReasons()).toHaveLength(1);
  });

  it('lets a transient failure fail the batch so it is retried', async () => {
    const { inbound } = setup([], new MatrixHttpError(502, 'M_UNKNOWN', 'bad gateway'));
    await inbound.onSync(sync([], [levels(50)]));
    await expect(inbound.onSync(sync([ops([proxyContribution()])], [levels(50)], true))).rejects.toThrow('bad gateway');
  });
});
