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

/** A vote as reminders read it: one row, no ballots tallied (a tally costs more the larger the store). */
interface VoteRow {
  circle: string;
  vote_id: string;
  circle_name: string;
  question: string;
  closes_at: number | null;
  outcome: string | null;
  review_on: string | null;
  closed_at: number | null;
  created_at: number;
}

interface Candidate extends ClosingCandidate {
  row: VoteRow;
  /** The circle has no members yet (a circle set up on this computer alone): listed for its maker. */
  noMembers: boolean;
}

export const voteReminderTickMs = 15_000;

const voteColumns = `v.circle, v.vote_id, c.name AS circle_name, v.question, v.closes_at, v.outcome, v.review_on,
  CAST(substr(v.closed_v, 1, 13) AS INTEGER) AS closed_at, CAST(substr(v.created_v, 1, 13) AS INTEGER) AS created_at
  FROM gov_votes v JOIN gov_circles c ON c.circle = v.circle AND c.created_v IS NOT NULL AND c.archived_v IS NULL`;

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

  /** Members of a circle by the id each goes by, read once per pass. */
  private membership(): (circle: string) => string[] {
    const members = new Map<string, string[]>();
    return (circle) => {
      if (!members.has(circle)) members.set(circle, this.queries.members(circle).map((m) => m.member));
      return members.get(circle)!;
    };
  }

  /**
   * Whether "you" have a live ballot in the vote, cast by yourself or for you (a proxy), under
   * your account or a local member id linked to it. Before the close such a ballot counts.
   */
  private hasBallot(circle: string, voteId: string, me: string): boolean {
    const ids = [me, ...(this.deps.db.prepare('SELECT member FROM gov_member_links WHERE circle = ? AND account = ?').all(circle, me) as { member: string }[]).map((r) => r.member)];
    return (
      this.deps.db
        .prepare(
          `SELECT 1 FROM ops WHERE type = 'vote.ballot' AND circle = ? AND json_extract(payload, '$.voteId') = ? AND withdrawn = 0 AND held_until IS NULL
             AND json_extract(payload, '$.voter') IN (${ids.map(() => '?').join(', ')}) LIMIT 1`,
        )
        .get(circle, voteId, ...ids) !== undefined
    );
  }

  /** Open votes in their reminder window, with whether "you" belong to the circle and have voted. */
  private closingCandidates(now: number): Candidate[] {
    // The partial index gov_votes_closing finds the few votes closing within the lead time.
    const rows = this.deps.db
      .prepare(`SELECT ${voteColumns} WHERE v.created_v IS NOT NULL AND v.closed_v IS NULL AND v.closes_at > ? AND v.closes_at <= ?`)
      .all(now, now + this.leadMs()) as VoteRow[];
    const me = this.deps.actor();
    const membersOf = this.membership();
    const open = rows.map((row) => ({ circle: row.circle, voteId: row.vote_id, status: 'open' as const, closesAt: row.closes_at, row }));
    return closingSoon(open, now, this.leadMs()).map(({ row }) => {
      const members = membersOf(row.circle);
      const isMember = members.includes(me);
      return {
        circle: row.circle,
        voteId: row.vote_id,
        status: 'open',
        closesAt: row.closes_at,
        isMember,
        hasVoted: isMember && this.hasBallot(row.circle, row.vote_id, me),
        noMembers: members.length === 0,
        row,
      };
    });
  }

  /** Closed votes whose review date has come. */
  private reviewCandidates(now: number, today: string) {
    const me = this.deps.actor();
    const rows = this.deps.db
      .prepare(`SELECT ${voteColumns} WHERE v.created_v IS NOT NULL AND v.review_on IS NOT NULL AND v.review_on <= ? AND (v.closed_v IS NOT NULL OR v.closes_at <= ?)`)
      .all(today, now) as VoteRow[];
    const membersOf = this.membership();
    return dueForReview(
      rows.map((row) => ({ circle: row.circle, voteId: row.vote_id, status: 'closed' as const, closesAt: row.closes_at, reviewOn: row.review_on, row })),
      today,
    ).map((c) => ({ ...c, isMember: membersOf(c.circle).includes(me), noMembers: membersOf(c.circle).length === 0 }));
  }

  /** Today's "closing soon" and "due for review", in the circles "you" belong to (or that have no members yet). */
  agenda(): VoteAgenda {
    const now = this.deps.clock.now();
    const item = (row: VoteRow, voted: boolean | null): VoteAgendaItem => ({
      circle: row.circle,
      circleName: row.circle_name,
      voteId: row.vote_id,
      question: row.question,
      closesAt: row.closes_at,
      reviewOn: row.review_on,
      outcome: row.outcome ?? '',
      voted,
    });
    return {
      closingSoon: this.closingCandidates(now)
        .filter((c) => c.isMember || c.noMembers)
        .map((c) => item(c.row, c.isMember ? c.hasVoted : null)),
      dueForReview: this.reviewCandidates(now, this.today(now))
        .filter((c) => c.isMember || c.noMembers)
        .map((c) => item(c.row, null)),
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
    let due: { kind: 'closing' | 'review'; subject: string; vote: VoteRow }[];
    try {
      const shown = this.shownKeys();
      due = [
        ...dueClosingReminders(this.closingCandidates(now), now, this.leadMs(), shown).map((c) => ({ kind: 'closing' as const, subject: '', vote: c.row })),
        ...dueReviewReminders(this.reviewCandidates(now, this.today(now)), this.today(now), shown).map((c) => ({ kind: 'review' as const, subject: c.reviewOn!, vote: c.row })),
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
      if (record.run(vote.circle, vote.vote_id, kind, subject, now).changes === 0 || quiet) continue;
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

  private reminder(kind: 'closing' | 'review', vote: VoteRow): MeetingReminder {
    const t = this.deps.translate;
    const base = { circleId: vote.circle, circleName: vote.circle_name, roomId: null };
    if (kind === 'closing') {
      const time = new Intl.DateTimeFormat(this.deps.formatLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(vote.closes_at!);
      return {
        ...base,
        start: vote.closes_at!,
        title: t('governance:voteReminders.closingTitle', { question: vote.question }),
        body: t('governance:voteReminders.closingBody', { circle: vote.circle_name, time }),
      };
    }
    return {
      ...base,
      start: vote.closed_at ?? vote.closes_at ?? vote.created_at,
      title: t('governance:voteReminders.reviewTitle', { question: vote.question }),
      body: t('governance:voteReminders.reviewBody', { circle: vote.circle_name, date: vote.review_on ? this.formatDay(vote.review_on) : '' }),
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
