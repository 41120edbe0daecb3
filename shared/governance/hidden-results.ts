// Results hidden until the close (a vote's hideResults setting, like Loomio's "hide results
// until closed"). While such a vote is open, nobody sees totals or others' choices in the
// interface, the facilitator included: only who has voted and the turnout (so the quorum can
// be followed). Your own ballot stays visible to you. Once the vote closes everything shows.
// Pure: applied by the core to every vote it answers the interface with, so no view, export
// or forum post made from those answers can show more.
import type { VoteResults } from './tally';
import type { BallotView, VoteDetail, VoteSummary } from './views';

/** Whether a vote's results are hidden now. */
export function resultsHiddenNow(vote: Pick<VoteSummary, 'hideResults' | 'status'>): boolean {
  return vote.hideResults && vote.status === 'open';
}

/** Results with nothing but the turnout: no votes, points, winners, positions, concerns, rounds or spoiled ballots. */
export function turnoutOnly(results: VoteResults): VoteResults {
  return {
    ...results,
    options: results.options.map((o) => ({ ...o, votes: 0, points: 0, averageHundredths: null })),
    winners: [],
    tie: false,
    spoiled: [],
    notMembers: [],
    outsideVotes: null,
    consent: results.consent ? { ...results.consent, positions: { agree: 0, abstain: 0, object: 0, block: 0 }, outcome: 'no_quorum', concerns: [] } : null,
    irv: null,
    abstain: 0,
  };
}

function hiddenBallot(ballot: BallotView, me: string): BallotView {
  if (ballot.voter === me) return ballot;
  return { ...ballot, choice: null, reason: null, problem: null, state: ballot.state === 'spoiled' ? 'counted' : ballot.state, hidden: true };
}

/** A vote summary as the interface may see it now. */
export function summaryAsShown<T extends VoteSummary>(vote: T): T {
  if (!resultsHiddenNow(vote)) return { ...vote, resultsHidden: false };
  return { ...vote, resultsHidden: true, results: turnoutOnly(vote.results) };
}

/** A vote's detail as the interface may see it now: `me`'s own ballot shows, nobody else's choice does. */
export function detailAsShown(vote: VoteDetail): VoteDetail {
  if (!resultsHiddenNow(vote)) return { ...vote, resultsHidden: false };
  return {
    ...summaryAsShown(vote),
    ballots: vote.ballots.map((b) => hiddenBallot(b, vote.me)),
    myBallot: vote.myBallot,
    count: null,
  };
}
