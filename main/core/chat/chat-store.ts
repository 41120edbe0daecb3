// SQL for the chat cache (tables created by migration 20261122T0310-chat-cache). Only
// storage here; what the rows mean is decided by the sync consumer, the back-filler, the
// outbox and the timeline builder.
import type { Db } from '../store/database';
import type { MatrixRawEvent } from '../matrix/matrix-connection';
import type { SealedChat, SealedEventRow } from './sealed-chat';
import { ChatSearchIndex } from './chat-search-index';
import { isPlaceholder, placeholderContent, sealedPrefix, sealsEvent } from './sealed-content';

/** Room between a batch that follows a gap and what came before it, for the gap's events. */
export const gapSpace = 2 ** 32;

export interface RoomRow {
  room_id: string;
  name: string | null;
  topic: string | null;
  canonical_alias: string | null;
  heroes: string;
  encrypted: number;
  notification_count: number;
  highlight_count: number;
  fully_read: string | null;
  read_pending: string | null;
  last_ts: number;
  next_pos: number;
  /** m.room.create's type: 'm.space' for a space, null for a room people talk in. */
  room_type: string | null;
  /** 1 when the member marked the room unread (MSC2867), here or on another device. */
  marked_unread: number;
  /** The flag set here that has not reached the server yet (0 or 1), or null. */
  marked_unread_pending: number | null;
}

export interface EventRow {
  event_id: string;
  room_id: string;
  pos: number;
  type: string;
  sender: string;
  ts: number;
  state_key: string | null;
  content: string;
  rel_type: string | null;
  relates_to: string | null;
  redacted: number;
  shown: number;
  txn_id: string | null;
}

export interface GapRow {
  room_id: string;
  before_pos: number;
  token: string;
  next_pos: number;
}

export interface InviteRow {
  room_id: string;
  name: string | null;
  canonical_alias: string | null;
  topic: string | null;
  inviter: string | null;
  inviter_name: string | null;
  is_direct: number;
  encrypted: number;
  ts: number;
}

export interface OutboxRow {
  seq: number;
  txn_id: string;
  room_id: string;
  type: string;
  content: string;
  state: 'queued' | 'sent' | 'failed';
  event_id: string | null;
  error: string | null;
  created_at: number;
}

/** A message of its own (not an edit): the member reads it in order with what follows it. */
export function holdsBackLaterEntries(row: Pick<OutboxRow, 'type' | 'content'>): boolean {
  if (row.type !== 'm.room.message') return false;
  try {
    const content = JSON.parse(row.content) as { 'm.relates_to'?: { rel_type?: unknown } };
    return content['m.relates_to']?.rel_type !== 'm.replace';
  } catch {
    return true;
  }
}

/** Poll starts are shown as cards (chat/poll-card.ts); their answers and ends only update the card. */
export const pollStartTypes: readonly string[] = ['org.matrix.msc3381.poll.start', 'm.poll.start'];

const shownTypes = new Set(['m.room.message', 'm.sticker', 'm.room.encrypted', 'm.room.member', 'm.room.name', 'm.room.topic', 'm.room.create', 'm.room.encryption', ...pollStartTypes]);

export function relationOf(content: Record<string, unknown>): { relType: string; eventId: string } | null {
  const rel = content['m.relates_to'] as { rel_type?: unknown; event_id?: unknown } | undefined;
  if (!rel || typeof rel.rel_type !== 'string' || typeof rel.event_id !== 'string') return null;
  return { relType: rel.rel_type, eventId: rel.event_id };
}

/** Whether an event is a row in the timeline (edits, reactions, redactions and unknown types are not). */
export function isShown(event: Pick<MatrixRawEvent, 'type' | 'content'>): boolean {
  if (!shownTypes.has(event.type)) return false;
  return relationOf(event.content)?.relType !== 'm.replace';
}

function parseObject(json: string): Record<string, unknown> {
  try {
    const value = JSON.parse(json) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export class ChatStore {
  /**
   * `sealed`: where the content of encrypted rooms' events is kept (sealed-chat.ts); without
   * it (tests, the bench) every content stays in the main store.
   */
  constructor(
    private readonly db: Db,
    readonly sealed: SealedChat | null = null,
  ) {}

  transaction<T>(fn: () => T): T {
    const sealed = this.sealed;
    return this.db.transaction(sealed ? () => sealed.transaction(fn) : fn)();
  }

  /** Rows with their sealed content put back in place of the main store's placeholder. */
  private unsealed<R extends { event_id: string; content: string } | undefined>(rows: R[]): R[] {
    if (!this.sealed) return rows;
    const ids = rows.filter((row) => row !== undefined && isPlaceholder(row.content)).map((row) => row!.event_id);
    if (ids.length === 0) return rows;
    const contents = this.sealed.contents(ids);
    // A placeholder whose content is gone (the sealed file was set aside) reads as an empty content until the room loads again.
    return rows.map((row) => (row !== undefined && isPlaceholder(row.content) ? { ...row, content: contents.get(row.event_id) ?? '{}' } : row));
  }

  // --- rooms ---

  room(roomId: string): RoomRow | undefined {
    return this.db.prepare('SELECT * FROM chat_rooms WHERE room_id = ?').get(roomId) as RoomRow | undefined;
  }

  rooms(): RoomRow[] {
    return this.db.prepare('SELECT * FROM chat_rooms').all() as RoomRow[];
  }

  /** Rooms people talk in: spaces (the coop's, or any other) are joined but hold no chat. */
  chatRooms(): RoomRow[] {
    return this.db.prepare("SELECT * FROM chat_rooms WHERE room_type IS NULL OR room_type != 'm.space'").all() as RoomRow[];
  }

  /** Creates the room row if needed; returns true when it is new. */
  ensureRoom(roomId: string): boolean {
    return this.db.prepare('INSERT OR IGNORE INTO chat_rooms (room_id) VALUES (?)').run(roomId).changes > 0;
  }

  updateRoom(roomId: string, fields: Partial<Omit<RoomRow, 'room_id'>>): void {
    const keys = Object.keys(fields);
    if (keys.length === 0) return;
    this.db.prepare(`UPDATE chat_rooms SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE room_id = @room_id`).run({ ...fields, room_id: roomId });
  }

  forgetRoom(roomId: string): void {
    this.sealed?.deleteRoom(roomId);
    this.sealed?.deleteOutbox(this.db.prepare('SELECT txn_id FROM chat_outbox WHERE room_id = ?').pluck().all(roomId) as string[]);
    for (const table of ['chat_events', 'chat_members', 'chat_gaps', 'chat_outbox', 'chat_rooms', 'chat_invites', 'chat_receipts']) {
      this.db.prepare(`DELETE FROM ${table} WHERE room_id = ?`).run(roomId);
    }
  }

  wipe(): void {
    this.sealed?.wipe();
    this.db.exec('DELETE FROM chat_events; DELETE FROM chat_members; DELETE FROM chat_gaps; DELETE FROM chat_outbox; DELETE FROM chat_rooms; DELETE FROM chat_invites; DELETE FROM chat_receipts; DELETE FROM chat_account_data;');
  }

  // --- global account data (m.direct) ---

  accountData(type: string): unknown {
    const row = this.db.prepare('SELECT content FROM chat_account_data WHERE type = ?').get(type) as { content: string } | undefined;
    return row ? (JSON.parse(row.content) as unknown) : null;
  }

  /** True when it changed. */
  setAccountData(type: string, content: unknown): boolean {
    const json = JSON.stringify(content);
    const old = this.db.prepare('SELECT content FROM chat_account_data WHERE type = ?').get(type) as { content: string } | undefined;
    if (old?.content === json) return false;
    this.db.prepare('INSERT OR REPLACE INTO chat_account_data (type, content) VALUES (?, ?)').run(type, json);
    return true;
  }

  /** Members of the room whose membership is join, with their display names. */
  joinedMembers(roomId: string): { user_id: string; display_name: string | null }[] {
    return this.db
      .prepare("SELECT user_id, display_name FROM chat_members WHERE room_id = ? AND membership = 'join' ORDER BY user_id")
      .all(roomId) as { user_id: string; display_name: string | null }[];
  }

  // --- invitations ---

  putInvite(row: InviteRow): void {
    this.db
      .prepare(
        `INSERT INTO chat_invites (room_id, name, canonical_alias, topic, inviter, inviter_name, is_direct, encrypted, ts)
         VALUES (@room_id, @name, @canonical_alias, @topic, @inviter, @inviter_name, @is_direct, @encrypted, @ts)
         ON CONFLICT(room_id) DO UPDATE SET name = excluded.name, canonical_alias = excluded.canonical_alias, topic = excluded.topic,
           inviter = excluded.inviter, inviter_name = excluded.inviter_name, is_direct = excluded.is_direct, encrypted = excluded.encrypted`,
      )
      .run(row);
  }

  invites(): InviteRow[] {
    return this.db.prepare('SELECT * FROM chat_invites ORDER BY ts DESC, room_id').all() as InviteRow[];
  }

  invite(roomId: string): InviteRow | undefined {
    return this.db.prepare('SELECT * FROM chat_invites WHERE room_id = ?').get(roomId) as InviteRow | undefined;
  }

  /** Returns true when there was an invitation to remove. */
  removeInvite(roomId: string): boolean {
    return this.db.prepare('DELETE FROM chat_invites WHERE room_id = ?').run(roomId).changes > 0;
  }

  // --- events ---

  hasEvent(eventId: string): boolean {
    return this.db.prepare('SELECT 1 FROM chat_events WHERE event_id = ?').get(eventId) !== undefined;
  }

  event(eventId: string): EventRow | undefined {
    return this.unsealed([this.db.prepare('SELECT * FROM chat_events WHERE event_id = ?').get(eventId) as EventRow | undefined])[0];
  }

  /**
   * Records that userId has read up to eventId, unless an earlier event: receipts only move
   * forward (by the events' order in the room when both are cached, else by time). True when
   * it moved.
   */
  setReceipt(roomId: string, userId: string, eventId: string, ts: number): boolean {
    const old = this.db.prepare('SELECT event_id, ts FROM chat_receipts WHERE room_id = ? AND user_id = ?').get(roomId, userId) as { event_id: string; ts: number } | undefined;
    if (old?.event_id === eventId) return false;
    if (old) {
      const pos = new Map(this.events([old.event_id, eventId]).map((row) => [row.event_id, row.pos]));
      const before = pos.get(old.event_id);
      const after = pos.get(eventId);
      if (before !== undefined && after !== undefined ? after <= before : ts < old.ts) return false;
    }
    this.db.prepare('INSERT OR REPLACE INTO chat_receipts (room_id, user_id, event_id, ts) VALUES (?, ?, ?, ?)').run(roomId, userId, eventId, ts);
    return true;
  }

  receipts(roomId: string): { user_id: string; event_id: string }[] {
    return this.db.prepare('SELECT user_id, event_id FROM chat_receipts WHERE room_id = ?').all(roomId) as { user_id: string; event_id: string }[];
  }

  events(eventIds: readonly string[]): EventRow[] {
    if (eventIds.length === 0) return [];
    return this.unsealed(this.db.prepare(`SELECT * FROM chat_events WHERE event_id IN (${eventIds.map(() => '?').join(',')})`).all(...eventIds) as EventRow[]);
  }

  /** An event kept encrypted (its key had not come) now decrypted: it takes the encrypted one's place. */
  replaceUndecrypted(roomId: string, event: MatrixRawEvent): boolean {
    if (event.type === 'm.room.encrypted') return false;
    const row = this.db.prepare(`SELECT pos FROM chat_events WHERE event_id = ? AND room_id = ? AND type = 'm.room.encrypted'`).get(event.event_id, roomId) as { pos: number } | undefined;
    if (!row) return false;
    this.db.prepare('DELETE FROM chat_events WHERE event_id = ?').run(event.event_id);
    this.insertEvent(roomId, row.pos, event);
    return true;
  }

  insertEvent(roomId: string, pos: number, event: MatrixRawEvent): void {
    const relation = relationOf(event.content);
    const redacted = event.unsigned?.redacted_because !== undefined;
    // Unknown types are kept as markers (for gap detection) without their content.
    const content = JSON.stringify(
      isShown(event) || relation || event.type === 'm.reaction' ? { ...event.content, ...(event.unsigned?.prev_content ? { 'plenary.prev_content': event.unsigned.prev_content } : {}) } : {},
    );
    const sealed = this.sealed && sealsEvent(this.roomEncrypted(roomId), event) ? this.sealed : null;
    const inserted = this.db
      .prepare(
        `INSERT OR IGNORE INTO chat_events (event_id, room_id, pos, type, sender, ts, state_key, content, rel_type, relates_to, redacted, shown, txn_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        event.event_id,
        roomId,
        pos,
        event.type,
        event.sender,
        event.origin_server_ts,
        event.state_key ?? null,
        sealed ? placeholderContent(event.content) : content,
        relation?.relType ?? null,
        relation?.eventId ?? null,
        redacted ? 1 : 0,
        isShown(event) ? 1 : 0,
        typeof event.unsigned?.transaction_id === 'string' ? event.unsigned.transaction_id : null,
      ).changes > 0;
    if (sealed && inserted) {
      sealed.put({
        event_id: event.event_id,
        room_id: roomId,
        pos,
        type: event.type,
        sender: event.sender,
        ts: event.origin_server_ts,
        content,
        rel_type: relation?.relType ?? null,
        relates_to: relation?.eventId ?? null,
        redacted: redacted ? 1 : 0,
        shown: isShown(event) ? 1 : 0,
      });
    }
  }

  private roomEncrypted(roomId: string): boolean {
    return (this.db.prepare('SELECT encrypted FROM chat_rooms WHERE room_id = ?').pluck().get(roomId) as number | undefined) === 1;
  }

  /**
   * Brings the main store and the sealed database into agreement (at start):
   * - content of encrypted rooms still in the main store (cached before it was sealed) moves
   *   to the sealed database, and the main store's search index and free pages lose it;
   * - an encrypted room with placeholders the sealed database lacks (its file was set aside)
   *   is emptied and loads again from the server: its events go, and one gap at its newest
   *   point, with no token (back-fill then starts from the server's latest), takes their place.
   */
  reconcileSealed(): { refilled: string[]; moved: number } {
    const sealed = this.sealed;
    if (!sealed) return { refilled: [], moved: 0 };
    const encryptedRows = `FROM chat_events e JOIN chat_rooms r ON r.room_id = e.room_id WHERE r.encrypted = 1 AND e.state_key IS NULL AND e.type != 'm.room.encrypted'`;
    const held = sealed.eventIds();
    const missing = new Set<string>();
    for (const row of this.db.prepare(`SELECT e.event_id, e.room_id ${encryptedRows} AND substr(e.content, 1, ${sealedPrefix.length}) = ?`).iterate(sealedPrefix) as Iterable<{ event_id: string; room_id: string }>) {
      if (!held.has(row.event_id)) missing.add(row.room_id);
    }
    const plain = this.db
      .prepare(
        `SELECT e.event_id, e.room_id, e.pos, e.type, e.sender, e.ts, e.content, e.rel_type, e.relates_to, e.redacted, e.shown ${encryptedRows}
           AND substr(e.content, 1, ${sealedPrefix.length}) != ? AND e.redacted = 0 AND e.content != '{}'`,
      )
      .all(sealedPrefix) as SealedEventRow[];
    // Freed bytes are overwritten with zeros while plain text leaves the main store.
    if (plain.length > 0) this.db.pragma('secure_delete = ON');
    this.transaction(() => {
      const hide = this.db.prepare('UPDATE chat_events SET content = ? WHERE event_id = ?');
      for (const row of plain) {
        if (missing.has(row.room_id)) continue;
        sealed.put(row);
        hide.run(placeholderContent(JSON.parse(row.content) as Record<string, unknown>), row.event_id);
      }
      for (const roomId of missing) {
        const room = this.room(roomId)!;
        sealed.deleteRoom(roomId);
        this.db.prepare('DELETE FROM chat_events WHERE room_id = ?').run(roomId);
        this.db.prepare('DELETE FROM chat_gaps WHERE room_id = ?').run(roomId);
        this.addGap({ room_id: roomId, before_pos: room.next_pos, token: '', next_pos: room.next_pos - 1 });
      }
    });
    if (plain.length > 0) {
      // The main index drops the moved text now, its segments are merged without it, and the write-ahead log is emptied.
      new ChatSearchIndex(this.db).refresh();
      this.db.exec("INSERT INTO chat_search_fts (chat_search_fts) VALUES ('optimize')");
      this.db.pragma('secure_delete = OFF');
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    }
    return { refilled: [...missing], moved: plain.filter((row) => !missing.has(row.room_id)).length };
  }

  redact(eventId: string): void {
    this.db.prepare("UPDATE chat_events SET redacted = 1, content = '{}' WHERE event_id = ?").run(eventId);
    this.sealed?.redact(eventId);
  }

  /** Shown events, newest first: before `beforePos`, or all from `fromPos` on, or the latest. */
  shownEvents(roomId: string, range: { beforePos?: number | undefined; fromPos?: number | undefined; limit: number }): EventRow[] {
    if (range.fromPos !== undefined) {
      return this.unsealed(
        this.db.prepare('SELECT * FROM chat_events WHERE room_id = ? AND shown = 1 AND pos >= ? ORDER BY pos DESC LIMIT ?').all(roomId, range.fromPos, range.limit) as EventRow[],
      );
    }
    if (range.beforePos !== undefined) {
      return this.unsealed(
        this.db.prepare('SELECT * FROM chat_events WHERE room_id = ? AND shown = 1 AND pos < ? ORDER BY pos DESC LIMIT ?').all(roomId, range.beforePos, range.limit) as EventRow[],
      );
    }
    return this.unsealed(this.db.prepare('SELECT * FROM chat_events WHERE room_id = ? AND shown = 1 ORDER BY pos DESC LIMIT ?').all(roomId, range.limit) as EventRow[]);
  }

  hasShownBefore(roomId: string, pos: number): boolean {
    return this.db.prepare('SELECT 1 FROM chat_events WHERE room_id = ? AND shown = 1 AND pos < ? LIMIT 1').get(roomId, pos) !== undefined;
  }

  /** Edits and reactions that point at these events (redacted ones excluded). */
  relations(eventIds: readonly string[]): EventRow[] {
    if (eventIds.length === 0) return [];
    return this.unsealed(
      this.db.prepare(`SELECT * FROM chat_events WHERE relates_to IN (${eventIds.map(() => '?').join(',')}) AND redacted = 0 ORDER BY pos`).all(...eventIds) as EventRow[],
    );
  }

  latestShown(roomId: string, types: readonly string[] = ['m.room.message']): EventRow | undefined {
    return this.unsealed([
      this.db.prepare(`SELECT * FROM chat_events WHERE room_id = ? AND shown = 1 AND type IN (${types.map(() => '?').join(',')}) ORDER BY pos DESC LIMIT 1`).get(roomId, ...types) as
        | EventRow
        | undefined,
    ])[0];
  }

  // --- members ---

  setMember(roomId: string, userId: string, displayName: string | null, membership: string): void {
    this.db
      .prepare(
        `INSERT INTO chat_members (room_id, user_id, display_name, membership) VALUES (?, ?, ?, ?)
         ON CONFLICT(room_id, user_id) DO UPDATE SET display_name = excluded.display_name, membership = excluded.membership`,
      )
      .run(roomId, userId, displayName, membership);
  }

  displayNames(roomId: string, userIds: readonly string[]): Map<string, string> {
    if (userIds.length === 0) return new Map();
    const rows = this.db
      .prepare(`SELECT user_id, display_name FROM chat_members WHERE room_id = ? AND user_id IN (${userIds.map(() => '?').join(',')})`)
      .all(roomId, ...userIds) as { user_id: string; display_name: string | null }[];
    return new Map(rows.filter((r) => r.display_name).map((r) => [r.user_id, r.display_name!]));
  }

  // --- gaps ---

  addGap(gap: GapRow): void {
    this.db.prepare('INSERT OR REPLACE INTO chat_gaps (room_id, before_pos, token, next_pos) VALUES (?, ?, ?, ?)').run(gap.room_id, gap.before_pos, gap.token, gap.next_pos);
  }

  gaps(roomId: string): GapRow[] {
    return this.db.prepare('SELECT * FROM chat_gaps WHERE room_id = ? ORDER BY before_pos').all(roomId) as GapRow[];
  }

  updateGap(roomId: string, beforePos: number, token: string, nextPos: number): void {
    this.db.prepare('UPDATE chat_gaps SET token = ?, next_pos = ? WHERE room_id = ? AND before_pos = ?').run(token, nextPos, roomId, beforePos);
  }

  deleteGap(roomId: string, beforePos: number): void {
    this.db.prepare('DELETE FROM chat_gaps WHERE room_id = ? AND before_pos = ?').run(roomId, beforePos);
  }

  // --- outbox ---

  enqueue(row: Omit<OutboxRow, 'seq' | 'state' | 'event_id' | 'error'>): void {
    // What is written to an encrypted room waits in the sealed database, like what arrives there.
    const sealed = this.sealed && this.roomEncrypted(row.room_id) ? this.sealed : null;
    this.transaction(() => {
      this.db
        .prepare("INSERT INTO chat_outbox (txn_id, room_id, type, content, state, created_at) VALUES (?, ?, ?, ?, 'queued', ?)")
        .run(row.txn_id, row.room_id, row.type, sealed ? placeholderContent(parseObject(row.content)) : row.content, row.created_at);
      sealed?.putOutbox(row.txn_id, row.content);
    });
  }

  /** Outbox rows with their sealed content in place of the placeholder. */
  private unsealedOutbox(rows: OutboxRow[]): OutboxRow[] {
    if (!this.sealed) return rows;
    const ids = rows.filter((row) => isPlaceholder(row.content)).map((row) => row.txn_id);
    if (ids.length === 0) return rows;
    const contents = this.sealed.outboxContents(ids);
    return rows.map((row) => (isPlaceholder(row.content) ? { ...row, content: contents.get(row.txn_id) ?? '{}' } : row));
  }

  outbox(roomId?: string): OutboxRow[] {
    return this.unsealedOutbox(
      (roomId === undefined
        ? this.db.prepare('SELECT * FROM chat_outbox ORDER BY seq').all()
        : this.db.prepare('SELECT * FROM chat_outbox WHERE room_id = ? ORDER BY seq').all(roomId)) as OutboxRow[],
    );
  }

  outboxEntry(txnId: string): OutboxRow | undefined {
    const row = this.db.prepare('SELECT * FROM chat_outbox WHERE txn_id = ?').get(txnId) as OutboxRow | undefined;
    return row ? this.unsealedOutbox([row])[0] : undefined;
  }

  /**
   * The next entry to send: the oldest queued one whose room has no earlier failed message.
   * A refused message holds back the messages written after it in its room, so a retry
   * cannot land it out of order (Element does the same). Edits, reactions and redactions
   * neither hold back nor wait: their order against new messages does not matter.
   */
  nextQueued(): OutboxRow | undefined {
    // The common case (nothing refused) stays one indexed row; the scan is only for a refusal.
    if (this.db.prepare("SELECT 1 FROM chat_outbox WHERE state = 'failed' LIMIT 1").get() === undefined) {
      const next = this.db.prepare("SELECT * FROM chat_outbox WHERE state = 'queued' ORDER BY seq LIMIT 1").get() as OutboxRow | undefined;
      return next ? this.unsealedOutbox([next])[0] : undefined;
    }
    const rows = this.unsealedOutbox(this.db.prepare("SELECT * FROM chat_outbox WHERE state IN ('queued', 'failed') ORDER BY seq").all() as OutboxRow[]);
    const held = new Set<string>();
    for (const row of rows) {
      if (row.state === 'failed') {
        if (holdsBackLaterEntries(row)) held.add(row.room_id);
      } else if (!held.has(row.room_id) || !holdsBackLaterEntries(row)) {
        return row;
      }
    }
    return undefined;
  }

  markSent(txnId: string, eventId: string): void {
    this.db.prepare("UPDATE chat_outbox SET state = 'sent', event_id = ?, error = NULL WHERE txn_id = ?").run(eventId, txnId);
  }

  markFailed(txnId: string, error: string): void {
    this.db.prepare("UPDATE chat_outbox SET state = 'failed', error = ? WHERE txn_id = ?").run(error, txnId);
  }

  requeue(txnId: string): boolean {
    return this.db.prepare("UPDATE chat_outbox SET state = 'queued', error = NULL WHERE txn_id = ? AND state = 'failed'").run(txnId).changes > 0;
  }

  removeOutbox(txnId: string): OutboxRow | undefined {
    const row = this.outboxEntry(txnId);
    this.db.prepare('DELETE FROM chat_outbox WHERE txn_id = ?').run(txnId);
    this.sealed?.deleteOutbox([txnId]);
    return row;
  }

  /** Sent entries whose echo fell into a gap: they are on the server and come back with the back-fill. */
  dropSent(roomId: string): void {
    this.sealed?.deleteOutbox(this.db.prepare("SELECT txn_id FROM chat_outbox WHERE room_id = ? AND state = 'sent'").pluck().all(roomId) as string[]);
    this.db.prepare("DELETE FROM chat_outbox WHERE room_id = ? AND state = 'sent'").run(roomId);
  }

  /** The echo of our own message arrived: its outbox entry is done. Returns the room touched. */
  settleEcho(eventId: string, txnId: string | null): string | null {
    const row = this.db.prepare('SELECT room_id FROM chat_outbox WHERE event_id = ? OR txn_id = ?').get(eventId, txnId ?? '') as { room_id: string } | undefined;
    if (!row) return null;
    this.sealed?.deleteOutbox(this.db.prepare('SELECT txn_id FROM chat_outbox WHERE event_id = ? OR txn_id = ?').pluck().all(eventId, txnId ?? '') as string[]);
    this.db.prepare('DELETE FROM chat_outbox WHERE event_id = ? OR txn_id = ?').run(eventId, txnId ?? '');
    return row.room_id;
  }
}
