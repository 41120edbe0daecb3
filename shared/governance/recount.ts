// Results anyone can re-count (README, "Results anyone can re-count"). When a vote closes,
// the closer's app publishes a digest with it (a vote.digest operation): SHA-256 over one
// canonical text of the ballots that count, the vote's method and options, and the result.
// Every replica builds the same text from its own log and compares: the same digest means
// the same ballots gave the same result; a different one is shown with what differs.
//
// Pure: the text and the comparison are here; the hash is taken in the core (node:crypto),
// so shared/ needs no hashing library.
import type { BallotRecord, VoteDefinition, VoteResults } from './tally';
import { ballotProblem } from './tally';

/** Version of the canonical text; a replica only compares digests of a version it writes. */
export const recountVersion = 1;

/** What the closer published besides the digest, so a mismatch can say what differs. */
export interface CountSummary {
  /** Ballots that count: each voter's ballot on time, from the electorate, fitting the vote. */
  ballots: number;
  /** Per option id (points: votes, or Borda points, or summed scores), or per consent position. */
  totals: Record<string, number>;
  /** The winning option ids (more than one is a tie), or for a consent vote its outcome. */
  winners: string[];
}

export interface PublishedCount extends CountSummary {
  sha256: string;
}

/** JSON with object keys sorted (by code unit), no whitespace: the same value gives the same text everywhere. */
export function canonicalText(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => canonicalText(item === undefined ? null : item)).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalText(record[k])}`).join(',')}}`;
  }
  return 'null';
}

/** Only the ballots that count: in the electorate (when known) and fitting the vote. */
export function countingBallots(definition: VoteDefinition, counted: readonly BallotRecord[], electorate: ReadonlySet<string> | null): BallotRecord[] {
  if (definition.method === 'counted') return [];
  return counted.filter((b) => (electorate === null || electorate.has(b.voter)) && ballotProblem(definition, b.choice) === null);
}

/** The published summary of a result. */
export function countSummary(results: VoteResults, ballots: number): CountSummary {
  if (results.method === 'consent' && results.consent) {
    return { ballots, totals: { ...results.consent.positions }, winners: [results.consent.outcome] };
  }
  const totals: Record<string, number> = {};
  for (const o of results.options) totals[o.id] = o.points;
  return { ballots, totals, winners: [...results.winners].sort() };
}

/**
 * The canonical text of a count: ballots ordered by voter then operation id (a stable key
 * every replica shares), each with only what decides the result (who, what, which operation);
 * the method, the options in the vote's order, the result and the quorum.
 */
export function canonicalCount(voteId: string, definition: VoteDefinition, ballots: readonly BallotRecord[], results: VoteResults): { text: string; summary: CountSummary } {
  const summary = countSummary(results, ballots.length);
  const sorted = [...ballots].sort((a, b) => (a.voter < b.voter ? -1 : a.voter > b.voter ? 1 : a.opId < b.opId ? -1 : a.opId > b.opId ? 1 : 0));
  const text = canonicalText({
    v: recountVersion,
    voteId,
    method: definition.method,
    options: definition.options.map((o) => o.id),
    maxChoices: definition.maxChoices,
    ballots: sorted.map((b) => ({ op: b.opId, voter: b.voter, choice: b.choice })),
    result: {
      ...summary,
      abstain: results.abstain,
      quorum: { electorate: results.quorum.electorate, required: results.quorum.required, turnout: results.quorum.turnout, met: results.quorum.met },
    },
  });
  return { text, summary };
}

export type RecountDifference =
  | { kind: 'ballots'; published: number; here: number }
  | { kind: 'total'; option: string; published: number; here: number }
  | { kind: 'winners'; published: string[]; here: string[] }
  /** Same numbers, yet the ballots or quorum behind them differ (a changed ballot that moved no total, a different electorate). */
  | { kind: 'content' };

export type RecountCheck = { verified: true } | { verified: false; differences: RecountDifference[] };

/** Compares a published count with this replica's: equal digests verify; otherwise says what differs. */
export function compareCounts(published: PublishedCount, here: PublishedCount): RecountCheck {
  if (published.sha256 === here.sha256) return { verified: true };
  const differences: RecountDifference[] = [];
  if (published.ballots !== here.ballots) differences.push({ kind: 'ballots', published: published.ballots, here: here.ballots });
  const options = [...new Set([...Object.keys(here.totals), ...Object.keys(published.totals)])];
  for (const option of options) {
    const a = published.totals[option] ?? 0;
    const b = here.totals[option] ?? 0;
    if (a !== b) differences.push({ kind: 'total', option, published: a, here: b });
  }
  const pw = [...published.winners].sort();
  const hw = [...here.winners].sort();
  if (pw.length !== hw.length || pw.some((w, i) => w !== hw[i])) differences.push({ kind: 'winners', published: pw, here: hw });
  if (differences.length === 0) differences.push({ kind: 'content' });
  return { verified: false, differences };
}
