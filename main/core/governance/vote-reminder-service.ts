// Vote reminders on this computer (README "Deadlines, reminders and outcomes"):
// - "closing soon": `voteReminderHours` before an open vote's closing time, the member using
//   this Plenary, if they belong to the circle and have not voted, gets one reminder;
// - "due for review": on an outcome's review date, members of the circle get one reminder.
// They are shown the way meeting reminders are (MeetingsService.showReminder: in the page,
// and as a system notification in the desktop app). Which ones were shown is kept in
// vote_reminders_shown, so a restart never repeats one. Who is due, and when, is decided by
// the pure functions of shared/governance/vote-reminders.ts; this file only reads and records.
import type { Db } from '../store/database';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Translate } from '../i18n/translator';
import type { MeetingReminder } from '../../../shared/meetings/types';
import type { VoteSummary } from '../../../shared/governance/views';
import { GovernanceQueries } from './governance-queries';
import {
  closingSoon,
  dueClosingReminders,
  dueForReview,
  dueReviewReminders,
  localDay,
  reminderKey,
  type ClosingCandidate,
  type VoteAgenda,
  type VoteAgendaItem,
} from '../../../shared/governance/vote-reminders';

export interface VoteReminderDeps {
  db: Db;
  /** Who "you" are, asked at each read. */
  actor: () => string;
  clock: Clock;
  leadHours: () => number;
  doNotDisturb: () => boolean;
  /** Shows a reminder (MeetingsService.showReminder). */
  show: (reminder: MeetingReminder) => void;
  translate: Translate;
  /** The locale for dates and times. */
  formatLocale: () => string;
  log?: Logger;
  /** The member's calendar day at a time (tests pin the time zone). */
  today?: (now: number) => string;
}

interface Candidate extends ClosingCandidate {
  vote: VoteSummary;
  /** The circle has no members yet (a circle set up on this computer alone): listed for its maker. */
  noMembers: boolean;
}

export const voteReminderTickMs = 15_000;

export class VoteReminderService {
  private readonly queries: GovernanceQueries;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly deps: VoteReminderDeps) {
    this.queries = new GovernanceQueries(deps.db, deps.actor, () => deps.clock.now());
  }

  private leadMs(): number {
    return this.deps.leadHours() * 3_600_000;
  }

  private today(now: number): string {
    return (this.deps.today ?? ((at) => localDay(at)))(now);
  }

  /** Open votes in their reminder window, with whether "you" belong to the circle and have voted. */
  private closingCandidates(now: number): Candidate[] {
    // Only votes whose closing time is within the lead time are read in full (with their ballots).
    const rows = this.deps.db
      .prepare(
        `SELECT v.circle, v.vote_id FROM gov_votes v JOIN gov_circles c ON c.circle = v.circle AND c.created_v IS NOT NULL AND c.archived_v IS NULL
         WHERE v.created_v IS NOT NULL AND v.closed_v IS NULL AND v.closes_at > ? AND v.closes_at <= ?`,
      )
      .all(now, now + this.leadMs()) as { circle: string; vote_id: string }[];
    const open = rows.map((r) => {
      const detail = this.queries.vote(r.circle, r.vote_id);
      return { circle: detail.circle, voteId: detail.id, status: detail.status, closesAt: detail.closesAt, detail };
    });
    const me = this.deps.actor();
    return closingSoon(open, now, this.leadMs()).map(({ detail }) => {
      const vote: VoteSummary = detail;
      const isMember = detail.members.some((m) => m.member === me);
      return {
        circle: vote.circle,
        voteId: vote.id,
        status: vote.status,
        closesAt: vote.closesAt,
        isMember,
        hasVoted: isMember && !detail.undecided.some((m) => m.member === me),
        noMembers: detail.members.length === 0,
        vote,
      };
    });
  }

  private reviewCandidates(today: string) {
    const me = this.deps.actor();
    const rows = this.deps.db
      .prepare(
        `SELECT v.circle, v.vote_id FROM gov_votes v JOIN gov_circles c ON c.circle = v.circle AND c.created_v IS NOT NULL AND c.archived_v IS NULL
         WHERE v.created_v IS NOT NULL AND v.review_on IS NOT NULL AND v.review_on <= ?`,
      )
      .all(today) as { circle: string; vote_id: string }[];
    const closed = rows.map((r) => this.queries.vote(r.circle, r.vote_id));
    const members = new Map<string, string[]>();
    const membersOf = (circle: string) => {
      if (!members.has(circle)) members.set(circle, this.queries.members(circle).map((m) => m.member));
      return members.get(circle)!;
    };
    return dueForReview(
      closed.map((vote) => ({ circle: vote.circle, voteId: vote.id, status: vote.status, closesAt: vote.closesAt, reviewOn: vote.reviewOn, vote })),
      today,
    ).map((c) => ({ ...c, isMember: membersOf(c.circle).includes(me), noMembers: membersOf(c.circle).length === 0 }));
  }

  /** Today's "closing soon" and "due for review", in the circles "you" belong to (or that have no members yet). */
  agenda(): VoteAgenda {
    const now = this.deps.clock.now();
    const item = (vote: VoteSummary, voted: boolean | null): VoteAgendaItem => ({
      circle: vote.circle,
      circleName: vote.circleName,
      voteId: vote.id,
      question: vote.question,
      closesAt: vote.closesAt,
      reviewOn: vote.reviewOn,
      outcome: vote.outcome,
      voted,
    });
    return {
      closingSoon: this.closingCandidates(now)
        .filter((c) => c.isMember || c.noMembers)
        .map((c) => item(c.vote, c.isMember ? c.hasVoted : null)),
      dueForReview: this.reviewCandidates(this.today(now))
        .filter((c) => c.isMember || c.noMembers)
        .map((c) => item(c.vote, null)),
      leadHours: this.deps.leadHours(),
    };
  }

  private shownKeys(): Set<string> {
    const rows = this.deps.db.prepare('SELECT circle, vote_id, kind, subject FROM vote_reminders_shown').all() as {
      circle: string;
      vote_id: string;
      kind: 'closing' | 'review';
      subject: string;
    }[];
    return new Set(rows.map((r) => reminderKey(r.kind, r.circle, r.vote_id, r.subject)));
  }

  /** Shows every reminder due now (once each, across restarts); returns those shown. */
  tick(): MeetingReminder[] {
    const now = this.deps.clock.now();
    let due: { kind: 'closing' | 'review'; subject: string; vote: VoteSummary }[];
    try {
      const shown = this.shownKeys();
      due = [
        ...dueClosingReminders(this.closingCandidates(now), now, this.leadMs(), shown).map((c) => ({ kind: 'closing' as const, subject: '', vote: c.vote })),
        ...dueReviewReminders(this.reviewCandidates(this.today(now)), this.today(now), shown).map((c) => ({ kind: 'review' as const, subject: c.reviewOn!, vote: c.vote })),
      ];
    } catch (error) {
      this.deps.log?.warn('could not read votes for reminders', { reason: error instanceof Error ? error.message : String(error) });
      return [];
    }
    const quiet = this.deps.doNotDisturb();
    const record = this.deps.db.prepare('INSERT OR IGNORE INTO vote_reminders_shown (circle, vote_id, kind, subject, shown_at) VALUES (?, ?, ?, ?, ?)');
    const fired: MeetingReminder[] = [];
    for (const { kind, subject, vote } of due) {
      // Recorded before it is shown: a crash in between loses one reminder rather than repeating it.
      if (record.run(vote.circle, vote.id, kind, subject, now).changes === 0 || quiet) continue;
      const reminder = this.reminder(kind, vote);
      try {
        this.deps.show(reminder);
        fired.push(reminder);
      } catch (error) {
        this.deps.log?.warn('a vote reminder could not be shown', { reason: error instanceof Error ? error.message : String(error) });
      }
    }
    return fired;
  }

  private reminder(kind: 'closing' | 'review', vote: VoteSummary): MeetingReminder {
    const t = this.deps.translate;
    const base = { circleId: vote.circle, circleName: vote.circleName, roomId: null };
    if (kind === 'closing') {
      const time = new Intl.DateTimeFormat(this.deps.formatLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(vote.closesAt!);
      return {
        ...base,
        start: vote.closesAt!,
        title: t('governance:voteReminders.closingTitle', { question: vote.question }),
        body: t('governance:voteReminders.closingBody', { circle: vote.circleName, time }),
      };
    }
    return {
      ...base,
      start: vote.closedAt ?? vote.createdAt,
      title: t('governance:voteReminders.reviewTitle', { question: vote.question }),
      body: t('governance:voteReminders.reviewBody', { circle: vote.circleName, date: vote.reviewOn ? this.formatDay(vote.reviewOn) : '' }),
    };
  }

  /** A calendar day (YYYY-MM-DD) as the member reads dates. */
  private formatDay(day: string): string {
    try {
      return new Intl.DateTimeFormat(this.deps.formatLocale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.parse(`${day}T00:00:00Z`));
    } catch {
      return day;
    }
  }

  start(intervalMs = voteReminderTickMs): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.timer.unref?.();
    this.tick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
