// Member standing under the coop's own rules: thresholds the coop writes in coop.json
// (section "standing") checked against a member's figures, which the core computes offline
// from the governance store (circle memberships, assembly attendance, contributions). Pure:
// the thresholds and the figures in, each rule met or not with its shortfall out.
import { z } from 'zod';

const rounded = (n: number) => Math.round(n * 100) / 100;

export const standingRulesSchema = z
  .object({
    /** At least this many circles the member belongs to. */
    minCircles: z.number({ error: 'must be a whole number of circles, such as 1' }).int('must be a whole number of circles, such as 1').min(1, 'must be at least 1').max(100, 'must be at most 100').optional(),
    /** At least this share (0 to 1) of the all-hands circle's closed assemblies attended. */
    allHands: z
      .object({
        /** The all-hands circle, by name or id. */
        circle: z.string().trim().min(1, 'must name the all-hands circle (its name or id)').max(200, 'must be at most 200 characters'),
        minShare: z.number({ error: 'must be a share between 0 and 1, such as 0.5' }).gt(0, 'must be more than 0 (a share such as 0.5)').max(1, 'must be at most 1 (all meetings)'),
        /** Only the last this many closed assemblies count (all of them when left out). */
        lastMeetings: z.number({ error: 'must be a whole number of meetings, such as 12' }).int('must be a whole number of meetings, such as 12').min(1, 'must be at least 1').max(1000, 'must be at most 1000').optional(),
      })
      .strict()
      .optional(),
    /** At least this many hours of contributions logged over the last `months` months (this month included). */
    hours: z
      .object({
        min: z.number({ error: 'must be a number of hours, such as 10' }).gt(0, 'must be more than 0 hours').max(10000, 'must be at most 10000 hours'),
        months: z.number({ error: 'must be a whole number of months, such as 3' }).int('must be a whole number of months, such as 3').min(1, 'must be at least 1').max(36, 'must be at most 36'),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((r) => r.minCircles !== undefined || r.allHands !== undefined || r.hours !== undefined, {
    message: 'must set at least one rule: minCircles, allHands or hours',
  });

export type StandingRules = z.output<typeof standingRulesSchema>;

/** What the store says about one member. allHands is null when the all-hands circle is not found. */
export interface StandingFigures {
  circles: number;
  allHands: { attended: number; meetings: number } | null;
  /** Minutes logged in the rule's period. */
  minutes: number;
}

export type StandingCheck =
  | { rule: 'circles'; met: boolean; have: number; need: number; short: number }
  | { rule: 'allHands'; met: boolean; attended: number; meetings: number; need: number; short: number; circleFound: boolean }
  | { rule: 'hours'; met: boolean; hours: number; need: number; months: number; shortHours: number };

export interface StandingResult {
  /** True when every rule is met. */
  inGoodStanding: boolean;
  checks: StandingCheck[];
}

/**
 * Checks each rule the coop set. No rules: null (nothing is shown). An all-hands rule whose
 * circle holds no closed meeting yet is met (nobody can have missed one); one whose circle
 * is not in this store is not met and says so.
 */
export function assessStanding(rules: StandingRules | null | undefined, figures: StandingFigures): StandingResult | null {
  if (!rules) return null;
  const checks: StandingCheck[] = [];
  if (rules.minCircles !== undefined) {
    const short = Math.max(0, rules.minCircles - figures.circles);
    checks.push({ rule: 'circles', met: short === 0, have: figures.circles, need: rules.minCircles, short });
  }
  if (rules.allHands) {
    const found = figures.allHands !== null;
    const meetings = figures.allHands?.meetings ?? 0;
    const attended = Math.min(figures.allHands?.attended ?? 0, meetings);
    // The fewest meetings that reach the share; a small epsilon keeps 0.5 × 4 at exactly 2.
    const need = Math.ceil(rules.allHands.minShare * meetings - 1e-9);
    const short = Math.max(0, need - attended);
    checks.push({ rule: 'allHands', met: found && short === 0, attended, meetings, need, short, circleFound: found });
  }
  if (rules.hours) {
    const hours = rounded(Math.max(0, figures.minutes) / 60);
    const shortHours = rounded(Math.max(0, rules.hours.min - hours));
    checks.push({ rule: 'hours', met: shortHours === 0, hours, need: rules.hours.min, months: rules.hours.months, shortHours });
  }
  return { inGoodStanding: checks.every((c) => c.met), checks };
}

/** The first month ("YYYY-MM") of a period of `months` months ending with the month of `today` ("YYYY-MM-DD"). */
export function standingPeriodStart(today: string, months: number): string {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const index = year * 12 + (month - 1) - (months - 1);
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}
