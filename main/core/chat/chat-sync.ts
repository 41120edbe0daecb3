// The chat's SyncConsumer: writes each /sync batch into the local cache in one
// transaction (idempotent: events are keyed by id, so a retried batch changes nothing),
// records a gap where the server skipped events (`limited`), settles the outbox when our
// own messages come back, and reports which rooms changed and which new events might
// deserve a notification.
import type { MatrixRawEvent, SyncConsumer, SyncJoinedRoom, SyncResponse } from '../matrix/matrix-connection';
import { gapSpace, isShown, type ChatStore } from './chat-store';
import { applyStateEvent } from './room-state';
import { parseInvite } from './invites';
import { markedUnreadFlag } from './marked-unread';
import { readReceipts, typingUsers } from './receipts';

export interface SyncChanges {
  rooms: boolean;
  /** Invitations came or went. */
  invites: boolean;
  timelines: Set<string>;
  /** New live events (not from an initial sync) that may mention the member. */
  live: { roomId: string; event: MatrixRawEvent }[];
  /** Who is typing now, per room whose list the server sent (the whole list each time). */
  typing: Map<string, string[]>;
  /** Invitations to direct chats that arrived in a live sync and were not known before. */
  newDirectInvites: string[];
}

export class ChatSync implements SyncConsumer {
  readonly name = 'chat';

  constructor(
    private readonly store: ChatStore,
    private readonly changed: (changes: SyncChanges) => void,
    /** The signed-in member (to find their own invitation in the stripped state), and the time. */
    private readonly context: { me(): string | null; now(): number } = { me: () => null, now: () => Date.now() },
  ) {}

  onSync(response: SyncResponse, context: { initial: boolean }): void {
    const changes: SyncChanges = { rooms: false, invites: false, timelines: new Set(), live: [], typing: new Map(), newDirectInvites: [] };
    this.store.transaction(() => {
      // Which rooms are direct chats (m.direct), kept whole so it can be updated later.
      const direct = response.account_data?.events.findLast((e) => e.type === 'm.direct');
      if (direct && this.store.setAccountData('m.direct', direct.content)) changes.rooms = true;
      // The member's push rules (room levels, keywords), changed here or in Element.
      const pushRules = response.account_data?.events.findLast((e) => e.type === 'm.push_rules');
      if (pushRules && this.store.setAccountData('m.push_rules', pushRules.content)) changes.rooms = true;
      for (const [roomId, invite] of Object.entries(response.rooms?.invite ?? {})) {
        const row = parseInvite(roomId, invite, this.context.me(), this.context.now());
        if (row && row.is_direct === 1 && !context.initial && !this.store.invite(roomId)) changes.newDirectInvites.push(roomId);
        if (row) this.store.putInvite(row);
        else this.store.removeInvite(roomId);
        changes.invites = true;
      }
      for (const [roomId, room] of Object.entries(response.rooms?.join ?? {})) {
        if (this.store.removeInvite(roomId)) changes.invites = true;
        this.joined(roomId, room, context.initial, changes);
      }
      for (const roomId of Object.keys(response.rooms?.leave ?? {})) {
        // Leaving also ends an invitation: declined here or elsewhere, or withdrawn.
        if (this.store.removeInvite(roomId)) changes.invites = true;
        if (!this.store.room(roomId)) continue;
        this.store.forgetRoom(roomId);
        changes.rooms = true;
      }
    });
    if (changes.rooms || changes.invites || changes.timelines.size > 0 || changes.typing.size > 0) this.changed(changes);
  }

  private joined(roomId: string, room: SyncJoinedRoom, initial: boolean, changes: SyncChanges): void {
    const store = this.store;
    if (store.ensureRoom(roomId)) changes.rooms = true;
    for (const event of room.state?.events ?? []) applyStateEvent(store, roomId, event);
    const heroes = (room as { summary?: { 'm.heroes'?: unknown } }).summary?.['m.heroes'];
    if (Array.isArray(heroes)) store.updateRoom(roomId, { heroes: JSON.stringify(heroes.filter((h) => typeof h === 'string')) });
    if (room.state?.events.length || heroes) changes.rooms = true;

    const timeline = room.timeline?.events ?? [];
    // Events that could not be decrypted before and now could (their room key came later).
    for (const event of timeline) if (store.replaceUndecrypted(roomId, event)) changes.timelines.add(roomId);
    const fresh = timeline.filter((event) => !store.hasEvent(event.event_id));
    if (fresh.length > 0) {
      const row = store.room(roomId)!;
      const prevBatch = room.timeline?.prev_batch;
      let start = row.next_pos;
      if (row.next_pos === 0) {
        // First events of this room: whatever came before is history to back-fill on
        // demand, unless the batch reaches back to the room's creation.
        const fromCreation = fresh.some((event) => event.type === 'm.room.create');
        if (prevBatch && !fromCreation) store.addGap({ room_id: roomId, before_pos: start, token: prevBatch, next_pos: start - 1 });
      } else if (room.timeline?.limited && fresh.length === timeline.length && prevBatch) {
        // The server skipped events between what we have and this batch.
        start += gapSpace;
        store.addGap({ room_id: roomId, before_pos: start, token: prevBatch, next_pos: start - 1 });
        store.dropSent(roomId);
      }
      let lastTs = row.last_ts;
      fresh.forEach((event, i) => {
        store.insertEvent(roomId, start + i, event);
        this.apply(roomId, event, changes);
        if (isShown(event) && event.type !== 'm.room.member') lastTs = Math.max(lastTs, event.origin_server_ts);
        if (!initial) changes.live.push({ roomId, event });
      });
      store.updateRoom(roomId, { next_pos: start + fresh.length, last_ts: lastTs });
      changes.timelines.add(roomId);
      changes.rooms = true;
    }

    const current = store.room(roomId)!;
    // A read marker set offline wins until it reached the server.
    if (current.read_pending === null) {
      const counts = room.unread_notifications;
      if (counts && (counts.notification_count !== undefined || counts.highlight_count !== undefined)) {
        const notification = counts.notification_count ?? current.notification_count;
        const highlight = counts.highlight_count ?? current.highlight_count;
        if (notification !== current.notification_count || highlight !== current.highlight_count) {
          store.updateRoom(roomId, { notification_count: notification, highlight_count: highlight });
          changes.rooms = true;
        }
      }
      const fullyRead = room.account_data?.events.find((e) => e.type === 'm.fully_read')?.content.event_id;
      if (typeof fullyRead === 'string' && fullyRead !== current.fully_read) {
        store.updateRoom(roomId, { fully_read: fullyRead });
        changes.timelines.add(roomId);
      }
    }
    for (const event of room.ephemeral?.events ?? []) {
      if (event.type === 'm.typing') changes.typing.set(roomId, typingUsers(event.content));
      if (event.type === 'm.receipt') {
        for (const receipt of readReceipts(event.content)) if (store.setReceipt(roomId, receipt.userId, receipt.eventId, receipt.ts)) changes.timelines.add(roomId);
      }
    }
    // The unread mark from another device; one set here and not yet sent wins until it is.
    const markedUnread = markedUnreadFlag(room.account_data?.events ?? []);
    if (markedUnread !== null && current.marked_unread_pending === null && markedUnread !== (current.marked_unread === 1)) {
      store.updateRoom(roomId, { marked_unread: markedUnread ? 1 : 0 });
      changes.rooms = true;
    }
  }

  private apply(roomId: string, event: MatrixRawEvent, changes: SyncChanges): void {
    applyStateEvent(this.store, roomId, event);
    if (event.type === 'm.room.redaction') {
      // Room versions up to 10 put the target at the top level, version 11 in the content.
      const target = event.redacts ?? (typeof event.content.redacts === 'string' ? event.content.redacts : undefined);
      if (target) this.store.redact(target);
    }
    const txnId = typeof event.unsigned?.transaction_id === 'string' ? event.unsigned.transaction_id : null;
    const settled = this.store.settleEcho(event.event_id, txnId);
    if (settled) changes.timelines.add(settled);
  }
}
