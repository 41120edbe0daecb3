// Builds what the renderer shows from the cache: timeline items with edits applied,
// reactions counted, reply previews, sanitized HTML, gaps where history is missing, and
// the member's own messages that are still in the outbox.
import type { ChatItem, ChatReaction, ChatTimeline, ChatUnsentChange } from '../../../shared/contract/chat';
import { holdsBackLaterEntries, pollStartTypes, type ChatStore, type EventRow, type OutboxRow } from './chat-store';
import { pollCard, type PollVoteProvider } from './poll-card';
import { sanitizeMatrixHtml } from './html-sanitizer';
import { mentionsMe, type Me } from './mentions';
import { stripReplyFallback } from './message-content';
import { sendFailureOf } from './send-failure';
import { threadReplies, threadRootOf, threadSummary } from './threads';
import { mediaInfoOf } from '../../../shared/chat/media';
import { undecryptableReason } from '../crypto/undecryptable';

type Content = Record<string, unknown>;

export interface TimelineRange {
  beforePos?: number | undefined;
  fromPos?: number | undefined;
  limit: number;
}

/** How many items a refresh (fromPos) returns at most. */
export const maxRefreshItems = 2000;

function parse(json: string): Content {
  try {
    const value = JSON.parse(json) as unknown;
    return typeof value === 'object' && value !== null ? (value as Content) : {};
  } catch {
    return {};
  }
}

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function replyTargetId(content: Content): string | null {
  const rel = content['m.relates_to'] as { rel_type?: unknown; is_falling_back?: unknown; 'm.in_reply_to'?: { event_id?: unknown } } | undefined;
  // A thread reply's m.in_reply_to is only a fallback for clients without threads.
  if (rel?.rel_type === 'm.thread' && rel.is_falling_back === true) return null;
  return str(rel?.['m.in_reply_to']?.event_id);
}

/** The thread root a queued message is a reply in, or null. */
function outboxThreadRoot(entry: OutboxRow): string | null {
  const rel = parse(entry.content)['m.relates_to'] as { rel_type?: unknown; event_id?: unknown } | undefined;
  return rel?.rel_type === 'm.thread' ? str(rel.event_id) : null;
}

function messageKind(content: Content, type: string): ChatItem['kind'] {
  if (type === 'm.sticker') return 'file';
  switch (content.msgtype) {
    case 'm.notice':
      return 'notice';
    case 'm.emote':
      return 'emote';
    case 'm.image':
    case 'm.file':
    case 'm.video':
    case 'm.audio':
      return 'file';
    default:
      return 'text';
  }
}

function textOf(content: Content, isReply: boolean): { body: string; html: string | null } {
  const rawBody = str(content.body) ?? '';
  const body = isReply ? stripReplyFallback(rawBody) : rawBody;
  const formatted = content.format === 'org.matrix.custom.html' ? str(content.formatted_body) : null;
  const html = formatted === null ? null : sanitizeMatrixHtml(formatted);
  // HTML without a single tag (e.g. a reply once its fallback is gone) says nothing the body does not.
  return { body, html: html !== null && html.includes('<') ? html : null };
}

function membershipChange(row: EventRow, content: Content, name: (id: string) => string): ChatItem['change'] {
  const prev = (content['plenary.prev_content'] ?? {}) as Content;
  const subject = row.state_key ?? row.sender;
  switch (content.membership) {
    case 'join':
      if (prev.membership === 'join') {
        return prev.displayname !== content.displayname ? { what: 'displayname', value: str(content.displayname) ?? subject } : null;
      }
      return { what: 'joined', value: null };
    case 'invite':
      return { what: 'invited', value: str(content.displayname) ?? name(subject) };
    case 'ban':
      return { what: 'banned', value: name(subject) };
    case 'leave':
      return row.sender !== subject ? { what: 'kicked', value: name(subject) } : { what: 'left', value: null };
    default:
      return null;
  }
}

export function buildTimeline(
  store: ChatStore,
  roomId: string,
  range: TimelineRange,
  context: {
    me: Me;
    elementUrl: string;
    typing?: readonly string[];
    pollVote?: PollVoteProvider;
    /** Build this thread (root and replies) instead of the room's timeline. */
    threadRoot?: string | undefined;
    /** Where the member last read a thread on this device, if they opened it. */
    threadReadPos?: (rootId: string) => number | undefined;
  },
): ChatTimeline {
  const room = store.room(roomId);
  const limit = range.fromPos !== undefined ? maxRefreshItems : range.limit;
  const looked = new Map<string, EventRow | undefined>();
  const lookup = (id: string): EventRow | undefined => {
    if (!looked.has(id)) looked.set(id, store.event(id));
    return looked.get(id);
  };
  const threadRoot = context.threadRoot;
  const rootRow = threadRoot === undefined ? undefined : lookup(threadRoot);
  const rows =
    threadRoot === undefined
      ? // Thread replies are shown in their thread, not inline; a broken one stays inline.
        store
          .shownEvents(roomId, { beforePos: range.beforePos, fromPos: range.fromPos, limit })
          .reverse()
          .filter((row) => threadRootOf(row, lookup) === null)
      : // A thread reply (even a broken one) is never a root: nested threads are not allowed.
        rootRow && rootRow.room_id === roomId && rootRow.rel_type !== 'm.thread'
        ? [rootRow, ...threadReplies(rootRow.event_id, roomId, (ids) => store.relations(ids)).filter((r) => r.shown === 1)]
        : [];
  const lo = rows[0]?.pos;
  const moreCached = threadRoot === undefined && lo !== undefined && store.hasShownBefore(roomId, lo);
  const lower = moreCached ? lo : -Infinity;
  const upper = range.beforePos ?? Infinity;
  const gaps = threadRoot === undefined ? store.gaps(roomId).filter((g) => g.before_pos > lower && g.before_pos <= upper) : [];
  const atStart = threadRoot !== undefined || (!moreCached && !store.gaps(roomId).some((g) => g.before_pos <= (lo ?? Infinity)));
  // Pending edits and reactions apply on any page; pending messages belong after everything
  // cached, so only on the newest page; pending thread replies only in their thread.
  const roomOutbox = store.outbox(roomId);
  const outbox = range.beforePos === undefined ? roomOutbox.filter((entry) => outboxThreadRoot(entry) === (threadRoot ?? null)) : [];

  const ids = rows.map((r) => r.event_id);
  const relations = store.relations(ids);
  const contents = new Map(rows.map((r) => [r.event_id, parse(r.content)]));
  const replyIds = [...new Set([...contents.values(), ...outbox.map((o) => parse(o.content))].map(replyTargetId).filter((id): id is string => id !== null))];
  const replyRows = new Map(store.events(replyIds.filter((id) => !contents.has(id))).map((r) => [r.event_id, r]));
  for (const r of rows) replyRows.set(r.event_id, r);

  // Each other member's receipt stands at the last shown item at or before the event it names.
  const receipts = store.receipts(roomId).filter((r) => r.user_id !== context.me.userId);
  const receiptPos = new Map(store.events([...new Set(receipts.map((r) => r.event_id))]).map((r) => [r.event_id, r.pos]));
  const typing = (context.typing ?? []).filter((id) => id !== context.me.userId);

  const people = new Set<string>([context.me.userId, ...receipts.map((r) => r.user_id), ...typing]);
  for (const r of [...rows, ...relations, ...replyRows.values()]) people.add(r.sender);
  for (const r of rows) if (r.state_key) people.add(r.state_key);
  const names = store.displayNames(roomId, [...people]);
  const name = (id: string) => names.get(id) ?? id;
  const me: Me = { userId: context.me.userId, displayName: names.get(context.me.userId) ?? context.me.displayName };

  // Latest edit by the original sender, and reactions, per target.
  const edits = new Map<string, { content: Content; pending: boolean }>();
  const reactions = new Map<string, Map<string, Set<string>>>();
  const addReaction = (target: string, key: string, sender: string) => {
    const byKey = reactions.get(target) ?? new Map<string, Set<string>>();
    reactions.set(target, byKey);
    const senders = byKey.get(key) ?? new Set<string>();
    byKey.set(key, senders);
    senders.add(sender);
  };
  const senderOf = new Map(rows.map((r) => [r.event_id, r.sender]));
  for (const rel of relations) {
    const c = parse(rel.content);
    if (rel.rel_type === 'm.replace' && rel.type === 'm.room.message' && rel.sender === senderOf.get(rel.relates_to!)) {
      const newContent = c['m.new_content'];
      if (newContent && typeof newContent === 'object') edits.set(rel.relates_to!, { content: newContent as Content, pending: false });
    }
    if (rel.rel_type === 'm.annotation' && rel.type === 'm.reaction') {
      const key = str((c['m.relates_to'] as Content | undefined)?.key);
      if (key) addReaction(rel.relates_to!, key, rel.sender);
    }
  }
  // The member's own edits and reactions that have not come back from the server yet; the
  // ones it refused are listed on their message so they can be retried or dropped.
  const withdrawn = new Set<string>();
  const unsent = new Map<string, ChatUnsentChange[]>();
  const addUnsent = (target: string, change: ChatUnsentChange) => unsent.set(target, [...(unsent.get(target) ?? []), change]);
  const reactionRows = new Map(relations.filter((r) => r.type === 'm.reaction').map((r) => [r.event_id, r]));
  for (const entry of roomOutbox) {
    const c = parse(entry.content);
    const rel = c['m.relates_to'] as { rel_type?: string; event_id?: string; key?: string } | undefined;
    if (entry.state === 'failed') {
      const change = { txnId: entry.txn_id, error: entry.error ?? '', failure: sendFailureOf(entry.error) ?? 'other' };
      if (entry.type === 'm.room.redaction' && typeof c.redacts === 'string') {
        const reaction = reactionRows.get(c.redacts);
        const key = reaction ? str((parse(reaction.content)['m.relates_to'] as Content | undefined)?.key) : null;
        if (reaction?.relates_to) addUnsent(reaction.relates_to, { ...change, what: 'unreaction', key });
      } else if (rel?.event_id && rel.rel_type === 'm.replace') {
        addUnsent(rel.event_id, { ...change, what: 'edit', key: null });
      } else if (rel?.event_id && rel.rel_type === 'm.annotation') {
        addUnsent(rel.event_id, { ...change, what: 'reaction', key: rel.key ?? null });
      }
      continue;
    }
    if (entry.type === 'm.room.redaction' && typeof c.redacts === 'string') withdrawn.add(c.redacts);
    if (!rel?.event_id) continue;
    if (rel.rel_type === 'm.replace' && c['m.new_content']) edits.set(rel.event_id, { content: c['m.new_content'] as Content, pending: entry.state === 'queued' });
    if (rel.rel_type === 'm.annotation' && rel.key) addReaction(rel.event_id, rel.key, context.me.userId);
  }
  const myReactionTargets = new Map(relations.filter((r) => r.type === 'm.reaction' && r.sender === me.userId).map((r) => [r.event_id, r.relates_to!]));
  for (const id of withdrawn) {
    const target = myReactionTargets.get(id);
    const rel = relations.find((r) => r.event_id === id);
    const key = rel ? str((parse(rel.content)['m.relates_to'] as Content | undefined)?.key) : null;
    if (target && key) reactions.get(target)?.get(key)?.delete(me.userId);
  }

  const reactionList = (eventId: string): ChatReaction[] =>
    [...(reactions.get(eventId) ?? new Map<string, Set<string>>()).entries()]
      .filter(([, senders]) => senders.size > 0)
      .map(([key, senders]) => ({ key, count: senders.size, mine: senders.has(me.userId), senders: [...senders].map(name) }));

  const replyPreview = (content: Content): ChatItem['replyTo'] => {
    const id = replyTargetId(content);
    if (!id) return null;
    const target = replyRows.get(id);
    if (!target) return { eventId: id, senderName: null, body: null };
    const tc = parse(target.content);
    const edited = edits.get(id)?.content;
    return {
      eventId: id,
      senderName: name(target.sender),
      body: target.redacted ? null : textOf(edited ?? tc, !edited && replyTargetId(tc) !== null).body.slice(0, 300),
    };
  };

  const base = (row: { sender: string; ts: number }): Omit<ChatItem, 'key' | 'eventId' | 'pos' | 'kind'> => ({
    sender: row.sender,
    senderName: name(row.sender),
    ts: row.ts,
    mine: row.sender === me.userId,
    body: '',
    html: null,
    edited: false,
    replyTo: null,
    reactions: [],
    pending: null,
    txnId: null,
    error: null,
    failure: null,
    unsent: [],
    mentionsMe: false,
    readBy: [],
    change: null,
  });

  const items: ChatItem[] = [];
  for (const row of rows) {
    const content = contents.get(row.event_id)!;
    const item: ChatItem = { ...base(row), key: row.txn_id ? `txn:${row.txn_id}` : row.event_id, eventId: row.event_id, pos: row.pos, kind: 'text', txnId: row.txn_id };
    if (row.redacted) {
      item.kind = 'redacted';
    } else if (row.type === 'm.room.encrypted') {
      item.kind = 'encrypted';
      item.undecryptable = undecryptableReason(content);
    } else if (pollStartTypes.includes(row.type)) {
      // A vote or an Element poll: a card; its answers and end only update it.
      const answers = relations.filter((r) => r.relates_to === row.event_id).map((r) => ({ type: r.type, sender: r.sender, ts: r.ts, content: parse(r.content) }));
      const poll = pollCard({ content, sender: row.sender, me: me.userId, relations: answers, vote: context.pollVote?.(roomId, row.event_id) ?? null });
      if (poll === null) continue;
      Object.assign(item, { kind: 'poll', poll, body: poll.question, reactions: reactionList(row.event_id) });
    } else if (row.type === 'm.room.message' || row.type === 'm.sticker') {
      const edit = edits.get(row.event_id);
      const isReply = replyTargetId(content) !== null;
      const shown = edit ? textOf(edit.content, false) : textOf(content, isReply);
      Object.assign(item, {
        kind: messageKind(edit?.content ?? content, row.type),
        body: shown.body,
        html: shown.html,
        edited: edit !== undefined,
        pending: edit?.pending ? 'queued' : null,
        replyTo: replyPreview(content),
        reactions: reactionList(row.event_id),
        unsent: unsent.get(row.event_id) ?? [],
        mentionsMe: row.sender !== me.userId && mentionsMe(content, me),
        media: mediaInfoOf(content),
      });
    } else {
      item.kind = 'change';
      item.change =
        row.type === 'm.room.member'
          ? membershipChange(row, content, name)
          : row.type === 'm.room.name'
            ? { what: 'renamed', value: str(content.name) }
            : row.type === 'm.room.topic'
              ? { what: 'topic', value: str(content.topic) }
              : row.type === 'm.room.create'
                ? { what: 'created', value: null }
                : { what: 'encryption', value: null };
      // A membership event that changed nothing visible (e.g. an avatar) is not worth a line.
      if (item.change === null) continue;
    }
    items.push(item);
  }
  for (const gap of gaps) {
    items.push({ ...base({ sender: '', ts: 0 }), senderName: '', mine: false, key: `gap:${gap.before_pos}`, eventId: null, pos: gap.before_pos - 0.5, kind: 'gap' });
  }
  items.sort((a, b) => a.pos - b.pos);
  for (const receipt of receipts) {
    const pos = receiptPos.get(receipt.event_id);
    if (pos === undefined || pos >= upper) continue;
    const at = items.findLast((i) => i.eventId !== null && i.kind !== 'gap' && i.pos <= pos);
    // A member's receipt on their own message says nothing.
    if (at && at.sender !== receipt.user_id) at.readBy.push(name(receipt.user_id));
  }
  const nextPos = room?.next_pos ?? 0;
  let held = false;
  for (const entry of roomOutbox) {
    if (outbox.includes(entry)) items.push(...outboxItem(entry, held, nextPos, me.userId, base, replyPreview));
    if (entry.state === 'failed' && holdsBackLaterEntries(entry)) held = true;
  }
  if (threadRoot === undefined) {
    // Each root on the page shows its thread's summary.
    const roots = new Set(relations.filter((r) => r.rel_type === 'm.thread').map((r) => r.relates_to!));
    const pendingByRoot = new Map<string, OutboxRow[]>();
    for (const entry of roomOutbox) {
      const root = outboxThreadRoot(entry);
      if (root && entry.state !== 'sent' && entry.type === 'm.room.message') {
        pendingByRoot.set(root, [...(pendingByRoot.get(root) ?? []), entry]);
        roots.add(root);
      }
    }
    const fullyReadPos = room?.fully_read ? lookup(room.fully_read)?.pos : undefined;
    for (const item of items) {
      if (!item.eventId || !roots.has(item.eventId) || item.kind === 'gap' || lookup(item.eventId)?.rel_type === 'm.thread') continue;
      const replies = threadReplies(item.eventId, roomId, (ids) => store.relations(ids)).filter((r) => r.shown === 1);
      const summary = threadSummary({ replies, me: me.userId, readPos: context.threadReadPos?.(item.eventId) ?? fullyReadPos ?? null });
      const pending = pendingByRoot.get(item.eventId) ?? [];
      const latestPending = pending.at(-1);
      const latest = latestPending
        ? { sender: me.userId, content: parse(latestPending.content) }
        : summary.latest
          ? { sender: summary.latest.sender, content: parse(summary.latest.content) }
          : null;
      if (summary.count + pending.length === 0) continue;
      if (latest) people.add(latest.sender);
      item.thread = {
        rootId: item.eventId,
        count: summary.count + pending.length,
        latestSenderName: latest ? (names.get(latest.sender) ?? store.displayNames(roomId, [latest.sender]).get(latest.sender) ?? latest.sender) : null,
        latestBody: latest ? textOf(latest.content, replyTargetId(latest.content) !== null).body.slice(0, 140) : null,
        unread: summary.unread,
      };
    }
  }
  return {
    roomId,
    items,
    moreCached,
    atStart,
    fullyRead: room?.fully_read ?? null,
    typing: typing.map(name),
    encrypted: room?.encrypted === 1,
    elementLink: `${context.elementUrl}/#/room/${encodeURIComponent(roomId)}`,
    threadRoot: threadRoot ?? null,
  };
}

function outboxItem(
  entry: OutboxRow,
  heldBack: boolean,
  nextPos: number,
  myUserId: string,
  base: (row: { sender: string; ts: number }) => Omit<ChatItem, 'key' | 'eventId' | 'pos' | 'kind'>,
  replyPreview: (content: Content) => ChatItem['replyTo'],
): ChatItem[] {
  if (entry.type !== 'm.room.message') return [];
  const content = parse(entry.content);
  const rel = content['m.relates_to'] as { rel_type?: string } | undefined;
  if (rel?.rel_type === 'm.replace') return [];
  const isReply = replyTargetId(content) !== null;
  const { body, html } = textOf(content, isReply);
  return [
    {
      ...base({ sender: myUserId, ts: entry.created_at }),
      key: `txn:${entry.txn_id}`,
      eventId: entry.event_id,
      pos: nextPos + entry.seq,
      kind: messageKind(content, entry.type),
      body,
      html,
      replyTo: replyPreview(content),
      pending: entry.state === 'failed' ? 'failed' : entry.state === 'queued' ? (heldBack ? 'held' : 'queued') : null,
      txnId: entry.txn_id,
      error: entry.error,
      failure: entry.state === 'failed' ? sendFailureOf(entry.error) : null,
      media: mediaInfoOf(content),
    },
  ];
}
