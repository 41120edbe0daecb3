import { describe, expect, it } from 'vitest';
import { assessStanding, standingPeriodStart, standingRulesSchema } from '../../shared/governance/standing';
import { validateCoopConfig } from '../../main/core/config/coop-config';

const base = { version: 1, coop: { name: 'meet.coop' } };

describe('assessStanding', () => {
  it('shows nothing without rules', () => {
    expect(assessStanding(undefined, { circles: 0, allHands: null, minutes: 0 })).toBeNull();
    expect(assessStanding(null, { circles: 0, allHands: null, minutes: 0 })).toBeNull();
  });

  it('checks the circles rule with its shortfall', () => {
    const r = assessStanding({ minCircles: 2 }, { circles: 1, allHands: null, minutes: 0 })!;
    expect(r.inGoodStanding).toBe(false);
    expect(r.checks).toEqual([{ rule: 'circles', met: false, have: 1, need: 2, short: 1 }]);
    expect(assessStanding({ minCircles: 1 }, { circles: 3, allHands: null, minutes: 0 })!.inGoodStanding).toBe(true);
  });

  it('counts all-hands attendance against the share, rounding the need up', () => {
    const rules = { allHands: { circle: 'All hands', minShare: 0.5 } };
    expect(assessStanding(rules, { circles: 0, allHands: { attended: 1, meetings: 4 }, minutes: 0 })!.checks[0]).toEqual({
      rule: 'allHands', met: false, attended: 1, meetings: 4, need: 2, short: 1, circleFound: true,
    });
    expect(assessStanding(rules, { circles: 0, allHands: { attended: 2, meetings: 4 }, minutes: 0 })!.inGoodStanding).toBe(true);
    // 0.5 of 3 meetings needs 2.
    expect(assessStanding(rules, { circles: 0, allHands: { attended: 1, meetings: 3 }, minutes: 0 })!.checks[0]).toMatchObject({ need: 2, short: 1 });
  });

  it('treats an all-hands circle without closed meetings as met, and a missing circle as not met', () => {
    const rules = { allHands: { circle: 'All hands', minShare: 1 } };
    expect(assessStanding(rules, { circles: 0, allHands: { attended: 0, meetings: 0 }, minutes: 0 })!.inGoodStanding).toBe(true);
    expect(assessStanding(rules, { circles: 0, allHands: null, minutes: 0 })!.checks[0]).toMatchObject({ met: false, circleFound: false });
  });

  it('never counts more attendance than meetings', () => {
    const r = assessStanding({ allHands: { circle: 'x', minShare: 1 } }, { circles: 0, allHands: { attended: 9, meetings: 2 }, minutes: 0 })!;
    expect(r.checks[0]).toMatchObject({ attended: 2, met: true });
  });

  it('checks logged hours with the hours short', () => {
    const r = assessStanding({ hours: { min: 10, months: 3 } }, { circles: 0, allHands: null, minutes: 8 * 60 })!;
    expect(r.checks[0]).toEqual({ rule: 'hours', met: false, hours: 8, need: 10, months: 3, shortHours: 2 });
    const half = assessStanding({ hours: { min: 10, months: 3 } }, { circles: 0, allHands: null, minutes: 9 * 60 + 30 })!;
    expect(half.checks[0]).toMatchObject({ hours: 9.5, shortHours: 0.5 });
    expect(assessStanding({ hours: { min: 1, months: 1 } }, { circles: 0, allHands: null, minutes: 60 })!.inGoodStanding).toBe(true);
  });

  it('checks every rule set, in good standing only when all are met', () => {
    const r = assessStanding(
      { minCircles: 1, allHands: { circle: 'All hands', minShare: 0.5 }, hours: { min: 4, months: 1 } },
      { circles: 1, allHands: { attended: 2, meetings: 2 }, minutes: 120 },
    )!;
    expect(r.checks.map((c) => [c.rule, c.met])).toEqual([['circles', true], ['allHands', true], ['hours', false]]);
    expect(r.inGoodStanding).toBe(false);
  });
});

describe('standingPeriodStart', () => {
  it('counts back whole months including this one, across years', () => {
    expect(standingPeriodStart('2026-12-07', 1)).toBe('2026-12');
    expect(standingPeriodStart('2026-12-07', 3)).toBe('2026-10');
    expect(standingPeriodStart('2027-02-01', 3)).toBe('2026-12');
    expect(standingPeriodStart('2027-01-31', 13)).toBe('2026-01');
  });
});

describe('coop.json standing', () => {
  it('accepts the rules and keeps them', () => {
    const result = validateCoopConfig({ ...base, standing: { minCircles: 1, allHands: { circle: 'All hands', minShare: 0.5 }, hours: { min: 10, months: 3 } } });
    expect(result.ok && result.config.standing).toEqual({ minCircles: 1, allHands: { circle: 'All hands', minShare: 0.5 }, hours: { min: 10, months: 3 } });
  });

  it('is optional', () => {
    const result = validateCoopConfig(base);
    expect(result.ok && result.config.standing).toBeUndefined();
  });

  it.each([
    [{ minCircles: 0 }, 'standing.minCircles: must be at least 1'],
    [{ minCircles: 1.5 }, 'standing.minCircles: must be a whole number of circles'],
    [{ minCircles: '1' }, 'standing.minCircles: must be a whole number of circles'],
    [{ allHands: { circle: 'All hands', minShare: 1.5 } }, 'standing.allHands.minShare: must be at most 1'],
    [{ allHands: { circle: 'All hands', minShare: 0 } }, 'standing.allHands.minShare: must be more than 0'],
    [{ allHands: { circle: '', minShare: 0.5 } }, 'standing.allHands.circle: must name the all-hands circle'],
    [{ allHands: { minShare: 0.5 } }, 'standing.allHands.circle: is required'],
    [{ hours: { min: -2, months: 3 } }, 'standing.hours.min: must be more than 0 hours'],
    [{ hours: { min: 10, months: 0 } }, 'standing.hours.months: must be at least 1'],
    [{ hours: { min: 10 } }, 'standing.hours.months: is required'],
    [{ minHours: 10 }, 'standing.minHours: unknown setting'],
    [{}, 'standing: must set at least one rule'],
  ])('refuses %j naming the field', (standing, message) => {
    const result = validateCoopConfig({ ...base, standing });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.messages.join('\n')).toContain(message);
  });

  it('the schema alone refuses a rule set without rules', () => {
    expect(standingRulesSchema.safeParse({}).success).toBe(false);
  });
});
