// Uploads the outbox: one batch at a time per circle, in order, each as one event with a
// transaction id derived from its batch. Its connection waits out 429s (RateLimitGate);
// here it backs off on passing failures, repacks when the server says an event is too
// large, and when the server refuses a circle's room or its operations, records the
// refusal and goes on with the other circles. Progress is reported so the UI can show a
// bar during long uploads.
import type { MatrixConnection } from '../matrix/matrix-connection';
import type { Logger } from '../log';
import type { Outbox, PendingBatch } from './outbox';
import type { Refusals } from './refusals';
import { batchTxnId, encodeOpsContent, maxOpsContentBytes, opsEventType } from './ops-event';
import { classifyFailure, type FailureAction } from './retry-policy';
import { RoomNotKnownYetError } from './circle-rooms';

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
  refusals: Refusals;
  /** The room of a circle, created on first use (a circle made offline gets its room now). */
  roomFor(circle: string): Promise<string>;
  /** Called after a batch is confirmed, e.g. to note the invitations it implies. */
  afterBatch?(batch: PendingBatch, roomId: string): void;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  onProgress?(progress: UploadProgress): void;
  onTooLarge?(opIds: string[]): void;
  /** Largest event content to send; smaller than the default only in tests that need many events. */
  maxEventBytes?: number;
  /** The content budget for a circle's next event: smaller where its room is encrypted (crypto/room-encryption.ts). */
  budget?(circle: string, limit: number): Promise<number>;
  log: Logger;
}

/** How many times a passing failure (5xx) is retried within one run before reporting offline. */
const maxTransientAttempts = 6;

export class Uploader {
  constructor(private readonly deps: UploaderDeps) {}

  async run(signal?: AbortSignal): Promise<UploadResult> {
    const { outbox, refusals, log } = this.deps;
    let sent = 0;
    const limits = new Map<string, number>();
    // Circles that cannot go on in this run: only too-large operations left, or refused.
    const stuck = new Set<string>();
    const held = (circle: string) => refusals.holds({ kind: 'room', circle }) || refusals.holds({ kind: 'upload', circle });
    let attempt = 0;
    while (!signal?.aborted) {
      const circle = outbox.pendingCircles().find((c) => !stuck.has(c) && !held(c));
      if (circle === undefined) return { kind: 'done', sent };
      const limit = limits.get(circle) ?? this.deps.maxEventBytes ?? maxOpsContentBytes;
      const { batch, tooLarge } = outbox.nextBatch(circle, this.deps.budget ? await this.deps.budget(circle, limit).catch(() => limit) : limit);
      if (tooLarge.length > 0) this.deps.onTooLarge?.(tooLarge.map((op) => op.id));
      if (!batch) {
        // Only operations that fit no event are left for this circle; the others go on.
        stuck.add(circle);
        continue;
      }
      this.deps.onProgress?.({ sent, total: sent + outbox.pendingCount() });
      let stage: 'room' | 'upload' = 'room';
      try {
        const roomId = await this.deps.roomFor(circle);
        refusals.clear({ kind: 'room', circle });
        stage = 'upload';
        const content = encodeOpsContent(batch.batchId, circle, batch.ops);
        const { event_id } = await this.deps.connection.sendEvent(roomId, opsEventType, content as unknown as Record<string, unknown>, batchTxnId(batch.batchId));
        sent += outbox.confirm(batch.batchId, event_id);
        refusals.clear({ kind: 'upload', circle });
        attempt = 0;
        this.deps.onProgress?.({ sent, total: sent + outbox.pendingCount() });
        this.deps.afterBatch?.(batch, roomId);
      } catch (error) {
        if (signal?.aborted) break;
        if (error instanceof RoomNotKnownYetError) {
          // Someone else's circle whose room this device has not read yet: after the next sync.
          stuck.add(circle);
          continue;
        }
        const action: FailureAction = classifyFailure(error, attempt++, Math.random, { canRepack: stage === 'upload' });
        switch (action.kind) {
          case 'refused':
            log.warn(stage === 'room' ? 'the coop server refused to create a circle room' : 'the coop server refused a circle’s operations', {
              circle,
              status: action.error.status,
              errcode: action.error.errcode,
            });
            refusals.record({ kind: stage, circle }, action.error, { transient: action.transient });
            stuck.add(circle);
            attempt = 0;
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
