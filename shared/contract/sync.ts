import { z } from 'zod';
import { call, event, returns } from './define';
import type { AuthorizationReason } from '../governance/authorization';

/**
 * - `waiting`: the coop server asked Plenary to slow down (HTTP 429); uploads go on at
 *   `retryAt` by themselves. Neither an error nor synced.
 * - `refused`: everything that could go went, but the server refused something that stays
 *   listed (see `refused`) until it is retried or dismissed. Never reads as synced.
 */
export type SyncState = 'signed-out' | 'idle' | 'uploading' | 'waiting' | 'offline' | 'refused' | 'error';

export interface SyncStatusView {
  state: SyncState;
  /** Local operations and poll events not yet on the coop server. */
  pending: number;
  /** During an upload: operations confirmed so far out of the total queued. */
  progress: { sent: number; total: number } | null;
  /** When this device last had nothing left to upload and had read the server. */
  lastSyncedAt: number | null;
  /** Why sync stopped or is offline, as a code the UI translates plus a detail. */
  problem: { code: string; detail: string } | null;
  /** When the next automatic attempt happens: while offline, or while waiting out a rate limit. */
  retryAt: number | null;
  /** Received items kept aside because they were invalid or not allowed. */
  quarantined: number;
  /** Things the coop server refused that stand until they succeed, are retried or dismissed. */
  refused: number;
  /** Changes made here that the other members' apps refuse, withdrawn here too, not yet acknowledged. */
  notAccepted: number;
  /** Rooms claiming to be circle rooms that Plenary did not join, not yet dismissed. */
  roomNotices: number;
  /** Events withdrawn (redacted) on the coop server, listed in Settings › Sync. */
  withdrawn: number;
  clock: SyncClockView;
}

/**
 * A change made on this device that every other member's app refuses (judged by the same
 * rule at its place in the circle room's history), so it was withdrawn here too.
 */
export interface NotAcceptedChange {
  opId: string;
  circleId: string;
  circleName: string | null;
  /** The operation type (circle.update, vote.close, …); the interface names it. */
  type: string;
  /** When it was made (this device's clock). */
  madeAt: number;
  reason: AuthorizationReason;
  /** Precise English, for the curious. */
  detail: string;
  withdrawnAt: number;
  acknowledged: boolean;
}

/**
 * A room that claims to be a circle's room, which Plenary neither joined nor bound to the
 * circle: no authorised declaration backs it (`not_declared`: not made by the circle's
 * creator or a facilitator, not listed by the coop space's admins, not at the circle's address),
 * or the circle already has its room (`circle_has_room`).
 */
export interface RoomNotice {
  roomId: string;
  circleId: string;
  /** The circle's name when this device knows the circle. */
  circleName: string | null;
  /** The room's own name, as its creator set it. */
  roomName: string | null;
  roomCreator: string;
  inviter: string | null;
  reason: 'not_declared' | 'circle_has_room';
  noticedAt: number;
}

/**
 * Clocks. A change stamped more than 5 minutes ahead of a computer's clock is held there
 * until that clock gets to it (never lost); these say what is held and why.
 */
export interface SyncClockView {
  /** This computer's clock minus the coop server's (ms, positive: ahead), when off by a minute or more; else null. */
  skewMs: number | null;
  /** Changes held on this computer because they are stamped ahead of its clock: how many, and when the last is due. */
  heldHere: { count: number; until: number } | null;
  /** This member's changes that reached the server stamped ahead of its clock: other members' apps hold them until then. */
  heldByOthers: { count: number; until: number } | null;
}

/** An event withdrawn (redacted) on the coop server, and what that withdrew here. */
export interface WithdrawnItem {
  eventId: string;
  roomId: string;
  circleId: string | null;
  circleName: string | null;
  /** Who sent the withdrawn event ('' when this device only ever saw it already redacted). */
  sender: string;
  eventType: string;
  redactedBy: string;
  /** When the server received the redaction. */
  redactedAt: number;
  reason: string;
  /** Operations this device withdrew because of it (0 on a device that never had them). */
  operations: number;
  /** The poll answer, end or edit went with its withdrawn poll. */
  withPoll: boolean;
}

/** One reason an event (or some of its operations) was kept aside, and how often it applied. */
export interface QuarantineReason {
  /** Empty: the other reasons, summed (a record keeps only the first few one by one). */
  reason: string;
  /** Operations refused for this reason (1 when the whole event was). */
  count: number;
  /** Index of the first operation it concerns, or -1 for the whole event. */
  first: number;
}

/** One received event that was kept aside: one record however many of its operations were refused. */
export interface QuarantinedItem {
  id: number;
  eventId: string;
  /** Index of the operation inside the event, or -1 for the whole event (records kept per event: -1). */
  opIndex: number;
  roomId: string;
  sender: string;
  eventType: string;
  /** The main reason (the most frequent one). */
  reason: string;
  /** Every reason with its count, in the order they first occurred; beyond the first few, one entry with an empty reason sums the others. */
  reasons: QuarantineReason[];
  /** Operations of this event that were refused (1 for an event refused as a whole). */
  refused: number;
  /** Operations the event carried (0 when it is not an operations event). */
  operations: number;
  excerpt: string;
  receivedAt: number;
}

/** Older records of one sender deleted to keep the quarantine within its size limit. */
export interface QuarantineDropped {
  sender: string;
  events: number;
  refused: number;
  firstAt: number;
  lastAt: number;
}

/** What was refused: a circle's operations, its room, an invitation to it, a facilitator's power level, a poll event. */
export const syncRefusalKinds = ['upload', 'room', 'invite', 'power_levels', 'poll'] as const;
export type SyncRefusalKind = (typeof syncRefusalKinds)[number];

/**
 * The server's reason in words the UI translates: not allowed, not found, too large, the
 * member's server cannot be reached (or does not accept the coop server), content it does
 * not accept, or something else (its own words are in `serverMessage`).
 */
export const syncRefusalReasons = ['forbidden', 'not_found', 'too_large', 'other_server', 'invalid', 'other'] as const;
export type SyncRefusalReason = (typeof syncRefusalReasons)[number];

export interface SyncRefusal {
  id: number;
  kind: SyncRefusalKind;
  reason: SyncRefusalReason;
  circleId: string;
  /** The circle's name, or null when this device no longer knows it. */
  circleName: string | null;
  /** invite: the member who was not invited (power_levels: none; the whole circle's). */
  member: { id: string; name: string | null } | null;
  /** poll: which poll event of which vote (results: the message listing votes decided before their poll went out, question of the first). */
  poll: { event: 'start' | 'response' | 'end' | 'results'; question: string | null } | null;
  /** upload: how many of the circle's operations wait behind the refusal. */
  operations: number | null;
  /** The server's answer as it gave it ("M_FORBIDDEN: Federation denied with …"), for the curious. */
  serverMessage: string;
  firstAt: number;
  lastAt: number;
  attempts: number;
  /** When Plenary tries again by itself (a passing failure), or null: it waits for the member. */
  retryAt: number | null;
  /** Whether the member may let it go: what it holds back is not needed by anyone else. */
  canDismiss: boolean;
}

const refusalId = z.object({ id: z.int().min(1) }).strict();

export const syncCalls = {
  sync: {
    status: call(z.object({}).strict(), returns<SyncStatusView>()),
    now: call(z.object({}).strict(), returns<SyncStatusView>()),
    quarantine: call(z.object({ limit: z.int().min(1).max(500).optional() }).strict(), returns<QuarantinedItem[]>()),
    /** Events withdrawn (redacted) on the coop server, newest first: who withdrew what, when. */
    withdrawals: call(z.object({ limit: z.int().min(1).max(500).optional() }).strict(), returns<WithdrawnItem[]>()),
    /** Per sender: how many older records were deleted to keep the quarantine within its size limit. */
    quarantineDropped: call(z.object({}).strict(), returns<QuarantineDropped[]>()),
    refusals: call(z.object({}).strict(), returns<SyncRefusal[]>()),
    /** Tries a refused thing again now (the answer comes through sync.status and sync.refusals). */
    retryRefusal: call(refusalId, returns<SyncRefusal[]>()),
    /** Lets a refused thing go: an invitation or power level is no longer attempted, a poll event is dropped. */
    dismissRefusal: call(refusalId, returns<SyncRefusal[]>()),
    /** Changes made here that the other members' apps did not accept, newest first. */
    notAccepted: call(z.object({}).strict(), returns<NotAcceptedChange[]>()),
    /** The member has read it: it no longer counts in the status (it stays listed). */
    acknowledgeNotAccepted: call(z.object({ opId: z.string().min(1).max(64) }).strict(), returns<NotAcceptedChange[]>()),
    /** Rooms claiming to be circle rooms that Plenary did not join. */
    roomNotices: call(z.object({}).strict(), returns<RoomNotice[]>()),
    dismissRoomNotice: call(z.object({ roomId: z.string().min(1).max(255) }).strict(), returns<RoomNotice[]>()),
  },
};

export const syncEvents = {
  'sync.status': event<SyncStatusView>(),
};
