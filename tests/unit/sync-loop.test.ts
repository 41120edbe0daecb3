// The /sync loop with a scripted server: commits next_batch only after every consumer
// resolved, retries the same batch when one fails, and when one keeps failing on an event,
// skips that event after a bounded number of attempts (never for a passing failure); goes
// offline and back on network errors, stops when the token is rejected, and lets syncNow()
// and runExclusive() cut a long-poll short.
import { afterEach, describe, expect, it } from 'vitest';
import { SyncLoop, maxConsumerAttempts, type SkippedSyncItem } from '../../main/core/matrix/sync-loop';
import { sliceResponse } from '../../main/core/matrix/sync-slices';
import { MatrixHttpError, MatrixNetworkError, type ConnectionStatus, type MatrixRawEvent, type SyncConsumer, type SyncResponse } from '../../main/core/matrix/matrix-connection';
import { createLogger, memorySink } from '../../main/core/log';
import { backoffDelayMs, backoffMaxMs } from '../../main/core/matrix/backoff';

type Fetch = (p: { since: string | null; timeoutMs: number; signal: AbortSignal }) => Promise<SyncResponse>;

function harness(fetchSync: Fetch, consumers: SyncConsumer[] = []) {
  let since: string | null = null;
  const statuses: ConnectionStatus[] = [];
  const rejected: MatrixHttpError[] = [];
  const skipped: SkippedSyncItem[] = [];
  const { records, sink } = memorySink();
  const loop = new SyncLoop({
    fetchSync,
    loadSince: () => since,
    saveSince: (s) => (since = s),
    consumers: () => consumers,
    setStatus: (s) => statuses.push(s),
    onSessionRejected: (e) => rejected.push(e),
    now: () => 1000,
    log: createLogger('test', sink),
    pollTimeoutMs: 30_000,
    // Minimal jitter keeps back-off waits at their lower bound (500 ms for the first failure).
    random: () => 0,
    onSkipped: (item) => skipped.push(item),
  });
  return { loop, statuses, rejected, records, skipped, since: () => since, setSince: (s: string | null) => (since = s) };
}

const hang = (signal: AbortSignal) =>
  new Promise<SyncResponse>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)));

const loops: SyncLoop[] = [];
afterEach(async () => {
  for (const loop of loops.splice(0)) await loop.stop();
});

describe('back-off', () => {
  it('grows exponentially to a cap, with jitter, and honours a longer retry-after', () => {
    expect(backoffDelayMs(1, 0)).toBe(500);
    expect(backoffDelayMs(1, 0.999)).toBeLessThanOrEqual(1000);
    expect(backoffDelayMs(3, 0)).toBe(2000);
    expect(backoffDelayMs(50, 0.999)).toBeLessThanOrEqual(backoffMaxMs);
    expect(backoffDelayMs(1, 0, 9000)).toBe(9000);
  });
});

describe('SyncLoop', () => {
  it('hands each batch to every consumer in order and commits next_batch only afterwards', async () => {
    const calls: string[] = [];
    let n = 0;
    const h = harness(
      async ({ signal }) => {
        if (n >= 2) return hang(signal);
        n++;
        return { next_batch: `b${n}`, rooms: { join: { [`!r${n}`]: {} } } };
      },
      [
        {
          onSync: async (r, ctx) => {
            calls.push(`A ${r.next_batch} initial=${ctx.initial} committed=${h.since()}`);
          },
        },
        { onSync: (r) => void calls.push(`B ${r.next_batch} committed=${h.since()}`) },
      ],
    );
    loops.push(h.loop);
    h.loop.start();
    await expect.poll(() => h.since()).toBe('b2');
    expect(calls).toEqual(['A b1 initial=true committed=null', 'B b1 committed=null', 'A b2 initial=false committed=b1', 'B b2 committed=b1']);
    expect(h.statuses.at(-1)).toEqual({ status: 'online', lastSyncAt: 1000 });
  });

  it('retries the same batch when a consumer fails, without committing it', async () => {
    const sinces: (string | null)[] = [];
    let failures = 1;
    const h = harness(
      async ({ since, signal }) => {
        sinces.push(since);
        if (since === 'b1') return hang(signal);
        return { next_batch: 'b1' };
      },
      [
        {
          onSync: () => {
            if (failures-- > 0) throw new Error('disk full');
          },
        },
      ],
    );
    loops.push(h.loop);
    h.loop.start();
    await expect.poll(() => h.since(), { timeout: 5000 }).toBe('b1');
    expect(sinces.slice(0, 2)).toEqual([null, null]);
    expect(h.statuses).toContainEqual({ status: 'error', code: 'processing_failed', message: 'a sync consumer failed: disk full' });
    expect(h.records.some((r) => r.level === 'error' && r.message.includes('not committed'))).toBe(true);
  });

  it('goes offline on network errors, backs off, and comes back online', async () => {
    let down = 2;
    const h = harness(async ({ signal }) => {
      if (down-- > 0) throw new MatrixNetworkError('GET /sync failed: ECONNREFUSED');
      if (h.since() === 'b1') return hang(signal);
      return { next_batch: 'b1' };
    });
    loops.push(h.loop);
    h.loop.start();
    await expect.poll(() => h.since(), { timeout: 5000 }).toBe('b1');
    const kinds = h.statuses.map((s) => s.status);
    expect(kinds.slice(0, 3)).toEqual(['offline', 'offline', 'online']);
    expect(h.statuses[0]).toEqual({ status: 'offline', since: 1000, reason: 'network' });
  });

  it('stops and reports when the homeserver rejects the token', async () => {
    const h = harness(async () => {
      throw new MatrixHttpError(401, 'M_UNKNOWN_TOKEN', 'Invalid access token');
    });
    loops.push(h.loop);
    h.loop.start();
    await expect.poll(() => h.rejected.length).toBe(1);
    expect(h.loop.isRunning()).toBe(false);
  });

  it('starts with an immediate round, then syncNow() interrupts the long-poll for another', async () => {
    const timeouts: number[] = [];
    let batch = 0;
    const h = harness(async ({ timeoutMs, signal }) => {
      timeouts.push(timeoutMs);
      if (timeoutMs > 0) return hang(signal);
      batch++;
      return { next_batch: `b${batch}` };
    });
    h.setSince('b0');
    loops.push(h.loop);
    h.loop.start();
    await expect.poll(() => timeouts.length).toBe(2);
    expect(h.since()).toBe('b1');
    await h.loop.syncNow();
    expect(h.since()).toBe('b2');
    expect(timeouts.slice(0, 3)).toEqual([0, 30_000, 0]);
    // The loop resumes long-polling afterwards.
    await expect.poll(() => timeouts.length).toBe(4);
    expect(timeouts[3]).toBe(30_000);
  });

  it('runExclusive() interrupts a long-poll instead of waiting for it (events decrypted late are handed on at once)', async () => {
    const timeouts: number[] = [];
    const h = harness(async ({ timeoutMs, signal }) => {
      timeouts.push(timeoutMs);
      // A long-poll with no news never answers by itself here.
      if (timeoutMs > 0) return hang(signal);
      return { next_batch: 'b1' };
    });
    h.setSince('b0');
    loops.push(h.loop);
    h.loop.start();
    await expect.poll(() => timeouts.length).toBe(2);
    // Resolves although the hanging poll was never answered: it was aborted.
    expect(await h.loop.runExclusive(() => Promise.resolve('ran'))).toBe('ran');
    expect(h.statuses.at(-1)).toEqual({ status: 'online', lastSyncAt: 1000 });
    // The loop long-polls again afterwards.
    await expect.poll(() => timeouts.length).toBe(3);
    expect(timeouts[2]).toBe(30_000);
  });

  it('syncNow() rejects when the round fails and reports the state', async () => {
    const h = harness(async () => {
      throw new MatrixNetworkError('down');
    });
    h.setSince('b0');
    await expect(h.loop.syncNow()).rejects.toBeInstanceOf(MatrixNetworkError);
    expect(h.statuses.at(-1)).toMatchObject({ status: 'offline', reason: 'network' });
  });

  describe('a consumer that keeps failing', () => {
    const message = (id: string): MatrixRawEvent => ({ event_id: id, type: 'm.room.message', sender: '@mallory:meet.coop', origin_server_ts: 1, content: { body: id } });
    const batch = (): SyncResponse => ({
      next_batch: 'b1',
      rooms: {
        join: {
          '!room': {
            state: { events: [] },
            timeline: { events: [message('$one'), message('$poison'), message('$two')], limited: true, prev_batch: 'p0' },
            unread_notifications: { notification_count: 3 },
          },
        },
      },
    });
    /** Serves `batch` until it is committed, then a second one, then waits. */
    const server: Fetch = async ({ since, signal }) => (since === null ? batch() : since === 'b1' ? { next_batch: 'b2', rooms: { join: { '!room': { timeline: { events: [message('$three')] } } } } } : hang(signal));

    it('is given the batch one event at a time after a bounded number of failed attempts; only the event it fails on is skipped', async () => {
      const processed: string[] = [];
      let attempts = 0;
      const flaky: SyncConsumer = {
        name: 'chat',
        onSync: (response) => {
          const events = Object.values(response.rooms?.join ?? {}).flatMap((room) => room.timeline?.events ?? []);
          if (events.length === 3) attempts++;
          if (events.some((e) => e.event_id === '$poison')) throw new TypeError('Cannot read properties of undefined');
          processed.push(...events.map((e) => e.event_id));
        },
      };
      const steady: string[] = [];
      const h = harness(server, [flaky, { onSync: (r) => void steady.push(r.next_batch) }]);
      loops.push(h.loop);
      h.loop.start();
      // Waking the loop ends each back-off wait early: the test waits for states, not for time.
      await expect.poll(() => (h.loop.wake(), h.since()), { timeout: 10_000 }).toBe('b2');
      // Failed attempts of the whole batch, then one more given event by event.
      expect(attempts).toBe(maxConsumerAttempts + 1);
      expect(h.skipped).toEqual([{ consumer: 'chat', roomId: '!room', event: message('$poison'), reason: 'Cannot read properties of undefined', attempts: maxConsumerAttempts }]);
      expect(processed).toEqual(['$one', '$two', '$three']);
      // Consumers that had no trouble got the batch whole, and sync went on to the next one.
      expect(steady).toEqual(['b1', 'b2']);
      expect(h.statuses.at(-1)).toEqual({ status: 'online', lastSyncAt: 1000 });
    });

    it('never skips anything for a passing failure (the disk, the network): the batch waits until it passes', async () => {
      let failures = maxConsumerAttempts + 2;
      const processed: string[] = [];
      const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      const h = harness(server, [
        {
          name: 'governance sync',
          onSync: (response) => {
            if (failures-- > 0) throw full;
            processed.push(...Object.values(response.rooms?.join ?? {}).flatMap((room) => (room.timeline?.events ?? []).map((e) => e.event_id)));
          },
        },
      ]);
      loops.push(h.loop);
      h.loop.start();
      await expect.poll(() => (h.loop.wake(), h.since()), { timeout: 10_000 }).toBe('b2');
      expect(h.skipped).toEqual([]);
      expect(processed).toEqual(['$one', '$poison', '$two', '$three']);
    });
  });
});

describe('sliceResponse', () => {
  it('cuts a batch into valid responses of one event each, the room’s state and gap with its first, its counts with its last', () => {
    const event = (id: string): MatrixRawEvent => ({ event_id: id, type: 'm.room.message', sender: '@a:x', origin_server_ts: 1, content: {} });
    const state = [{ ...event('$name'), type: 'm.room.name', state_key: '' }];
    const slices = sliceResponse({
      next_batch: 'n',
      rooms: {
        invite: { '!invited': { invite_state: { events: [] } } },
        join: {
          '!a': { state: { events: state }, timeline: { events: [event('$1'), event('$2'), event('$3')], limited: true, prev_batch: 'p' }, unread_notifications: { highlight_count: 1 } },
          '!b': { timeline: { events: [] }, account_data: { events: [{ type: 'm.fully_read', content: { event_id: '$x' } }] } },
        },
        leave: { '!gone': { timeline: { events: [event('$bye')] } } },
      },
      account_data: { events: [{ type: 'm.direct', content: {} }] },
    });
    expect(slices.map((s) => [s.roomId, s.event?.event_id ?? null])).toEqual([
      ['!invited', null],
      ['!a', '$1'],
      ['!a', '$2'],
      ['!a', '$3'],
      ['!b', null],
      ['!gone', '$bye'],
      [null, null],
    ]);
    expect(slices.every((s) => s.response.next_batch === 'n')).toBe(true);
    const rooms = slices.slice(1, 4).map((s) => s.response.rooms!.join!['!a']!);
    expect(rooms[0]).toEqual({ state: { events: state }, timeline: { events: [event('$1')], limited: true, prev_batch: 'p' } });
    expect(rooms[1]).toEqual({ timeline: { events: [event('$2')] } });
    expect(rooms[2]).toEqual({ timeline: { events: [event('$3')] }, unread_notifications: { highlight_count: 1 } });
    expect(slices[4]!.response.rooms!.join!['!b']).toEqual({ timeline: { events: [] }, account_data: { events: [{ type: 'm.fully_read', content: { event_id: '$x' } }] } });
  });
});
