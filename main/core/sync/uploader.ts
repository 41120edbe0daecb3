// Uploads the outbox: one batch at a time per circle, in order, each as one event with a
// transaction id derived from its batch. Honours 429 retry_after_ms, backs off on passing
// failures, repacks when the server says an event is too large, and stops with a reason
// when it needs the user. Progress is reported so the UI can show a bar during long uploads.
import type { MatrixConnection } from '../matrix/matrix-connection';
import type { Logger } from '../log';
import type { Outbox, PendingBatch } from './outbox';
import { batchTxnId, encodeOpsContent, maxOpsContentBytes, opsEventType } from './ops-event';
import { classifyFailure, type FailureAction } from './retry-policy';

export interface UploadProgress {
  /** Operations confirmed by the server during this run. */
  sent: number;
  /** Operations that were queued when the run started plus any queued since. */
  total: number;
}

export type UploadResult =
  | { kind: 'done'; sent: number }
  | { kind: 'offline'; retryInMs: number; reason: string }
  | { kind: 'stopped'; code: string; reason: string }
  | { kind: 'aborted'; sent: number };

export interface UploaderDeps {
  outbox: Outbox;
  connection: Pick<MatrixConnection, 'sendEvent'>;
  /** The room of a circle, created on first use (a circle made offline gets its room now). */
  roomFor(circle: string): Promise<string>;
  /** Called after a batch is confirmed, e.g. to send the poll events it implies. */
  afterBatch?(batch: PendingBatch, roomId: string): Promise<void>;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  onProgress?(progress: UploadProgress): void;
  onTooLarge?(opIds: string[]): void;
  /** Largest event content to send; smaller than the default only in tests that need many events. */
  maxEventBytes?: number;
  log: Logger;
}

/** How many times a passing failure (5xx) is retried within one run before reporting offline. */
const maxTransientAttempts = 6;

export class Uploader {
  constructor(private readonly deps: UploaderDeps) {}

  async run(signal?: AbortSignal): Promise<UploadResult> {
    const { outbox, log } = this.deps;
    let sent = 0;
    const limits = new Map<string, number>();
    const stuck = new Set<string>();
    let attempt = 0;
    while (!signal?.aborted) {
      const circle = outbox.pendingCircles().find((c) => !stuck.has(c));
      if (circle === undefined) return { kind: 'done', sent };
      const { batch, tooLarge } = outbox.nextBatch(circle, limits.get(circle) ?? this.deps.maxEventBytes ?? maxOpsContentBytes);
      if (tooLarge.length > 0) this.deps.onTooLarge?.(tooLarge.map((op) => op.id));
      if (!batch) {
        // Only operations that fit no event are left for this circle; the others go on.
        stuck.add(circle);
        continue;
      }
      this.deps.onProgress?.({ sent, total: sent + outbox.pendingCount() });
      try {
        const roomId = await this.deps.roomFor(circle);
        const content = encodeOpsContent(batch.batchId, circle, batch.ops);
        await this.deps.connection.sendEvent(roomId, opsEventType, content as unknown as Record<string, unknown>, batchTxnId(batch.batchId));
        sent += outbox.confirm(batch.batchId);
        attempt = 0;
        this.deps.onProgress?.({ sent, total: sent + outbox.pendingCount() });
        await this.deps.afterBatch?.(batch, roomId);
      } catch (error) {
        const action: FailureAction = classifyFailure(error, attempt++);
        switch (action.kind) {
          case 'wait':
            log.info('rate limited by the coop server; waiting', { ms: action.ms });
            await this.deps.sleep(action.ms, signal);
            break;
          case 'repack': {
            const limit = Math.floor((limits.get(circle) ?? this.deps.maxEventBytes ?? maxOpsContentBytes) / 2);
            log.warn('the coop server refused an event as too large; repacking smaller', { circle, limit });
            outbox.unassign(batch.batchId);
            limits.set(circle, limit);
            break;
          }
          case 'backoff':
            if (attempt > maxTransientAttempts) return { kind: 'offline', retryInMs: action.ms, reason: action.reason };
            log.info('upload failed; backing off', { ms: action.ms, reason: action.reason });
            await this.deps.sleep(action.ms, signal);
            break;
          case 'offline':
            return { kind: 'offline', retryInMs: action.ms, reason: action.reason };
          case 'stop':
            log.warn('upload stopped', { code: action.code, reason: action.reason });
            return { kind: 'stopped', code: action.code, reason: action.reason };
        }
      }
    }
    return { kind: 'aborted', sent };
  }
}
