// The inbound side of governance sync: a SyncConsumer on the core's Matrix connection.
// For every circle room it reads, in timeline order (after back-filling any gap):
// - state it needs (power levels, the circle marker);
// - operation events: decoded, validated, authorised and applied; anything invalid or
//   unauthorised is quarantined (kept and counted, never applied, never a crash);
// - MSC3381 poll events sent by Element: turned into votes (or member proposals), ballots
//   and closes; poll events Plenary published for its own operations are linked to them
//   (Element counts by those);
// - redactions: the redacted event is withdrawn with its operations, whether this replica
//   read it before (the m.room.redaction event) or only sees its shell now, so replicas that
//   synced before and after a redaction end equal (README, "How sync works").
// Every operation, received or synthesised from a poll event, is authorised by the one rule
// local operations follow, with the facts of the room's history at the event's place
// (history-authority.ts); this replica's own operations that the rule refuses there are
// withdrawn here too (withdrawn-ops.ts). Operations held because their clock is ahead are
// judged here, when their event is read, not when they are released. Rooms are bound to
// circles only by an authorised declaration (room-declarations.ts).
// Processing is idempotent: events already seen are skipped, operations deduplicate by id.
import type { Db } from '../store/database';
import type { Logger } from '../log';
import type { GovernanceStore } from '../store/governance-store';
import { MatrixHttpError, type MatrixConnection, type MatrixRawEvent, type SyncConsumer, type SyncResponse } from '../matrix/matrix-connection';
import { seg } from '../matrix/matrix-http';
import type { GovernanceOperation } from '../../../shared/governance/operation-types';
import type { Operation } from '../../../shared/governance/operation';
import { authorize, type Authorization } from '../../../shared/governance/authorization';
import { validateOperation } from '../../../shared/governance/validate-operation';
import { circleMarkerType, type CircleRooms } from './circle-rooms';
import type { GovernanceReads } from './governance-reads';
import { judgeReceived } from './inbound-authorization';
import { HistoryAuthority, type HistoryFacts } from './history-authority';
import { joinedRoomClaim, roomClaim, type RoomDeclarations } from './room-declarations';
import type { WithdrawnOps } from './withdrawn-ops';
import type { Proposals } from './proposals';
import { decodeOpsContent, opsEventType } from './ops-event';
import {
  parsePollResponseAnswers,
  parsePollStart,
  pollEndType,
  pollResponseType,
  pollStartType,
  referencedEvent,
} from './msc3381';
import { ballotKey, choiceForAnswers, closeKey, pollForVote, spoiledChoice, voteFromElementPoll, voteKey, type VoteShape } from './poll-mapping';
import { factsOf, redactedBecause, redactionTarget, redactionType, relatedEvent, replacedEvent, serverApplies, type RedactionFacts } from './redaction';
import type { OpEvent } from '../store/op-events';
import { hlcWall, maxClockDriftMs } from '../../../shared/governance/hlc';
import { mayRedactOthers, RoomPower } from './room-power';
import { syntheticHlc, syntheticOpId } from './synthetic-ops';
import { Quarantine } from './quarantine';
import { answerStepMs, answerWindowMs, isLogCommandEvent, LogCommands, type LogVerdict } from './log-command';

const governanceTypes = [opsEventType, pollStartType, pollResponseType, pollEndType];
const pollTypes = [pollStartType, pollResponseType, pollEndType];
const trackedStateTypes = ['m.room.power_levels', 'm.room.create', circleMarkerType];
/** Events fetched per /messages page while back-filling a gap. */
const backfillPage = 200;

export interface InboundDeps {
  db: Db;
  store: Pick<GovernanceStore, 'applyRemote' | 'recordEvent' | 'withdrawEvents' | 'events' | 'reusedIdConflict'>;
  rooms: CircleRooms;
  reads: GovernanceReads;
  connection: Pick<MatrixConnection, 'request' | 'session' | 'decryptEvents'>;
  /** Binds rooms to circles only when an authorised declaration backs them. */
  declarations: RoomDeclarations;
  /** This replica's own operations the room's history refuses. */
  withdrawn: WithdrawnOps;
  proposals: Proposals;
  log: Logger;
  now(): number;
  /** Queues joining a room we were invited to (sent by the upload run, through its rate-limit gate). */
  requestJoin(roomId: string): void;
  /** Called with the number of newly quarantined events. */
  onQuarantine?(count: number): void;
  /** Called when the server received operations of this member stamped ahead of its clock (others hold them until `until`). */
  onOwnAhead?(count: number, until: number): void;
  /** Called when a circle's member proposals change (no operation is applied for them). */
  onProposals?(circle: string): void;
  /** Called, after the read is stored, with each !log message this replica answers (log-command.ts). */
  onLogAnswer?(answer: LogAnswer): void;
}

/** A !log message this replica answers in its room. */
export interface LogAnswer {
  roomId: string;
  eventId: string;
  sender: string;
  /** The message's origin_server_ts. */
  ts: number;
  verdict: LogVerdict;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export class GovernanceInbound implements SyncConsumer {
  readonly name = 'governance sync';
  private readonly power: RoomPower;
  private readonly history: HistoryAuthority;
  /** What is kept aside: one record per refused event, capped per sender (quarantine.ts). */
  readonly quarantineList: Quarantine;
  private readonly logCommands: LogCommands;
  /** !log messages of the room being read that this replica may answer, each from when. */
  private answers: { answer: LogAnswer; dueAt: number }[] = [];
  /** Those of the whole read, answered (or kept for their turn) once it is stored. */
  private readonly pendingAnswers: { answer: LogAnswer; dueAt: number }[] = [];

  constructor(private readonly deps: InboundDeps) {
    this.power = new RoomPower(deps.db);
    this.history = new HistoryAuthority(deps.db, this.power);
    this.quarantineList = new Quarantine({ db: deps.db, log: deps.log, now: deps.now });
    this.logCommands = new LogCommands(deps.db);
  }

  async onSync(response: SyncResponse): Promise<void> {
    this.pendingAnswers.length = 0;
    await this.readSync(response);
    this.sendAnswers();
  }

  private async readSync(response: SyncResponse): Promise<void> {
    for (const [roomId, invite] of Object.entries(response.rooms?.invite ?? {})) await this.maybeJoin(roomId, invite);
    for (const [roomId, room] of Object.entries(response.rooms?.join ?? {})) {
      // The state block is the room's state at the start of this timeline, after any gap.
      // Events in the gap are judged by the state in force when they were sent: the state
      // kept from before the gap, moved forward by the state events found in the gap. Only
      // a room seen for the first time (nothing kept) starts from the state block.
      const stateBlock = room.state?.events ?? [];
      await this.bindJoinedRoom(roomId, [...stateBlock, ...(room.timeline?.events ?? [])]);
      const knewRoom = this.power.state(roomId).powerLevels !== null;
      if (!knewRoom) for (const event of stateBlock) this.recordState(roomId, event);
      // A limited timeline has a gap before it; circle rooms need every governance event.
      if (room.timeline?.limited && room.timeline.prev_batch && this.deps.rooms.circleOf(roomId)) {
        const gap = await this.backfillOrRecord(roomId, room.timeline.prev_batch);
        if (gap.length > 0) this.processRoom(roomId, gap);
      }
      if (knewRoom) for (const event of stateBlock) this.recordState(roomId, event);
      const events = room.timeline?.events ?? [];
      if (events.length > 0) this.processRoom(roomId, events);
    }
  }

  /**
   * Joins invitations to the coop space, and to circle rooms an authorised declaration backs
   * (room-declarations.ts); a look-alike is neither joined nor bound, and the member is told.
   * Other invitations are left to the member. Joins are sent by the upload run, through its
   * rate-limit gate (pending-joins.ts): waiting out a 429 here would hold up the /sync loop,
   * and chat with it. A declared room is bound once this member is in it: when sync next
   * shows it joined (bindJoinedRoom judges it again then, with what is known by then).
   */
  private async maybeJoin(roomId: string, invite: unknown): Promise<void> {
    const stripped = isRecord(invite) && isRecord(invite.invite_state) && Array.isArray(invite.invite_state.events) ? invite.invite_state.events : [];
    const create = stripped.find((e): e is { type: string; content: Record<string, unknown> } => isRecord(e) && e.type === 'm.room.create');
    const content = isRecord(create?.content) ? create.content : {};
    if (content['coop.meet.plenary.space'] === true) {
      this.deps.requestJoin(roomId);
      return;
    }
    const claim = roomClaim(roomId, stripped, this.deps.connection.session()?.userId ?? null);
    if (!claim || this.deps.rooms.circleOf(roomId) === claim.circle || this.deps.declarations.noticed(roomId)) return;
    await this.deps.declarations.judge(claim, () => {
      this.deps.requestJoin(roomId);
      // Not in the room yet: it is bound when it shows up joined.
      return Promise.resolve(false);
    });
  }

  /** A joined room that claims a circle and is not bound yet (joined here after an invitation, or in another app) is judged as an invitation is. */
  private async bindJoinedRoom(roomId: string, events: MatrixRawEvent[]): Promise<void> {
    if (this.deps.rooms.circleOf(roomId) || this.deps.declarations.noticed(roomId)) return;
    const claim = joinedRoomClaim(this.deps.db, roomId, events);
    if (claim) await this.deps.declarations.judge(claim);
  }

  /**
   * Back-fills a gap. Transient failures (network, 429, 5xx) propagate so the whole batch
   * is retried; a refusal (4xx: history not visible to us, a forgotten room) would refuse
   * again on every retry and stall sync for good, so it is recorded in the quarantine list,
   * where Settings shows it, and sync goes on without the gap.
   */
  private async backfillOrRecord(roomId: string, from: string): Promise<MatrixRawEvent[]> {
    try {
      return await this.backfill(roomId, from);
    } catch (error) {
      if (!(error instanceof MatrixHttpError) || error.status === 429 || error.status >= 500 || error.status < 400) throw error;
      const placeholder: MatrixRawEvent = { event_id: `gap:${from}`.slice(0, 255), type: 'm.room.messages', sender: '', origin_server_ts: this.deps.now(), content: { from } };
      this.quarantine(roomId, placeholder, -1, `could not back-fill a gap in the room's history (${error.status} ${error.errcode}): ${error.message}`);
      const added = this.quarantineList.commit();
      if (added > 0) this.deps.onQuarantine?.(added);
      return [];
    }
  }

  /**
   * Reads a circle room's whole history again (its earlier room keys came after it was
   * read): events read before are skipped as always, the ones that could not be decrypted
   * then are processed now, in order, with the room's state moved forward as they go.
   * Returns how many events were read.
   */
  async rereadRoom(roomId: string): Promise<number> {
    if (!this.deps.rooms.circleOf(roomId)) return 0;
    const events = await this.backfill(roomId, undefined, { throughSeen: true });
    if (events.length > 0) this.processRoom(roomId, events);
    this.sendAnswers();
    return events.length;
  }

  /** Reads back from a gap's edge until it meets an event already processed (or the room's start). */
  private async backfill(roomId: string, from: string | undefined, options: { throughSeen?: boolean } = {}): Promise<MatrixRawEvent[]> {
    // m.room.encrypted too: in an encrypted room, governance events arrive as that and are decrypted here.
    const filter = JSON.stringify({ types: [...governanceTypes, redactionType, ...trackedStateTypes, 'm.room.encrypted'], lazy_load_members: true });
    const collected: MatrixRawEvent[] = [];
    const seen = this.deps.db.prepare('SELECT 1 FROM sync_seen_events WHERE event_id = ?');
    let token: string | undefined = from;
    // Without a token (reading again from the newest event), the first page starts at the room's end.
    let first = !from;
    for (let page = 0; (token || first) && page < 10_000; page++) {
      first = false;
      const chunk: { chunk?: MatrixRawEvent[]; end?: string } = await this.deps.connection.request('GET', `/_matrix/client/v3/rooms/${seg(roomId)}/messages`, {
        query: { ...(token ? { from: token } : {}), dir: 'b', limit: String(backfillPage), filter },
      });
      const raw = chunk.chunk ?? [];
      const events = this.deps.connection.decryptEvents ? await this.deps.connection.decryptEvents(roomId, raw) : raw;
      let reachedKnown = false;
      for (const event of events) {
        if (!options.throughSeen && seen.get(event.event_id)) {
          reachedKnown = true;
          break;
        }
        collected.push(event);
      }
      if (reachedKnown || events.length === 0 || !chunk.end || chunk.end === token) break;
      token = chunk.end;
    }
    this.deps.log.info('back-filled a gap', { roomId, events: collected.length });
    return collected.reverse();
  }

  private recordState(roomId: string, event: MatrixRawEvent): void {
    if (event.state_key === undefined || !trackedStateTypes.includes(event.type)) return;
    this.deps.db
      .prepare('INSERT OR REPLACE INTO sync_room_state (room_id, type, state_key, sender, content_json) VALUES (?, ?, ?, ?, ?)')
      .run(roomId, event.type, event.state_key, String(event.sender ?? ''), JSON.stringify(event.content ?? {}));
    // A marker binds nothing by itself: rooms are bound by declarations (maybeJoin, bindJoinedRoom).
  }

  private processRoom(roomId: string, events: MatrixRawEvent[]): void {
    const { db } = this.deps;
    const isSeen = db.prepare('SELECT 1 FROM sync_seen_events WHERE event_id = ?');
    const markSeen = db.prepare('INSERT OR IGNORE INTO sync_seen_events (event_id, room_id, origin_server_ts, sender, type, refers_to) VALUES (?, ?, ?, ?, ?, ?)');
    let quarantined = 0;
    // Notes left by an attempt whose transaction rolled back are not this attempt's.
    this.quarantineList.discard();
    this.answers = [];
    db.transaction(() => {
      for (const event of events) {
        if (typeof event?.event_id !== 'string' || typeof event.type !== 'string') continue;
        if (event.state_key !== undefined) this.recordState(roomId, event);
        // An answer to a !log message already in the room: no other replica answers it again.
        const answered = LogCommands.answered(event);
        if (answered !== null) this.logCommands.claimAnswer(answered, roomId, String(event.sender ?? ''));
        if (!governanceTypes.includes(event.type) && event.type !== redactionType && !(isLogCommandEvent(event) && this.deps.rooms.circleOf(roomId))) continue;
        if (isSeen.get(event.event_id)) continue;
        try {
          if (event.type === redactionType) this.processRedaction(roomId, event);
          else this.processEvent(roomId, event);
        } catch (error) {
          // A bug or a hostile event must never stop sync: keep it for inspection.
          this.quarantine(roomId, event, -1, `could not process: ${(error as Error).message}`);
        }
        // One record for the event, however many of its operations were refused (and one for
        // each poll answer or end a redaction made this replica read again, see reReadMirrors).
        quarantined += this.quarantineList.commit();
        markSeen.run(
          event.event_id,
          roomId,
          Number.isSafeInteger(event.origin_server_ts) ? event.origin_server_ts : 0,
          String(event.sender ?? '').slice(0, 255),
          event.type.slice(0, 255),
          relatedEvent(event.content),
        );
      }
    })();
    // Answered at the end of the whole read (onSync), once its answers in the room are known.
    this.pendingAnswers.push(...this.answers);
    this.answers = [];
    if (quarantined > 0) this.deps.onQuarantine?.(quarantined);
  }

  /**
   * Answers the !log messages of a read that this replica answers: once each, and not when an
   * answer to it was read anywhere in the same read (a gap back-filled after the message, a
   * second device of the same member reading the room's history).
   */
  private sendAnswers(): void {
    const pending = this.pendingAnswers.splice(0);
    const me = this.deps.connection.session()?.userId ?? '';
    const now = this.deps.now();
    const due: LogAnswer[] = [];
    this.deps.db.transaction(() => {
      for (const { answer, dueAt } of pending) {
        if (dueAt <= now) due.push(answer);
        else this.logCommands.defer(answer.eventId, dueAt, answer);
      }
      // Answers kept for their turn, now due: given only if nobody answered meanwhile.
      due.push(...this.logCommands.due<LogAnswer>(now));
    })();
    for (const answer of due) {
      if (now - answer.ts > answerWindowMs) continue;
      if (this.logCommands.claimAnswer(answer.eventId, answer.roomId, me)) this.deps.onLogAnswer?.(answer);
    }
  }

  /** Returns how many refusals were noted (written as one record by processRoom). */
  private processEvent(roomId: string, event: MatrixRawEvent): number {
    const circle = this.deps.rooms.circleOf(roomId);
    if (!circle) return this.quarantine(roomId, event, -1, 'the room is not a circle room');
    if (!isRecord(event.content)) return this.quarantine(roomId, event, -1, 'content is not an object');
    // Already redacted when read: withdrawn here as on replicas that read it before.
    const redaction = redactedBecause(event);
    if (redaction) return this.withdraw(roomId, circle, { eventId: event.event_id, sender: event.sender, eventType: event.type, refersTo: null }, redaction);
    // A redacted event keeps no content: nothing is left to apply.
    if (Object.keys(event.content).length === 0) return 0;
    // An answer, end or edit of a withdrawn poll goes with it.
    if (this.withdrawnWithPoll(roomId, circle, event)) return 0;
    switch (event.type) {
      case opsEventType:
        return this.processOps(roomId, circle, event);
      case pollStartType:
        return this.processPollStart(roomId, circle, event);
      case pollResponseType:
        return this.processPollResponse(roomId, circle, event);
      case 'm.room.message':
        return this.processLogCommand(roomId, circle, event);
      default:
        return this.processPollEnd(roomId, circle, event);
    }
  }

  /**
   * A !log message: the sender's contribution, derived from the event as on every replica
   * (log-command.ts), or nothing and the reason why. Not a governance event gone wrong, so
   * nothing is quarantined; the one replica that answers says what was logged or why not.
   */
  private processLogCommand(roomId: string, circle: string, event: MatrixRawEvent): number {
    const facts = this.history.factsFor(roomId, circle);
    let verdict = this.logCommands.judge(circle, event, facts);
    if (verdict.ok) {
      this.history.note(verdict.op as GovernanceOperation);
      const result = this.deps.store.applyRemote([verdict.op], { source: event.event_id, event: this.carrier(event) });
      if (result.rejected.length > 0) {
        this.deps.log.warn('a !log entry was not applied', { eventId: event.event_id, reason: result.rejected[0]!.error.message });
        verdict = { ok: false, refusal: 'not_allowed', token: '', dayMinutes: 0, locale: verdict.locale, name: verdict.name };
      }
    }
    if (!verdict.ok && verdict.refusal === 'day_over_24h') this.logCommands.keepOverDay(circle, event);
    const me = this.deps.connection.session()?.userId;
    const recent = this.deps.now() - event.origin_server_ts <= answerWindowMs;
    const rank = me && recent ? this.logCommands.answerRank(circle, event, facts, me) : null;
    if (rank !== null) {
      this.answers.push({ answer: { roomId, eventId: event.event_id, sender: event.sender, ts: event.origin_server_ts, verdict }, dueAt: rank === 0 ? 0 : event.origin_server_ts + rank * answerStepMs });
    }
    return 0;
  }

  /**
   * A redaction in the timeline. It withdraws a governance event this replica processed,
   * when the server applies it (see redaction.ts); redactions of chat messages and of
   * events never processed here concern governance sync not at all.
   */
  private processRedaction(roomId: string, redaction: MatrixRawEvent): number {
    const circle = this.deps.rooms.circleOf(roomId);
    const target = redactionTarget(redaction);
    if (!circle || !target) return 0;
    const seen = this.deps.db.prepare('SELECT sender, type, refers_to FROM sync_seen_events WHERE event_id = ?').get(target) as
      | { sender: string; type: string; refers_to: string | null }
      | undefined;
    // Rows recorded before types were kept ('') are all governance events.
    // (A !log message is the one chat message recorded as seen: it carries the sender's entry.)
    if (!seen || (seen.type !== '' && !governanceTypes.includes(seen.type) && seen.type !== 'm.room.message')) return 0;
    if (!serverApplies(redaction.sender, seen.sender, this.power.state(roomId))) return 0;
    return this.withdraw(roomId, circle, { eventId: target, sender: seen.sender, eventType: seen.type, refersTo: null }, factsOf(redaction));
  }

  /**
   * Withdraws a redacted event, the answers, ends and edits that refer to it (a withdrawn
   * poll takes them along), and their operations. A poll event that mirrored a withdrawn
   * operation then counts as what Element sees, as on a replica that never had the operation.
   */
  private withdraw(roomId: string, circle: string, target: { eventId: string; sender: string; eventType: string; refersTo: string | null }, facts: RedactionFacts): number {
    const { db, store } = this.deps;
    const referring = db.prepare('SELECT event_id, sender, type FROM sync_seen_events WHERE refers_to = ?').all(target.eventId) as { event_id: string; sender: string; type: string }[];
    const withdrawal = (t: { eventId: string; sender: string; eventType: string; refersTo: string | null }) => ({ ...t, roomId, circle, ...facts });
    const { opIds } = store.withdrawEvents([
      withdrawal(target),
      ...referring.map((r) => withdrawal({ eventId: r.event_id, sender: r.sender, eventType: r.type, refersTo: target.eventId })),
    ]);
    // The room's history no longer holds what they established, as on a replica that reads the shell only.
    this.history.forget(opIds);
    const poll = db.prepare('SELECT vote_id FROM sync_vote_polls WHERE event_id = ?').pluck().get(target.eventId) as string | undefined;
    if (poll !== undefined) {
      // Element no longer shows this poll: Plenary stops mirroring the vote to it.
      db.prepare('UPDATE sync_vote_polls SET withdrawn = 1 WHERE event_id = ?').run(target.eventId);
      db.prepare('DELETE FROM sync_poll_outbox WHERE vote_id = ? AND kind != ?').run(poll, 'start');
    }
    this.deps.log.info('withdrew a redacted governance event', { roomId, eventId: target.eventId, by: facts.redactedBy, operations: opIds.length });
    this.rejudgeOverDay(roomId, circle);
    return this.reReadMirrors(roomId, circle, opIds);
  }

  /** !log messages refused for passing 24 hours in a day, judged again after a withdrawal (log-command.ts). */
  private rejudgeOverDay(roomId: string, circle: string): void {
    for (const event of this.logCommands.overDay(circle)) {
      if (this.deps.store.events.isWithdrawn(event.event_id)) {
        this.logCommands.dropOverDay(event.event_id);
        continue;
      }
      const verdict = this.logCommands.judge(circle, event, this.history.factsFor(roomId, circle));
      if (!verdict.ok) continue;
      this.history.note(verdict.op as GovernanceOperation);
      this.deps.store.applyRemote([verdict.op], { source: event.event_id, event: this.carrier(event) });
      this.logCommands.dropOverDay(event.event_id);
    }
  }

  /** Poll answers and ends that mirrored now-withdrawn operations, read again as Element reads them. */
  private reReadMirrors(roomId: string, circle: string, opIds: readonly string[]): number {
    let quarantined = 0;
    const mirrors = this.deps.db.prepare('SELECT event_json FROM sync_poll_mirrors WHERE op_id = ?').pluck();
    for (const opId of opIds) {
      for (const json of mirrors.all(opId) as string[]) {
        const event = JSON.parse(json) as MatrixRawEvent;
        if (this.deps.store.events.isWithdrawn(event.event_id)) continue;
        quarantined += event.type === pollResponseType ? this.processPollResponse(roomId, circle, event) : this.processPollEnd(roomId, circle, event);
      }
    }
    return quarantined;
  }

  /** Whether a poll event refers to a withdrawn poll start; if so it is withdrawn with it. */
  private withdrawnWithPoll(roomId: string, circle: string, event: MatrixRawEvent): boolean {
    if (!pollTypes.includes(event.type)) return false;
    const start = relatedEvent(event.content);
    if (!start) return false;
    const parent = this.deps.db.prepare('SELECT redacted_by, redaction_id, redacted_at, reason FROM withdrawn_events WHERE event_id = ?').get(start) as
      | { redacted_by: string; redaction_id: string; redacted_at: number; reason: string }
      | undefined;
    if (!parent) return false;
    const { opIds } = this.deps.store.withdrawEvents([
      {
        eventId: event.event_id,
        roomId,
        circle,
        sender: event.sender,
        eventType: event.type,
        refersTo: start,
        redactedBy: parent.redacted_by,
        redactionId: parent.redaction_id,
        redactedAt: parent.redacted_at,
        reason: parent.reason,
      },
    ]);
    this.history.forget(opIds);
    return true;
  }

  /** The event operations came in, as the store records it. */
  private carrier(event: MatrixRawEvent): OpEvent {
    return { eventId: event.event_id, serverTs: Number.isSafeInteger(event.origin_server_ts) ? event.origin_server_ts : null, carries: true, poll: pollTypes.includes(event.type) };
  }

  private processOps(roomId: string, circle: string, event: MatrixRawEvent): number {
    const decoded = decodeOpsContent(event.content);
    if (!decoded.ok) return this.quarantine(roomId, event, -1, decoded.reason);
    if (decoded.circle !== circle) return this.quarantine(roomId, event, -1, `operations for circle ${decoded.circle} sent in the room of circle ${circle}`);
    this.quarantineList.operations(event, decoded.ops.length);
    const facts = this.history.factsFor(roomId, circle);
    let quarantined = 0;
    const accepted: { index: number; op: Operation }[] = [];
    // Operations of this event by id, for an id reused within it.
    const batch = new Map<string, GovernanceOperation>();
    // An id reused for other content is refused before it is judged, so the history it would
    // write (an entry's author, a vote's creator) never comes from a copy the store refuses
    // (the store checks again, for every other path).
    const conflict = (op: GovernanceOperation) => this.deps.store.reusedIdConflict(op, batch.get(op.id));
    decoded.ops.forEach((raw, index) => {
      const verdict = judgeReceived(raw, event.sender, facts, conflict);
      if (verdict.ok) {
        // What it establishes (an entry's author, a vote's creator) holds for the operations after it.
        this.history.note(verdict.op);
        batch.set(verdict.op.id, verdict.op);
        accepted.push({ index, op: verdict.op });
      } else if ('invalid' in verdict) {
        quarantined += this.quarantine(roomId, event, index, verdict.invalid);
      } else {
        quarantined += this.refuse(roomId, event, index, verdict.op, verdict.refused);
      }
    });
    this.noteOwnAhead(event, accepted);
    return quarantined + this.apply(roomId, event, accepted);
  }

  /**
   * An operation the room's history does not allow: quarantined, or, when it is this
   * replica's own (its event came back from the server), withdrawn here as everywhere else.
   */
  private refuse(roomId: string, event: MatrixRawEvent, index: number, op: GovernanceOperation, refusal: Extract<Authorization, { ok: false }>): number {
    if (event.sender === this.deps.connection.session()?.userId && this.deps.withdrawn.withdraw(op.id, refusal, event.event_id)) return 0;
    return this.quarantine(roomId, event, index, refusal.detail);
  }

  /**
   * This member's own operations the server received stamped more than the allowed drift
   * ahead of its clock: every replica with a right clock holds them until then, so say so.
   */
  private noteOwnAhead(event: MatrixRawEvent, items: { op: Operation }[]): void {
    if (!this.deps.onOwnAhead || event.sender !== this.deps.connection.session()?.userId || !Number.isSafeInteger(event.origin_server_ts)) return;
    const ahead = items.map((i) => hlcWall(i.op.hlc)).filter((wall) => wall - maxClockDriftMs > event.origin_server_ts);
    if (ahead.length > 0) this.deps.onOwnAhead(ahead.length, Math.max(...ahead) - maxClockDriftMs);
  }

  /**
   * Applies operations (those stamped far ahead are held, not refused); those the store
   * refuses (bad shape, an id already used for other content) are quarantined by index.
   * Linear in the event's size: refusals find their operation's index through one map, not a
   * search per refusal.
   */
  private apply(roomId: string, event: MatrixRawEvent, items: { index: number; op: Operation }[]): number {
    if (items.length === 0) return 0;
    const result = this.deps.store.applyRemote(
      items.map((i) => i.op),
      { source: event.event_id, event: this.carrier(event) },
    );
    if (result.rejected.length === 0) return 0;
    const indexOf = new Map<unknown, number>();
    for (const item of items) if (!indexOf.has(item.op.id)) indexOf.set(item.op.id, item.index);
    let quarantined = 0;
    for (const rejected of result.rejected) quarantined += this.quarantine(roomId, event, indexOf.get(rejected.id) ?? -1, rejected.error.message);
    return quarantined;
  }

  private synthetic(event: MatrixRawEvent, circle: string, type: string, payload: Record<string, unknown>): Operation {
    return { id: syntheticOpId(`${type}:${event.event_id}`, event.origin_server_ts), hlc: syntheticHlc(event.event_id, event.origin_server_ts), actor: event.sender, circle, type, payload, v: 1 };
  }

  private pollOf(startEventId: string | null): { vote_id: string; creator: string; answers_json: string; proposal_json: string | null } | null {
    if (!startEventId) return null;
    return (this.deps.db.prepare('SELECT vote_id, creator, answers_json, proposal_json FROM sync_vote_polls WHERE event_id = ?').get(startEventId) as
      | { vote_id: string; creator: string; answers_json: string; proposal_json: string | null }
      | undefined) ?? null;
  }

  private processPollStart(roomId: string, circle: string, event: MatrixRawEvent): number {
    const replaced = replacedEvent(event.content);
    if (replaced) return this.processPollEdit(roomId, circle, event, replaced);
    const plenary = event.content[voteKey];
    if (isRecord(plenary) && typeof plenary.voteId === 'string') return this.bindPublishedPoll(roomId, circle, event, plenary, plenary.voteId);
    const parsed = parsePollStart(event.content);
    if (!parsed.ok) return this.quarantine(roomId, event, -1, parsed.reason);
    const { voteId, payload, answerMap } = voteFromElementPoll(event.event_id, event.origin_server_ts, parsed.poll);
    const checked = validateOperation(this.synthetic(event, circle, 'vote.create', payload));
    if (!checked.ok) return this.quarantine(roomId, event, -1, checked.error.message);
    // A poll started by someone who may not create votes is a member proposal, not a vote.
    if (!authorize(checked.op, event.sender, this.history.factsFor(roomId, circle)).ok) {
      this.deps.proposals.record(roomId, event, checked.op.payload as typeof payload, answerMap);
      this.deps.onProposals?.(circle);
      return 0;
    }
    const quarantined = this.apply(roomId, event, [{ index: -1, op: checked.op }]);
    if (quarantined === 0) {
      this.history.note(checked.op);
      this.deps.db
        .prepare('INSERT OR IGNORE INTO sync_vote_polls (vote_id, room_id, event_id, creator, answers_json) VALUES (?, ?, ?, ?, ?)')
        .run(voteId, roomId, event.event_id, event.sender, JSON.stringify(answerMap));
    }
    return quarantined;
  }

  /**
   * A poll Plenary published for a vote: it is the vote's poll only when the vote's creator
   * (in the room's history so far) sent it and the vote has no poll yet. Any other start
   * claiming the vote (someone else's, or one sent before the vote exists) is quarantined, so
   * nobody can close a vote or divert its answers through a poll of their own. Bound, it is
   * linked to its vote.create for Element's counting (linkMirror).
   */
  private bindPublishedPoll(roomId: string, circle: string, event: MatrixRawEvent, marker: Record<string, unknown>, voteId: string): number {
    const vote = this.history.factsFor(roomId, circle).vote(voteId);
    const bound = this.deps.db.prepare('SELECT event_id FROM sync_vote_polls WHERE vote_id = ?').get(voteId) as { event_id: string } | undefined;
    const problem = !vote
      ? `a poll claiming vote ${voteId.slice(0, 64)}, which the circle's history has not created (yet)`
      : vote.creator !== event.sender
        ? `${event.sender} started a poll claiming vote ${voteId}, which ${vote.creator} created`
        : bound && bound.event_id !== event.event_id
          ? `vote ${voteId} already has its poll ${bound.event_id}`
          : null;
    if (problem === null) {
      this.deps.db.prepare('INSERT OR IGNORE INTO sync_vote_polls (vote_id, room_id, event_id, creator, answers_json) VALUES (?, ?, ?, ?, ?)').run(voteId, roomId, event.event_id, event.sender, '{}');
      this.linkMirror(roomId, event, marker, 'vote.create', voteId);
      return 0;
    }
    // This replica bound its own start as it sent it; the room's history says otherwise.
    if (event.sender === this.deps.connection.session()?.userId) this.deps.db.prepare('DELETE FROM sync_vote_polls WHERE event_id = ?').run(event.event_id);
    return this.quarantine(roomId, event, -1, problem);
  }

  /** The shape answers are read against: the vote's, or (not adopted yet) the proposal's. */
  private voteShapeOf(poll: { vote_id: string; proposal_json: string | null }): VoteShape | null {
    const vote = this.deps.reads.vote(poll.vote_id);
    if (vote) return vote;
    const proposal = poll.proposal_json ? (JSON.parse(poll.proposal_json) as { method: VoteShape['method']; question: string; options: VoteShape['options']; maxChoices?: number }) : null;
    return proposal ? { method: proposal.method, question: proposal.question, options: proposal.options, maxChoices: proposal.maxChoices ?? null } : null;
  }

  /**
   * An edit of a poll started in Element (m.replace, the new poll in m.new_content). As
   * Element does (matrix-js-sdk Relations.getLastReplacement), only its sender's edits count
   * and the latest by server time wins: the vote's question, options and maximum follow it
   * (vote.redefine, last writer wins by the edit's server time). Answers naming options the
   * edit dropped are spoiled on both sides.
   */
  private processPollEdit(roomId: string, circle: string, event: MatrixRawEvent, startId: string): number {
    const poll = this.pollOf(startId);
    if (!poll) return this.quarantine(roomId, event, -1, 'an edit of a poll this room does not have');
    if (poll.answers_json === '{}') return this.quarantine(roomId, event, -1, 'an edit of a poll Plenary published: the vote is defined by its operations, not by its poll');
    if (event.sender !== poll.creator) return this.quarantine(roomId, event, -1, `${event.sender} may not edit a poll started by ${poll.creator}`);
    const parsed = parsePollStart(event.content['m.new_content']);
    if (!parsed.ok) return this.quarantine(roomId, event, -1, `the edited poll: ${parsed.reason}`);
    const startTs = this.deps.db.prepare('SELECT origin_server_ts FROM sync_seen_events WHERE event_id = ?').pluck().get(startId) as number | undefined;
    if (startTs === undefined) return this.quarantine(roomId, event, -1, 'an edit of a poll this room does not have');
    const { voteId, payload, answerMap } = voteFromElementPoll(startId, startTs, parsed.poll);
    const { question, method, options } = payload;
    const redefine = { voteId, question, method, options, ...(payload.maxChoices === undefined ? {} : { maxChoices: payload.maxChoices }) };
    const quarantined = this.apply(roomId, event, [{ index: -1, op: this.synthetic(event, circle, 'vote.redefine', redefine) }]);
    if (quarantined === 0) {
      // Answers keep naming the ids of the poll they answered: keep every mapping.
      const known = JSON.parse(poll.answers_json) as Record<string, string>;
      this.deps.db.prepare('UPDATE sync_vote_polls SET answers_json = ? WHERE event_id = ?').run(JSON.stringify({ ...known, ...answerMap }), startId);
      if (poll.proposal_json !== null) {
        // A proposal not adopted yet is adopted as Element shows it: the vote's row holds the
        // latest edit (the fold keeps it by the edit's stamp, whatever order edits came in).
        const row = this.deps.db.prepare('SELECT question, method, options, max_choices FROM gov_votes WHERE circle = ? AND vote_id = ?').get(circle, voteId) as
          | { question: string | null; method: string | null; options: string | null; max_choices: number | null }
          | undefined;
        if (row?.question && row.method && row.options) {
          const { maxChoices: _earlier, ...proposal } = JSON.parse(poll.proposal_json) as Record<string, unknown>;
          void _earlier;
          const now = { ...proposal, question: row.question, method: row.method, options: JSON.parse(row.options) as unknown, ...(row.max_choices === null ? {} : { maxChoices: row.max_choices }) };
          this.deps.db.prepare('UPDATE sync_vote_polls SET proposal_json = ? WHERE event_id = ?').run(JSON.stringify(now), startId);
          this.deps.onProposals?.(circle);
        }
      }
    }
    return quarantined;
  }

  /**
   * Links a poll start, answer or end Plenary published for one of its own operations (its
   * marker names the operation) to that operation: Element counts the operation by this
   * event. Only when the operation is in the log and live, of that kind, made by this event's
   * sender (for a ballot, their own) and about this poll's vote; otherwise the event is read
   * as Element reads it: an answer or end like any other. Answers and ends are kept, so that
   * if their operation is withdrawn later they are read again that way (reReadMirrors).
   */
  private linkMirror(roomId: string, event: MatrixRawEvent, marker: unknown, type: 'vote.create' | 'vote.ballot' | 'vote.close', voteId: string): boolean {
    if (!isRecord(marker) || typeof marker.opId !== 'string') return false;
    const op = this.deps.db
      .prepare("SELECT actor, type, withdrawn, json_extract(payload, '$.voteId') AS vote_id, json_extract(payload, '$.voter') AS voter FROM ops WHERE id = ?")
      .get(marker.opId) as { actor: string; type: string; withdrawn: number; vote_id: unknown; voter: unknown } | undefined;
    if (!op || op.withdrawn === 1 || op.type !== type || op.actor !== event.sender || op.vote_id !== voteId) return false;
    if (type === 'vote.ballot' && op.voter !== event.sender) return false;
    this.deps.store.recordEvent([marker.opId], { ...this.carrier(event), carries: false });
    if (type !== 'vote.create') {
      const kept = { event_id: event.event_id, type: event.type, sender: event.sender, origin_server_ts: event.origin_server_ts, content: event.content };
      this.deps.db.prepare('INSERT OR IGNORE INTO sync_poll_mirrors (event_id, op_id, room_id, event_json) VALUES (?, ?, ?, ?)').run(event.event_id, marker.opId, roomId, JSON.stringify(kept));
    }
    return true;
  }

  private processPollResponse(roomId: string, circle: string, event: MatrixRawEvent): number {
    const poll = this.pollOf(referencedEvent(event.content));
    // Plenary's own answer for a ballot that travels as an operation; an answer merely
    // carrying the marker (another client, someone else's ballot) counts as Element counts it.
    if (poll && this.linkMirror(roomId, event, event.content[ballotKey], 'vote.ballot', poll.vote_id)) return 0;
    if (!poll) return this.quarantine(roomId, event, -1, 'a response to a poll this room does not have');
    // Answers to a proposal are kept as ballots of the vote it would become, so they count once it is adopted.
    const vote = this.voteShapeOf(poll);
    if (!vote) return this.quarantine(roomId, event, -1, `a response to vote ${poll.vote_id}, which is not known here`);
    const answerToOption = new Map(Object.entries(JSON.parse(poll.answers_json) as Record<string, string>).map(([option, answer]) => [answer, option]));
    const optionIds = new Set(vote.options.map((o) => o.id));
    const optionOf = (answer: string) => answerToOption.get(answer) ?? (optionIds.has(answer) ? answer : null);
    const answers = parsePollResponseAnswers(event.content);
    const maxSelections = pollForVote(vote, (p) => p).maxSelections;
    const choice = answers === null ? spoiledChoice : choiceForAnswers(vote, answers, optionOf, maxSelections);
    if (choice === null) return this.quarantine(roomId, event, -1, 'counted votes are decided by a show of hands, not poll answers');
    return this.apply(roomId, event, [{ index: -1, op: this.synthetic(event, circle, 'vote.ballot', { voteId: poll.vote_id, voter: event.sender, choice }) }]);
  }

  private processPollEnd(roomId: string, circle: string, event: MatrixRawEvent): number {
    const poll = this.pollOf(referencedEvent(event.content));
    if (!poll) return this.quarantine(roomId, event, -1, 'the end of a poll this room does not have');
    // MSC3381: only the poll's creator or someone allowed to redact others' events may end it.
    if (event.sender !== poll.creator && !mayRedactOthers(this.power.state(roomId), event.sender)) {
      return this.quarantine(roomId, event, -1, `${event.sender} may not end a poll started by ${poll.creator}`);
    }
    const facts = this.history.factsFor(roomId, circle);
    if (poll.proposal_json !== null && !facts.vote(poll.vote_id)) return this.endProposal(roomId, circle, event, poll, facts);
    // Plenary's own end for a close that travels as an operation (authorised as it came); any
    // other end (Element's, or the one an app publishes when a deadline passes) closes the vote
    // itself, and only when the trust rule lets its sender close it too: its creator or a
    // facilitator, the same rule as vote.close. Plenary follows an end both sides accept.
    if (this.linkMirror(roomId, event, event.content[closeKey], 'vote.close', poll.vote_id)) return 0;
    const op = this.synthetic(event, circle, 'vote.close', { voteId: poll.vote_id });
    const verdict = authorize(op, event.sender, facts);
    if (!verdict.ok) return this.quarantine(roomId, event, -1, `${event.sender} may not end this poll: ${verdict.detail}`);
    return this.apply(roomId, event, [{ index: -1, op }]);
  }

  /** A proposal's poll ends (by its proposer, as MSC3381 allows, or a facilitator): it can no longer be adopted. */
  private endProposal(roomId: string, circle: string, event: MatrixRawEvent, poll: { vote_id: string; creator: string }, facts: HistoryFacts): number {
    if (event.sender !== poll.creator && !facts.facilitates(event.sender)) {
      return this.quarantine(roomId, event, -1, `${event.sender} may not end ${poll.creator}'s proposal`);
    }
    this.deps.proposals.markEnded(poll.vote_id, Number.isSafeInteger(event.origin_server_ts) ? event.origin_server_ts : 0);
    this.deps.onProposals?.(circle);
    return 0;
  }

  /** Notes a refusal of the event (opIndex -1) or of one of its operations; returns 1. */
  private quarantine(roomId: string, event: MatrixRawEvent, opIndex: number, reason: string): number {
    this.quarantineList.note(roomId, event, opIndex, reason);
    return 1;
  }
}
