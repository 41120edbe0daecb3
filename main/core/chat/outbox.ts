// The outbox: everything the member sends goes here first (persisted, with a txnId chosen
// once), so messages written offline survive restarts, show as pending, and go out in
// order when the server is reachable. Re-sending uses the same txnId, which the homeserver
// deduplicates (PUT /send/{type}/{txnId}), so a retry after a lost answer never doubles.
import { randomUUID } from 'node:crypto';
import { MatrixHttpError, MatrixNetworkError, type MatrixConnection } from '../matrix/matrix-connection';
import { seg } from '../matrix/matrix-http';
import type { Logger } from '../log';
import type { ChatStore } from './chat-store';

export interface OutboxDeps {
  store: ChatStore;
  matrix: MatrixConnection;
  log: Logger;
  now(): number;
  /** False while the member paused syncing: queued messages wait for the reconnect. */
  canSend(): boolean;
  /** A room's pending messages changed (queued, sent, failed). */
  changed(roomId: string): void;
}

export function newTxnId(): string {
  return `plenary-${randomUUID()}`;
}

export class Outbox {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly deps: OutboxDeps) {}

  enqueue(roomId: string, type: string, content: Record<string, unknown>): string {
    const txnId = newTxnId();
    this.deps.store.enqueue({ txn_id: txnId, room_id: roomId, type, content: JSON.stringify(content), created_at: this.deps.now() });
    this.deps.changed(roomId);
    void this.flush();
    return txnId;
  }

  /** Sends queued entries in order; returns when the queue is empty or the server is unreachable. */
  flush(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.drain();
      } while (this.again);
    })()
      .catch((error: unknown) => {
        // e.g. the store closed while shutting down: the queue is intact and resumes next start.
        this.deps.log.error('outbox flush stopped', { reason: error instanceof Error ? error.message : String(error) });
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async drain(): Promise<void> {
    const { store, matrix, log } = this.deps;
    if (!matrix.session() || !this.deps.canSend()) return;
    for (;;) {
      const entry = store.nextQueued();
      if (!entry) return;
      const content = JSON.parse(entry.content) as Record<string, unknown>;
      try {
        const { event_id: eventId } =
          entry.type === 'm.room.redaction'
            ? await matrix.request<{ event_id: string }>('PUT', `/_matrix/client/v3/rooms/${seg(entry.room_id)}/redact/${seg(String(content.redacts))}/${seg(entry.txn_id)}`, { body: {} })
            : await matrix.sendEvent(entry.room_id, entry.type, content, entry.txn_id);
        // The echo may have come through /sync before the answer did.
        if (store.hasEvent(eventId)) store.removeOutbox(entry.txn_id);
        else store.markSent(entry.txn_id, eventId);
        this.deps.changed(entry.room_id);
      } catch (error) {
        if (error instanceof MatrixNetworkError) {
          log.info('outbox waits for the network', { pending: entry.txn_id });
          return;
        }
        if (error instanceof MatrixHttpError && error.status === 429) {
          await new Promise((resolve) => setTimeout(resolve, Math.min(error.retryAfterMs ?? 1000, 60_000)));
          continue;
        }
        if (error instanceof MatrixHttpError && (error.status >= 500 || error.status === 401)) {
          log.warn('outbox paused: the server cannot take messages now', { status: error.status, errcode: error.errcode });
          return;
        }
        const reason = error instanceof MatrixHttpError ? `${error.errcode}: ${error.message}` : error instanceof Error ? error.message : String(error);
        log.warn('message refused by the server', { txnId: entry.txn_id, reason });
        store.markFailed(entry.txn_id, reason);
        this.deps.changed(entry.room_id);
      }
    }
  }
}
