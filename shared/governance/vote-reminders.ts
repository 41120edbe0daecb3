// Deadlines, reminders and outcome reviews: who is reminded of which vote, when, and which
// replica posts the circle room's one notice. Pure functions of what the caller read from
// the store and the time it passes in; the core (vote-reminder-service.ts, sync/vote-notices.ts)
// only stores what was shown or sent. See README "Deadlines, reminders and outcomes".
//
// A vote with a closing time closes at it on every replica: its status is derived from
// closesAt (governance-queries.ts), and which ballots were on time is judged by the coop
// server's receipt time (shared/governance/tally.ts), not by any replica's clock. No
// operation is needed for the close, so nothing here sends one.

/** The reminder lead time by default: a day before the close, as Loomio does. */
export const defaultVoteReminderHours = 24;
/** The longest lead time the setting takes: two weeks. */
export const maxVoteReminderHours = 14 * 24;

export interface ReminderVote {
  circle: string;
  voteId: string;
  status: 'open' | 'closed';
  closesAt: number | null;
}

/** When a vote's reminder is due (its closing time less the lead), or null without a closing time. */
export function reminderAt(closesAt: number | null, leadMs: number): number | null {
  return closesAt === null ? null : closesAt - Math.max(0, leadMs);
}

/**
 * Whether `now` is in a vote's reminder window: from the reminder time up to (not including)
 * the close. A reminder after the close is never due: a computer that was off through the
 * whole window shows nothing, rather than "closing soon" for a vote already closed.
 */
export function inReminderWindow(vote: ReminderVote, now: number, leadMs: number): boolean {
  const at = reminderAt(vote.closesAt, leadMs);
  return vote.status === 'open' && at !== null && vote.closesAt !== null && at <= now && now < vote.closesAt;
}

export interface ClosingCandidate extends ReminderVote {
  /** Whether the member using this Plenary is a member of the vote's circle (as of now). */
  isMember: boolean;
  /** Whether the member's ballot counts (a ballot, or a delegate's, already cast). */
  hasVoted: boolean;
}

/** A reminder's identity in the list of those shown: one per vote and kind (and review date). */
export function reminderKey(kind: 'closing' | 'review', circle: string, voteId: string, subject = ''): string {
  return `${kind}|${circle}|${voteId}|${subject}`;
}

/**
 * The "closing soon" desktop reminders due now for the member using this Plenary: open
 * votes in their reminder window, in a circle they belong to, that they have not voted in,
 * and not shown before (`shown` holds reminderKey values). One per vote, ever: a later
 * closing time does not remind again. Soonest close first.
 */
export function dueClosingReminders<T extends ClosingCandidate>(votes: readonly T[], now: number, leadMs: number, shown: ReadonlySet<string>): T[] {
  return votes
    .filter((v) => v.isMember && !v.hasVoted && inReminderWindow(v, now, leadMs) && !shown.has(reminderKey('closing', v.circle, v.voteId)))
    .sort((a, b) => a.closesAt! - b.closesAt! || (a.voteId < b.voteId ? -1 : 1));
}

/** Open votes closing within the lead time (Today's "closing soon"), soonest first. */
export function closingSoon<T extends ReminderVote>(votes: readonly T[], now: number, leadMs: number): T[] {
  return votes.filter((v) => inReminderWindow(v, now, leadMs)).sort((a, b) => a.closesAt! - b.closesAt! || (a.voteId < b.voteId ? -1 : 1));
}

export interface ReviewVote extends ReminderVote {
  /** YYYY-MM-DD, or null. */
  reviewOn: string | null;
}

/** Closed votes whose outcome's review date is today or past (Today's "due for review"), oldest date first. */
export function dueForReview<T extends ReviewVote>(votes: readonly T[], today: string): T[] {
  return votes
    .filter((v): v is T & { reviewOn: string } => v.status === 'closed' && v.reviewOn !== null && v.reviewOn <= today)
    .sort((a, b) => (a.reviewOn < b.reviewOn ? -1 : a.reviewOn > b.reviewOn ? 1 : a.voteId < b.voteId ? -1 : 1));
}

/**
 * The "due for review" desktop reminders: one per vote and review date (a new date reminds
 * again), for members of the circle, not shown before.
 */
export function dueReviewReminders<T extends ReviewVote & { isMember: boolean }>(votes: readonly T[], today: string, shown: ReadonlySet<string>): T[] {
  return dueForReview(votes, today).filter((v) => v.isMember && !shown.has(reminderKey('review', v.circle, v.voteId, v.reviewOn!)));
}

export interface NoticeVote extends ReminderVote {
  /** Who created the vote (the actor of its vote.create). */
  createdBy: string;
  /** The clock stamp of its vote.create ("<hlc> <id>"): the hybrid clock names the replica that made it. */
  createdStamp: string;
}

/** This replica: the account signed in (null when none) and its clock's node id. */
export interface NoticeReplica {
  account: string | null;
  node: string;
}

/** The node of a clock stamp ("<wall>-<counter>-<node> <id>"), or null if it is not one. */
export function stampNode(stamp: string): string | null {
  const hlc = stamp.split(' ')[0] ?? '';
  const parts = hlc.split('-');
  return parts.length === 3 && parts[2] ? parts[2] : null;
}

/**
 * Whether this replica posts the circle room's "closing soon" notice for a vote now.
 *
 * One notice per vote, not one per member and not one per replica. Every replica reaches
 * the same answer about who sends it, from what they all share (the vote's vote.create in
 * the log): only the replica that created the vote, signed in as its creator, sends it.
 * The creator's account tells members apart; the clock node in the create's stamp tells the
 * creator's computers apart (each installation has its own node id), so a second device of
 * the same member does not send it either. It is sent during the reminder window, only if no
 * notice for the vote is known here (queued, sent, or seen in the room), and never after the
 * close. Its transaction id derives from the vote, so a retry from the same device returns
 * the event already sent. If the creating computer is not running during the window, no
 * notice is posted (members still get their own desktop reminders).
 */
export function chatNoticeDue(vote: NoticeVote, replica: NoticeReplica, now: number, leadMs: number, known: boolean): boolean {
  return (
    replica.account !== null &&
    vote.createdBy === replica.account &&
    stampNode(vote.createdStamp) === replica.node &&
    !known &&
    inReminderWindow(vote, now, leadMs)
  );
}

/** The transaction id of a vote's room notice: the same on every retry from one device. */
export function chatNoticeTxnId(voteId: string): string {
  return `plenary.vote-closing.${voteId}`;
}

/** The key a room notice carries, so any device can tell it has been posted. */
export const chatNoticeKey = 'org.plenary.vote_closing';

/** A member's local calendar day (YYYY-MM-DD) at `now` in a time zone (undefined: the system's). */
export function localDay(now: number, timeZone?: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', ...(timeZone ? { timeZone } : {}) }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** A vote as Today lists it under "closing soon" or "due for review". */
export interface VoteAgendaItem {
  circle: string;
  circleName: string;
  voteId: string;
  question: string;
  closesAt: number | null;
  reviewOn: string | null;
  outcome: string;
  /** Whether the member's ballot counts already; null where they are not a member of the circle. */
  voted: boolean | null;
}

export interface VoteAgenda {
  closingSoon: VoteAgendaItem[];
  dueForReview: VoteAgendaItem[];
  /** The lead time in force (the voteReminderHours setting). */
  leadHours: number;
}
