// Chat in the circles' rooms: ties the cache, the sync consumer, back-pagination, the
// outbox, read markers and mention notifications to the Matrix connection, and answers the
// chat.* calls.
import { PlenaryError } from '../../../shared/errors';
import type { ChatInviteView, ChatMemberView, ChatNotification, ChatRoomView, ChatTimeline } from '../../../shared/contract/chat';
import type { PickedMention } from '../../../shared/chat/mention-autocomplete';
import { directRooms, existingDirectRoom, withDirectRoom } from './direct-rooms';
import type { EventBus } from '../events';
import type { Logger } from '../log';
import type { Clock } from '../clock';
import type { Db } from '../store/database';
import type { SettingsService } from '../settings/settings-service';
import { MatrixHttpError, MatrixNetworkError, type MatrixRawEvent } from '../matrix/matrix-connection';
import type { MatrixConnectionService } from '../matrix/matrix-connection-service';
import { seg } from '../matrix/matrix-http';
import { ChatStore, relationOf } from './chat-store';
import type { SealedChat } from './sealed-chat';
import { markedUnreadType } from './marked-unread';
import { ChatSync, type SyncChanges } from './chat-sync';
import { backfill } from './backfill';
import { Outbox } from './outbox';
import { buildTimeline, type TimelineRange } from './timeline-view';
import { threadReplies, threadRootOf } from './threads';
import { ThreadReads } from './thread-reads';
import { composeEdit, composeMessage, composeReaction, stripReplyFallback, type ReplyTarget } from './message-content';
import { sanitizeMatrixHtml } from './html-sanitizer';
import { mentionsMe, shouldNotify, type Me } from './mentions';
import { roomDisplayName, roomHeroes } from './room-name';
import { unreadBadge, type UnreadBadge } from './unread-badge';
import type { Notifier } from './notifier';
import type { PollVoteProvider } from './poll-card';
import { PushRulesService } from './push-rules-service';
import { levelFor, matchesKeyword } from './push-rules';
import type { NotifyLevel } from '../../../shared/chat/notify-level';

/** Which circle a room belongs to; governance sync provides it. */
export type CircleNameProvider = (roomId: string) => string | null;

export interface ChatServiceDeps {
  db: Db;
  matrix: MatrixConnectionService;
  events: EventBus;
  settings: SettingsService;
  notifier: Notifier;
  clock: Clock;
  log: Logger;
  /** Where encrypted rooms' messages are kept (sealed-chat.ts); without it they stay in the main store. */
  sealed?: SealedChat | null;
}

function notFound(roomId: string): PlenaryError {
  return new PlenaryError('not_found', `You are not in the room ${roomId} (or it is not synced yet)`, { field: 'roomId', params: { reason: 'room' } });
}

/** How long the server shows "typing" without news, and how often a typing member renews it. */
const typingTimeoutMs = 20_000;
const typingResendMs = 10_000;

export class ChatService {
  readonly store: ChatStore;
  private readonly outbox: Outbox;
  private circleName: CircleNameProvider = () => null;
  private pollVote: PollVoteProvider = () => null;
  private readonly roomListeners = new Set<(rooms: ChatRoomView[]) => void>();
  /** Who the server says is typing, per room; not kept, since it lasts seconds. */
  private readonly typing = new Map<string, string[]>();
  /** When this member's "typing" was last sent, per room, so a busy keyboard sends it once in a while. */
  private readonly typingSent = new Map<string, number>();
  private readonly pushRules: PushRulesService;
  /** Where the member last read each thread they opened on this device, by root. */
  private readonly threadRead: ThreadReads;

  constructor(private readonly deps: ChatServiceDeps) {
    this.store = new ChatStore(deps.db, deps.sealed ?? null);
    this.reconcileSealed();
    this.pushRules = new PushRulesService(this.store, deps.matrix, deps.log, () => this.emitRooms());
    this.threadRead = new ThreadReads(deps.db);
    this.outbox = new Outbox({
      store: this.store,
      matrix: deps.matrix,
      log: deps.log,
      now: () => deps.clock.now(),
      canSend: () => !deps.matrix.view().paused,
      changed: (roomId) => this.roomsAndTimelineChanged(roomId),
    });
    deps.matrix.addConsumer(new ChatSync(this.store, (changes) => this.synced(changes), { me: () => deps.matrix.session()?.userId ?? null, now: () => deps.clock.now() }));
    deps.matrix.onStatusChange((status) => {
      // Back online: send what was written offline, and the read markers set meanwhile.
      if (status.status === 'online') {
        void this.outbox.flush();
        // The member's push rules as the server has them now (levels and keywords set in Element).
        this.pushRules.refreshQuietly();
        this.flushRoomMarks().catch((error: unknown) => deps.log.error('read markers not sent', { reason: error instanceof Error ? error.message : String(error) }));
      }
    });
    deps.matrix.onSessionChange(({ previous, next }) => {
      // Another account (or none) must not see this one's chat.
      if (!next || previous?.userId !== next.userId || previous.homeserverUrl !== next.homeserverUrl) {
        this.store.wipe();
        this.threadRead.wipe();
        this.emitRooms();
        this.emitInvites();
      }
    });
  }

  /** Main store and sealed database in agreement; encrypted rooms the sealed database lost load again. */
  private reconcileSealed(): void {
    try {
      const { refilled, moved } = this.store.reconcileSealed();
      if (moved > 0) this.deps.log.info('moved the text of encrypted rooms out of the main store into the sealed database', { events: moved });
      if (refilled.length > 0) this.deps.log.warn('encrypted rooms load again from the server: their messages were not in the sealed database', { rooms: refilled.length });
    } catch (error) {
      this.deps.log.error('the sealed database of encrypted rooms could not be checked against the main store', { reason: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Signing out of this device: the sealed database and its key are deleted (an empty one under a new key takes its place). */
  forgetSealed(): void {
    const sealed = this.store.sealed;
    if (!sealed) return;
    sealed.forget();
    this.reconcileSealed();
    this.emitRooms();
  }

  setCircleNameProvider(provider: CircleNameProvider): void {
    this.circleName = provider;
    this.emitRooms();
  }

  /** Where poll cards read the vote behind a poll start (governance, through the core). */
  setPollVoteProvider(provider: PollVoteProvider): void {
    this.pollVote = provider;
  }

  /** Governance changed a vote: the rooms that show it as a card redraw. */
  votesChanged(roomIds: readonly string[]): void {
    for (const roomId of roomIds) if (this.store.room(roomId)) this.emitTimeline(roomId);
  }

  onRoomsChange(listener: (rooms: ChatRoomView[]) => void): () => void {
    this.roomListeners.add(listener);
    return () => this.roomListeners.delete(listener);
  }

  badge(): UnreadBadge {
    return unreadBadge(this.rooms(), this.deps.matrix.session() ? this.store.invites().length : 0);
  }

  private me(): Me {
    const session = this.deps.matrix.session();
    if (!session) throw new PlenaryError('forbidden', 'Sign in to a coop server to chat', { params: { reason: 'signed_out' } });
    return { userId: session.userId, displayName: null };
  }

  rooms(): ChatRoomView[] {
    const session = this.deps.matrix.session();
    if (!session) return [];
    const pending = new Map<string, number>();
    for (const entry of this.store.outbox()) if (entry.state !== 'sent' && entry.type === 'm.room.message') pending.set(entry.room_id, (pending.get(entry.room_id) ?? 0) + 1);
    const direct = directRooms(this.store.accountData('m.direct'));
    const rules = this.pushRules.rules();
    return this.store
      .chatRooms()
      .map((room) => {
        const heroes = roomHeroes(room);
        const last = this.store.latestShown(room.room_id);
        const other = direct.get(room.room_id) ?? null;
        const names = this.store.displayNames(room.room_id, [...heroes, ...(last ? [last.sender] : []), ...(other ? [other] : [])]);
        const directWith = other ? { userId: other, name: names.get(other) ?? other } : null;
        let lastMessage: ChatRoomView['lastMessage'] = null;
        if (last) {
          const content = JSON.parse(last.content) as Record<string, unknown>;
          const body = last.redacted ? '' : stripReplyFallback(typeof content.body === 'string' ? content.body : '');
          lastMessage = { senderName: names.get(last.sender) ?? last.sender, body: body.slice(0, 140) };
        }
        return {
          roomId: room.room_id,
          // A direct chat is named by the other person, as in Element, unless it was given a name.
          name: directWith && !room.name ? directWith.name : roomDisplayName(room, names),
          topic: room.topic,
          circleName: this.circleName(room.room_id),
          encrypted: room.encrypted === 1,
          unread: room.notification_count,
          highlights: room.highlight_count,
          lastActivity: room.last_ts,
          markedUnread: room.marked_unread === 1,
          lastMessage,
          pendingCount: pending.get(room.room_id) ?? 0,
          alias: room.canonical_alias,
          directWith,
          notifyLevel: levelFor(rules, room.room_id),
        };
      })
      .sort((a, b) => b.lastActivity - a.lastActivity || a.name.localeCompare(b.name));
  }

  invites(): ChatInviteView[] {
    if (!this.deps.matrix.session()) return [];
    return this.store.invites().map((row) => ({
      roomId: row.room_id,
      name: row.name ?? row.canonical_alias,
      topic: row.topic,
      inviter: row.inviter,
      inviterName: row.inviter_name,
      isDirect: row.is_direct === 1,
      encrypted: row.encrypted === 1,
      invitedAt: row.ts,
    }));
  }

  /** Joins the room. The invitation goes at once; the room itself comes with the next sync. */
  async acceptInvite(roomId: string): Promise<{ ok: true }> {
    const invite = this.store.invite(roomId);
    await this.answerInvite(roomId, `/_matrix/client/v3/join/${seg(roomId)}`, 'Could not join the room');
    // A direct chat joined here is one in m.direct too, as Element records it.
    if (invite?.is_direct === 1 && invite.inviter) {
      await this.recordDirect(invite.inviter, roomId).catch((error: unknown) =>
        this.deps.log.warn('direct chat not recorded in m.direct', { roomId, reason: error instanceof Error ? error.message : String(error) }),
      );
    }
    // Bring the room in now, so the page can open it; if this sync fails, the loop's next one does.
    await this.deps.matrix.syncNow().catch((error: unknown) => this.deps.log.info('room joined; it arrives with the next sync', { reason: error instanceof Error ? error.message : String(error) }));
    return { ok: true };
  }

  /** Leaves the room, which is how Matrix declines an invitation. */
  async declineInvite(roomId: string): Promise<{ ok: true }> {
    await this.answerInvite(roomId, `/_matrix/client/v3/rooms/${seg(roomId)}/leave`, 'Could not decline the invitation');
    return { ok: true };
  }

  private async answerInvite(roomId: string, path: string, what: string): Promise<void> {
    this.me();
    if (!this.store.invite(roomId)) throw new PlenaryError('not_found', `There is no invitation to ${roomId}`, { field: 'roomId', params: { reason: 'invite' } });
    try {
      await this.deps.matrix.request('POST', path, { body: {} });
    } catch (error) {
      throw asPlenaryError(error, what);
    }
    this.inviteSettled(roomId);
  }

  private inviteSettled(roomId: string): void {
    if (this.store.removeInvite(roomId)) this.emitInvites();
  }

  timeline(input: { roomId: string } & TimelineRange): ChatTimeline {
    const me = this.me();
    if (!this.store.room(input.roomId)) throw notFound(input.roomId);
    return buildTimeline(this.store, input.roomId, input, {
      me,
      elementUrl: this.deps.matrix.view().elementUrl,
      typing: this.typing.get(input.roomId) ?? [],
      pollVote: this.pollVote,
      threadReadPos: (rootId) => this.threadRead.get(rootId),
    });
  }

  /** A thread: its root and replies. A reply's id opens the thread it is in. */
  thread(input: { roomId: string; rootId: string }): ChatTimeline {
    const me = this.me();
    if (!this.store.room(input.roomId)) throw notFound(input.roomId);
    const rootId = this.threadRootFor(input.roomId, input.rootId);
    return buildTimeline(this.store, input.roomId, { limit: 1 }, { me, elementUrl: this.deps.matrix.view().elementUrl, pollVote: this.pollVote, threadRoot: rootId });
  }

  markThreadRead(input: { roomId: string; rootId: string }): { ok: true } {
    this.me();
    if (!this.store.room(input.roomId)) throw notFound(input.roomId);
    const rootId = this.threadRootFor(input.roomId, input.rootId);
    const replies = threadReplies(rootId, input.roomId, (ids) => this.store.relations(ids));
    const pos = replies.at(-1)?.pos ?? this.store.event(rootId)!.pos;
    if (this.threadRead.set(input.roomId, rootId, pos)) this.emitTimeline(input.roomId);
    return { ok: true };
  }

  /** The root of the thread an event is (or is in), refusing events of other rooms. */
  private threadRootFor(roomId: string, eventId: string): string {
    const event = this.store.event(eventId);
    if (!event || event.room_id !== roomId) {
      throw new PlenaryError('not_found', `The message ${eventId} that starts the thread is not in this room`, { field: 'rootId', params: { reason: 'thread_root' } });
    }
    // Nested threads are not allowed: a reply's thread is its root's.
    return threadRootOf(event, (id) => this.store.event(id)) ?? event.event_id;
  }

  async paginate(input: { roomId: string; gapPos?: number | undefined }): Promise<{ loaded: number; atStart: boolean }> {
    this.me();
    if (!this.store.room(input.roomId)) throw notFound(input.roomId);
    try {
      const result = await backfill(this.store, this.deps.matrix, input.roomId, input.gapPos);
      // Even with nothing new to show, the gap moved or closed: the page must redraw it.
      this.emitTimeline(input.roomId);
      return result;
    } catch (error) {
      throw asPlenaryError(error, 'Could not load older messages');
    }
  }

  send(input: { roomId: string; text: string; replyTo?: string | undefined; threadRoot?: string | undefined; mentions?: PickedMention[] | undefined }): { txnId: string } {
    const me = this.me();
    const room = this.writableRoom(input.roomId);
    let replyTo: ReplyTarget | undefined;
    if (input.replyTo) {
      const target = this.store.event(input.replyTo);
      if (!target || target.room_id !== room) {
        throw new PlenaryError('not_found', `The message ${input.replyTo} to reply to is not in this room`, { field: 'replyTo' });
      }
      const content = JSON.parse(target.content) as Record<string, unknown>;
      const isReply = (content['m.relates_to'] as Record<string, unknown> | undefined)?.['m.in_reply_to'] !== undefined;
      const html = content.format === 'org.matrix.custom.html' && typeof content.formatted_body === 'string' ? sanitizeMatrixHtml(content.formatted_body) : null;
      replyTo = { roomId: room, eventId: target.event_id, sender: target.sender, body: isReply ? stripReplyFallback(String(content.body ?? '')) : String(content.body ?? ''), html };
    }
    let thread: { rootId: string; latestEventId: string } | undefined;
    if (input.threadRoot) {
      const rootId = this.threadRootFor(room, input.threadRoot);
      const replies = threadReplies(rootId, room, (ids) => this.store.relations(ids)).filter((r) => r.shown === 1);
      thread = { rootId, latestEventId: replies.at(-1)?.event_id ?? rootId };
    }
    const joined = new Set(this.store.joinedMembers(room).map((m) => m.user_id));
    const content = composeMessage(input.text, { replyTo, ownUserId: me.userId, pills: input.mentions, isMember: (userId) => joined.has(userId), thread });
    return { txnId: this.outbox.enqueue(room, 'm.room.message', content) };
  }

  /** A message whose content is already made (a file or image once uploaded), sent through the outbox. */
  sendContent(roomId: string, content: Record<string, unknown>): { txnId: string } {
    return { txnId: this.outbox.enqueue(this.writableRoom(roomId), 'm.room.message', content) };
  }

  /** The thread a reply goes into: its root, and the thread's latest event for the reply fallback. */
  threadTarget(roomId: string, threadRoot: string): { rootId: string; latestEventId: string } {
    const rootId = this.threadRootFor(roomId, threadRoot);
    const replies = threadReplies(rootId, roomId, (ids) => this.store.relations(ids)).filter((r) => r.shown === 1);
    return { rootId, latestEventId: replies.at(-1)?.event_id ?? rootId };
  }

  /** A notice Plenary itself writes (an answer to a !log message), sent through the outbox like any message. */
  notice(roomId: string, content: Record<string, unknown>): { txnId: string } {
    return { txnId: this.outbox.enqueue(roomId, 'm.room.message', content) };
  }

  edit(input: { roomId: string; eventId: string; text: string }): { txnId: string } {
    const me = this.me();
    const room = this.writableRoom(input.roomId);
    const target = this.store.event(input.eventId);
    if (!target || target.room_id !== room || target.type !== 'm.room.message' || target.redacted) {
      throw new PlenaryError('not_found', `The message ${input.eventId} is not in this room`, { field: 'eventId' });
    }
    if (target.sender !== me.userId) throw new PlenaryError('forbidden', 'Only your own messages can be edited', { field: 'eventId', params: { reason: 'not_yours' } });
    const original = JSON.parse(target.content) as Record<string, unknown>;
    return { txnId: this.outbox.enqueue(room, 'm.room.message', composeEdit(input.eventId, input.text, String(original.body ?? ''))) };
  }

  /** Adds a reaction, or withdraws the member's own reaction with the same key. */
  react(input: { roomId: string; eventId: string; key: string }): { txnId: string } {
    const me = this.me();
    const room = this.writableRoom(input.roomId);
    if (!this.store.event(input.eventId)) throw new PlenaryError('not_found', `The message ${input.eventId} is not in this room`, { field: 'eventId' });
    // Still queued: withdrawing just removes it from the outbox. Refused: the member asks for
    // it again (the page does not show a reaction the server refused), so it is retried.
    for (const entry of this.store.outbox(room)) {
      const rel = (JSON.parse(entry.content) as { 'm.relates_to'?: { rel_type?: string; event_id?: string; key?: string } })['m.relates_to'];
      if (entry.type === 'm.reaction' && rel?.event_id === input.eventId && rel.key === input.key && entry.state !== 'sent') {
        if (entry.state === 'failed') this.store.requeue(entry.txn_id);
        else this.store.removeOutbox(entry.txn_id);
        this.roomsAndTimelineChanged(room);
        void this.outbox.flush();
        return { txnId: entry.txn_id };
      }
    }
    const mine = this.store
      .relations([input.eventId])
      .find((r) => r.type === 'm.reaction' && r.sender === me.userId && (JSON.parse(r.content) as { 'm.relates_to'?: { key?: string } })['m.relates_to']?.key === input.key);
    if (mine) return { txnId: this.outbox.enqueue(room, 'm.room.redaction', { redacts: mine.event_id }) };
    return { txnId: this.outbox.enqueue(room, 'm.reaction', composeReaction(input.eventId, input.key)) };
  }

  retry(txnId: string): { ok: true } {
    const entry = this.store.outboxEntry(txnId);
    if (!entry) throw new PlenaryError('not_found', `Nothing to retry with the id ${txnId}`, { field: 'txnId' });
    if (this.store.requeue(txnId)) this.roomsAndTimelineChanged(entry.room_id);
    void this.outbox.flush();
    return { ok: true };
  }

  discard(txnId: string): { ok: true } {
    const entry = this.store.outboxEntry(txnId);
    if (!entry) throw new PlenaryError('not_found', `Nothing to discard with the id ${txnId}`, { field: 'txnId' });
    if (entry.state === 'sent') throw new PlenaryError('conflict', 'That message has already been sent', { field: 'txnId' });
    this.store.removeOutbox(txnId);
    this.roomsAndTimelineChanged(entry.room_id);
    return { ok: true };
  }

  async markRead(input: { roomId: string; eventId?: string | undefined }): Promise<{ ok: true }> {
    this.me();
    const room = this.store.room(input.roomId);
    if (!room) throw notFound(input.roomId);
    const target = input.eventId ?? this.store.latestShown(input.roomId, ['m.room.message', 'm.sticker', 'm.room.encrypted', 'm.room.member', 'm.room.name', 'm.room.topic', 'm.room.create', 'm.room.encryption'])?.event_id;
    // Reading the room ends the member's own unread mark, as Element does on opening it.
    if (room.marked_unread === 1) this.store.updateRoom(input.roomId, { marked_unread: 0, marked_unread_pending: 0 });
    if (target && (room.fully_read !== target || room.notification_count > 0 || room.highlight_count > 0)) {
      this.store.updateRoom(input.roomId, { fully_read: target, read_pending: target, notification_count: 0, highlight_count: 0 });
      this.roomsAndTimelineChanged(input.roomId);
    } else if (room.marked_unread === 1) {
      this.emitRooms();
    }
    await this.flushRoomMarks();
    return { ok: true };
  }

  /** Sets the room's notification level as push rules (needs the coop server; Element on the member's phone follows). */
  async setNotifyLevel(input: { roomId: string; level: NotifyLevel }): Promise<{ ok: true }> {
    this.me();
    if (!this.store.room(input.roomId)) throw notFound(input.roomId);
    await this.pushRules.setLevel(input.roomId, input.level);
    return { ok: true };
  }

  /** The member's keywords (their own content push rules). */
  keywords(): string[] {
    if (!this.deps.matrix.session()) return [];
    return this.pushRules.keywords();
  }

  async addKeyword(input: { keyword: string }): Promise<string[]> {
    this.me();
    await this.pushRules.addKeyword(input.keyword);
    return this.pushRules.keywords();
  }

  async removeKeyword(input: { keyword: string }): Promise<string[]> {
    this.me();
    await this.pushRules.removeKeyword(input.keyword);
    return this.pushRules.keywords();
  }

  /**
   * Marks a room as unread, or takes the mark away (MSC2867): kept here at once and sent to
   * the member's room account data when online, so their other devices show it too.
   */
  async markUnread(input: { roomId: string; unread: boolean }): Promise<{ ok: true }> {
    this.me();
    const room = this.store.room(input.roomId);
    if (!room) throw notFound(input.roomId);
    const flag = input.unread ? 1 : 0;
    if (room.marked_unread !== flag || room.marked_unread_pending !== null) {
      this.store.updateRoom(input.roomId, { marked_unread: flag, marked_unread_pending: flag });
      this.emitRooms();
    }
    await this.flushRoomMarks();
    return { ok: true };
  }

  /**
   * Tells the room this member is typing, or has stopped. Best effort, as in Element: sent at
   * most every few seconds while typing, never queued, and nothing is said when offline.
   */
  async setTyping(input: { roomId: string; typing: boolean }): Promise<{ ok: true }> {
    const me = this.me();
    this.writableRoom(input.roomId);
    const now = this.deps.clock.now();
    const last = this.typingSent.get(input.roomId);
    if (input.typing ? last !== undefined && now - last < typingResendMs : last === undefined) return { ok: true };
    if (input.typing) this.typingSent.set(input.roomId, now);
    else this.typingSent.delete(input.roomId);
    try {
      await this.deps.matrix.request('PUT', `/_matrix/client/v3/rooms/${seg(input.roomId)}/typing/${seg(me.userId)}`, {
        body: input.typing ? { typing: true, timeout: typingTimeoutMs } : { typing: false },
      });
    } catch (error) {
      if (input.typing) this.typingSent.delete(input.roomId);
      this.deps.log.debug('typing notice not sent', { roomId: input.roomId, reason: error instanceof Error ? error.message : String(error) });
    }
    return { ok: true };
  }

  /** Joined members for `@` autocomplete: the cache, first refreshed from the server when it answers. */
  async members(roomId: string): Promise<ChatMemberView[]> {
    this.me();
    if (!this.store.room(roomId)) throw notFound(roomId);
    // Members load lazily in /sync: those who never spoke are not cached until asked for.
    if (!this.deps.matrix.view().paused) {
      try {
        const answer = (await this.deps.matrix.request('GET', `/_matrix/client/v3/rooms/${seg(roomId)}/joined_members`)) as { joined?: Record<string, { display_name?: unknown }> };
        const joined = answer?.joined && typeof answer.joined === 'object' ? answer.joined : {};
        this.store.transaction(() => {
          const now = new Set(Object.keys(joined));
          for (const [userId, info] of Object.entries(joined)) {
            const name = typeof info?.display_name === 'string' && info.display_name.trim() !== '' ? info.display_name : null;
            this.store.setMember(roomId, userId, name, 'join');
          }
          for (const m of this.store.joinedMembers(roomId)) if (!now.has(m.user_id)) this.store.setMember(roomId, m.user_id, m.display_name, 'leave');
        });
      } catch (error) {
        this.deps.log.debug('member list from the cache', { roomId, reason: error instanceof Error ? error.message : String(error) });
      }
    }
    return this.store.joinedMembers(roomId).map((m) => ({ userId: m.user_id, displayName: m.display_name }));
  }

  /**
   * The direct chat with this person: the one already in m.direct if the member is in it,
   * else a new one created as Element does (is_direct, trusted_private_chat, the person
   * invited) and recorded in m.direct. Creating needs the server; it is not queued.
   */
  async startDirect(userId: string): Promise<{ roomId: string; created: boolean }> {
    const me = this.me();
    if (userId === me.userId) throw new PlenaryError('invalid_input', 'A direct chat is with someone else, not with yourself', { field: 'userId', params: { reason: 'self' } });
    const existing = existingDirectRoom(this.store.accountData('m.direct'), userId, (roomId) => this.store.room(roomId) !== undefined);
    if (existing) return { roomId: existing, created: false };
    if (this.deps.matrix.view().paused) throw new PlenaryError('offline', 'Starting a direct chat needs the coop server: connect and try again', { params: { reason: 'direct' } });
    let roomId: string;
    try {
      const created = (await this.deps.matrix.request('POST', '/_matrix/client/v3/createRoom', {
        body: { is_direct: true, preset: 'trusted_private_chat', invite: [userId] },
      })) as { room_id?: unknown };
      if (typeof created?.room_id !== 'string') throw new PlenaryError('remote_error', 'Could not start the direct chat: the server gave no room id');
      roomId = created.room_id;
    } catch (error) {
      throw asPlenaryError(error, 'Could not start the direct chat');
    }
    try {
      await this.recordDirect(userId, roomId);
    } catch (error) {
      this.deps.log.warn('direct chat not recorded in m.direct', { roomId, reason: error instanceof Error ? error.message : String(error) });
    }
    await this.deps.matrix.syncNow().catch((error: unknown) => this.deps.log.info('direct chat created; it arrives with the next sync', { reason: error instanceof Error ? error.message : String(error) }));
    return { roomId, created: true };
  }

  /** Adds the room to the person's entry in m.direct (read fresh from the server, so other devices' entries stay). */
  private async recordDirect(userId: string, roomId: string): Promise<void> {
    const me = this.me();
    const path = `/_matrix/client/v3/user/${seg(me.userId)}/account_data/m.direct`;
    let current: unknown = this.store.accountData('m.direct');
    try {
      current = await this.deps.matrix.request('GET', path);
    } catch (error) {
      if (!(error instanceof MatrixHttpError && error.status === 404)) throw error;
    }
    const next = withDirectRoom(current, userId, roomId);
    await this.deps.matrix.request('PUT', path, { body: next });
    if (this.store.setAccountData('m.direct', next)) this.emitRooms();
  }

  /** Waits for the outbox to drain (tests and shutdown). */
  flushOutbox(): Promise<void> {
    return this.outbox.flush();
  }

  /** Sends the read markers and unread marks set while offline (or just now). */
  private async flushRoomMarks(): Promise<void> {
    for (const room of this.store.rooms()) {
      if (room.marked_unread_pending !== null && !(await this.sendMarkedUnread(room.room_id, room.marked_unread_pending))) return;
      const target = room.read_pending;
      if (!target) continue;
      try {
        await this.deps.matrix.request('POST', `/_matrix/client/v3/rooms/${seg(room.room_id)}/read_markers`, {
          // A private receipt tells the member's own devices where they stopped, and nobody else (as Element's setting).
          body: { 'm.fully_read': target, [this.deps.settings.read('privateReadReceipts') ? 'm.read.private' : 'm.read']: target },
        });
        if (this.store.room(room.room_id)?.read_pending === target) this.store.updateRoom(room.room_id, { read_pending: null });
      } catch (error) {
        if (error instanceof MatrixNetworkError) return;
        this.deps.log.warn('read marker refused', { roomId: room.room_id, reason: error instanceof Error ? error.message : String(error) });
        // A marker the server refuses (e.g. an event it does not know) is not retried forever.
        if (error instanceof MatrixHttpError && error.status < 500 && error.status !== 429) this.store.updateRoom(room.room_id, { read_pending: null });
      }
    }
  }

  /** False when the server cannot be reached (the rest waits for the next connection). */
  private async sendMarkedUnread(roomId: string, flag: number): Promise<boolean> {
    const session = this.deps.matrix.session();
    if (!session) return false;
    try {
      await this.deps.matrix.request('PUT', `/_matrix/client/v3/user/${seg(session.userId)}/rooms/${seg(roomId)}/account_data/${markedUnreadType}`, { body: { unread: flag === 1 } });
    } catch (error) {
      if (error instanceof MatrixNetworkError) return false;
      this.deps.log.warn('unread mark refused', { roomId, reason: error instanceof Error ? error.message : String(error) });
      // Waiting out a rate limit or a server error: tried again with the next connection.
      if (!(error instanceof MatrixHttpError) || error.status >= 500 || error.status === 429) return false;
    }
    if (this.store.room(roomId)?.marked_unread_pending === flag) this.store.updateRoom(roomId, { marked_unread_pending: null });
    return true;
  }

  private writableRoom(roomId: string): string {
    const room = this.store.room(roomId);
    if (!room) throw notFound(roomId);
    // Encrypted rooms too: the connection encrypts what is sent there (crypto/crypto-service.ts).
    return roomId;
  }

  private synced(changes: SyncChanges): void {
    for (const [roomId, users] of changes.typing) {
      const before = this.typing.get(roomId) ?? [];
      if (before.length === users.length && before.every((id, i) => id === users[i])) continue;
      this.typing.set(roomId, users);
      changes.timelines.add(roomId);
    }
    for (const roomId of changes.timelines) this.emitTimeline(roomId);
    if (changes.rooms) this.emitRooms();
    if (changes.invites) this.emitInvites();
    if (changes.live.length > 0) this.notifyMentions(changes.live);
    if (changes.newDirectInvites.length > 0) this.notifyDirectInvites(changes.newDirectInvites);
  }

  /** A new invitation to a direct chat is a desktop notification, unless Do not disturb is on. */
  private notifyDirectInvites(roomIds: string[]): void {
    if (!this.deps.matrix.session() || this.deps.settings.read('doNotDisturb')) return;
    for (const roomId of roomIds) {
      const invite = this.store.invite(roomId);
      if (!invite) continue;
      const senderName = invite.inviter_name ?? invite.inviter ?? roomId;
      try {
        this.deps.notifier.notify({ kind: 'directInvite', roomId, eventId: roomId, roomName: invite.name ?? senderName, senderName, body: '' });
      } catch (error) {
        this.deps.log.warn('could not show a notification', { reason: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  private notifyMentions(live: { roomId: string; event: MatrixRawEvent }[]): void {
    const session = this.deps.matrix.session();
    if (!session) return;
    const doNotDisturb = this.deps.settings.read('doNotDisturb');
    const now = this.deps.clock.now();
    const rules = this.pushRules.rules();
    const keywords = this.pushRules.keywords();
    for (const { roomId, event } of live) {
      const names = this.store.displayNames(roomId, [session.userId, event.sender]);
      const me: Me = { userId: session.userId, displayName: names.get(session.userId) ?? null };
      const relation = relationOf(event.content);
      const notify = shouldNotify({
        live: true,
        fromMe: event.sender === session.userId,
        // A thread reply is a new message (it can mention someone); edits and the like are not.
        isRelation: relation !== null && relation.relType !== 'm.thread',
        isMessage: event.type === 'm.room.message' && event.unsigned?.redacted_because === undefined,
        mentioned: mentionsMe(event.content, me),
        keyword: typeof event.content.body === 'string' && matchesKeyword(event.content.body, keywords),
        level: levelFor(rules, roomId),
        doNotDisturb,
        ageMs: now - event.origin_server_ts,
      });
      if (!notify) continue;
      const room = this.store.room(roomId);
      const isReply = (event.content['m.relates_to'] as Record<string, unknown> | undefined)?.['m.in_reply_to'] !== undefined;
      const body = typeof event.content.body === 'string' ? event.content.body : '';
      const notification: ChatNotification = {
        roomId,
        eventId: event.event_id,
        roomName: this.circleName(roomId) ?? (room ? roomDisplayName(room, names) : roomId),
        senderName: names.get(event.sender) ?? event.sender,
        body: (isReply ? stripReplyFallback(body) : body).slice(0, 200),
      };
      try {
        this.deps.notifier.notify(notification);
      } catch (error) {
        this.deps.log.warn('could not show a notification', { reason: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  private roomsAndTimelineChanged(roomId: string): void {
    this.emitTimeline(roomId);
    this.emitRooms();
  }

  private emitTimeline(roomId: string): void {
    this.deps.events.emit('chat.timeline', { roomId });
  }

  private emitInvites(): void {
    this.deps.events.emit('chat.invites', this.invites());
    // The badge and tray count invitations too.
    if (this.roomListeners.size === 0) return;
    const rooms = this.rooms();
    for (const listener of this.roomListeners) listener(rooms);
  }

  private emitRooms(): void {
    const rooms = this.rooms();
    this.deps.events.emit('chat.rooms', rooms);
    for (const listener of this.roomListeners) listener(rooms);
  }
}

function asPlenaryError(error: unknown, what: string): PlenaryError {
  if (error instanceof PlenaryError) return error;
  if (error instanceof MatrixNetworkError) return new PlenaryError('offline', `${what}: the coop server cannot be reached`, { cause: error });
  if (error instanceof MatrixHttpError) {
    if (error.status === 429) return new PlenaryError('rate_limited', `${what}: rate limited`, { cause: error });
    return new PlenaryError('remote_error', `${what}: ${error.errcode} ${error.message}`, { params: { detail: `${error.errcode}: ${error.message}` }, cause: error });
  }
  return new PlenaryError('internal', `${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}
