// Governance sync through the coop's Matrix homeserver. Composes the outbox and uploader
// (local operations up, in order, exactly once), the inbound consumer (operations and polls
// down, validated, authorised, quarantined when not), circle rooms, and the status the UI
// shows everywhere: pending count, progress, last synced time, problems in words, what the
// server refused, and when sending resumes while a rate limit is waited out.
//
// One upload run sends, in this order: the joins of circle rooms we were invited to, each
// circle's operations (creating its room first if needed) in as few events as fit, then the
// invitations and power levels membership changes call for, then what mirrors votes for
// Element users: one results message listing the votes decided before their poll went out,
// then poll starts, then answers and ends (poll-publication-policy.ts). The operations are
// what other members need, and under Synapse's default limits (a burst of 10 events, then
// one every 5 s) they go in the first seconds. Every request goes through one RateLimitGate.
import type { Db } from '../store/database';
import type { Logger } from '../log';
import type { Clock } from '../clock';
import type { GovernanceStore } from '../store/governance-store';
import type { MatrixConnectionService } from '../matrix/matrix-connection-service';
import type { ConnectionStatus } from '../matrix/matrix-connection';
import type { Translate } from '../i18n/translator';
import type { NotAcceptedChange, QuarantineDropped, QuarantinedItem, RoomNotice, SyncClockView, SyncRefusal, SyncStatusView, WithdrawnItem } from '../../../shared/contract/sync';
import { PlenaryError } from '../../../shared/errors';
import { MatrixHttpError, MatrixNetworkError } from '../matrix/matrix-connection';
import type { SkippedSyncItem } from '../matrix/sync-loop';
import { Outbox } from './outbox';
import { PollOutbox } from './poll-outbox';
import { ResultsOutbox } from './results-outbox';
import { VoteNotices } from './vote-notices';
import { defaultVoteReminderHours } from '../../../shared/governance/vote-reminders';
import { PendingJoins } from './pending-joins';
import { GovernanceQueries } from '../governance/governance-queries';
import { Uploader, type UploadResult } from './uploader';
import { CircleRooms } from './circle-rooms';
import { GovernanceReads } from './governance-reads';
import { GovernanceInbound, type LogAnswer } from './inbound';
import { Refusals, type RefusalRow } from './refusals';
import { RateLimitGate, SyncClosedError, type SyncConnection } from './rate-limit-gate';
import { classifyFailure } from './retry-policy';
import { refusalDismissable } from './refusal-policy';
import { syncStateOf, type SyncPhase } from './sync-state';
import { RoomDeclarations } from './room-declarations';
import { WithdrawnOps } from './withdrawn-ops';
import { Proposals } from './proposals';
import { HistoryAuthority } from './history-authority';
import { ClockSkew } from './clock-skew';
import { mayRedactOthers, RoomPower } from './room-power';
import type { SyncResponse } from '../matrix/matrix-connection';
import { plaintextBudget } from '../crypto/room-encryption';
import { opsEventType } from './ops-event';

/** A room id as long as servers make them, for a circle whose room does not exist yet. */
const longestRoomId = `!${'x'.repeat(60)}:${'x'.repeat(60)}`;

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
  /** Hours before a vote's close that its room notice goes out (the voteReminderHours setting; 24 by default). */
  voteReminderHours?: () => number;
  /** The locale for dates and times in room notices. */
  formatLocale?: () => string;
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
  readonly results: ResultsOutbox;
  /** The circle room's one "closing soon" notice per vote (vote-notices.ts). */
  readonly notices: VoteNotices;
  readonly joins: PendingJoins;
  readonly rooms: CircleRooms;
  readonly inbound: GovernanceInbound;
  readonly refusals: Refusals;
  /** Rooms claiming circles that were not joined, and why. */
  readonly declarations: RoomDeclarations;
  /** This device's changes the other members' apps refuse. */
  readonly withdrawn: WithdrawnOps;
  /** Polls members without the right to create votes started in Element. */
  readonly proposals: Proposals;
  private readonly history: HistoryAuthority;
  private readonly reads: GovernanceReads;
  /** Told when a circle's member proposals change (the composition turns it into governance.changed). */
  onProposals: (circle: string) => void = () => {};
  /** Answers a !log message this replica answers (set by the core: chat sends it). */
  onLogAnswer: (answer: LogAnswer) => void = () => {};
  private readonly gate: RateLimitGate;
  /** The Matrix connection as sync uses it: every request through the gate. */
  private readonly connection: SyncConnection;
  private readonly listeners = new Set<(view: SyncStatusView) => void>();
  private phase: SyncPhase = 'signed-out';
  private waitingUntil: number | null = null;
  private progress: SyncStatusView['progress'] = null;
  private problem: SyncStatusView['problem'] = null;
  private retryAt: number | null = null;
  private lastUploadDoneAt: number | null = null;
  private running: Promise<UploadResult> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private timerAt = 0;
  private readonly abort = new AbortController();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly skew = new ClockSkew();
  private heldTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: SyncServiceOptions) {
    const { db, governance, matrix, log, translate } = options;
    this.reads = new GovernanceReads(db);
    this.outbox = new Outbox(db);
    this.refusals = new Refusals(db, () => options.clock.now());
    this.refusals.onChange = () => this.emit();
    this.gate = new RateLimitGate({
      now: () => options.clock.now(),
      sleep: (ms, signal) => this.sleep(ms, signal),
      signal: this.abort.signal,
      log,
      onWaiting: (until) => {
        this.waitingUntil = until;
        this.emit();
      },
    });
    this.connection = this.gate.connection(matrix);
    this.polls = new PollOutbox(db, this.reads, translate, this.refusals, log);
    this.results = new ResultsOutbox(db, new GovernanceQueries(db, () => governance.actor, () => options.clock.now()), translate, this.refusals, log);
    this.notices = new VoteNotices(db, new GovernanceQueries(db, () => governance.actor, () => options.clock.now()), translate, options.formatLocale ?? (() => 'en'), log);
    this.joins = new PendingJoins(db, log, () => options.clock.now());
    this.rooms = new CircleRooms(db, this.connection, this.reads, this.refusals, log, () => matrix.encryptsNewRooms(), (roomId, member) => matrix.shareRoomHistory(roomId, member));
    this.declarations = new RoomDeclarations(db, matrix, this.rooms, this.reads, log, () => options.clock.now());
    this.declarations.onChange = () => this.emit();
    this.withdrawn = new WithdrawnOps(db, governance, this.reads, () => options.clock.now());
    this.withdrawn.onChange = () => this.emit();
    this.proposals = new Proposals(db, this.reads);
    this.history = new HistoryAuthority(db, new RoomPower(db));
    this.inbound = new GovernanceInbound({
      db,
      store: governance,
      rooms: this.rooms,
      reads: this.reads,
      connection: matrix,
      declarations: this.declarations,
      withdrawn: this.withdrawn,
      proposals: this.proposals,
      log,
      now: () => options.clock.now(),
      requestJoin: (roomId) => {
        if (this.joins.queue(roomId)) this.schedule(0, { keepSooner: true });
      },
      onQuarantine: () => this.emit(),
      onProposals: (circle) => this.onProposals(circle),
      onLogAnswer: (answer) => this.onLogAnswer(answer),
      onOwnAhead: (count, until) => this.noteOwnAhead(count, until),
    });
    governance.onLocalOperation = (op) => {
      this.outbox.enqueue(op);
      this.polls.enqueueFor(op);
    };
    this.unsubscribe.push(matrix.addConsumer(this.inbound));
    this.unsubscribe.push(matrix.addConsumer({ name: 'sync status', onSync: (response) => this.afterServerRead(response) }));
    this.unsubscribe.push(matrix.onSkipped((item) => this.recordSkipped(item)));
    this.releaseHeld();
    this.unsubscribe.push(matrix.onStatusChange((status) => this.onConnection(status)));
    this.onConnection(matrix.status());
  }

  view(): SyncStatusView {
    const matrixStatus = this.options.matrix.status();
    const lastRead = matrixStatus.status === 'online' ? matrixStatus.lastSyncAt : null;
    const pending = this.outbox.pendingCount() + this.polls.pendingCount() + this.results.pendingCount() + this.notices.pendingCount();
    const lastSyncedAt = pending === 0 && this.lastUploadDoneAt !== null ? Math.max(this.lastUploadDoneAt, lastRead ?? 0) : this.lastUploadDoneAt;
    const refused = this.refusals.count();
    const state = syncStateOf({ phase: this.phase, waitingUntil: this.waitingUntil, refused });
    return {
      state,
      pending,
      progress: this.progress,
      lastSyncedAt,
      problem: this.problem,
      retryAt: state === 'waiting' ? this.waitingUntil : this.retryAt,
      quarantined: this.inbound.quarantineList.count(),
      refused,
      notAccepted: this.withdrawn.count(),
      roomNotices: this.declarations.count(),
      withdrawn: this.options.db.prepare('SELECT count(*) FROM withdrawn_events').pluck().get() as number,
      clock: this.clockView(),
    };
  }

  /** Whether the circle's room (as sync last saw it) gives the member facilitator rights; null when no room is known. */
  roomGrantsFacilitator(circle: string, member: string): boolean | null {
    return this.history.grantsFacilitator(this.rooms.roomOf(circle), member);
  }

  notAcceptedList(): NotAcceptedChange[] {
    return this.withdrawn.list();
  }

  acknowledgeNotAccepted(opId: string): NotAcceptedChange[] {
    if (!this.withdrawn.list().some((c) => c.opId === opId)) {
      throw new PlenaryError('not_found', `No withdrawn change has id ${opId}`, { field: 'opId' });
    }
    this.withdrawn.acknowledge(opId);
    return this.withdrawn.list();
  }

  roomNoticeList(): RoomNotice[] {
    return this.declarations.list();
  }

  dismissRoomNotice(roomId: string): RoomNotice[] {
    if (!this.declarations.dismiss(roomId)) throw new PlenaryError('not_found', `No notice about room ${roomId}: it may have been dismissed already`, { field: 'roomId' });
    return this.declarations.list();
  }

  /** What is held because of clocks ahead, and how far this computer's clock is off. */
  private clockView(): SyncClockView {
    const now = this.options.clock.now();
    const sent = this.ownAhead();
    return {
      skewMs: this.skew.notable(),
      heldHere: this.options.governance.heldSummary(),
      heldByOthers: sent && sent.until > this.skew.serverNow(now) ? sent : null,
    };
  }

  /** This member's changes the server received stamped ahead of its clock (others hold them until `until`). */
  private ownAhead(): { count: number; until: number } | null {
    const value = this.options.db.prepare("SELECT value FROM meta WHERE key = 'sync_own_ahead'").pluck().get() as string | undefined;
    return value ? (JSON.parse(value) as { count: number; until: number }) : null;
  }

  private noteOwnAhead(count: number, until: number): void {
    const known = this.ownAhead();
    const serverNow = this.skew.serverNow(this.options.clock.now());
    // Earlier ones whose time has come are held nowhere any more.
    const next = known && known.until > serverNow ? { count: known.count + count, until: Math.max(known.until, until) } : { count, until };
    this.options.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('sync_own_ahead', ?)").run(JSON.stringify(next));
    this.options.log.warn('this device sent changes stamped ahead of the coop server; other members hold them until then', next);
  }

  /** Events withdrawn on the coop server, newest first. */
  withdrawals(limit = 100): WithdrawnItem[] {
    const rows = this.options.db
      .prepare(
        `SELECT w.event_id, w.room_id, w.circle, w.sender, w.event_type, w.redacted_by, w.redacted_at, w.reason, w.operations, w.refers_to, c.name AS circle_name
         FROM withdrawn_events w LEFT JOIN gov_circles c ON c.circle = w.circle AND c.created_v IS NOT NULL ORDER BY w.redacted_at DESC, w.event_id LIMIT ?`,
      )
      .all(limit) as {
      event_id: string;
      room_id: string;
      circle: string | null;
      sender: string;
      event_type: string;
      redacted_by: string;
      redacted_at: number;
      reason: string;
      operations: number;
      refers_to: string | null;
      circle_name: string | null;
    }[];
    return rows.map((r) => ({
      eventId: r.event_id,
      roomId: r.room_id,
      circleId: r.circle,
      circleName: r.circle_name,
      sender: r.sender,
      eventType: r.event_type,
      redactedBy: r.redacted_by,
      redactedAt: r.redacted_at,
      reason: r.reason,
      operations: r.operations,
      withPoll: r.refers_to !== null,
    }));
  }

  /**
   * Folds in held operations whose time has come, and plans the next release. Runs after
   * every read of the server and on a timer, signed in or not (an import can hold some too).
   */
  private releaseHeld(): void {
    if (this.abort.signal.aborted) return;
    const { governance, clock } = this.options;
    if (governance.releaseDue() > 0) this.emit();
    if (this.heldTimer) clearTimeout(this.heldTimer);
    this.heldTimer = null;
    const next = governance.nextHeldAt();
    if (next === null) return;
    // Timers cap at about 24.8 days; a later release is simply planned again then.
    this.heldTimer = setTimeout(() => this.releaseHeld(), Math.min(Math.max(0, next - clock.now()), 2 ** 31 - 1));
    this.heldTimer.unref?.();
  }

  /** The refusals that stand, newest first, with what they concern in the member's terms. */
  refusalList(): SyncRefusal[] {
    return this.refusals.list().map((row) => this.describeRefusal(row));
  }

  /** The member asks to try a refusal again: now, in the background; the status follows. */
  retryRefusal(id: number): SyncRefusal[] {
    this.requireRefusal(id);
    this.refusals.retry(id);
    void this.upload();
    return this.refusalList();
  }

  /** The member lets a refusal go (only what no one else needs: see refusalDismissable). */
  dismissRefusal(id: number): SyncRefusal[] {
    const row = this.requireRefusal(id);
    if (!refusalDismissable(row.kind)) {
      throw new PlenaryError('not_supported', `A refused ${row.kind} holds back changes other members need; it can be retried, not dismissed`, { field: 'id' });
    }
    if (row.kind === 'poll' && !this.results.drop(row.subject)) this.polls.drop(row.subject);
    this.refusals.remove(id);
    this.options.log.info('a refusal was dismissed', { kind: row.kind, circle: row.circle });
    return this.refusalList();
  }

  private requireRefusal(id: number): RefusalRow {
    const row = this.refusals.get(id);
    if (!row) throw new PlenaryError('not_found', `No refusal with id ${id}: it may have gone through or been dismissed since`, { field: 'id' });
    return row;
  }

  private describeRefusal(row: RefusalRow): SyncRefusal {
    const results = row.kind === 'poll' ? this.results.describe(row.subject) : null;
    const poll = row.kind === 'poll' && !results ? this.polls.describe(row.subject) : null;
    return {
      id: row.id,
      kind: row.kind,
      reason: row.reason,
      circleId: row.circle,
      circleName: this.reads.circle(row.circle)?.name ?? null,
      member: row.kind === 'invite' ? { id: row.subject, name: this.reads.memberName(row.circle, row.subject) } : null,
      poll: results
        ? { event: 'results', question: this.reads.vote(results.voteIds[0] ?? '')?.question ?? null }
        : poll
          ? { event: poll.event, question: this.reads.vote(poll.voteId)?.question ?? null }
          : null,
      operations: row.kind === 'upload' || row.kind === 'room' ? this.outbox.pendingCountOf(row.circle) : null,
      serverMessage: `${row.errcode}: ${row.message}`,
      firstAt: row.first_at,
      lastAt: row.last_at,
      attempts: row.attempts,
      retryAt: row.retry_at,
      canDismiss: refusalDismissable(row.kind),
    };
  }

  /** The name of the circle a Matrix room carries, for chat. */
  /**
   * A circle room's earlier room keys arrived after its history was read (a late room-key
   * bundle): its history is read again, between /sync rounds, and what was unreadable folds now.
   */
  rereadRoom(roomId: string): Promise<number> {
    if (!this.rooms.circleOf(roomId)) return Promise.resolve(0);
    return this.options.matrix.exclusive(() => this.inbound.rereadRoom(roomId)).catch((error: unknown) => {
      this.options.log.warn('a circle room could not be read again after its keys arrived', { roomId, reason: error instanceof Error ? error.message : String(error) });
      return 0;
    });
  }

  circleNameOfRoom(roomId: string): string | null {
    const circle = this.rooms.circleOf(roomId);
    return circle ? (this.reads.circle(circle)?.name ?? null) : null;
  }

  onChange(listener: (view: SyncStatusView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Received events kept aside, newest first: one record per event (quarantine.ts). */
  quarantined(limit = 100): QuarantinedItem[] {
    return this.inbound.quarantineList.list(limit);
  }

  /** Per sender, the older records deleted to keep the quarantine within its size limit. */
  quarantineDropped(): QuarantineDropped[] {
    return this.inbound.quarantineList.dropped();
  }

  /**
   * Lists what a consumer (chat, governance sync) kept failing on and the sync loop went on
   * without, with what is kept aside: the member sees it in Settings › Sync.
   */
  private recordSkipped(item: SkippedSyncItem): void {
    const event = item.event ?? { event_id: `skipped:${item.roomId ?? 'account'}:${this.options.clock.now()}`, type: 'm.room', sender: '', content: {} };
    const what = item.event ? 'this event' : 'this room’s update';
    this.inbound.quarantineList.note(item.roomId ?? '', event, -1, `${item.consumer} could not process ${what} in ${item.attempts + 1} attempts (${item.reason}); sync went on without it`);
    this.inbound.quarantineList.commit();
    this.emit();
  }

  /** Local changes were made: upload them soon. */
  changed(): void {
    this.emit();
    this.schedule(this.options.debounceMs ?? 250);
  }

  /** "Sync now": upload everything, what the server refused before included, then read the server once. */
  async syncNow(): Promise<SyncStatusView> {
    if (this.options.matrix.session()) {
      // Sync now also ends a pause the user chose with "work offline".
      if (this.isPaused()) this.options.matrix.connect();
      // The member asked: what was refused is tried once more (never automatically, see Refusals).
      this.refusals.retry();
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
    if (this.heldTimer) clearTimeout(this.heldTimer);
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
      this.setPhase('offline');
      return { kind: 'offline', retryInMs: 0, reason: 'paused' };
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.retryAt = null;
    // What kept sync from running (offline, paused, a stop) is over now that it runs.
    this.problem = null;
    this.setPhase('uploading');
    const uploader = new Uploader({
      outbox: this.outbox,
      connection: this.connection,
      refusals: this.refusals,
      roomFor: (circle) => this.rooms.roomFor(circle),
      afterBatch: (batch) => {
        const added = batch.ops.filter((op) => op.type === 'circle.member.set').map((op) => String(op.payload.member));
        if (added.length > 0 || batch.ops.some((op) => op.type === 'circle.member.remove')) this.rooms.oweInvites(batch.circle, added);
      },
      sleep: (ms, signal) => this.sleep(ms, signal),
      onProgress: (progress) => {
        this.progress = progress.total > 0 ? progress : null;
        this.emit();
      },
      onTooLarge: (ids) => log.warn('operations too large for any Matrix event stay local', { count: ids.length }),
      ...(this.options.maxEventBytes ? { maxEventBytes: this.options.maxEventBytes } : {}),
      // In an encrypted circle room the limit is on the ciphertext: pack the operations smaller.
      budget: async (circle, limit) => {
        const roomId = this.rooms.roomOf(circle);
        const encrypted = roomId ? await this.options.matrix.isRoomEncrypted(roomId) : this.options.matrix.encryptsNewRooms();
        return encrypted ? plaintextBudget(limit, opsEventType, roomId ?? longestRoomId) : limit;
      },
      log,
    });
    let result: UploadResult;
    try {
      // Rooms we were invited to first: reading them is what lets queued work go (polls of others' votes).
      await this.joins.flush(this.connection);
      result = await uploader.run(this.abort.signal);
      if (result.kind === 'done') {
        // Operations first; then what they imply for the rooms; then the polls that mirror them.
        for (const circle of this.rooms.circlesToSettle()) await this.rooms.settleMembers(circle);
        this.queueDeadlineEnds(self);
        await this.flushPolls(self);
        await this.flushNotices(self);
      }
    } catch (error) {
      result = this.failed(error);
    }
    this.progress = null;
    this.gate.clear();
    switch (result.kind) {
      case 'done': {
        this.lastUploadDoneAt = this.options.clock.now();
        this.problem = null;
        this.setPhase('idle');
        // A passing refusal (a member's server that could not be reached) is tried again by itself.
        const next = this.refusals.nextRetryAt();
        if (next !== null) this.schedule(next - this.options.clock.now(), { keepSooner: true });
        // So is the end of a published vote whose deadline comes while this app runs.
        const deadline = this.polls.nextDeadline(this.options.clock.now());
        if (deadline !== null) this.schedule(deadline - this.options.clock.now(), { keepSooner: true });
        // And the closing-soon notice of a vote of this member's, when its reminder time comes.
        const notice = this.notices.nextDue(this.options.clock.now(), self, this.voteNoticeLeadMs());
        if (notice !== null) this.schedule(notice - this.options.clock.now(), { keepSooner: true });
        break;
      }
      case 'offline':
        this.problem = { code: 'offline', detail: result.reason };
        this.retryAt = this.options.clock.now() + result.retryInMs;
        this.setPhase('offline');
        this.schedule(result.retryInMs);
        break;
      case 'stopped':
        this.problem = { code: result.code, detail: result.reason };
        this.setPhase(result.code === 'signed_out' ? 'signed-out' : 'error');
        break;
      case 'aborted':
        break;
    }
    return result;
  }

  /** A failure that left the run (not a refusal: those are recorded where they happen). */
  private failed(error: unknown): UploadResult {
    if (error instanceof SyncClosedError || this.abort.signal.aborted) return { kind: 'aborted', sent: 0 };
    if (!(error instanceof MatrixHttpError || error instanceof MatrixNetworkError)) {
      this.options.log.error('sync upload failed', { reason: (error as Error).message });
      return { kind: 'stopped', code: 'internal', reason: (error as Error).message };
    }
    const action = classifyFailure(error, 0);
    switch (action.kind) {
      case 'stop':
        return { kind: 'stopped', code: action.code, reason: action.reason };
      case 'offline':
      case 'backoff':
        return { kind: 'offline', retryInMs: action.ms, reason: action.reason };
      default:
        // Refusals and repacking are handled where the request was made; reaching here is a bug.
        return { kind: 'stopped', code: 'internal', reason: error.message };
    }
  }

  /**
   * What mirrors votes for Element users goes out after every circle's operations: first,
   * for every circle, one results message listing the votes that were decided before their
   * poll went out (instead of polls born closed); then the poll starts; then answers (to
   * others' polls once their start is known) and ends.
   */
  private async flushPolls(self: string): Promise<void> {
    for (const circle of this.polls.pendingCircles()) if (this.rooms.roomOf(circle)) this.results.prepare(circle, this.polls);
    for (const circle of new Set(this.results.sendable().map((r) => r.circle))) {
      const roomId = this.rooms.roomOf(circle);
      if (roomId) await this.results.flush(circle, roomId, this.connection);
    }
    for (const circle of this.polls.pendingCircles()) {
      const roomId = this.rooms.roomOf(circle);
      if (roomId) await this.polls.flush(circle, roomId, this.connection, self);
    }
  }

  private voteNoticeLeadMs(): number {
    return (this.options.voteReminderHours?.() ?? defaultVoteReminderHours) * 3_600_000;
  }

  /** Queues and sends the closing-soon notices this member's Plenary owes (vote-notices.ts). */
  private async flushNotices(self: string): Promise<void> {
    this.notices.queueDue(this.options.clock.now(), self, this.voteNoticeLeadMs(), (circle) => this.rooms.roomOf(circle));
    for (const circle of this.notices.pendingCircles()) {
      const roomId = this.rooms.roomOf(circle);
      if (roomId) await this.notices.flush(circle, roomId, this.connection);
    }
  }

  /**
   * Queues the Element end of published votes past their deadline that this member may end:
   * as Element sees it (the poll's sender, or power to redact others' events) and as every
   * Plenary sees it (the vote's creator, who alone binds its poll, or a facilitator: the
   * authorisation rule for vote.close), so no app sends an end the other side would refuse.
   */
  private queueDeadlineEnds(self: string): void {
    const power = new RoomPower(this.options.db);
    this.polls.queueDeadlineEnds(
      this.options.clock.now(),
      (roomId, creator) => creator === self || (mayRedactOthers(power.state(roomId), self) && this.history.grantsFacilitator(roomId, self) === true),
    );
  }

  private afterServerRead(response: SyncResponse): void {
    this.skew.observe(response, this.options.clock.now());
    this.releaseHeld();
    const self = this.options.matrix.session()?.userId;
    if (self) this.queueDeadlineEnds(self);
    // A vote of this member's made on another device may owe its notice now.
    if (self) this.notices.queueDue(this.options.clock.now(), self, this.voteNoticeLeadMs(), (circle) => this.rooms.roomOf(circle));
    // New polls or rooms may unblock queued poll events; a completed read also updates "last synced".
    if (this.hasSendableWork()) this.schedule(0);
    else this.emit();
  }

  /**
   * Whether an upload run would have anything to send. What a refusal holds back is not
   * (a run for it alone would only flip the status to uploading and back on every read).
   */
  private hasSendableWork(): boolean {
    const heldCircle = (circle: string) => this.refusals.holds({ kind: 'room', circle }) || this.refusals.holds({ kind: 'upload', circle });
    return (
      this.outbox.pendingCircles().some((circle) => !heldCircle(circle)) ||
      this.polls.sendable().some(({ txnId, circle }) => !this.refusals.holds({ kind: 'poll', circle, subject: txnId })) ||
      this.results.sendable().some(({ txnId, circle }) => !this.refusals.holds({ kind: 'poll', circle, subject: txnId })) ||
      this.joins.pendingCount() > 0 ||
      this.notices.pendingCount() > 0 ||
      this.rooms.circlesToSettle().length > 0
    );
  }

  private onConnection(status: ConnectionStatus): void {
    if (status.status === 'signed-out') {
      this.problem = null;
      this.setPhase('signed-out');
    } else if (status.status === 'online') {
      if (this.phase === 'signed-out' || this.phase === 'offline') this.setPhase('idle');
      this.schedule(0);
    } else if (status.status === 'offline' && this.phase !== 'uploading') {
      // Paused by the member is not the server being unreachable: say which.
      this.problem = { code: status.reason === 'paused' ? 'paused' : 'offline', detail: status.reason };
      this.setPhase('offline');
    }
  }

  private isPaused(): boolean {
    const status = this.options.matrix.status();
    return status.status === 'offline' && status.reason === 'paused';
  }

  /**
   * Uploads after `ms`, replacing the planned upload (local changes debounce this way), or
   * with `keepSooner`, only if nothing is planned sooner.
   */
  private schedule(ms: number, { keepSooner = false } = {}): void {
    if (this.abort.signal.aborted || !this.options.matrix.session() || this.isPaused()) return;
    const at = this.options.clock.now() + ms;
    if (this.timer && keepSooner && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.upload();
    }, ms);
    this.timer.unref?.();
  }

  private setPhase(phase: SyncPhase): void {
    this.phase = phase;
    this.emit();
  }

  private sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return (this.options.sleep ?? defaultSleep)(ms, signal ?? this.abort.signal);
  }

  private emit(): void {
    // A run still unwinding after close() must not read the closed store.
    if (this.abort.signal.aborted) return;
    const view = this.view();
    for (const listener of this.listeners) listener(view);
  }
}
