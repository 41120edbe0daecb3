import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/core/store/database';
import { Outbox } from '../../main/core/sync/outbox';
import { Uploader, type UploaderDeps } from '../../main/core/sync/uploader';
import { decodeOpsContent } from '../../main/core/sync/ops-event';
import { MatrixHttpError, MatrixNetworkError } from '../../main/core/matrix/matrix-connection';
import { createLogger, memorySink } from '../../main/core/log';
import type { Operation } from '../../shared/governance/operation';
import { backoffMs, classifyFailure, rateLimitWaitMs } from '../../main/core/sync/retry-policy';
import { Refusals } from '../../main/core/sync/refusals';

const circles = ['01JCIRCLEA0000000000000000', '01JCIRCLEB0000000000000000'];

function op(i: number, circle = circles[i % 2]!): Operation {
  return {
    id: `01J${String(i).padStart(23, '0')}`,
    hlc: `${1795000000000 + i}-000000-node1`,
    actor: '@alice:meet.coop',
    circle,
    type: 'contribution.create',
    payload: { contributionId: `01K${String(i).padStart(23, '0')}`, minutes: 15 + (i % 90), description: `Task ${i}` },
    v: 1,
  };
}

/** A homeserver stand-in that, like Synapse, answers a repeated transaction id with the original event. */
class FakeServer {
  events: { roomId: string; type: string; content: Record<string, unknown>; txnId: string }[] = [];
  private byTxn = new Map<string, string>();
  failures: (Error | 'drop-response')[] = [];
  attempts = 0;

  async sendEvent(roomId: string, type: string, content: Record<string, unknown>, txnId: string) {
    this.attempts++;
    const failure = this.failures.shift();
    if (failure instanceof Error) throw failure;
    let eventId = this.byTxn.get(txnId);
    if (!eventId) {
      eventId = `$e${this.events.length}`;
      this.byTxn.set(txnId, eventId);
      this.events.push({ roomId, type, content, txnId });
    }
    // The server stored the event but the client never hears back.
    if (failure === 'drop-response') throw new MatrixNetworkError('connection reset');
    return { event_id: eventId };
  }

  uploadedOps(): string[] {
    return this.events.flatMap((e) => {
      const decoded = decodeOpsContent(e.content);
      if (!decoded.ok) throw new Error(decoded.reason);
      return decoded.ops.map((o) => (o as Operation).id);
    });
  }
}

function setup(count: number) {
  const db = openDatabase(':memory:');
  const outbox = new Outbox(db);
  const ops = Array.from({ length: count }, (_, i) => op(i));
  db.transaction(() => ops.forEach((o) => outbox.enqueue(o)))();
  const server = new FakeServer();
  const sleeps: number[] = [];
  const progress: number[] = [];
  const { records, sink } = memorySink();
  const refusals = new Refusals(db, () => 1_800_000_000_000);
  const deps: UploaderDeps = {
    outbox,
    connection: server,
    refusals,
    roomFor: async (circle) => `!room-${circle}:meet.coop`,
    sleep: async (ms) => void sleeps.push(ms),
    onProgress: (p) => progress.push(p.sent),
    log: createLogger('test', sink),
  };
  return { db, outbox, ops, server, sleeps, progress, deps, records, refusals };
}

describe('uploader', () => {
  it('uploads every operation exactly once, in order per circle, few events', async () => {
    const { outbox, ops, server, deps, progress } = setup(5000);
    expect(await new Uploader(deps).run()).toEqual({ kind: 'done', sent: 5000 });
    expect(outbox.pendingCount()).toBe(0);
    expect(server.uploadedOps().sort()).toEqual(ops.map((o) => o.id).sort());
    for (const circle of circles) {
      const inRoom = server.events.filter((e) => e.roomId === `!room-${circle}:meet.coop`).flatMap((e) => {
        const d = decodeOpsContent(e.content);
        return d.ok ? d.ops.map((o) => (o as Operation).id) : [];
      });
      expect(inRoom).toEqual(ops.filter((o) => o.circle === circle).map((o) => o.id));
    }
    expect(server.events.length).toBeLessThan(12);
    expect(new Set(server.events.map((e) => e.txnId)).size).toBe(server.events.length);
    expect(progress.at(-1)).toBe(5000);
  });

  it('resends a batch whose response was lost with the same transaction id, so nothing duplicates', async () => {
    const { ops, server, deps } = setup(300);
    server.failures = ['drop-response'];
    const first = await new Uploader(deps).run();
    expect(first.kind).toBe('offline');
    expect(await new Uploader(deps).run()).toMatchObject({ kind: 'done' });
    expect(server.attempts).toBeGreaterThan(server.events.length);
    expect(server.uploadedOps().sort()).toEqual(ops.map((o) => o.id).sort());
  });

  it('records a refused circle and goes on with the others, without resending the refused batch', async () => {
    const { outbox, ops, server, deps, refusals } = setup(40);
    server.failures = [new MatrixHttpError(403, 'M_FORBIDDEN', 'You are not in this room')];
    expect(await new Uploader(deps).run()).toEqual({ kind: 'done', sent: 20 });
    expect(server.attempts).toBe(2);
    const [refusal] = refusals.list();
    expect(refusal).toMatchObject({ kind: 'upload', circle: circles[0], reason: 'forbidden', errcode: 'M_FORBIDDEN', retry_at: null });
    expect(outbox.pendingCountOf(circles[0]!)).toBe(20);
    expect(server.uploadedOps().sort()).toEqual(ops.filter((o) => o.circle === circles[1]).map((o) => o.id).sort());

    // An automatic run leaves it alone; once the member retries, it goes and the refusal clears.
    expect(await new Uploader(deps).run()).toEqual({ kind: 'done', sent: 0 });
    expect(server.attempts).toBe(2);
    refusals.retry(refusal!.id);
    expect(await new Uploader(deps).run()).toEqual({ kind: 'done', sent: 20 });
    expect(refusals.count()).toBe(0);
  });

  it('records a refused room creation for its circle', async () => {
    const { deps, refusals } = setup(10);
    const refusing: UploaderDeps = {
      ...deps,
      roomFor: async (circle) => {
        if (circle === circles[1]) throw new MatrixHttpError(403, 'M_FORBIDDEN', 'You are not allowed to create rooms');
        return `!room-${circle}:meet.coop`;
      },
    };
    expect(await new Uploader(refusing).run()).toEqual({ kind: 'done', sent: 5 });
    expect(refusals.list()).toMatchObject([{ kind: 'room', circle: circles[1], reason: 'forbidden' }]);
  });

  it('repacks smaller when the server refuses an event as too large', async () => {
    const { ops, server, deps } = setup(2000);
    server.failures = [new MatrixHttpError(413, 'M_TOO_LARGE', 'event too large')];
    expect(await new Uploader(deps).run()).toMatchObject({ kind: 'done', sent: 2000 });
    expect(server.uploadedOps().sort()).toEqual(ops.map((o) => o.id).sort());
  });

  it('stops with a reason when signed out, keeping everything queued', async () => {
    const { outbox, server, deps } = setup(50);
    server.failures = [new MatrixHttpError(401, 'M_UNKNOWN_TOKEN', 'Invalid access token')];
    expect(await new Uploader(deps).run()).toMatchObject({ kind: 'stopped', code: 'signed_out' });
    expect(outbox.pendingCount()).toBe(50);
  });

  it('backs off on server errors and reports offline when they persist', async () => {
    const { outbox, server, deps, sleeps } = setup(5);
    server.failures = Array.from({ length: 20 }, () => new MatrixHttpError(502, 'M_UNKNOWN', 'bad gateway'));
    expect(await new Uploader(deps).run()).toMatchObject({ kind: 'offline' });
    expect(sleeps.length).toBeGreaterThan(3);
    expect(outbox.pendingCount()).toBe(5);
  });
});

describe('retry policy', () => {
  it('classifies failures', () => {
    expect(classifyFailure(new MatrixHttpError(413, 'M_TOO_LARGE', 'x'), 0, Math.random, { canRepack: true })).toEqual({ kind: 'repack' });
    expect(classifyFailure(new MatrixHttpError(413, 'M_TOO_LARGE', 'x'), 0)).toMatchObject({ kind: 'refused', transient: false });
    expect(classifyFailure(new MatrixHttpError(403, 'M_FORBIDDEN', 'not in room'), 0)).toMatchObject({ kind: 'refused', transient: false });
    expect(classifyFailure(new MatrixHttpError(404, 'M_NOT_FOUND', 'no room'), 0)).toMatchObject({ kind: 'refused', transient: false });
    expect(classifyFailure(new MatrixHttpError(400, 'M_BAD_JSON', 'bad'), 0)).toMatchObject({ kind: 'refused', transient: false });
    expect(classifyFailure(new MatrixHttpError(401, 'M_UNKNOWN_TOKEN', 'x'), 0)).toMatchObject({ kind: 'stop', code: 'signed_out' });
    expect(classifyFailure(new MatrixNetworkError('ECONNREFUSED'), 0, () => 1)).toMatchObject({ kind: 'offline' });
    expect(classifyFailure(new MatrixHttpError(503, 'M_UNKNOWN', 'x'), 0, () => 1)).toMatchObject({ kind: 'backoff' });
    // The member's own server could not be reached: a refusal that may pass, not the coop server failing.
    expect(classifyFailure(new MatrixHttpError(502, 'M_UNKNOWN', "Can't connect to server elsewhere.example"), 0, Math.random, { otherServer: true })).toMatchObject({
      kind: 'refused',
      transient: true,
    });
    expect(classifyFailure(new MatrixHttpError(502, 'M_UNKNOWN', 'bad gateway'), 0, () => 1)).toMatchObject({ kind: 'backoff' });
  });

  it('reads how long a rate limit asks to wait, and nothing else', () => {
    expect(rateLimitWaitMs(new MatrixHttpError(429, 'M_LIMIT_EXCEEDED', 'x', 700), 0)).toBe(700);
    expect(rateLimitWaitMs(new MatrixHttpError(429, 'M_LIMIT_EXCEEDED', 'x'), 3, () => 1)).toBe(backoffMs(3, () => 1));
    expect(rateLimitWaitMs(new MatrixHttpError(403, 'M_FORBIDDEN', 'x'), 0)).toBeNull();
    expect(rateLimitWaitMs(new MatrixNetworkError('ECONNRESET'), 0)).toBeNull();
    // A 429 that somehow escaped the gate backs off by what the server asked, never counts as a refusal.
    expect(classifyFailure(new MatrixHttpError(429, 'M_LIMIT_EXCEEDED', 'x', 700), 0)).toEqual({ kind: 'backoff', ms: 700, reason: 'rate limited' });
  });

  it('grows the back-off exponentially up to a ceiling', () => {
    expect(backoffMs(0, () => 1)).toBe(500);
    expect(backoffMs(3, () => 1)).toBe(4000);
    expect(backoffMs(30, () => 1)).toBe(60_000);
    expect(backoffMs(5, () => 0)).toBe(500);
  });
});
