// A member's standing figures read from the governance store: circles (not archived, not
// removed), attendance at the all-hands circle's closed assemblies, hours in the period.
import { describe, expect, it } from 'vitest';
import { makeStore, alice, bob, ids } from '../helpers/governance';
import { StandingFiguresReader } from '../../main/core/governance/standing-figures';

function setUp() {
  const { store, db } = makeStore();
  const allHands = ids();
  const tech = ids();
  const old = ids();
  for (const [circle, name] of [[allHands, 'All hands'], [tech, 'Tech'], [old, 'Old']] as const) {
    store.applyLocalBatch([
      { type: 'circle.create', circle, payload: { name, purpose: '', timezone: 'UTC' } },
      { type: 'circle.member.set', circle, payload: { member: alice, displayName: 'Alice', role: 'facilitator', timezone: 'UTC' } },
    ]);
  }
  store.applyLocal('circle.member.set', allHands, { member: bob, displayName: 'Bob', role: 'member', timezone: 'UTC' });
  store.applyLocal('circle.member.set', tech, { member: bob, displayName: 'Bob', role: 'member', timezone: 'UTC' });
  store.applyLocal('circle.member.remove', tech, { member: bob });
  store.applyLocal('circle.archive', old, {});
  // Four all-hands meetings: three closed (Alice at all, Bob at one), one still open.
  const meetings = [ids(), ids(), ids(), ids()];
  meetings.forEach((assemblyId, i) => {
    store.applyLocal('assembly.create', allHands, { assemblyId, title: `Meeting ${i + 1}` });
    store.applyLocal('assembly.open', allHands, { assemblyId });
    store.applyLocal('assembly.attendance.set', allHands, { assemblyId, member: alice, status: 'present' });
    store.applyLocal('assembly.attendance.set', allHands, { assemblyId, member: bob, status: i === 0 ? 'present' : 'apologies' });
    if (i < 3) store.applyLocal('assembly.close', allHands, { assemblyId });
  });
  const log = (member: string, date: string, minutes: number) =>
    store.applyLocal('contribution.create', tech, { contributionId: ids(), member, date, minutes, stream: 'care', description: '', tags: [] });
  log(alice, '2026-09-30', 600); // before a two-month period ending in November
  log(alice, '2026-10-01', 120);
  log(alice, '2026-11-20', 90);
  log(alice, '2026-11-22', 60); // after "today" below
  return { reader: new StandingFiguresReader(db), allHands };
}

describe('StandingFiguresReader', () => {
  const rules = { minCircles: 1, allHands: { circle: 'all hands', minShare: 0.5 }, hours: { min: 10, months: 2 } };

  it('counts live, unarchived circles, closed all-hands meetings attended and minutes in the period', () => {
    const { reader } = setUp();
    expect(reader.figures(rules, alice, '2026-11-21')).toEqual({ circles: 2, allHands: { attended: 3, meetings: 3 }, minutes: 210 });
    expect(reader.figures(rules, bob, '2026-11-21')).toEqual({ circles: 1, allHands: { attended: 1, meetings: 3 }, minutes: 0 });
  });

  it('finds the all-hands circle by id too, and only the last meetings when asked', () => {
    const { reader, allHands } = setUp();
    expect(reader.figures({ allHands: { circle: allHands, minShare: 0.5, lastMeetings: 2 } }, bob, '2026-11-21').allHands).toEqual({ attended: 0, meetings: 2 });
  });

  it('reports an all-hands circle not in the store', () => {
    const { reader } = setUp();
    expect(reader.figures({ allHands: { circle: 'Nope', minShare: 0.5 } }, bob, '2026-11-21').allHands).toBeNull();
  });

  it('assesses a member with their shortfalls, and nothing without rules', () => {
    const { reader } = setUp();
    const bobs = reader.assess(rules, bob, '2026-11-21')!;
    expect(bobs.inGoodStanding).toBe(false);
    expect(bobs.checks).toMatchObject([{ rule: 'circles', met: true }, { rule: 'allHands', met: false, need: 2, short: 1 }, { rule: 'hours', shortHours: 10 }]);
    expect(reader.assess(undefined, bob, '2026-11-21')).toBeNull();
  });
});
