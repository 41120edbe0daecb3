// The /sync loop with a scripted server: commits next_batch only after every consumer
// resolved, retries the same batch when one fails, goes offline and back on network
// errors, stops when the token is rejected, and lets syncNow() cut a long-poll short.
import { afterEach, describe, expect, it } from 'vitest';
import { SyncLoop } from '../../main/core/matrix/sync-loop';
import { MatrixHttpError, MatrixNetworkError, type ConnectionStatus, type SyncConsumer, type SyncResponse } from '../../main/core/matrix/matrix-connection';
import { createLogger, memorySink } from '../../main/core/log';
import { backoffDelayMs, backoffMaxMs } from '../../main/core/matrix/backoff';

type Fetch = (p: { since: string | null; timeoutMs: number; signal: AbortSignal }) => Promise<SyncResponse>;

function harness(fetchSync: Fetch, consumers: SyncConsumer[] = []) {
  let since: string | null = null;
  const statuses: ConnectionStatus[] = [];
  const rejected: MatrixHttpError[] = [];
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
  });
  return { loop, statuses, rejected, records, since: () => since, setSince: (s: string | null) => (since = s) };
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

  it('syncNow() rejects when the round fails and reports the state', async () => {
    const h = harness(async () => {
      throw new MatrixNetworkError('down');
    });
    h.setSince('b0');
    await expect(h.loop.syncNow()).rejects.toBeInstanceOf(MatrixNetworkError);
    expect(h.statuses.at(-1)).toMatchObject({ status: 'offline', reason: 'network' });
  });
});
