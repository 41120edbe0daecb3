// The one place governance sync handles "too many requests". Every request sync makes of
// the coop server (operations events, poll events, room creation, invitations, state)
// goes through it: a 429 is waited out for as long as the server asked (retry_after_ms or
// Retry-After) and the same request is sent again, and while one request waits every other
// waits with it, so nothing is sent early only to be refused. Synapse does not count a
// refused request against the limit, so retrying at the time it names wastes nothing.
//
// While waiting, the status says so with the time it ends (onWaiting). A request that
// succeeds only after waiting leaves that status in place, since the next one will likely
// wait too (the limit applies per event); one that succeeds straight away ends it, and so
// does the end of the upload run (clear()).
import type { Logger } from '../log';
import type { MatrixConnection } from '../matrix/matrix-connection';
import { rateLimitWaitMs } from './retry-policy';

export type SyncConnection = Pick<MatrixConnection, 'request' | 'sendEvent' | 'session'>;

export interface RateLimitGateOptions {
  now(): number;
  /** Waits, returning early when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  signal: AbortSignal;
  log: Logger;
  /** When waiting starts or moves (the time it ends), and when it is over (null). */
  onWaiting(until: number | null): void;
  random?: () => number;
}

/** Sync was closed while a request waited for its turn. */
export class SyncClosedError extends Error {
  constructor() {
    super('sync was closed');
    this.name = 'SyncClosedError';
  }
}

export class RateLimitGate {
  private until: number | null = null;

  constructor(private readonly options: RateLimitGateOptions) {}

  /** When sending may resume, while a rate limit is being waited out. */
  waitingUntil(): number | null {
    return this.until;
  }

  /** Sends `request` once its turn comes, again and again while the server answers 429. */
  async send<T>(what: string, request: () => Promise<T>): Promise<T> {
    const { now, sleep, signal, log } = this.options;
    let waited = false;
    for (let attempt = 0; ; attempt++) {
      const wait = this.until === null ? 0 : this.until - now();
      if (wait > 0) {
        waited = true;
        await sleep(wait, signal);
      }
      if (signal.aborted) throw new SyncClosedError();
      try {
        const value = await request();
        if (!waited) this.clear();
        return value;
      } catch (error) {
        const ms = rateLimitWaitMs(error, attempt, this.options.random);
        if (ms === null) throw error;
        this.until = Math.max(this.until ?? 0, now() + ms);
        log.info('rate limited by the coop server; waiting', { what, ms });
        this.options.onWaiting(this.until);
      }
    }
  }

  /** The connection as sync uses it: every request and event goes through send(). */
  connection(inner: SyncConnection): SyncConnection {
    return {
      session: () => inner.session(),
      request: <T>(method: Parameters<SyncConnection['request']>[0], path: string, options?: Parameters<SyncConnection['request']>[2]) =>
        this.send(`${method} ${path.split('/').slice(0, 5).join('/')}`, () => inner.request<T>(method, path, options)),
      sendEvent: (roomId, type, content, txnId) => this.send(type, () => inner.sendEvent(roomId, type, content, txnId)),
    };
  }

  /** Nothing is being waited for any more (the upload run ended). */
  clear(): void {
    if (this.until === null) return;
    this.until = null;
    this.options.onWaiting(null);
  }
}
