// The core's one /sync loop. Each response goes to every consumer in order; `next_batch`
// is committed only after all of them resolved, so a crash, a restart or a failing
// consumer means the same batch is fetched and processed again (consumers are idempotent).
// Rounds never overlap: a manual syncNow() interrupts the long-poll and runs in its place.
//
// A consumer that keeps failing on a batch must not stop sync for good (one malformed event
// would otherwise hold up chat and governance alike). After `maxConsumerAttempts` failed
// attempts of the same batch, the next attempt hands that consumer the batch one event at a
// time (sync-slices.ts); the events it still fails on are skipped, reported through
// onSkipped (sync lists them with what it keeps aside) and the batch is committed. Passing
// failures (network, 429, 5xx, the disk: consumer-failure.ts) never count towards this.
import type { Logger } from '../log';
import { backoffDelayMs } from './backoff';
import { MatrixHttpError, MatrixNetworkError, type ConnectionStatus, type MatrixRawEvent, type SyncConsumer, type SyncResponse } from './matrix-connection';
import { isPassingFailure } from './consumer-failure';
import { sliceResponse } from './sync-slices';

/** Attempts of one batch a consumer may fail before the events it fails on are skipped. */
export const maxConsumerAttempts = 3;

/** What a consumer could not process even on its own, and sync went on without. */
export interface SkippedSyncItem {
  consumer: string;
  roomId: string | null;
  /** The timeline event, or null for a room's state, an invitation or a departure. */
  event: MatrixRawEvent | null;
  reason: string;
  attempts: number;
}

export interface SyncLoopDeps {
  fetchSync(params: { since: string | null; timeoutMs: number; signal: AbortSignal }): Promise<SyncResponse>;
  loadSince(): string | null;
  saveSince(since: string): void;
  consumers(): readonly SyncConsumer[];
  setStatus(status: ConnectionStatus): void;
  /** The server no longer accepts our token: the loop stops and the session must sign in again. */
  onSessionRejected(error: MatrixHttpError): void;
  now(): number;
  log: Logger;
  /** How long the server may hold a /sync open when nothing happens. */
  pollTimeoutMs: number;
  random?: () => number;
  /** A consumer failed on this even on its own, after every retry: sync went on without it. */
  onSkipped?(item: SkippedSyncItem): void;
}

/** A consumer threw: the batch was not committed and will be processed again. */
export class SyncConsumerError extends Error {
  constructor(cause: unknown) {
    super(`a sync consumer failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'SyncConsumerError';
  }
}

type RoundKind = 'poll' | 'manual';

export class SyncLoop {
  private running = false;
  private poll: AbortController | null = null;
  private wakeUp: (() => void) | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private manualWaiting = 0;
  private failures = 0;
  /** Consecutive attempts of one batch (by its `since`) that a consumer failed, passing failures not counted. */
  private stuck: { since: string | null; attempts: number } | null = null;
  private offlineSince: number | null = null;
  private loop: Promise<void> | null = null;
  /** The first round after start() does not long-poll, so the status turns online at once. */
  private fresh = true;

  constructor(private readonly deps: SyncLoopDeps) {}

  isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.fresh = true;
    this.loop = this.run();
  }

  /** Stops the loop; resolves when the round in progress (if any) has ended. */
  async stop(): Promise<void> {
    this.running = false;
    this.poll?.abort();
    this.wake();
    await this.loop;
    this.loop = null;
  }

  /** Ends a back-off wait early (the user pressed reconnect, or a request just succeeded). */
  wake(): void {
    this.wakeUp?.();
  }

  /** One round now, without long-polling; rejects if it failed (the status says why too). */
  async syncNow(): Promise<void> {
    this.manualWaiting++;
    this.poll?.abort();
    try {
      await this.exclusive(() => this.round('manual'));
    } finally {
      this.manualWaiting--;
    }
    this.wake();
  }

  /** Runs fn between rounds, never during one (events decrypted late are handed on this way). */
  runExclusive<T>(fn: () => Promise<T>): Promise<T> {
    // A long-poll waiting for news would hold fn up to its timeout (restoring keys took 30 s):
    // end it, as syncNow() does; the loop polls again after fn.
    this.poll?.abort();
    return this.exclusive(fn);
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.exclusive(() => this.round('poll'));
      } catch (error) {
        if (!this.running) break;
        if (isAbort(error)) continue; // interrupted by syncNow(): not a failure
        const delay = this.failed(error);
        if (delay === null) break;
        await this.sleep(delay);
      }
    }
  }

  private async round(kind: RoundKind): Promise<void> {
    // A manual round is waiting behind this one: let it go first instead of long-polling.
    if (kind === 'poll' && (this.manualWaiting > 0 || !this.running)) return;
    const controller = new AbortController();
    if (kind === 'poll') this.poll = controller;
    const since = this.deps.loadSince();
    let response: SyncResponse;
    try {
      const longPoll = kind === 'poll' && since !== null && !this.fresh;
      response = await this.deps.fetchSync({ since, timeoutMs: longPoll ? this.deps.pollTimeoutMs : 0, signal: controller.signal });
    } catch (error) {
      if (kind === 'manual' && !isAbort(error)) this.failed(error);
      throw error;
    } finally {
      if (this.poll === controller) this.poll = null;
    }
    if (kind === 'poll' && !this.running) return;
    const context = { initial: since === null };
    const isolate = this.stuck !== null && this.stuck.since === since && this.stuck.attempts >= maxConsumerAttempts;
    try {
      for (const consumer of this.deps.consumers()) {
        try {
          await consumer.onSync(response, context);
        } catch (cause) {
          if (!isolate || isPassingFailure(cause)) throw cause;
          await this.isolate(consumer, response, context, this.stuck!.attempts);
        }
      }
    } catch (cause) {
      if (!isPassingFailure(cause)) this.stuck = { since, attempts: this.stuck?.since === since ? this.stuck.attempts + 1 : 1 };
      const error = new SyncConsumerError(cause);
      if (kind === 'manual') this.failed(error);
      throw error;
    }
    this.stuck = null;
    this.deps.saveSince(response.next_batch);
    this.fresh = false;
    this.failures = 0;
    this.offlineSince = null;
    this.deps.setStatus({ status: 'online', lastSyncAt: this.deps.now() });
  }

  /**
   * Hands a consumer that keeps failing on a batch the batch one event at a time, skipping
   * (and reporting) the pieces it still fails on. A passing failure ends the attempt: the
   * batch is retried as a whole later.
   */
  private async isolate(consumer: SyncConsumer, response: SyncResponse, context: { initial: boolean }, attempts: number): Promise<void> {
    const name = consumer.name ?? 'a sync consumer';
    for (const slice of sliceResponse(response)) {
      try {
        await consumer.onSync(slice.response, context);
      } catch (cause) {
        if (isPassingFailure(cause)) throw cause;
        const reason = cause instanceof Error ? cause.message : String(cause);
        this.deps.log.error('skipped what a sync consumer keeps failing on', { consumer: name, roomId: slice.roomId, eventId: slice.event?.event_id ?? null, attempts, reason });
        this.deps.onSkipped?.({ consumer: name, roomId: slice.roomId, event: slice.event, reason, attempts });
      }
    }
  }

  /** Reports a failed round; returns how long to wait, or null when the loop must stop. */
  private failed(error: unknown): number | null {
    this.failures++;
    const random = (this.deps.random ?? Math.random)();
    const now = this.deps.now();
    if (error instanceof SyncConsumerError) {
      this.deps.log.error('sync batch not committed: a consumer failed; retrying the same batch', { reason: error.message });
      this.deps.setStatus({ status: 'error', code: 'processing_failed', message: error.message });
      return backoffDelayMs(this.failures, random);
    }
    if (error instanceof MatrixHttpError) {
      if (error.status === 401 && (error.errcode === 'M_UNKNOWN_TOKEN' || error.errcode === 'M_MISSING_TOKEN')) {
        this.deps.log.warn('the homeserver rejected the access token; sign in again', { errcode: error.errcode });
        this.running = false;
        this.deps.onSessionRejected(error);
        return null;
      }
      if (error.status === 429) {
        this.deps.log.info('sync rate limited', { retryAfterMs: error.retryAfterMs });
        return backoffDelayMs(this.failures, random, error.retryAfterMs);
      }
      if (error.status >= 500) {
        this.offlineSince ??= now;
        this.deps.setStatus({ status: 'offline', since: this.offlineSince, reason: 'server_unavailable' });
      } else {
        this.deps.setStatus({ status: 'error', code: error.errcode, message: error.message });
      }
      this.deps.log.warn('sync failed', { status: error.status, errcode: error.errcode, reason: error.message });
      return backoffDelayMs(this.failures, random, error.retryAfterMs);
    }
    if (error instanceof MatrixNetworkError) {
      this.offlineSince ??= now;
      this.deps.setStatus({ status: 'offline', since: this.offlineSince, reason: 'network' });
      if (this.failures === 1) this.deps.log.info('homeserver unreachable; retrying with back-off', { reason: error.message });
      return backoffDelayMs(this.failures, random);
    }
    const message = error instanceof Error ? error.message : String(error);
    this.deps.log.error('sync round crashed', { reason: message, stack: error instanceof Error ? error.stack : undefined });
    this.deps.setStatus({ status: 'error', code: 'internal', message });
    return backoffDelayMs(this.failures, random);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.wakeUp === done) this.wakeUp = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error as { code?: unknown }).code === 'ABORT_ERR');
}
