// A member's figures for the coop's standing rules (shared/governance/standing.ts), read
// offline from the governance store: circles they belong to, the all-hands circle's closed
// assemblies they attended, and the minutes they logged in the rule's period. Local ids
// linked to an account count as the account.
import type { Db } from '../store/database';
import { assessStanding, standingPeriodStart, type StandingFigures, type StandingResult, type StandingRules } from '../../../shared/governance/standing';

export class StandingFiguresReader {
  constructor(private readonly db: Db) {}

  /** The all-hands circle's id, by id or (case-insensitive) name; null when not in this store. */
  private allHandsCircle(nameOrId: string): string | null {
    const row = (this.db.prepare('SELECT circle FROM gov_circles WHERE created_v IS NOT NULL AND circle = ?').get(nameOrId) ??
      this.db.prepare('SELECT circle FROM gov_circles WHERE created_v IS NOT NULL AND lower(name) = lower(?) ORDER BY created_v LIMIT 1').get(nameOrId)) as
      | { circle: string }
      | undefined;
    return row?.circle ?? null;
  }

  figures(rules: StandingRules, member: string, today: string): StandingFigures {
    const circles = (
      this.db
        .prepare(
          `SELECT count(DISTINCT m.circle) AS n FROM gov_members m
           JOIN gov_circles c ON c.circle = m.circle AND c.created_v IS NOT NULL AND c.archived_v IS NULL
           LEFT JOIN gov_member_links l ON l.circle = m.circle AND l.member = m.member
           WHERE m.set_v > m.removed_v AND coalesce(l.account, m.member) = ?`,
        )
        .get(member) as { n: number }
    ).n;
    let allHands: StandingFigures['allHands'] = null;
    const circle = rules.allHands ? this.allHandsCircle(rules.allHands.circle) : null;
    if (rules.allHands && circle !== null) {
      const meetings = (
        this.db
          .prepare('SELECT assembly_id AS id FROM gov_assemblies WHERE circle = ? AND created_v IS NOT NULL AND closed_v IS NOT NULL ORDER BY closed_v DESC LIMIT ?')
          .all(circle, rules.allHands.lastMeetings ?? -1) as { id: string }[]
      ).map((r) => r.id);
      const attended = meetings.length === 0 ? 0 : (
        this.db
          .prepare(
            `SELECT count(DISTINCT a.assembly_id) AS n FROM gov_attendance a
             LEFT JOIN gov_member_links l ON l.circle = a.circle AND l.member = a.member
             WHERE a.circle = ? AND a.status = 'present' AND coalesce(l.account, a.member) = ?
               AND a.assembly_id IN (SELECT value FROM json_each(?))`,
          )
          .get(circle, member, JSON.stringify(meetings)) as { n: number }
      ).n;
      allHands = { attended, meetings: meetings.length };
    }
    let minutes = 0;
    if (rules.hours) {
      const from = `${standingPeriodStart(today, rules.hours.months)}-01`;
      minutes = (
        this.db
          .prepare(
            `SELECT coalesce(sum(t.minutes), 0) AS m FROM gov_contributions t
             JOIN gov_circles c ON c.circle = t.circle AND c.created_v IS NOT NULL
             LEFT JOIN gov_member_links l ON l.circle = t.circle AND l.member = t.member
             WHERE t.created_v IS NOT NULL AND t.deleted_v IS NULL AND coalesce(l.account, t.member) = ? AND t.date >= ? AND t.date <= ?`,
          )
          .get(member, from, today) as { m: number }
      ).m;
    }
    return { circles, allHands, minutes };
  }

  assess(rules: StandingRules | undefined, member: string, today: string): StandingResult | null {
    return rules ? assessStanding(rules, this.figures(rules, member, today)) : null;
  }
}
