// The one 429 path of governance sync: RateLimitGate waits as long as the server asks, sends
// the same request again, holds every other request back meanwhile, and tells the status
// when waiting starts and ends.
import { describe, expect, it } from 'vitest';
import { RateLimitGate, SyncClosedError } from '../../main/core/sync/rate-limit-gate';
import { MatrixHttpError } from '../../main/core/matrix/matrix-connection';
import { createLogger } from '../../main/core/log';
import { FakeClock } from '../../main/core/clock';

const limited = (ms?: number) => new MatrixHttpError(429, 'M_LIMIT_EXCEEDED', 'Too Many Requests', ms);

function setup() {
  const clock = new FakeClock(1_800_000_000_000);
  const sleeps: number[] = [];
  const waiting: (number | null)[] = [];
  const abort = new AbortController();
  const gate = new RateLimitGate({
    now: () => clock.now(),
    // Time passes only while the gate sleeps, so each wait is what the gate chose.
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
    },
    signal: abort.signal,
    log: createLogger('test', () => {}),
    onWaiting: (until) => waiting.push(until),
    random: () => 1,
  });
  return { clock, sleeps, waiting, abort, gate };
}

/** A request that answers 429 `times` times, then succeeds. */
function flaky(times: number, ms?: number) {
  let calls = 0;
  return {
    calls: () => calls,
    request: async () => {
      calls++;
      if (calls <= times) throw limited(ms);
      return 'ok';
    },
  };
}

describe('rate limit gate', () => {
  it('waits as long as each 429 asks, resends the same request, and says until when', async () => {
    const { gate, sleeps, waiting, clock } = setup();
    const start = clock.now();
    const request = flaky(2, 5_000);
    expect(await gate.send('ops', request.request)).toBe('ok');
    expect(request.calls()).toBe(3);
    expect(sleeps).toEqual([5_000, 5_000]);
    expect(waiting).toEqual([start + 5_000, start + 10_000]);
    // Success after waiting keeps the waiting status (the next event will most likely wait too) until the run clears it.
    expect(gate.waitingUntil()).toBe(start + 10_000);
    gate.clear();
    expect(waiting.at(-1)).toBeNull();
  });

  it('holds every other request back until the wait is over, so none is sent early', async () => {
    const { gate, sleeps, clock } = setup();
    await gate.send('first', flaky(1, 4_000).request);
    const sentAt: number[] = [];
    await gate.send('second', async () => sentAt.push(clock.now()));
    expect(sleeps).toEqual([4_000]);
    expect(sentAt).toHaveLength(1);
  });

  it('ends the waiting status when a request goes through without waiting', async () => {
    const { gate, waiting } = setup();
    await gate.send('first', flaky(1, 1_000).request);
    await gate.send('second', async () => 'ok');
    await gate.send('third', async () => 'ok');
    expect(waiting).toEqual([expect.any(Number), null]);
    expect(gate.waitingUntil()).toBeNull();
  });

  it('backs off when a 429 names no time', async () => {
    const { gate, sleeps } = setup();
    await gate.send('ops', flaky(2).request);
    expect(sleeps).toEqual([500, 1_000]);
  });

  it('passes every other failure to the caller untouched', async () => {
    const { gate, sleeps } = setup();
    const refused = new MatrixHttpError(403, 'M_FORBIDDEN', 'Federation denied with elsewhere.example.');
    await expect(
      gate.send('invite', async () => {
        throw refused;
      }),
    ).rejects.toBe(refused);
    expect(sleeps).toEqual([]);
  });

  it('stops waiting when sync closes', async () => {
    const { gate, abort } = setup();
    const request = flaky(1, 60_000);
    const sending = gate.send('ops', async () => {
      const result = await request.request();
      return result;
    });
    abort.abort();
    await expect(sending).rejects.toBeInstanceOf(SyncClosedError);
    expect(request.calls()).toBe(1);
  });

  it('routes event sends and other requests alike through the one path', async () => {
    const { gate, sleeps } = setup();
    let sends = 0;
    let requests = 0;
    const connection = gate.connection({
      session: () => null,
      sendEvent: async () => {
        if (sends++ === 0) throw limited(2_000);
        return { event_id: '$e' };
      },
      request: async <T>() => {
        if (requests++ === 0) throw limited(3_000);
        return {} as T;
      },
    });
    await connection.sendEvent('!r', 'org.matrix.msc3381.poll.start', {}, 'txn');
    await connection.request('POST', '/_matrix/client/v3/rooms/!r/invite', { body: { user_id: '@dana:elsewhere.example' } });
    expect(sleeps).toEqual([2_000, 3_000]);
  });
});
