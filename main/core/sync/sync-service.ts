// Governance sync through the coop's Matrix homeserver. Composes the outbox and uploader
// (local operations up, in order, exactly once), the inbound consumer (operations and polls
// down, validated, authorised, quarantined when not), circle rooms, and the status the UI
// shows everywhere: pending count, progress, last synced time, problems in words.
import type { Db } from '../store/database';
import type { Logger } from '../log';
import type { Clock } from '../clock';
import type { GovernanceStore } from '../store/governance-store';
import type { MatrixConnectionService } from '../matrix/matrix-connection-service';
import type { ConnectionStatus } from '../matrix/matrix-connection';
import type { Translate } from '../i18n/translator';
import type { QuarantinedItem, SyncStatusView } from '../../../shared/contract/sync';
import { Outbox } from './outbox';
import { PollOutbox } from './poll-outbox';
import { Uploader, type UploadResult } from './uploader';
import { CircleRooms, RoomNotKnownYetError } from './circle-rooms';
import { GovernanceReads } from './governance-reads';
import { GovernanceInbound } from './inbound';

export interface SyncServiceOptions {
  db: Db;
  governance: GovernanceStore;
  matrix: MatrixConnectionService;
  clock: Clock;
  log: Logger;
  translate: Translate;
  /** Waits, cancellably. Tests inject a faster one. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Pause before uploading after a local change, so a burst of changes goes in one event. */
  debounceMs?: number;
  /** Largest event content (tests use small events to exercise many round trips). */
  maxEventBytes?: number;
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

export class SyncService {
  readonly outbox: Outbox;
  readonly polls: PollOutbox;
  readonly rooms: CircleRooms;
  readonly inbound: GovernanceInbound;
  private readonly reads: GovernanceReads;
  private readonly listeners = new Set<(view: SyncStatusView) => void>();
  private state: SyncStatusView['state'] = 'signed-out';
  private progress: SyncStatusView['progress'] = null;
  private problem: SyncStatusView['problem'] = null;
  private retryAt: number | null = null;
  private lastUploadDoneAt: number | null = null;
  private running: Promise<UploadResult> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly abort = new AbortController();
  private readonly unsubscribe: (() => void)[] = [];

  constructor(private readonly options: SyncServiceOptions) {
    const { db, governance, matrix, log, translate } = options;
    this.reads = new GovernanceReads(db);
    this.outbox = new Outbox(db);
    this.polls = new PollOutbox(db, this.reads, translate, log);
    this.rooms = new CircleRooms(db, matrix, this.reads, log);
    this.inbound = new GovernanceInbound({
      db,
      store: governance,
      rooms: this.rooms,
      reads: this.reads,
      connection: matrix,
      log,
      now: () => options.clock.now(),
      onQuarantine: () => this.emit(),
    });
    governance.onLocalOperation = (op) => {
      this.outbox.enqueue(op);
      this.polls.enqueueFor(op);
    };
    this.unsubscribe.push(matrix.addConsumer(this.inbound));
    this.unsubscribe.push(matrix.addConsumer({ onSync: () => this.afterServerRead() }));
    this.unsubscribe.push(matrix.onStatusChange((status) => this.onConnection(status)));
    this.onConnection(matrix.status());
  }

  view(): SyncStatusView {
    const matrixStatus = this.options.matrix.status();
    const lastRead = matrixStatus.status === 'online' ? matrixStatus.lastSyncAt : null;
    const pending = this.outbox.pendingCount() + this.polls.pendingCount();
    const lastSyncedAt = pending === 0 && this.lastUploadDoneAt !== null ? Math.max(this.lastUploadDoneAt, lastRead ?? 0) : this.lastUploadDoneAt;
    return {
      state: this.state,
      pending,
      progress: this.progress,
      lastSyncedAt,
      problem: this.problem,
      retryAt: this.retryAt,
      quarantined: (this.options.db.prepare('SELECT count(*) AS n FROM sync_quarantine').get() as { n: number }).n,
    };
  }

  /** The name of the circle a Matrix room carries, for chat. */
  circleNameOfRoom(roomId: string): string | null {
    const circle = this.rooms.circleOf(roomId);
    return circle ? (this.reads.circle(circle)?.name ?? null) : null;
  }

  onChange(listener: (view: SyncStatusView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  quarantined(limit = 100): QuarantinedItem[] {
    const rows = this.options.db
      .prepare('SELECT id, event_id, op_index, room_id, sender, event_type, reason, excerpt, received_at FROM sync_quarantine ORDER BY id DESC LIMIT ?')
      .all(limit) as { id: number; event_id: string; op_index: number; room_id: string; sender: string; event_type: string; reason: string; excerpt: string; received_at: number }[];
    return rows.map((r) => ({
      id: r.id,
      eventId: r.event_id,
      opIndex: r.op_index,
      roomId: r.room_id,
      sender: r.sender,
      eventType: r.event_type,
      reason: r.reason,
      excerpt: r.excerpt,
      receivedAt: r.received_at,
    }));
  }

  /** Local changes were made: upload them soon. */
  changed(): void {
    this.emit();
    this.schedule(this.options.debounceMs ?? 250);
  }

  /** "Sync now": upload everything, then read the server once. */
  async syncNow(): Promise<SyncStatusView> {
    if (this.options.matrix.session()) {
      // Sync now also ends a pause the user chose with "work offline".
      if (this.isPaused()) this.options.matrix.connect();
      await this.upload();
      try {
        await this.options.matrix.syncNow();
      } catch (error) {
        this.options.log.info('sync now could not read the server', { reason: (error as Error).message });
      }
    }
    return this.view();
  }

  /** Runs the uploader until the outbox is empty (or it cannot go on), once at a time. */
  upload(): Promise<UploadResult> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.runUploads().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  close(): void {
    this.abort.abort();
    if (this.timer) clearTimeout(this.timer);
    for (const stop of this.unsubscribe) stop();
  }

  private async runUploads(): Promise<UploadResult> {
    let result: UploadResult;
    do {
      this.again = false;
      result = await this.uploadOnce();
    } while (this.again && result.kind === 'done' && !this.abort.signal.aborted);
    return result;
  }

  private async uploadOnce(): Promise<UploadResult> {
    const { matrix, log } = this.options;
    const self = matrix.session()?.userId;
    if (!self) return { kind: 'stopped', code: 'signed_out', reason: 'not signed in' };
    const connection = matrix.status();
    if (connection.status === 'offline' && connection.reason === 'paused') {
      // The member chose to work offline: nothing leaves this device until they reconnect.
      this.problem = { code: 'paused', detail: connection.reason };
      this.retryAt = null;
      this.setState('offline');
      return { kind: 'offline', retryInMs: 0, reason: 'paused' };
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.retryAt = null;
    this.setState('uploading');
    const uploader = new Uploader({
      outbox: this.outbox,
      connection: matrix,
      roomFor: (circle) => this.rooms.roomFor(circle),
      afterBatch: async (batch, roomId) => {
        const added = new Set(batch.ops.filter((op) => op.type === 'circle.member.set').map((op) => String(op.payload.member)));
        if (added.size > 0 || batch.ops.some((op) => op.type === 'circle.member.remove')) await this.rooms.reconcileMembers(batch.circle, added);
        await this.polls.flush(batch.circle, roomId, matrix, self);
      },
      sleep: (ms, signal) => (this.options.sleep ?? defaultSleep)(ms, signal ?? this.abort.signal),
      onProgress: (progress) => {
        this.progress = progress.total > 0 ? progress : null;
        this.emit();
      },
      onTooLarge: (ids) => log.warn('operations too large for any Matrix event stay local', { count: ids.length }),
      ...(this.options.maxEventBytes ? { maxEventBytes: this.options.maxEventBytes } : {}),
      log,
    });
    let result: UploadResult;
    try {
      result = await uploader.run(this.abort.signal);
      if (result.kind === 'done') await this.flushPolls(self);
    } catch (error) {
      result =
        error instanceof RoomNotKnownYetError
          ? { kind: 'offline', retryInMs: 5_000, reason: error.message }
          : { kind: 'stopped', code: 'internal', reason: (error as Error).message };
    }
    this.progress = null;
    switch (result.kind) {
      case 'done':
        this.lastUploadDoneAt = this.options.clock.now();
        this.problem = null;
        this.setState('idle');
        break;
      case 'offline':
        this.problem = { code: 'offline', detail: result.reason };
        this.retryAt = this.options.clock.now() + result.retryInMs;
        this.setState('offline');
        this.schedule(result.retryInMs);
        break;
      case 'stopped':
        this.problem = { code: result.code, detail: result.reason };
        this.setState(result.code === 'signed_out' ? 'signed-out' : 'error');
        break;
      case 'aborted':
        break;
    }
    return result;
  }

  /** Poll events whose start became known through sync (responses to others' polls) go out too. */
  private async flushPolls(self: string): Promise<void> {
    const circles = this.options.db.prepare('SELECT DISTINCT circle FROM sync_poll_outbox').all() as { circle: string }[];
    for (const { circle } of circles) {
      const roomId = this.rooms.roomOf(circle);
      if (roomId) await this.polls.flush(circle, roomId, this.options.matrix, self);
    }
  }

  private afterServerRead(): void {
    // New polls or rooms may unblock queued poll events; a completed read also updates "last synced".
    if (this.polls.pendingCount() > 0 || this.outbox.pendingCount() > 0) this.schedule(0);
    else this.emit();
  }

  private onConnection(status: ConnectionStatus): void {
    if (status.status === 'signed-out') {
      this.problem = null;
      this.setState('signed-out');
    } else if (status.status === 'online') {
      if (this.state === 'signed-out' || this.state === 'offline') this.setState('idle');
      this.schedule(0);
    } else if (status.status === 'offline' && this.state !== 'uploading') {
      // Paused by the member is not the server being unreachable: say which.
      this.problem = { code: status.reason === 'paused' ? 'paused' : 'offline', detail: status.reason };
      this.setState('offline');
    }
  }

  private isPaused(): boolean {
    const status = this.options.matrix.status();
    return status.status === 'offline' && status.reason === 'paused';
  }

  private schedule(ms: number): void {
    if (this.abort.signal.aborted || !this.options.matrix.session() || this.isPaused()) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.upload();
    }, ms);
    this.timer.unref?.();
  }

  private setState(state: SyncStatusView['state']): void {
    this.state = state;
    this.emit();
  }

  private emit(): void {
    const view = this.view();
    for (const listener of this.listeners) listener(view);
  }
}
