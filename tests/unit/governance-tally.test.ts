// Every vote method against worked examples: ties, quorum not met, a block, spoiled and
// changed ballots, late ballots accepted by a facilitator.
import { describe, expect, it } from 'vitest';
import { claimedClose, closePoint, isLate, isNewerBallot, selectBallots, tallyVote, type BallotRecord, type VoteClose, type VoteDefinition } from '../../shared/governance/tally';
import { deadlineStamp } from '../../shared/governance/stamp';
import { formatHlc } from '../../shared/governance/hlc';
import type { VoteMethod } from '../../shared/governance/operation-types';

// Readable option ids that still pass as ids in results.
const [A, B, C, D] = ['0000000000000000000000000A', '0000000000000000000000000B', '0000000000000000000000000C', '0000000000000000000000000D'];
const labels: Record<string, string> = { [A!]: 'Alpha', [B!]: 'Beta', [C!]: 'Gamma', [D!]: 'Delta' };

function vote(method: VoteMethod, optionIds: string[], extra: Partial<VoteDefinition> = {}): VoteDefinition {
  return { method, options: optionIds.map((id) => ({ id, label: labels[id]! })), maxChoices: null, quorumPercent: 0, ...extra };
}

let n = 0;
function ballot(voter: string, choice: unknown, options: { wall?: number; reason?: string; actor?: string; serverTs?: number | null; keyedInAssembly?: boolean } = {}): BallotRecord {
  n++;
  const opId = `OP${String(n).padStart(24, '0')}`;
  return {
    opId,
    stamp: `${formatHlc({ wall: options.wall ?? 1_000_000 + n, counter: 0, node: 'x' })} ${opId}`,
    voter,
    actor: options.actor ?? voter,
    choice,
    reason: options.reason ?? null,
    ...(options.serverTs !== undefined ? { serverTs: options.serverTs } : {}),
    ...(options.keyedInAssembly ? { keyedInAssembly: true } : {}),
  };
}

function many(count: number, choice: unknown): BallotRecord[] {
  return Array.from({ length: count }, (_, i) => ballot(`@v${n}-${i}:coop`, choice));
}

const byId = (results: ReturnType<typeof tallyVote>) => Object.fromEntries(results.options.map((o) => [o.id, o]));

describe('single choice', () => {
  it('counts ballots and names the winner', () => {
    const r = tallyVote(vote('single', [A!, B!, C!]), [...many(3, A), ...many(1, B), ...many(1, C)], 5);
    expect(r.options.map((o) => o.votes)).toEqual([3, 1, 1]);
    expect(r).toMatchObject({ winners: [A], tie: false, spoiled: [], ballots: 5 });
  });

  it('reports a tie instead of breaking it', () => {
    const r = tallyVote(vote('single', [A!, B!]), [...many(2, A), ...many(2, B)], 4);
    expect(r).toMatchObject({ winners: [A, B], tie: true });
  });

  it('has no winner when nobody voted', () => {
    expect(tallyVote(vote('single', [A!, B!]), [], 4)).toMatchObject({ winners: [], tie: false });
  });

  it('says when quorum is not met, with integer arithmetic', () => {
    // 50% of 9 members is 4.5 voters: 5 are needed, 4 voted.
    const r = tallyVote(vote('single', [A!, B!], { quorumPercent: 50 }), many(4, A), 9);
    expect(r.quorum).toEqual({ percent: 50, basis: 'members', electorate: 9, turnout: 4, required: 5, met: false, turnoutPercent: 44 });
    expect(tallyVote(vote('single', [A!, B!], { quorumPercent: 50 }), many(5, A), 9).quorum.met).toBe(true);
  });

  it('spoils a ballot for an option the vote does not have, or of the wrong shape', () => {
    const r = tallyVote(vote('single', [A!, B!]), [ballot('@a:coop', A), ballot('@b:coop', C), ballot('@c:coop', [A])], 3);
    expect(r.spoiled).toEqual([
      { voter: '@b:coop', problem: 'unknown_option' },
      { voter: '@c:coop', problem: 'wrong_shape' },
    ]);
    expect(r.quorum.turnout).toBe(1);
    expect(r.ballots).toBe(3);
  });
});

describe('multiple choice', () => {
  it('counts each chosen option up to the maximum and spoils ballots over it', () => {
    const definition = vote('multiple', [A!, B!, C!], { maxChoices: 2 });
    const r = tallyVote(definition, [ballot('@1:c', [A, B]), ballot('@2:c', [A]), ballot('@3:c', [B, C]), ballot('@4:c', [A, B, C]), ballot('@5:c', [A, A])], 5);
    expect(r.options.map((o) => o.votes)).toEqual([2, 2, 1]);
    expect(r).toMatchObject({ winners: [A, B], tie: true });
    expect(r.spoiled.map((s) => s.problem)).toEqual(['too_many_choices', 'duplicate_option']);
  });
});

describe('consent', () => {
  const definition = vote('consent', [], { quorumPercent: 50 });

  it('passes when quorum is met and nobody blocks, listing objections with reasons', () => {
    const ballots = [...many(3, 'agree'), ballot('@d:coop', 'abstain'), ballot('@e:coop', 'object', { reason: 'Too costly this quarter' })];
    const r = tallyVote(definition, ballots, 6);
    expect(r.consent).toEqual({
      positions: { agree: 3, abstain: 1, object: 1, block: 0 },
      outcome: 'passes',
      concerns: [{ voter: '@e:coop', position: 'object', reason: 'Too costly this quarter' }],
    });
    expect(r.quorum).toMatchObject({ required: 3, turnout: 5, met: true });
  });

  it('is blocked by a single block', () => {
    const r = tallyVote(definition, [...many(5, 'agree'), ballot('@f:coop', 'block', { reason: 'Breaks our privacy policy' })], 6);
    expect(r.consent?.outcome).toBe('blocked');
    expect(r.consent?.concerns).toEqual([{ voter: '@f:coop', position: 'block', reason: 'Breaks our privacy policy' }]);
  });

  it('does not pass without quorum', () => {
    // 60% of 10 members: 6 voters needed.
    const r = tallyVote(vote('consent', [], { quorumPercent: 60 }), many(5, 'agree'), 10);
    expect(r.consent?.outcome).toBe('no_quorum');
    expect(r.quorum).toMatchObject({ required: 6, turnout: 5, met: false, turnoutPercent: 50 });
  });

  it('spoils anything that is not a consent position', () => {
    const r = tallyVote(definition, [ballot('@a:coop', A), ballot('@b:coop', 'agree')], 2);
    expect(r.spoiled).toEqual([{ voter: '@a:coop', problem: 'wrong_shape' }]);
    expect(r.consent?.positions.agree).toBe(1);
  });
});

describe('score (0-5)', () => {
  it('sums scores, gives averages in hundredths, and reports ties', () => {
    const ballots = [ballot('@1:c', { [A!]: 5, [B!]: 3, [C!]: 0 }), ballot('@2:c', { [A!]: 2, [B!]: 4, [C!]: 1 }), ballot('@3:c', { [A!]: 4, [B!]: 4, [C!]: 5 })];
    const r = tallyVote(vote('score', [A!, B!, C!]), ballots, 3);
    const o = byId(r);
    expect([o[A!]!.points, o[B!]!.points, o[C!]!.points]).toEqual([11, 11, 6]);
    // 11 / 3 = 3.666... -> 367; 6 / 3 = 2 -> 200.
    expect([o[A!]!.averageHundredths, o[B!]!.averageHundredths, o[C!]!.averageHundredths]).toEqual([367, 367, 200]);
    expect(r).toMatchObject({ winners: [A, B], tie: true });
  });

  it('spoils ballots that leave an option unscored or score out of range', () => {
    const r = tallyVote(vote('score', [A!, B!]), [ballot('@1:c', { [A!]: 5 }), ballot('@2:c', { [A!]: 9, [B!]: 1 }), ballot('@3:c', { [A!]: 1, [B!]: 2 })], 3);
    expect(r.spoiled.map((s) => s.problem)).toEqual(['missing_score', 'score_out_of_range']);
    expect(r).toMatchObject({ winners: [B] });
  });
});

describe('ranked choice, Borda count as Loomio counts it', () => {
  it('gives N points to first place, N-1 to second, where N is the number of options to rank', () => {
    // N = 3 of four options. A: 3+2+2 = 7, B: 2+3+3+1 = 9, C: 1+2+3 = 6, D: 1.
    const definition = vote('ranked-borda', [A!, B!, C!, D!], { maxChoices: 3 });
    const r = tallyVote(definition, [ballot('@1:c', [A, B, C]), ballot('@2:c', [B, C, D]), ballot('@3:c', [B, A]), ballot('@4:c', [C, A, B])], 4);
    expect(r.options.map((o) => o.points)).toEqual([7, 9, 6, 1]);
    expect(r.options.map((o) => o.votes)).toEqual([1, 2, 1, 0]);
    expect(r).toMatchObject({ winners: [B], tie: false });
  });

  it('defaults N to the number of options and spoils over-long rankings', () => {
    const r = tallyVote(vote('ranked-borda', [A!, B!], { maxChoices: 1 }), [ballot('@1:c', [A, B]), ballot('@2:c', [B])], 2);
    expect(r.spoiled).toEqual([{ voter: '@1:c', problem: 'too_many_choices' }]);
    const full = tallyVote(vote('ranked-borda', [A!, B!]), [ballot('@1:c', [A, B]), ballot('@2:c', [B, A])], 2);
    expect(full.options.map((o) => o.points)).toEqual([3, 3]);
    expect(full.tie).toBe(true);
  });
});

describe('ranked choice, instant run-off', () => {
  it('eliminates the last option and transfers its ballots until one has a majority', () => {
    const ballots = [...many(4, [A, B, C]), ...many(3, [B, C, A]), ...many(2, [C, B, A])];
    const r = tallyVote(vote('ranked-irv', [A!, B!, C!]), ballots, 9);
    expect(r.irv).toEqual([
      { counts: { [A!]: 4, [B!]: 3, [C!]: 2 }, exhausted: 0, eliminated: [C] },
      { counts: { [A!]: 4, [B!]: 5 }, exhausted: 0, eliminated: [] },
    ]);
    expect(r).toMatchObject({ winners: [B], tie: false });
    // A plurality count would have picked A: first preferences are reported too.
    expect(r.options.map((o) => o.votes)).toEqual([4, 3, 2]);
  });

  it('breaks a tie for last place by earlier rounds, counting exhausted ballots', () => {
    const ballots = [...many(5, [A]), ...many(2, [B]), ...many(3, [C]), ...many(1, [D, B])];
    const r = tallyVote(vote('ranked-irv', [A!, B!, C!, D!]), ballots, 11);
    expect(r.irv).toEqual([
      { counts: { [A!]: 5, [B!]: 2, [C!]: 3, [D!]: 1 }, exhausted: 0, eliminated: [D] },
      { counts: { [A!]: 5, [B!]: 3, [C!]: 3 }, exhausted: 0, eliminated: [B] },
      { counts: { [A!]: 5, [C!]: 3 }, exhausted: 3, eliminated: [] },
    ]);
    expect(r.winners).toEqual([A]);
  });

  it('eliminates a group of lowest options at once only when together they trail the next one', () => {
    // B 1 + C 2 = 3 < D 4: neither B nor C can ever overtake D, so both leave in round one.
    const ballots = [...many(6, [A]), ...many(1, [B, C, D]), ...many(2, [C, D]), ...many(4, [D]), ...many(2, [D, C])];
    const r = tallyVote(vote('ranked-irv', [A!, B!, C!, D!]), ballots, 15);
    expect(r.irv![0]).toEqual({ counts: { [A!]: 6, [B!]: 1, [C!]: 2, [D!]: 6 }, exhausted: 0, eliminated: [B, C] });
    expect(r.irv![1]).toEqual({ counts: { [A!]: 6, [D!]: 9 }, exhausted: 0, eliminated: [] });
    expect(r.winners).toEqual([D]);
  });

  it('does not bulk-eliminate options tied for last whose ballots could still decide; a tie that decides is reported', () => {
    // First preferences A 3, B 2, C 2, D 2 (9 ballots). B + C + D = 6 is not below A's 3, and
    // B, C and D are tied in every round, so each is tried: without B, A wins (A 5 of 9);
    // without C, B wins (B 4 of 7 still ranked); without D, A wins. The tie decides: A or B.
    const ballots = [...many(3, [A]), ...many(2, [B, A]), ...many(2, [C, B]), ...many(2, [D, C])];
    const r = tallyVote(vote('ranked-irv', [A!, B!, C!, D!]), ballots, 9);
    expect(r.irv).toEqual([{ counts: { [A!]: 3, [B!]: 2, [C!]: 2, [D!]: 2 }, exhausted: 0, eliminated: [] }]);
    expect(r).toMatchObject({ winners: [A, B], tie: true });
  });

  it('goes on when every way of breaking a tie for last gives the same winner', () => {
    // A 4, B 2, C 2 (8 ballots), B and C tied throughout; both transfer to A, so A wins either way.
    const ballots = [...many(4, [A]), ...many(2, [B, A]), ...many(2, [C, A])];
    const r = tallyVote(vote('ranked-irv', [A!, B!, C!]), ballots, 8);
    expect(r.irv![0]).toEqual({ counts: { [A!]: 4, [B!]: 2, [C!]: 2 }, exhausted: 0, eliminated: [B] });
    expect(r).toMatchObject({ winners: [A], tie: false });
  });

  it('spoils rankings that repeat, invent or mangle options, and counts the rest', () => {
    const ballots = [ballot('@1:c', [A, A]), ballot('@2:c', [D]), ballot('@3:c', A), ballot('@4:c', []), ballot('@5:c', [A, 7]), ballot('@6:c', [B, A])];
    const r = tallyVote(vote('ranked-irv', [A!, B!, C!]), ballots, 6);
    expect(r.spoiled).toEqual([
      { voter: '@1:c', problem: 'duplicate_option' },
      { voter: '@2:c', problem: 'unknown_option' },
      { voter: '@3:c', problem: 'wrong_shape' },
      { voter: '@4:c', problem: 'wrong_shape' },
      { voter: '@5:c', problem: 'wrong_shape' },
    ]);
    expect(r).toMatchObject({ winners: [B], quorum: { turnout: 1 } });
  });

  it('reports a tie when every remaining option has the same count', () => {
    const r = tallyVote(vote('ranked-irv', [A!, B!]), [ballot('@1:c', [A, B]), ballot('@2:c', [B, A])], 2);
    expect(r).toMatchObject({ winners: [A, B], tie: true });
  });
});

describe('counted (show of hands)', () => {
  it('uses the totals the facilitator entered, abstentions counting towards quorum', () => {
    const r = tallyVote(vote('counted', [A!, B!], { quorumPercent: 50 }), [], 20, { stamp: 's', totals: { [A!]: 7, [B!]: 3 }, abstain: 2 });
    expect(r.options.map((o) => o.votes)).toEqual([7, 3]);
    expect(r).toMatchObject({ winners: [A], abstain: 2, quorum: { turnout: 12, required: 10, met: true } });
  });

  it('spoils ballots sent to a counted vote and shows zeros before the count', () => {
    const r = tallyVote(vote('counted', [A!, B!]), [ballot('@1:c', A)], 5, null);
    expect(r.spoiled).toEqual([{ voter: '@1:c', problem: 'counted_method' }]);
    expect(r.options.map((o) => o.votes)).toEqual([0, 0]);
  });
});

describe('the electorate', () => {
  it('counts only ballots of members, reporting the others, for turnout and result', () => {
    const members = new Set(['@a:coop', '@b:coop', '@c:coop', '@d:coop']);
    const ballots = [ballot('@a:coop', A), ballot('@b:coop', A), ballot('@x:coop', B), ballot('@y:coop', B), ballot('@z:coop', B)];
    const r = tallyVote(vote('single', [A!, B!], { quorumPercent: 50 }), ballots, members);
    expect(r.options.map((o) => o.votes)).toEqual([2, 0]);
    expect(r).toMatchObject({ winners: [A], notMembers: ['@x:coop', '@y:coop', '@z:coop'], ballots: 2, quorum: { electorate: 4, turnout: 2, required: 2, met: true } });
  });

  it('keeps non-members out of a consent decision and its quorum', () => {
    const r = tallyVote(vote('consent', [], { quorumPercent: 50 }), [ballot('@a:coop', 'agree'), ballot('@x:coop', 'agree'), ballot('@y:coop', 'block')], new Set(['@a:coop', '@b:coop', '@c:coop']));
    expect(r.consent?.outcome).toBe('no_quorum');
    expect(r.consent?.positions).toEqual({ agree: 1, abstain: 0, object: 0, block: 0 });
    expect(r.quorum).toMatchObject({ turnout: 1, required: 2, met: false });
  });

  it('never passes a consent vote, or meets quorum, with no ballots, even at quorum 0', () => {
    const r = tallyVote(vote('consent', [], { quorumPercent: 0 }), [], new Set(['@a:coop']));
    expect(r.consent?.outcome).toBe('no_quorum');
    expect(r.quorum).toMatchObject({ required: 1, turnout: 0, met: false });
    expect(tallyVote(vote('consent', [], { quorumPercent: 0 }), [ballot('@a:coop', 'agree')], new Set(['@a:coop'])).consent?.outcome).toBe('passes');
  });
});

describe('which ballots count', () => {
  it("counts each voter's newest ballot before the close", () => {
    const first = ballot('@alice:coop', A, { wall: 1000 });
    const changed = ballot('@alice:coop', B, { wall: 2000 });
    const bob = ballot('@bob:coop', A, { wall: 1500 });
    const close = `${formatHlc({ wall: 3000, counter: 0, node: 'x' })} CLOSE`;
    const late = ballot('@carol:coop', A, { wall: 4000 });
    const lateChange = ballot('@bob:coop', B, { wall: 4500 });
    const selection = selectBallots([changed, late, first, bob, lateChange], close, new Set());
    expect(selection.counted).toEqual([bob, changed]);
    expect(selection.late).toEqual([late, lateChange]);
    expect(selection.superseded).toBe(1);
    const r = tallyVote(vote('single', [A!, B!]), selection.counted, 3, null, { superseded: selection.superseded, late: selection.late.length });
    expect(r.options.map((o) => o.votes)).toEqual([1, 1]);
    expect(r).toMatchObject({ superseded: 1, late: 2 });
  });

  it('counts a late ballot a facilitator accepted, replacing the voter’s earlier one', () => {
    const early = ballot('@bob:coop', A, { wall: 1000 });
    const late = ballot('@bob:coop', B, { wall: 5000 });
    const close = `${formatHlc({ wall: 3000, counter: 0, node: 'x' })} CLOSE`;
    expect(selectBallots([early, late], close, new Set([late.opId])).counted).toEqual([late]);
  });

  it('closes at the first close operation or the closing time, whichever is earlier', () => {
    const closeOp = `${formatHlc({ wall: 5000, counter: 0, node: 'x' })} X`;
    expect(closePoint(null, null)).toBeNull();
    expect(closePoint(closeOp, null)).toBe(closeOp);
    expect(closePoint(closeOp, 4000)).toBe(deadlineStamp(4000));
    expect(closePoint(closeOp, 6000)).toBe(closeOp);
    // A ballot made exactly at the closing time is late.
    const atDeadline = ballot('@a:coop', A, { wall: 4000 });
    expect(selectBallots([atDeadline], closePoint(null, 4000), new Set()).late).toEqual([atDeadline]);
  });
});

describe('a quorum of those present', () => {
  it('counts the quorum against the members present, and ballots of all members', () => {
    const definition = { method: 'single' as const, options: [{ id: 'A0000000000000000000000001', label: 'A' }, { id: 'A0000000000000000000000002', label: 'B' }], maxChoices: null, quorumPercent: 50, quorumBasis: 'present' as const };
    const ballots = ['@a:coop', '@b:coop'].map((voter, i) => ({ opId: `op${i}`, stamp: `s${i}`, voter, actor: voter, choice: 'A0000000000000000000000001', reason: null }));
    const r = tallyVote(definition, ballots, new Set(['@a:coop', '@b:coop', '@c:coop', '@d:coop', '@e:coop']), null, { present: 3 });
    expect(r.quorum).toEqual({ percent: 50, basis: 'present', electorate: 3, turnout: 2, required: 2, met: true, turnoutPercent: 66 });
    // Without attendance to go by, it is the members' share.
    expect(tallyVote(definition, ballots, 5).quorum).toMatchObject({ basis: 'members', electorate: 5, required: 3, met: false });
  });
});

describe('lateness by the server’s receipt time', () => {
  const claimed = `${formatHlc({ wall: 3000, counter: 0, node: 'x' })} CLOSE`;
  /** The close reached the server at 10,000 (its event, or the first end Element accepts). */
  const closed: VoteClose = { claimed, serverUntil: 10_000, onServer: true };

  it('judges a ballot the server received by that time, so backdating gains nothing', () => {
    const backdated = ballot('@mallory:coop', A, { wall: 1000, serverTs: 10_001 });
    const onTime = ballot('@bob:coop', A, { wall: 9000, serverTs: 10_000 });
    expect(isLate(backdated, closed, new Set())).toBe(true);
    // The same instant as the end counts, as Element counts answers "on or before" the end (MSC3381).
    expect(isLate(onTime, closed, new Set())).toBe(false);
  });

  it('counts a ballot received before the close even if its clock says after (a vote closed offline)', () => {
    const element = ballot('@bob:coop', A, { wall: 5000, serverTs: 9000 });
    expect(isLate(element, closed, new Set())).toBe(false);
    // The close is still only on the facilitator's computer: nothing on the server is late yet.
    expect(isLate(element, { claimed, serverUntil: null, onServer: false }, new Set())).toBe(false);
  });

  it('judges a ballot not uploaded yet by its clock, and as late once a close is on the server', () => {
    const before = ballot('@bob:coop', A, { wall: 2000, serverTs: null });
    const after = ballot('@bob:coop', A, { wall: 4000, serverTs: null });
    expect(isLate(before, claimedClose(claimed), new Set())).toBe(false);
    expect(isLate(after, claimedClose(claimed), new Set())).toBe(true);
    expect(isLate(before, closed, new Set())).toBe(true);
  });

  it('keeps ballots a facilitator keyed in during the assembly before the close on time whenever they arrive', () => {
    const keyed = ballot('@bob:coop', A, { wall: 2000, serverTs: 50_000, actor: '@fac:coop', keyedInAssembly: true });
    const keyedAfter = ballot('@carol:coop', A, { wall: 4000, serverTs: 50_000, actor: '@fac:coop', keyedInAssembly: true });
    expect(isLate(keyed, closed, new Set())).toBe(false);
    expect(isLate(keyedAfter, closed, new Set())).toBe(true);
  });

  it("takes each voter's ballot the server received last, whatever their clocks say; one not uploaded yet is newest", () => {
    const offlinePlenary = ballot('@bob:coop', A, { wall: 1000, serverTs: 8000 });
    const element = ballot('@bob:coop', B, { wall: 6000, serverTs: 6000 });
    expect(isNewerBallot(offlinePlenary, element)).toBe(true);
    const pending = ballot('@bob:coop', C, { wall: 500, serverTs: null });
    expect(isNewerBallot(pending, offlinePlenary)).toBe(true);
    const selection = selectBallots([offlinePlenary, element], closed, new Set());
    expect(selection.counted).toEqual([offlinePlenary]);
    expect(selection.superseded).toBe(1);
  });

  it('leaves the old clock-only rule for a coop without a server', () => {
    const first = ballot('@alice:coop', A, { wall: 1000 });
    const second = ballot('@alice:coop', B, { wall: 2000 });
    expect(selectBallots([second, first], claimed, new Set()).counted).toEqual([second]);
  });
});

describe('lateness after a reopen', () => {
  const stamp = (wall: number) => `${formatHlc({ wall, counter: 0, node: 'x' })} OP`;
  // Closed at 3 s and reopened at 6 s by clocks; on the server from 10 s to 20 s, closed again at 30 s.
  const close: VoteClose = { claimed: stamp(9000), serverUntil: 30_000, onServer: true, pauses: [{ from: stamp(3000), to: stamp(6000) }], serverPauses: [{ from: 10_000, to: 20_000 }] };

  it('calls late a ballot the server received while the vote stood closed, except at either very millisecond', () => {
    expect(isLate(ballot('@a:coop', A, { wall: 1000, serverTs: 15_000 }), close, new Set())).toBe(true);
    expect(isLate(ballot('@a:coop', A, { wall: 1000, serverTs: 10_000 }), close, new Set())).toBe(false);
    expect(isLate(ballot('@a:coop', A, { wall: 1000, serverTs: 20_000 }), close, new Set())).toBe(false);
    expect(isLate(ballot('@a:coop', A, { wall: 1000, serverTs: 30_001 }), close, new Set())).toBe(true);
  });

  it('judges a ballot not on the server by the clock pauses, unless the vote stands closed on the server', () => {
    const open: VoteClose = { ...close, claimed: null, serverUntil: null, onServer: false };
    expect(isLate(ballot('@a:coop', A, { wall: 4000, serverTs: null }), open, new Set())).toBe(true);
    expect(isLate(ballot('@a:coop', A, { wall: 7000, serverTs: null }), open, new Set())).toBe(false);
    expect(isLate(ballot('@a:coop', A, { wall: 7000, serverTs: null }), close, new Set())).toBe(true);
    expect(selectBallots([ballot('@a:coop', A, { wall: 4000 })], claimedClose(null, close.pauses), new Set()).late).toHaveLength(1);
  });

  it('keeps the assembly allowance only outside the clock pauses', () => {
    const keyed = (wall: number) => ballot('@b:coop', A, { wall, serverTs: 50_000, actor: '@fac:coop', keyedInAssembly: true });
    expect(isLate(keyed(2000), close, new Set())).toBe(false);
    expect(isLate(keyed(4000), close, new Set())).toBe(true);
    expect(isLate(keyed(7000), close, new Set())).toBe(false);
  });
});

describe('what Element counts that Plenary does not', () => {
  it('reports the votes of ballots from outside the electorate per option, for methods Element shows one to one', () => {
    const ballots = [ballot('@a:coop', A), ballot('@dana:elsewhere', B), ballot('@eve:elsewhere', [A])];
    const r = tallyVote(vote('single', [A!, B!]), ballots, new Set(['@a:coop']));
    expect(r.notMembers).toEqual(['@dana:elsewhere', '@eve:elsewhere']);
    // Eve's answer does not fit the vote: spoiled for Element too.
    expect(r.outsideVotes).toEqual({ [B!]: 1 });
    expect(tallyVote(vote('single', [A!, B!]), [ballot('@a:coop', A)], new Set(['@a:coop'])).outsideVotes).toBeNull();
    const consent = tallyVote(vote('consent', []), [ballot('@a:coop', 'agree'), ballot('@dana:elsewhere', 'block')], new Set(['@a:coop']));
    expect(consent.outsideVotes).toEqual({ block: 1 });
    expect(consent.consent?.outcome).toBe('passes');
  });
});
