// Which votes reach Element users as polls and which in one results message, and what that
// message says: a readable body (what Element shows as text, in notifications and in clients
// without HTML) and a formatted body that a Matrix sanitizer leaves as it is, with every
// member's text escaped. Votes come from a real store through the same queries the app uses.
import { describe, expect, it } from 'vitest';
import { planPollPublication, sendingOrder, type QueuedPollEvent } from '../../main/core/sync/poll-publication-policy';
import { resultsMessages, resultsKey, htmlFormat } from '../../main/core/sync/results-message';
import { sanitizeMatrixHtml } from '../../main/core/chat/html-sanitizer';
import { canonicalJsonBytes } from '../../main/core/sync/canonical-json';
import { createTranslator } from '../../main/core/i18n/translator';
import { GovernanceQueries } from '../../main/core/governance/governance-queries';
import { alice, bob, carol, makeStore } from '../helpers/governance';
import { newId } from '../../shared/governance/ids';
import type { VoteDetail } from '../../shared/governance/views';

describe('planPollPublication', () => {
  const q = (voteId: string, kind: QueuedPollEvent['kind']): QueuedPollEvent => ({ txnId: `${kind}.${voteId}`, voteId, kind });

  it('lists votes opened and closed before their poll went out, and keeps polls for open votes, starts first', () => {
    const queued = [q('a', 'start'), q('a', 'response'), q('a', 'end'), q('b', 'start'), q('b', 'response'), q('c', 'response'), q('d', 'end'), q('e', 'start')];
    const facts = { a: { closed: true, pollKnown: false }, b: { closed: false, pollKnown: false }, c: { closed: false, pollKnown: true }, d: { closed: true, pollKnown: true }, e: null };
    const plan = planPollPublication(queued, { vote: (id) => facts[id as keyof typeof facts], listed: () => false });
    expect(plan.summarize).toEqual(['a']);
    expect(plan.replaced).toEqual(['start.a', 'response.a', 'end.a']);
    // b is open: its poll goes, Element users can answer it. c and d have a poll on the server
    // already: answers and ends follow it. e is not known here: its events go as they are.
    expect(plan.send.map((e) => e.txnId)).toEqual(['start.b', 'start.e', 'response.b', 'response.c', 'end.d']);
  });

  it('never lists a vote whose poll is already on the server, even once closed', () => {
    const plan = planPollPublication([q('a', 'start'), q('a', 'end')], { vote: () => ({ closed: true, pollKnown: true }), listed: () => false });
    expect(plan.summarize).toEqual([]);
    expect(sendingOrder(plan.send).map((e) => e.kind)).toEqual(['start', 'end']);
  });

  it('drops what is queued later for a vote already listed in a results message: it has no poll to refer to', () => {
    const plan = planPollPublication([q('a', 'response'), q('b', 'response')], { vote: () => ({ closed: true, pollKnown: false }), listed: (id) => id === 'a' });
    expect(plan).toEqual({ summarize: [], replaced: ['response.a'], send: [q('b', 'response')] });
  });
});

const t = createTranslator('en');

/** A circle with closed votes of several methods, read back as VoteDetail. */
function decidedVotes(): VoteDetail[] {
  const { store, db, clock } = makeStore();
  const circle = newId();
  store.applyLocal('circle.create', circle, { name: 'Stewards', purpose: 'Look after the commons', timezone: 'UTC' });
  for (const [member, name] of [
    [alice, 'Alice'],
    [bob, 'Bob'],
    [carol, 'Carol'],
  ] as const) {
    store.applyLocal('circle.member.set', circle, { member, displayName: name, role: member === alice ? 'facilitator' : 'member', timezone: 'UTC' });
  }
  const consent = newId();
  store.applyLocal('vote.create', circle, { voteId: consent, question: 'Adopt the <script>alert(1)</script> & "budget" plan?', details: '', method: 'consent', options: [], quorumPercent: 50 });
  store.applyLocal('vote.ballot', circle, { voteId: consent, voter: alice, choice: 'agree' });
  store.applyLocal('vote.ballot', circle, { voteId: consent, voter: bob, choice: 'abstain' });
  store.applyLocal('vote.close', circle, { voteId: consent });
  const single = newId();
  const [keep, move] = [newId(), newId()];
  store.applyLocal('vote.create', circle, {
    voteId: single,
    question: 'Which host?',
    details: '',
    method: 'single',
    options: [
      { id: keep, label: 'Keep <b>ours</b>' },
      { id: move, label: 'Move to the new host' },
    ],
    quorumPercent: 0,
  });
  store.applyLocal('vote.ballot', circle, { voteId: single, voter: alice, choice: keep });
  store.applyLocal('vote.ballot', circle, { voteId: single, voter: bob, choice: keep });
  store.applyLocal('vote.ballot', circle, { voteId: single, voter: carol, choice: move });
  store.applyLocal('vote.close', circle, { voteId: single });
  const score = newId();
  const [soup, salad] = [newId(), newId()];
  store.applyLocal('vote.create', circle, {
    voteId: score,
    question: 'Lunch at the gathering',
    details: '',
    method: 'score',
    options: [
      { id: soup, label: 'Soup' },
      { id: salad, label: 'Salad' },
    ],
    quorumPercent: 90,
  });
  store.applyLocal('vote.ballot', circle, { voteId: score, voter: alice, choice: { [soup]: 5, [salad]: 2 } });
  store.applyLocal('vote.close', circle, { voteId: score });
  const queries = new GovernanceQueries(db, () => alice, () => clock.now());
  return [consent, single, score].map((id) => queries.vote(circle, id));
}

describe('the results message', () => {
  it('says for each vote its question, method, result and counts in a body any client shows', () => {
    const [message, ...more] = resultsMessages(t, decidedVotes());
    expect(more).toEqual([]);
    const body = message!.body as string;
    expect(message).toMatchObject({ msgtype: 'm.notice', format: htmlFormat });
    expect(body).toBe(
      [
        'Results of 3 votes decided in Plenary',
        'These votes were opened and closed before they reached the coop server, so they are listed here instead of being posted as polls.',
        '',
        '1. Adopt the <script>alert(1)</script> & "budget" plan?',
        '   Method: Consent · Result: Passes',
        '   Agree: 1 · Abstain: 1 · Object: 0 · Block: 0',
        '   Quorum: 50%, met (2 voted; 2 of 3 members needed)',
        '',
        '2. Which host?',
        '   Method: Single choice · Result: Keep <b>ours</b>',
        '   Keep <b>ours</b>: 2 votes · Move to the new host: 1 vote',
        '   Quorum: 0%, met (3 voted; 1 of 3 members needed)',
        '',
        '3. Lunch at the gathering',
        '   Method: Score (0–5) · Result: No result: quorum not met',
        '   Soup: average 5.00 (total 5) · Salad: average 2.00 (total 2)',
        '   Quorum: 90%, not met (1 voted; 3 of 3 members needed)',
      ].join('\n'),
    );
    expect((message![resultsKey] as { voteIds: string[] }).voteIds).toHaveLength(3);
  });

  it('has a formatted body a Matrix sanitizer leaves unchanged, with members’ text escaped', () => {
    const [message] = resultsMessages(t, decidedVotes());
    const html = message!.formatted_body as string;
    expect(sanitizeMatrixHtml(html)).toBe(html);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>');
    expect(html).toContain('Adopt the &lt;script&gt;alert(1)&lt;/script&gt; &amp; "budget" plan?');
    expect(html).toContain('Method: Consent · Result: <strong>Passes</strong>');
    expect(html.match(/<li>/g)).toHaveLength(3);
  });

  it('speaks the member’s language', () => {
    const [message] = resultsMessages(createTranslator('fr'), decidedVotes());
    expect(message!.body).toContain('Résultats de 3 votes décidés dans Plenary');
    expect(message!.body).toContain('Méthode : Consentement');
  });

  it('is one message for all the votes of an upload, split only beyond the size limit, in order and never inside a vote', () => {
    const votes = decidedVotes();
    const many = Array.from({ length: 40 }, (_, i) => ({ ...votes[i % 3]!, id: `vote${i}` }));
    expect(resultsMessages(t, many)).toHaveLength(1);
    const limit = 6_000;
    const split = resultsMessages(t, many, limit);
    expect(split.length).toBeGreaterThan(1);
    for (const message of split) expect(canonicalJsonBytes(message)).toBeLessThanOrEqual(limit);
    expect(split.flatMap((m) => (m[resultsKey] as { voteIds: string[] }).voteIds)).toEqual(many.map((v) => v.id));
  });
});
