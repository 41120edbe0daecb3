// Vote results, as pure functions of a vote's definition and its ballots. Every replica
// computes the same results from the same operations: integer arithmetic only, ties
// reported rather than broken at random, and ballots that do not fit the vote (an unknown
// option, too many choices, a score out of range, a ballot on a counted vote) are spoiled:
// reported, never counted. Ballots of voters outside the electorate (not members of the
// circle, as of the close) are likewise reported and not counted, and nothing has a result
// without at least one counted voter.
import { consentPositions, maxScore, maxVoteOptions, type ConsentPosition, type QuorumBasis, type VoteMethod, type VoteOption } from './operation-types';
import { deadlineStamp } from './stamp';
import { delegatedBallots, type Delegations } from './delegation';

export interface VoteDefinition {
  method: VoteMethod;
  options: VoteOption[];
  /** multiple: most options a ballot may choose; ranked: how many options a ballot ranks. */
  maxChoices: number | null;
  /** Percent of the circle's members (or of those present, by quorumBasis) who must vote for the result to stand. */
  quorumPercent: number;
  /** Whose share the quorum is; 'members' when not given. */
  quorumBasis?: QuorumBasis | null;
}

export interface BallotRecord {
  opId: string;
  /** The ballot operation's stamp (hlc + op id): the time its maker's clock claims. */
  stamp: string;
  /**
   * When the coop server received it (ms): the poll answer Element counts it by, else the
   * event that carried the operation; null while not known here (not uploaded yet, or no server).
   */
  serverTs?: number | null;
  /** Recorded by a facilitator during the vote's assembly, before the vote closed (by its own clock). */
  keyedInAssembly?: boolean;
  voter: string;
  /** Who recorded it: the voter, or the facilitator recording a proxy ballot. */
  actor: string;
  choice: unknown;
  reason: string | null;
  /** A proxy ballot: the member who held the voter's proxy, when recorded. */
  proxy?: string | null;
}

export interface CountRecord {
  stamp: string;
  totals: Record<string, number>;
  abstain: number;
}

export type BallotProblem =
  | 'wrong_shape'
  | 'unknown_option'
  | 'duplicate_option'
  | 'too_many_choices'
  | 'missing_score'
  | 'score_out_of_range'
  | 'counted_method';

/** When a vote stops taking ballots by the operations' own clocks: its first close operation, or its closing time if earlier. */
export function closePoint(closedStamp: string | null, closesAt: number | null): string | null {
  const deadline = closesAt === null ? null : deadlineStamp(closesAt);
  if (closedStamp === null) return deadline;
  if (deadline === null) return closedStamp;
  return closedStamp < deadline ? closedStamp : deadline;
}

/** A close or reopen of a vote, by its operation's stamp. */
export interface ClosureEvent {
  stamp: string;
  kind: 'close' | 'reopen';
  actor: string;
}

/** A stretch a vote stood closed before it was reopened, by the operations' clocks. */
export interface ClosedSpan {
  from: string;
  to: string;
}

export interface ClosureState {
  /** Start of the final closed stretch: the earliest close after the last reopen; null if open. */
  closedV: string | null;
  closedBy: string | null;
  pauses: ClosedSpan[];
}

/**
 * Reads a vote's closes and reopens (any order; each by its stamp): a close while open
 * starts a closed stretch, a reopen while closed ends it; a close while closed or a reopen
 * while open changes nothing. The same set of events gives the same state on every replica.
 */
export function closureState(events: readonly ClosureEvent[]): ClosureState {
  const sorted = [...events].sort((a, b) => (a.stamp < b.stamp ? -1 : a.stamp > b.stamp ? 1 : 0));
  let closedV: string | null = null;
  let closedBy: string | null = null;
  const pauses: ClosedSpan[] = [];
  for (const event of sorted) {
    if (event.kind === 'close' && closedV === null) {
      closedV = event.stamp;
      closedBy = event.actor;
    } else if (event.kind === 'reopen' && closedV !== null) {
      pauses.push({ from: closedV, to: event.stamp });
      closedV = null;
      closedBy = null;
    }
  }
  return { closedV, closedBy, pauses };
}

/** Whether a stamp falls in a stretch the vote stood closed before a reopen. */
export function inPause(stamp: string, pauses: readonly ClosedSpan[]): boolean {
  for (const pause of pauses) if (stamp >= pause.from && stamp < pause.to) return true;
  return false;
}

/**
 * A stretch a vote stood closed on the server before a reopen reached it, by server receipt
 * time (ms): a ballot the server received after `from` and before `to` is late (one received
 * at the very millisecond of either is not: the benefit of a tie goes to the voter).
 */
export interface ServerPause {
  from: number;
  to: number;
}

/**
 * A vote's close, as lateness is judged (README, "How sync works"):
 * - `claimed`: by the operations' own clocks (closePoint of the final close), for ballots
 *   the server has not received yet;
 * - `serverUntil`: the latest server receipt time (ms, inclusive) of a ballot on time after
 *   the last reopen, or null while no close in force has reached the server. For a vote
 *   published as a poll it is the first end event Element accepts, so both count the same
 *   answers; otherwise the first close operation's event, or the deadline;
 * - `onServer`: the vote stands closed on the server and no reopen is waiting to reach it,
 *   so a ballot not uploaded yet reaches the server after the close;
 * - `pauses`, `serverPauses`: the stretches it stood closed before a facilitator reopened it
 *   (vote.reopen), by clocks and by server time. Ballots in them are late, as after a close.
 */
export interface VoteClose {
  claimed: string | null;
  serverUntil: number | null;
  onServer: boolean;
  pauses?: readonly ClosedSpan[];
  serverPauses?: readonly ServerPause[];
}

/** A close judged only by clocks (no server): what a coop without a server, and older tests, use. */
export function claimedClose(claimed: string | null, pauses: readonly ClosedSpan[] = []): VoteClose {
  return { claimed, serverUntil: null, onServer: false, pauses };
}

/**
 * Whether a ballot is late. The server's receipt time decides, so a backdated ballot gains
 * nothing; a ballot the server has not received yet is judged by its own clock until it
 * has (late at once if the vote stands closed on the server). The close in force decides:
 * a ballot received while the vote stood closed before a reopen is late, one received after
 * the reopen counts. The one allowance: ballots a facilitator keyed in during the vote's
 * assembly while it was open by their own clock are on time whenever they reach the server
 * (an assembly run offline). Ballots a facilitator accepted late count too.
 */
export function isLate(ballot: BallotRecord, close: VoteClose, accepted: ReadonlySet<string>): boolean {
  if (accepted.has(ballot.opId)) return false;
  const pauses = close.pauses ?? [];
  const closedByClock = (close.claimed !== null && ballot.stamp >= close.claimed) || inPause(ballot.stamp, pauses);
  if (ballot.keyedInAssembly && !closedByClock) return false;
  const serverTs = ballot.serverTs ?? null;
  if (serverTs !== null) {
    if (close.serverPauses?.some((pause) => serverTs > pause.from && serverTs < pause.to)) return true;
    return close.serverUntil !== null && serverTs > close.serverUntil;
  }
  if (close.onServer) return true;
  return closedByClock;
}

/**
 * Whether `a` replaces `b` as a voter's ballot: the one the server received later (as
 * Element takes each user's latest answer by server time); one not on the server yet is
 * newer than any that is; between those, by clock.
 */
export function isNewerBallot(a: BallotRecord, b: BallotRecord): boolean {
  const at = a.serverTs ?? Infinity;
  const bt = b.serverTs ?? Infinity;
  return at !== bt ? at > bt : a.stamp > b.stamp;
}

export interface BallotSelection {
  /** Each voter's newest ballot on time (or accepted late by a facilitator). */
  counted: BallotRecord[];
  /** Ballots after the close in force (or while it stood closed before a reopen) and not accepted. */
  late: BallotRecord[];
  /** Earlier ballots a voter replaced by a newer one. */
  superseded: number;
}

export function selectBallots(ballots: readonly BallotRecord[], close: VoteClose | string | null, accepted: ReadonlySet<string>): BallotSelection {
  const judged = typeof close === 'object' && close !== null ? close : claimedClose(close);
  // For each voter, the index of their newest eligible ballot; kept[i] marks those.
  const newest = new Map<string, number>();
  const kept = new Uint8Array(ballots.length);
  const late: BallotRecord[] = [];
  let eligible = 0;
  let sorted = true;
  for (let i = 0; i < ballots.length; i++) {
    const ballot = ballots[i]!;
    if (i > 0 && ballot.stamp < ballots[i - 1]!.stamp) sorted = false;
    if (isLate(ballot, judged, accepted)) {
      late.push(ballot);
      continue;
    }
    eligible++;
    const current = newest.get(ballot.voter);
    if (current === undefined) {
      newest.set(ballot.voter, i);
      kept[i] = 1;
    } else if (isNewerBallot(ballot, ballots[current]!)) {
      newest.set(ballot.voter, i);
      kept[current] = 0;
      kept[i] = 1;
    }
  }
  // Counted ballots in clock order; the store hands them over sorted, so usually no sort.
  const counted: BallotRecord[] = [];
  for (let i = 0; i < ballots.length; i++) if (kept[i]) counted.push(ballots[i]!);
  if (!sorted) counted.sort((a, b) => (a.stamp < b.stamp ? -1 : 1));
  return { counted, late, superseded: eligible - counted.length };
}

function rankLimit(definition: VoteDefinition): number {
  return definition.maxChoices ?? definition.options.length;
}

/** Why a choice does not fit its vote, or null when it does. */
export function ballotProblem(definition: VoteDefinition, choice: unknown): BallotProblem | null {
  return problemOf(definition, new Set(definition.options.map((o) => o.id)), choice);
}

function optionListProblem(choice: unknown, known: { has(id: string): boolean }, max: number): BallotProblem | null {
  if (!Array.isArray(choice) || choice.length === 0) return 'wrong_shape';
  for (let i = 0; i < choice.length; i++) {
    const id: unknown = choice[i];
    if (typeof id !== 'string') return 'wrong_shape';
    // Lists are at most 20 long: a nested loop beats building a set for each ballot.
    for (let j = 0; j < i; j++) if (choice[j] === id) return 'duplicate_option';
  }
  for (let i = 0; i < choice.length; i++) if (!known.has(choice[i] as string)) return 'unknown_option';
  return choice.length > max ? 'too_many_choices' : null;
}

function problemOf(definition: VoteDefinition, known: ReadonlySet<string>, choice: unknown): BallotProblem | null {
  switch (definition.method) {
    case 'single':
      if (typeof choice !== 'string') return 'wrong_shape';
      return known.has(choice) ? null : 'unknown_option';
    case 'multiple':
    case 'time':
      return optionListProblem(choice, known, definition.maxChoices ?? definition.options.length);
    case 'ranked-borda':
    case 'ranked-irv':
      return optionListProblem(choice, known, rankLimit(definition));
    case 'consent':
      return typeof choice === 'string' && (consentPositions as readonly string[]).includes(choice) ? null : 'wrong_shape';
    case 'score': {
      if (typeof choice !== 'object' || choice === null || Array.isArray(choice)) return 'wrong_shape';
      const entries = Object.entries(choice as Record<string, unknown>);
      if (!entries.every(([id]) => known.has(id))) return 'unknown_option';
      if (!entries.every(([, v]) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= maxScore)) return 'score_out_of_range';
      return entries.length === known.size ? null : 'missing_score';
    }
    case 'counted':
      return 'counted_method';
  }
}

export interface OptionResult {
  id: string;
  label: string;
  /** single, multiple, counted: ballots choosing it. ranked-irv: first preferences in round one. */
  votes: number;
  /** ranked-borda: Borda points. score: the sum of scores. Otherwise equal to votes. */
  points: number;
  /** score: the mean score times 100, rounded half up (integer-safe: 3.67 is 367). */
  averageHundredths: number | null;
}

export interface IrvRound {
  /** First preferences among the options still in the count. */
  counts: Record<string, number>;
  /** Ballots with no remaining option ranked. */
  exhausted: number;
  eliminated: string[];
}

export type ConsentOutcome = 'passes' | 'blocked' | 'no_quorum';

export interface ConsentResult {
  positions: Record<ConsentPosition, number>;
  outcome: ConsentOutcome;
  /** Objections and blocks with their reasons, so the circle can address them. */
  concerns: { voter: string; position: 'object' | 'block'; reason: string | null }[];
}

export interface QuorumState {
  percent: number;
  /** Whose share: all members, or those marked present in the vote's assembly. */
  basis: QuorumBasis;
  /** Members of the circle when counted, or those of them marked present (basis 'present'). */
  electorate: number;
  /** Voters whose ballot counts (abstentions included, spoiled ballots not). */
  turnout: number;
  /** Voters needed: ceil(percent x electorate / 100), and never fewer than one: no ballots, no result. */
  required: number;
  met: boolean;
  /** floor(turnout x 100 / electorate); 0 with no electorate. */
  turnoutPercent: number;
}

export interface VoteResults {
  method: VoteMethod;
  options: OptionResult[];
  /** The options with the most votes or points (none when nobody voted); more than one is a tie. */
  winners: string[];
  tie: boolean;
  quorum: QuorumState;
  spoiled: { voter: string; problem: BallotProblem }[];
  /** Voters whose ballot is not counted because they are not in the electorate. */
  notMembers: string[];
  /**
   * What those ballots would add where Element counts every poll answer in the room
   * (single, multiple and consent votes, whose answers Element shows one to one): votes per
   * option id or consent position. Null when nobody outside the electorate voted.
   */
  outsideVotes: Record<string, number> | null;
  /** Counted ballots, spoiled ones included (ballots of non-members not). */
  ballots: number;
  superseded: number;
  late: number;
  consent: ConsentResult | null;
  irv: IrvRound[] | null;
  /** counted: abstentions entered with the totals. */
  abstain: number;
  /** Members counted through a standing delegation (delegation.ts): whose ballot counted for them. */
  delegated: { voter: string; via: string }[];
}

function quorumState(percent: number, electorate: number, turnout: number, basis: QuorumBasis = 'members'): QuorumState {
  const required = Math.max(1, Math.floor((percent * electorate + 99) / 100));
  return {
    percent,
    basis,
    electorate,
    turnout,
    required,
    met: turnout >= required,
    turnoutPercent: electorate === 0 ? 0 : Math.floor((turnout * 100) / electorate),
  };
}

function leaders(values: Map<string, number>): string[] {
  let best = 0;
  for (const v of values.values()) if (v > best) best = v;
  if (best === 0) return [];
  return [...values].filter(([, v]) => v === best).map(([id]) => id);
}

/** Rankings as option indices, one after another: ranking b is flat[starts[b]..starts[b+1]). */
interface FlatRankings {
  flat: Int8Array;
  starts: Int32Array;
  count: number;
}

/**
 * Checks ranked ballots and turns them into option indices in one pass (one map lookup per
 * ranked option). Ballots that do not fit are reported as spoiled and left out.
 */
function flattenRankings(
  ballots: readonly BallotRecord[],
  index: ReadonlyMap<string, number>,
  limit: number,
  spoiled: VoteResults['spoiled'],
): FlatRankings & { valid: BallotRecord[] } {
  const flat = new Int8Array(ballots.length * Math.min(limit, maxVoteOptions));
  const starts = new Int32Array(ballots.length + 1);
  const valid: BallotRecord[] = [];
  let k = 0;
  for (const ballot of ballots) {
    const choice = ballot.choice;
    const start = k;
    let ok = Array.isArray(choice) && choice.length > 0 && choice.length <= limit;
    if (ok) {
      let seen = 0;
      for (const id of choice as unknown[]) {
        const at = typeof id === 'string' ? index.get(id) : undefined;
        if (at === undefined || seen & (1 << at)) {
          ok = false;
          break;
        }
        seen |= 1 << at;
        flat[k++] = at;
      }
    }
    if (!ok) {
      // The slow check says exactly what is wrong.
      k = start;
      spoiled.push({ voter: ballot.voter, problem: optionListProblem(choice, index, limit) ?? 'wrong_shape' });
      continue;
    }
    valid.push(ballot);
    starts[valid.length] = k;
  }
  return { flat, starts, count: valid.length, valid };
}

/** How many alternative eliminations a count may try when a tie for last cannot be broken. */
const tieBranchBudget = 64;

/**
 * Instant run-off. Each round counts every ballot for its highest-ranked option still in the
 * count; an option with more than half of the ballots not exhausted wins. Otherwise options
 * leave the count by these rules:
 *
 * 1. Bulk exclusion: the largest group of lowest options whose combined votes are fewer than
 *    the votes of the next-lowest option leaves together. None of them could ever overtake
 *    that option, so leaving one at a time would move their ballots to the same places
 *    (the "bulk exclusion" of the Electoral Reform Society's STV rules, ERS97 5.2.5; a
 *    single option with the fewest votes is the group of one).
 * 2. Otherwise one option with the fewest votes leaves. A tie for last is broken backwards
 *    (ERS97 5.2.2, also the Scottish local government STV order 2007, rule 49): the one with
 *    the fewest votes at the latest earlier round where the tied options' counts differed.
 * 3. Options tied for last in every round cannot be separated by any rule, and we never draw
 *    lots: each of them is tried in turn. If every choice leads to the same winner, the tie
 *    did not matter (the rounds shown follow the first tied option in the vote's order);
 *    if not, the count stops there and reports a tie between every winner those choices
 *    produce.
 */
function instantRunoff(options: VoteOption[], rankings: FlatRankings): { rounds: IrvRound[]; winners: string[] } {
  if (rankings.count === 0) return { rounds: [], winners: [] };
  const budget = { left: tieBranchBudget };
  const { rounds, winners } = runoffFrom(options, rankings, new Uint8Array(options.length).fill(1), [], budget);
  return { rounds, winners: winners.map((i) => options[i]!.id) };
}

function runoffFrom(options: VoteOption[], rankings: FlatRankings, remaining: Uint8Array, history: IrvRound[], budget: { left: number }): { rounds: IrvRound[]; winners: number[] } {
  const rounds = [...history];
  const { flat, starts, count } = rankings;
  const n = options.length;
  for (;;) {
    const counts = new Int32Array(n);
    let exhausted = 0;
    for (let b = 0; b < count; b++) {
      let first = -1;
      for (let j = starts[b]!; j < starts[b + 1]!; j++) {
        if (remaining[flat[j]!]) {
          first = flat[j]!;
          break;
        }
      }
      if (first < 0) exhausted++;
      else counts[first]!++;
    }
    const active = count - exhausted;
    const live = options.map((_, i) => i).filter((i) => remaining[i]);
    const round: IrvRound = { counts: Object.fromEntries(live.map((i) => [options[i]!.id, counts[i]!])), exhausted, eliminated: [] };
    rounds.push(round);
    if (active === 0) return { rounds, winners: [] };
    const majority = live.find((i) => counts[i]! * 2 > active);
    if (majority !== undefined) return { rounds, winners: [majority] };
    // Ascending by votes, in the vote's option order among equals.
    const sorted = [...live].sort((a, b) => counts[a]! - counts[b]! || a - b);
    if (counts[sorted[0]!] === counts[sorted[sorted.length - 1]!]) return { rounds, winners: live };
    let leaving: number[] = [];
    let sum = 0;
    for (let k = 1; k < sorted.length; k++) {
      sum += counts[sorted[k - 1]!]!;
      if (sum < counts[sorted[k]!]!) leaving = sorted.slice(0, k);
    }
    if (leaving.length === 0) {
      const low = counts[sorted[0]!]!;
      let lowest = live.filter((i) => counts[i] === low);
      for (let r = rounds.length - 2; r >= 0 && lowest.length > 1; r--) {
        const earlier = rounds[r]!.counts;
        const min = Math.min(...lowest.map((i) => earlier[options[i]!.id] ?? 0));
        lowest = lowest.filter((i) => (earlier[options[i]!.id] ?? 0) === min);
      }
      if (lowest.length > 1) return tiedForLast(options, rankings, remaining, rounds, lowest, budget);
      leaving = lowest;
    }
    round.eliminated = [...leaving].sort((a, b) => a - b).map((i) => options[i]!.id);
    for (const i of leaving) remaining[i] = 0;
  }
}

function tiedForLast(options: VoteOption[], rankings: FlatRankings, remaining: Uint8Array, rounds: IrvRound[], tied: number[], budget: { left: number }): { rounds: IrvRound[]; winners: number[] } {
  const branches: { rounds: IrvRound[]; winners: number[] }[] = [];
  for (const i of tied) {
    if (--budget.left < 0) break;
    const next = remaining.slice();
    next[i] = 0;
    const history = rounds.map((r, k) => (k === rounds.length - 1 ? { ...r, eliminated: [options[i]!.id] } : r));
    branches.push(runoffFrom(options, rankings, next, history, budget));
  }
  const same = branches.length === tied.length && branches.every((b) => b.winners.length === branches[0]!.winners.length && b.winners.every((w, k) => w === branches[0]!.winners[k]));
  if (same) return branches[0]!;
  // The tie decides the result (or there were too many ways to try): report it as a tie.
  const winners = budget.left < 0 ? options.map((_, i) => i).filter((i) => remaining[i]) : [...new Set(branches.flatMap((b) => b.winners))].sort((a, b) => a - b);
  return { rounds, winners };
}

/** Votes per option (or consent position) of ballots from outside the electorate that fit the vote. */
function outsideVotes(definition: VoteDefinition, ballots: readonly BallotRecord[]): Record<string, number> | null {
  if (ballots.length === 0) return null;
  const votes: Record<string, number> = {};
  const known = new Set(definition.options.map((o) => o.id));
  if (definition.method !== 'single' && definition.method !== 'multiple' && definition.method !== 'time' && definition.method !== 'consent') return votes;
  for (const ballot of ballots) {
    if (problemOf(definition, known, ballot.choice)) continue;
    for (const id of Array.isArray(ballot.choice) ? (ballot.choice as string[]) : [ballot.choice as string]) votes[id] = (votes[id] ?? 0) + 1;
  }
  return votes;
}

/**
 * Results of a vote. `ballots` are the counted ballots (see selectBallots); `count` is the
 * latest show-of-hands count before the close (counted method); `electorate` is who may vote:
 * the circle's members (as of the close, once the vote has closed; see electorateAt in
 * governance-queries.ts). Ballots of anyone else are reported in `notMembers`, never counted.
 * A bare number is an electorate of that size whose every voter is a member (tests only).
 */
export function tallyVote(
  definition: VoteDefinition,
  allBallots: readonly BallotRecord[],
  electorate: ReadonlySet<string> | number,
  count: CountRecord | null = null,
  extra: { superseded?: number; late?: number; present?: number; delegations?: Delegations } = {},
): VoteResults {
  const { method, options } = definition;
  const spoiled: VoteResults['spoiled'] = [];
  const notMembers: string[] = [];
  const outside: BallotRecord[] = [];
  let ballots = allBallots;
  let size: number;
  if (typeof electorate === 'number') size = electorate;
  else {
    size = electorate.size;
    ballots = allBallots.filter((b) => electorate.has(b.voter) || (notMembers.push(b.voter), outside.push(b), false));
  }
  // Standing delegations in force at the close: a delegate's ballot also counts, once, for
  // each member of the electorate who delegated to them and did not vote themself.
  const delegated = extra.delegations && method !== 'counted' ? delegatedBallots(ballots, extra.delegations, typeof electorate === 'number' ? () => true : (id) => electorate.has(id)) : [];
  if (delegated.length > 0) ballots = [...ballots, ...delegated];
  // A quorum of those present counts against the members marked present (given by the caller).
  const basis: QuorumBasis = definition.quorumBasis === 'present' && extra.present !== undefined ? 'present' : 'members';
  const quorumSize = basis === 'present' ? extra.present! : size;
  const ranked = method === 'ranked-borda' || method === 'ranked-irv';
  let rankings: FlatRankings | null = null;
  let valid: BallotRecord[];
  if (ranked) {
    const flattened = flattenRankings(ballots, new Map(options.map((o, i) => [o.id, i])), rankLimit(definition), spoiled);
    rankings = flattened;
    valid = flattened.valid;
  } else {
    valid = [];
    const known = new Set(options.map((o) => o.id));
    for (const ballot of ballots) {
      const problem = problemOf(definition, known, ballot.choice);
      if (problem) spoiled.push({ voter: ballot.voter, problem });
      else valid.push(ballot);
    }
  }
  const votes = new Map<string, number>(options.map((o) => [o.id, 0]));
  const points = new Map<string, number>(options.map((o) => [o.id, 0]));
  let averages: Map<string, number> | null = null;
  let consent: ConsentResult | null = null;
  let irv: IrvRound[] | null = null;
  let winners: string[] = [];
  let turnout = valid.length;
  let abstain = 0;

  switch (method) {
    case 'single':
    case 'multiple':
    case 'time':
      for (const b of valid) for (const id of method === 'single' ? [b.choice as string] : (b.choice as string[])) votes.set(id, votes.get(id)! + 1);
      winners = leaders(votes);
      break;
    case 'counted':
      if (count) {
        for (const o of options) votes.set(o.id, count.totals[o.id] ?? 0);
        abstain = count.abstain;
      }
      turnout = [...votes.values()].reduce((a, b) => a + b, 0) + abstain;
      winners = leaders(votes);
      break;
    case 'score': {
      for (const b of valid) for (const [id, score] of Object.entries(b.choice as Record<string, number>)) points.set(id, points.get(id)! + score);
      averages = new Map(options.map((o) => [o.id, valid.length === 0 ? 0 : Math.floor((points.get(o.id)! * 200 + valid.length) / (2 * valid.length))]));
      winners = leaders(points);
      break;
    }
    case 'ranked-borda': {
      // Loomio's Borda count: with N options to rank, first place gets N points, second N-1...
      const n = rankLimit(definition);
      const { flat, starts } = rankings!;
      const pointsAt = new Int32Array(options.length);
      const firstAt = new Int32Array(options.length);
      for (let b = 0; b < valid.length; b++) {
        firstAt[flat[starts[b]!]!]!++;
        for (let j = starts[b]!; j < starts[b + 1]!; j++) pointsAt[flat[j]!]! += n - (j - starts[b]!);
      }
      options.forEach((o, i) => (points.set(o.id, pointsAt[i]!), votes.set(o.id, firstAt[i]!)));
      winners = leaders(points);
      break;
    }
    case 'ranked-irv': {
      const result = instantRunoff(options, rankings!);
      irv = result.rounds;
      winners = result.winners;
      // First preferences are the counts of the first round, when every option is still in.
      for (const [id, c] of Object.entries(result.rounds[0]?.counts ?? {})) votes.set(id, c);
      break;
    }
    case 'consent': {
      const positions: Record<ConsentPosition, number> = { agree: 0, abstain: 0, object: 0, block: 0 };
      const concerns: ConsentResult['concerns'] = [];
      for (const b of valid) {
        const position = b.choice as ConsentPosition;
        positions[position]++;
        if (position === 'object' || position === 'block') concerns.push({ voter: b.voter, position, reason: b.reason });
      }
      const met = quorumState(definition.quorumPercent, quorumSize, valid.length).met;
      consent = { positions, outcome: positions.block > 0 ? 'blocked' : met ? 'passes' : 'no_quorum', concerns };
      break;
    }
  }
  if (method !== 'score' && method !== 'ranked-borda') for (const [id, v] of votes) points.set(id, v);
  return {
    method,
    options: options.map((o) => ({ id: o.id, label: o.label, votes: votes.get(o.id)!, points: points.get(o.id)!, averageHundredths: averages?.get(o.id) ?? null })),
    winners,
    tie: winners.length > 1,
    quorum: quorumState(definition.quorumPercent, quorumSize, turnout, basis),
    spoiled,
    notMembers,
    outsideVotes: outsideVotes(definition, outside),
    ballots: ballots.length,
    superseded: extra.superseded ?? 0,
    late: extra.late ?? 0,
    consent,
    irv,
    abstain,
    delegated: delegated.map((b) => ({ voter: b.voter, via: b.delegatedVia })),
  };
}
