// Chat in the circles' Matrix rooms: the room list with unread counts, a cached timeline
// with back-pagination, sending (Markdown, replies, edits, reactions) through an offline
// queue, read markers, and mention notifications.
import { z } from 'zod';
import { call, event, returns } from './define';
import { notifyLevels, type NotifyLevel } from '../chat/notify-level';
import type { MediaInfo } from '../chat/media';

export interface ChatRoomView {
  roomId: string;
  name: string;
  topic: string | null;
  /** The circle this room belongs to, when governance maps one to it. */
  circleName: string | null;
  encrypted: boolean;
  /** Messages since the read marker that notify (the server's count). */
  unread: number;
  /** Of which mention the member. */
  highlights: number;
  lastActivity: number;
  /** The member marked the room as unread (MSC2867), here or on another device, and has not opened it since. */
  markedUnread: boolean;
  lastMessage: { senderName: string; body: string } | null;
  /** Messages written here that are not on the server yet. */
  pendingCount: number;
  /** The room's canonical alias (#name:server), for `#` links. */
  alias: string | null;
  /** A direct chat (m.direct): the other person, who also names the room. */
  directWith: { userId: string; name: string } | null;
  /** The room's notification level, from the member's push rules (as Element shows it). */
  notifyLevel: NotifyLevel;
}

/** A joined member of a room, for `@` autocomplete and "Message <name>". */
export interface ChatMemberView {
  userId: string;
  displayName: string | null;
}

export type ChatItemKind =
  | 'text'
  | 'notice'
  | 'emote'
  | 'file'
  | 'encrypted'
  | 'redacted'
  /** A room change shown as a neutral line; see `change`. */
  | 'change'
  /** Older messages not loaded yet (a gap in the cache, or history above the oldest). */
  | 'gap'
  /** A vote or an Element poll started in the room, shown as a card; see `poll`. */
  | 'poll';

/** A poll start in the timeline, with its vote's live state (chat/poll-card.ts). */
export interface ChatPollCard {
  question: string;
  /** The answers' labels, in order. */
  answers: string[];
  status: 'open' | 'closed';
  /** The Plenary vote it is (a circle's vote, or an Element poll that became one), to link to; null when none. */
  vote: { circleId: string; voteId: string } | null;
  /** The member's ballot in force: the labels of what they chose (a consent position as its key); null when they have not voted. */
  myBallot: string[] | null;
}

export interface ChatReaction {
  key: string;
  count: number;
  mine: boolean;
  senders: string[];
}

export interface ChatItem {
  /** Stable across refreshes: the event id, `txn:<id>` while queued, `gap:<pos>` for gaps. */
  key: string;
  eventId: string | null;
  /** Order in the room; newer items have larger positions. */
  pos: number;
  kind: ChatItemKind;
  /** For kind 'encrypted': why it could not be read yet (what the member can do is explained). */
  undecryptable?: 'missing_key' | 'earlier_than_key' | 'withheld' | 'unverified_sender' | 'forged_sender' | 'replayed' | 'other';
  sender: string;
  senderName: string;
  ts: number;
  mine: boolean;
  /** Plain text after edits, reply fallback removed. */
  body: string;
  /** formatted_body sanitized by main to the Matrix allow-list, or null for plain text. */
  html: string | null;
  edited: boolean;
  replyTo: { eventId: string; senderName: string | null; body: string | null } | null;
  reactions: ChatReaction[];
  /**
   * Not on the server yet: queued (offline or sending), failed (see error), or held: written
   * after a message the server refused, and sent once that one is retried or discarded.
   */
  pending: 'queued' | 'failed' | 'held' | null;
  txnId: string | null;
  /** The server's own words when it refused the message (English, technical: for a tooltip). */
  error: string | null;
  /** Why it was refused, to be put in words by the page. */
  failure: ChatSendFailure | null;
  /** The member's edits and reactions to this message that the server refused. */
  unsent: ChatUnsentChange[];
  mentionsMe: boolean;
  /** Other members whose read receipt stands at this item (the last item they have read), by name. */
  readBy: string[];
  /** For kind 'change': what changed, to be put in words by the renderer. */
  change: { what: 'joined' | 'left' | 'invited' | 'kicked' | 'banned' | 'renamed' | 'topic' | 'created' | 'encryption' | 'displayname'; value: string | null } | null;
  /** For kind 'poll': the card. */
  poll?: ChatPollCard | null;
  /** On a thread's root in the room: its replies (shown in the thread, not inline). */
  thread?: ChatThreadSummary | null;
  /** For kind 'file': the image, file, video or audio it carries (chatMedia fetches it). */
  media?: MediaInfo | null;
}

/** What a thread's root shows in the room, as Element's thread summary. */
export interface ChatThreadSummary {
  rootId: string;
  count: number;
  latestSenderName: string | null;
  latestBody: string | null;
  /** Replies from others after the member last read the thread. */
  unread: number;
}

/** forbidden: not allowed to write there (muted, not a member); too_large; room_gone; other. */
export type ChatSendFailure = 'forbidden' | 'too_large' | 'room_gone' | 'other';

export interface ChatUnsentChange {
  /** For chat.retry and chat.discard. */
  txnId: string;
  what: 'edit' | 'reaction' | 'unreaction';
  /** The reaction's key, for reaction and unreaction. */
  key: string | null;
  error: string;
  failure: ChatSendFailure;
}

/** A room the member was invited to and has not joined yet (circle rooms are joined automatically). */
export interface ChatInviteView {
  roomId: string;
  /** The room's name, its alias, or null when the inviter shared neither (a direct chat). */
  name: string | null;
  topic: string | null;
  inviter: string | null;
  inviterName: string | null;
  /** The inviter marked it as a direct (one-to-one) chat. */
  isDirect: boolean;
  encrypted: boolean;
  invitedAt: number;
}

export interface ChatTimeline {
  roomId: string;
  items: ChatItem[];
  /** Older items are in the cache: ask again with beforePos. */
  moreCached: boolean;
  /** Nothing older exists: the room's first event is loaded. */
  atStart: boolean;
  /** The member's read marker (m.fully_read). */
  fullyRead: string | null;
  /** Other members typing in the room now, by name. */
  typing: string[];
  encrypted: boolean;
  /** Where to open this room in Element. */
  elementLink: string;
  /** Set when these items are one thread (the root first, then its replies). */
  threadRoot?: string | null;
}

const roomId = z.string().regex(/^![^\s]+$/, 'must be a Matrix room id like !abc:server').max(255);
const eventId = z.string().regex(/^\$[^\s]+$/, 'must be a Matrix event id like $abc').max(255);
const userId = z.string().regex(/^@[^\s:]+:[^\s]+$/, 'must be a Matrix user id like @name:server').max(255);
/** A member or room picked in the composer; `text` is what stands for it in the message. */
const pickedMention = z
  .object({
    kind: z.enum(['user', 'room']),
    id: z.string().regex(/^(?:[@#][^\s:]+:[^\s]+|![^\s]+)$/, 'must be a Matrix user id (@name:server), room alias (#name:server) or room id').max(255),
    text: z.string().min(1).max(255),
  })
  .strict();
/** Synapse refuses events over 65,536 bytes; a 60 KB message plus its envelope still fits. */
export const maxMessageChars = 62_000;

export const chatCalls = {
  chat: {
    rooms: call(z.object({}).strict(), returns<ChatRoomView[]>()),
    /**
     * The latest `limit` items; with beforePos the `limit` items before it (scrolling up);
     * with fromPos every item from it on (refreshing what is on screen).
     */
    timeline: call(
      z
        .object({
          roomId,
          beforePos: z.number().int().optional(),
          fromPos: z.number().int().optional(),
          limit: z.number().int().min(1).max(500).default(100),
        })
        .strict(),
      returns<ChatTimeline>(),
    ),
    /** One thread: its root and every cached reply, oldest first (edits, reactions, the member's queued replies). */
    thread: call(z.object({ roomId, rootId: eventId }).strict(), returns<ChatTimeline>()),
    /** The member has read the thread up to its latest reply (kept on this device). */
    markThreadRead: call(z.object({ roomId, rootId: eventId }).strict(), returns<{ ok: true }>()),
    /** Fetches older messages from the server into the cache: the gap at gapPos, or above the oldest. */
    paginate: call(z.object({ roomId, gapPos: z.number().int().optional() }).strict(), returns<{ loaded: number; atStart: boolean }>()),
    send: call(
      z
        .object({
          roomId,
          text: z.string().trim().min(1).max(maxMessageChars),
          replyTo: eventId.optional(),
          /** Sends it as a reply in the thread under this root (m.thread), as Element does. */
          threadRoot: eventId.optional(),
          /** Members and rooms picked with `@` and `#`: sent as pills, members in m.mentions. */
          mentions: z.array(pickedMention).max(50).optional(),
        })
        .strict(),
      returns<{ txnId: string }>(),
    ),
    edit: call(z.object({ roomId, eventId, text: z.string().trim().min(1).max(maxMessageChars) }).strict(), returns<{ txnId: string }>()),
    /** Adds the reaction, or removes it when the member already reacted with this key. */
    react: call(z.object({ roomId, eventId, key: z.string().min(1).max(64) }).strict(), returns<{ txnId: string }>()),
    retry: call(z.object({ txnId: z.string().min(1).max(100) }).strict(), returns<{ ok: true }>()),
    discard: call(z.object({ txnId: z.string().min(1).max(100) }).strict(), returns<{ ok: true }>()),
    invites: call(z.object({}).strict(), returns<ChatInviteView[]>()),
    /** Joins the room; it then arrives in chat.rooms with the next sync. */
    acceptInvite: call(z.object({ roomId }).strict(), returns<{ ok: true }>()),
    /** Leaves the room, which declines the invitation. */
    declineInvite: call(z.object({ roomId }).strict(), returns<{ ok: true }>()),
    /** Moves the read marker to eventId (default: the newest message) and clears the unread count. */
    markRead: call(z.object({ roomId, eventId: eventId.optional() }).strict(), returns<{ ok: true }>()),
    /** Marks the room as unread, or takes the mark away; synced to the member's other devices (MSC2867). */
    markUnread: call(z.object({ roomId, unread: z.boolean() }).strict(), returns<{ ok: true }>()),
    /** Tells the room the member is typing (renewed while they type) or has stopped; best effort. */
    setTyping: call(z.object({ roomId, typing: z.boolean() }).strict(), returns<{ ok: true }>()),
    /** The room's joined members (the cache, refreshed from the server when online). */
    members: call(z.object({ roomId }).strict(), returns<ChatMemberView[]>()),
    /** Opens the direct chat with this person: the existing one, or a new one (needs the server). */
    startDirect: call(z.object({ userId }).strict(), returns<{ roomId: string; created: boolean }>()),
    /** Sets the room's notification level as push rules (needs the coop server). */
    setNotifyLevel: call(z.object({ roomId, level: z.enum(notifyLevels) }).strict(), returns<{ ok: true }>()),
    /** The member's keywords (content push rules). */
    keywords: call(z.object({}).strict(), returns<string[]>()),
    /** Adds a keyword (needs the coop server); answers the keywords after. */
    addKeyword: call(z.object({ keyword: z.string().max(1000) }).strict(), returns<string[]>()),
    removeKeyword: call(z.object({ keyword: z.string().max(1000) }).strict(), returns<string[]>()),
  },
};

export interface ChatNotification {
  /** A mention (default), or an invitation to a direct chat (then eventId is the room id and body is empty). */
  kind?: 'mention' | 'directInvite';
  roomId: string;
  eventId: string;
  roomName: string;
  senderName: string;
  body: string;
}

export const chatEvents = {
  'chat.rooms': event<ChatRoomView[]>(),
  'chat.invites': event<ChatInviteView[]>(),
  /** Something in this room's timeline changed: refresh what is shown. */
  'chat.timeline': event<{ roomId: string }>(),
  /** A mention to show as a desktop notification (browser bridge; Electron shows it natively). */
  'chat.notification': event<ChatNotification>(),
  /** The member clicked a notification: show this room. */
  'chat.openRoom': event<{ roomId: string }>(),
};
