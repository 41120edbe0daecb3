// The message that shows Element users the results of votes decided before their poll
// reached the server (see poll-publication-policy.ts): an m.room.message every Matrix client
// renders, with a plain-text body and an HTML formatted_body (the spec's
// org.matrix.custom.html) listing each vote's question, method, result and counts. Every
// text from members (questions, option labels, outcome statements) is HTML-escaped, so the
// formatted body holds only the tags written here, all on the spec's allow-list, written as
// a sanitizer writes them (a test holds it to chat/html-sanitizer.ts's output). One message
// lists all the votes of an upload; it is split only when it would outgrow the size an
// event may have (maxOpsContentBytes, as for operations).
import type { VoteSummary } from '../../../shared/governance/views';
import type { Translate } from '../i18n/translator';
import { canonicalJsonBytes } from './canonical-json';
import { maxOpsContentBytes } from './ops-event';

/** Marks the message as Plenary's, with the votes it lists (other Plenary replicas have them from the operations). */
export const resultsKey = 'coop.meet.plenary.results';
export const htmlFormat = 'org.matrix.custom.html';

export type ResultsVote = Pick<VoteSummary, 'id' | 'question' | 'method' | 'options' | 'results' | 'status' | 'outcome'>;

/** Text in HTML text content (it never goes into an attribute): &, < and > are all that must be escaped. */
const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** One line of member text: line breaks would break the layout of the body. */
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

interface VoteLines {
  question: string;
  /** "Method: Consent · Result: Passes" */
  summary: { label: string; value: string; strong: boolean }[];
  /** "Agree: 3 · Abstain: 0 …" */
  counts: string[];
  /** Quorum, spoiled ballots, outcome statement. */
  notes: string[];
}

function resultText(t: Translate, vote: ResultsVote, label: (id: string) => string): string {
  const r = vote.results;
  if (r.consent) return t(`governance:consentOutcome.${r.consent.outcome}`);
  if (vote.status === 'closed' && !r.quorum.met) return t('governance:export.noResultQuorum');
  if (r.winners.length === 1) return label(r.winners[0]!);
  if (r.winners.length > 1) return t('governance:export.tie', { options: r.winners.map(label).join(', ') });
  return t('governance:export.noVotes');
}

function linesOf(t: Translate, vote: ResultsVote): VoteLines {
  const r = vote.results;
  const label = (id: string) => oneLine(vote.options.find((o) => o.id === id)?.label ?? id);
  const pair = (name: string, value: string) => t('sync:results.pair', { name, value });
  let counts: string[];
  if (r.consent) {
    const positions = r.consent.positions;
    counts = (['agree', 'abstain', 'object', 'block'] as const).map((p) => pair(t(`governance:consent.${p}`), String(positions[p])));
  } else {
    counts = r.options.map((o) => {
      if (vote.method === 'ranked-borda') return pair(label(o.id), t('governance:results.points', { count: o.points }));
      if (vote.method === 'score') return pair(label(o.id), t('governance:results.scoreValue', { average: ((o.averageHundredths ?? 0) / 100).toFixed(2), total: o.points }));
      return pair(label(o.id), t('governance:results.votes', { count: o.votes }));
    });
  }
  const quorum = t(r.quorum.met ? 'governance:export.quorumMet' : 'governance:export.quorumNotMet', {
    percent: r.quorum.percent,
    required: r.quorum.required,
    electorate: r.quorum.electorate,
    turnout: r.quorum.turnout,
  });
  const notes = [pair(t('governance:export.quorum'), quorum)];
  if (r.spoiled.length > 0) notes.push(t('governance:export.spoiled', { count: r.spoiled.length }));
  if (r.notMembers.length > 0) notes.push(t('governance:export.notMembers', { count: r.notMembers.length }));
  if (vote.outcome.trim()) notes.push(pair(t('governance:export.outcome'), oneLine(vote.outcome)));
  return {
    question: oneLine(vote.question),
    summary: [
      { label: t('governance:export.method'), value: t(`governance:methods.${vote.method}`), strong: false },
      { label: t('governance:export.result'), value: resultText(t, vote, label), strong: true },
    ],
    counts,
    notes,
  };
}

function plainText(t: Translate, lines: readonly VoteLines[]): string {
  const separator = t('sync:results.separator');
  const head = [t('sync:results.heading', { count: lines.length }), t('sync:results.why')];
  const items = lines.map((v, i) =>
    [`${i + 1}. ${v.question}`, `   ${v.summary.map((s) => t('sync:results.pair', { name: s.label, value: s.value })).join(separator)}`, `   ${v.counts.join(separator)}`, ...v.notes.map((n) => `   ${n}`)].join('\n'),
  );
  return [head.join('\n'), ...items].join('\n\n');
}

function html(t: Translate, lines: readonly VoteLines[]): string {
  const separator = escapeHtml(t('sync:results.separator'));
  const head = `<p><strong>${escapeHtml(t('sync:results.heading', { count: lines.length }))}</strong><br />${escapeHtml(t('sync:results.why'))}</p>`;
  const items = lines.map((v) => {
    const summary = v.summary
      .map((s) => {
        const value = s.strong ? `<strong>${escapeHtml(s.value)}</strong>` : escapeHtml(s.value);
        // The pair's own words around the value (a colon, or what a language puts there).
        return escapeHtml(t('sync:results.pair', { name: s.label, value: '\u0000' })).replace('\u0000', value);
      })
      .join(separator);
    const rows = [summary, v.counts.map(escapeHtml).join(separator), ...v.notes.map(escapeHtml)];
    return `<li><p><strong>${escapeHtml(v.question)}</strong><br />${rows.join('<br />')}</p></li>`;
  });
  return `${head}<ol>${items.join('')}</ol>`;
}

function content(t: Translate, votes: readonly ResultsVote[], lines: readonly VoteLines[]): Record<string, unknown> {
  return {
    msgtype: 'm.notice',
    body: plainText(t, lines),
    format: htmlFormat,
    formatted_body: html(t, lines),
    [resultsKey]: { voteIds: votes.map((v) => v.id) },
  };
}

/**
 * The results messages for these votes: one, or more when one would exceed `limit` bytes of
 * canonical JSON; votes keep their order, a vote is never split. Like the packing of
 * operations (ops-event.ts), each message takes the longest prefix that fits, found by
 * doubling then bisecting, so a long list costs O(n log n), not a message per added vote.
 */
export function resultsMessages(t: Translate, votes: readonly ResultsVote[], limit = maxOpsContentBytes): Record<string, unknown>[] {
  const lines = votes.map((v) => linesOf(t, v));
  const messages: Record<string, unknown>[] = [];
  let start = 0;
  const build = (n: number) => content(t, votes.slice(start, start + n), lines.slice(start, start + n));
  const fits = (n: number) => canonicalJsonBytes(build(n)) <= limit;
  while (start < votes.length) {
    const left = votes.length - start;
    let lo = 1;
    if (fits(left)) lo = left;
    else {
      let hi = 2;
      while (hi < left && fits(hi)) {
        lo = hi;
        hi *= 2;
      }
      hi = Math.min(hi, left);
      while (lo + 1 < hi) {
        const mid = (lo + hi) >>> 1;
        if (fits(mid)) lo = mid;
        else hi = mid;
      }
    }
    // A single vote always goes, even in the (impossible with Plenary's length limits) case it is over.
    messages.push(build(lo));
    start += lo;
  }
  return messages;
}
