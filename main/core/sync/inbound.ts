// The inbound side of governance sync: a SyncConsumer on the core's Matrix connection.
// For every circle room it reads, in timeline order (after back-filling any gap):
// - state it needs (power levels, the circle marker);
// - operation events: decoded, validated, authorised and applied; anything invalid or
//   unauthorised is quarantined (kept and counted, never applied, never a crash);
// - MSC3381 poll events sent by Element: turned into votes (or member proposals), ballots
//   and closes.
// Every operation, received or synthesised from a poll event, is authorised by the one rule
// local operations follow, with the facts of the room's history at the event's place
// (history-authority.ts); this replica's own operations that the rule refuses there are
// withdrawn here too (withdrawn-ops.ts). Rooms are bound to circles only by an authorised
// declaration (room-declarations.ts).
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
import { RoomPower } from './room-power';
import { syntheticHlc, syntheticOpId } from './synthetic-ops';

const governanceTypes = [opsEventType, pollStartType, pollResponseType, pollEndType];
const trackedStateTypes = ['m.room.power_levels', 'm.room.create', circleMarkerType];
/** Events fetched per /messages page while back-filling a gap. */
const backfillPage = 200;

export interface InboundDeps {
  db: Db;
  store: Pick<GovernanceStore, 'applyRemote'>;
  rooms: CircleRooms;
  reads: GovernanceReads;
  connection: Pick<MatrixConnection, 'request' | 'session'>;
  /** Binds rooms to circles only when an authorised declaration backs them. */
  declarations: RoomDeclarations;
  /** This replica's own operations the room's history refuses. */
  withdrawn: WithdrawnOps;
  proposals: Proposals;
  log: Logger;
  now(): number;
  /** Called with the number of newly quarantined items. */
  onQuarantine?(count: number): void;
  /** Called when a circle's member proposals change (no operation is applied for them). */
  onProposals?(circle: string): void;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export class GovernanceInbound implements SyncConsumer {
  private readonly power: RoomPower;
  private readonly history: HistoryAuthority;

  constructor(private readonly deps: InboundDeps) {
    this.power = new RoomPower(deps.db);
    this.history = new HistoryAuthority(deps.db, this.power);
  }

  async onSync(response: SyncResponse): Promise<void> {
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
   * Other invitations are left to the member.
   */
  private async maybeJoin(roomId: string, invite: unknown): Promise<void> {
    const stripped = isRecord(invite) && isRecord(invite.invite_state) && Array.isArray(invite.invite_state.events) ? invite.invite_state.events : [];
    const create = stripped.find((e): e is { type: string; content: Record<string, unknown> } => isRecord(e) && e.type === 'm.room.create');
    const content = isRecord(create?.content) ? create.content : {};
    if (content['coop.meet.plenary.space'] === true) {
      await this.join(roomId, 'the coop space');
      return;
    }
    const claim = roomClaim(roomId, stripped, this.deps.connection.session()?.userId ?? null);
    if (!claim || this.deps.rooms.circleOf(roomId) === claim.circle || this.deps.declarations.noticed(roomId)) return;
    await this.deps.declarations.judge(claim, () => this.join(roomId, 'a circle room'));
  }

  /** Whether the join went through; a failure is logged, never retried in a loop. */
  private async join(roomId: string, what: string): Promise<boolean> {
    try {
      await this.deps.connection.request('POST', `/_matrix/client/v3/join/${seg(roomId)}`, { body: {} });
      this.deps.log.info(`joined ${what} we were invited to`, { roomId });
      return true;
    } catch (error) {
      this.deps.log.warn(`could not join ${what}`, { roomId, reason: (error as Error).message });
      return false;
    }
  }

  /** A joined room that claims a circle and is not bound yet (joined in another app, say) is judged once, as an invitation is. */
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
      const added = this.quarantine(roomId, placeholder, -1, `could not back-fill a gap in the room's history (${error.status} ${error.errcode}): ${error.message}`);
      if (added > 0) this.deps.onQuarantine?.(added);
      return [];
    }
  }

  /** Reads back from a gap's edge until it meets an event already processed (or the room's start). */
  private async backfill(roomId: string, from: string): Promise<MatrixRawEvent[]> {
    const filter = JSON.stringify({ types: [...governanceTypes, ...trackedStateTypes], lazy_load_members: true });
    const collected: MatrixRawEvent[] = [];
    const seen = this.deps.db.prepare('SELECT 1 FROM sync_seen_events WHERE event_id = ?');
    let token: string | undefined = from;
    for (let page = 0; token && page < 10_000; page++) {
      const chunk: { chunk?: MatrixRawEvent[]; end?: string } = await this.deps.connection.request('GET', `/_matrix/client/v3/rooms/${seg(roomId)}/messages`, {
        query: { from: token, dir: 'b', limit: String(backfillPage), filter },
      });
      const events = chunk.chunk ?? [];
      let reachedKnown = false;
      for (const event of events) {
        if (seen.get(event.event_id)) {
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
    const markSeen = db.prepare('INSERT OR IGNORE INTO sync_seen_events (event_id, room_id, origin_server_ts) VALUES (?, ?, ?)');
    let quarantined = 0;
    db.transaction(() => {
      for (const event of events) {
        if (typeof event?.event_id !== 'string' || typeof event.type !== 'string') continue;
        if (event.state_key !== undefined) this.recordState(roomId, event);
        if (!governanceTypes.includes(event.type)) continue;
        if (isSeen.get(event.event_id)) continue;
        try {
          quarantined += this.processEvent(roomId, event);
        } catch (error) {
          // A bug or a hostile event must never stop sync: keep it for inspection.
          quarantined += this.quarantine(roomId, event, -1, `could not process: ${(error as Error).message}`);
        }
        markSeen.run(event.event_id, roomId, Number.isSafeInteger(event.origin_server_ts) ? event.origin_server_ts : 0);
      }
    })();
    if (quarantined > 0) this.deps.onQuarantine?.(quarantined);
  }

  /** Returns how many items were quarantined. */
  private processEvent(roomId: string, event: MatrixRawEvent): number {
    const circle = this.deps.rooms.circleOf(roomId);
    if (!circle) return this.quarantine(roomId, event, -1, 'the room is not a circle room');
    if (!isRecord(event.content)) return this.quarantine(roomId, event, -1, 'content is not an object');
    // A redacted event keeps no content: nothing is left to apply.
    if (Object.keys(event.content).length === 0) return 0;
    switch (event.type) {
      case opsEventType:
        return this.processOps(roomId, circle, event);
      case pollStartType:
        return this.processPollStart(roomId, circle, event);
      case pollResponseType:
        return this.processPollResponse(roomId, circle, event);
      default:
        return this.processPollEnd(roomId, circle, event);
    }
  }

  private processOps(roomId: string, circle: string, event: MatrixRawEvent): number {
    const decoded = decodeOpsContent(event.content);
    if (!decoded.ok) return this.quarantine(roomId, event, -1, decoded.reason);
    if (decoded.circle !== circle) return this.quarantine(roomId, event, -1, `operations for circle ${decoded.circle} sent in the room of circle ${circle}`);
    const facts = this.history.factsFor(roomId, circle);
    let quarantined = 0;
    const accepted: { index: number; op: Operation }[] = [];
    decoded.ops.forEach((raw, index) => {
      const verdict = judgeReceived(raw, event.sender, facts);
      if (verdict.ok) {
        // What it establishes (an entry's author, a vote's creator) holds for the operations after it.
        this.history.note(verdict.op);
        accepted.push({ index, op: verdict.op });
      } else if ('invalid' in verdict) {
        quarantined += this.quarantine(roomId, event, index, verdict.invalid);
      } else {
        quarantined += this.refuse(roomId, event, index, verdict.op, verdict.refused);
      }
    });
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

  /** Applies operations; those the store refuses (bad shape, bad clock) are quarantined by index. */
  private apply(roomId: string, event: MatrixRawEvent, items: { index: number; op: Operation }[]): number {
    if (items.length === 0) return 0;
    const result = this.deps.store.applyRemote(
      items.map((i) => i.op),
      { source: event.event_id },
    );
    let quarantined = 0;
    for (const rejected of result.rejected) {
      const item = items.find((i) => i.op.id === rejected.id) ?? null;
      quarantined += this.quarantine(roomId, event, item?.index ?? -1, rejected.error.message);
    }
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
    const plenary = event.content[voteKey];
    if (isRecord(plenary) && typeof plenary.voteId === 'string') return this.bindPublishedPoll(roomId, circle, event, plenary.voteId);
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
   * nobody can close a vote or divert its answers through a poll of their own.
   */
  private bindPublishedPoll(roomId: string, circle: string, event: MatrixRawEvent, voteId: string): number {
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

  private processPollResponse(roomId: string, circle: string, event: MatrixRawEvent): number {
    if (isRecord(event.content[ballotKey])) return 0; // mirrors a Plenary ballot that travels as an operation
    const poll = this.pollOf(referencedEvent(event.content));
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
    if (isRecord(event.content[closeKey])) return 0; // mirrors a Plenary close that travels as an operation
    const poll = this.pollOf(referencedEvent(event.content));
    if (!poll) return this.quarantine(roomId, event, -1, 'the end of a poll this room does not have');
    const facts = this.history.factsFor(roomId, circle);
    if (poll.proposal_json !== null && !facts.vote(poll.vote_id)) return this.endProposal(roomId, circle, event, poll, facts);
    // A vote is closed by its creator or a facilitator, by any path: the same rule as vote.close.
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

  private quarantine(roomId: string, event: MatrixRawEvent, opIndex: number, reason: string): number {
    let excerpt: string;
    try {
      excerpt = JSON.stringify(event.content).slice(0, 500);
    } catch {
      excerpt = '';
    }
    const changes = this.deps.db
      .prepare(
        'INSERT OR IGNORE INTO sync_quarantine (event_id, op_index, room_id, sender, event_type, reason, excerpt, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(String(event.event_id).slice(0, 255), opIndex, roomId, String(event.sender).slice(0, 255), String(event.type).slice(0, 255), reason.slice(0, 500), excerpt, this.deps.now()).changes;
    if (changes > 0) this.deps.log.warn('quarantined a governance event', { roomId, eventId: event.event_id, opIndex, reason });
    return changes;
  }
}
