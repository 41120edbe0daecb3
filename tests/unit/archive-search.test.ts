// The decision archive: queries never read as FTS5 syntax, the index follows the folded
// tables (including a refold after a redaction), and the filters, over a real SQLite store.
import { loadDump } from '../helpers/sql-dump';
import { repoRoot } from '../helpers/paths';
import { describe, expect, it } from 'vitest';
import { alice, ids, makeStore, remoteOp, t0 } from '../helpers/governance';
import { ArchiveSearch } from '../../main/core/archive/archive-search';
import { archiveSearchSchema, type ArchiveSearchInput } from '../../shared/contract/archive';
import { findSnippet, ftsMatchExpression, likePattern, parseArchiveQuery, snippetSegments } from '../../shared/governance/archive-query';
import type { Withdrawal } from '../../main/core/store/governance-store';
import { openDatabase } from '../../main/core/store/database';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const option = (label: string) => ({ id: ids(), label });

function seeded() {
  const { db, store, clock } = makeStore();
  const circle = store.applyLocal('circle.create', ids(), { name: 'Tech ops', purpose: '', timezone: 'UTC' }).circle;
  store.applyLocal('circle.member.set', circle, { member: alice, displayName: 'Alice', role: 'facilitator', timezone: 'UTC' });
  const vote = (question: string, details = '', extra: Record<string, unknown> = {}) => {
    const voteId = ids();
    store.applyLocal('vote.create', circle, { voteId, question, details, method: 'single', options: [option('Yes'), option('No')], quorumPercent: 0, ...extra });
    return voteId;
  };
  const search = new ArchiveSearch(db, () => clock.now());
  const find = (input: Partial<ArchiveSearchInput> = {}) => search.search(archiveSearchSchema.parse({ text: '', ...input }));
  return { db, store, clock, circle, vote, find };
}

describe('archive query building', () => {
  it('splits words and quoted phrases, and quotes every term so nothing is FTS5 syntax', () => {
    expect(parseArchiveQuery('budget "annual review"')).toEqual({ indexed: ['budget', 'annual review'], short: [] });
    expect(ftsMatchExpression(parseArchiveQuery('budget "annual review"'))).toBe('"budget" AND "annual review"');
    // Syntax characters are searched for as characters.
    expect(parseArchiveQuery('NEAR(a b) col:x* ^start')).toEqual({ indexed: ['NEAR(a', 'col:x*', '^start'], short: ['b)'] });
    expect(ftsMatchExpression(parseArchiveQuery('NEAR(a b) col:x* ^start'))).toBe('"NEAR(a" AND "col:x*" AND "^start"');
    expect(ftsMatchExpression(parseArchiveQuery('say ""hello"" AND OR NOT'))).toBe('"say" AND "hello" AND "AND" AND "NOT"');
    // An unclosed quote quotes the rest; inner quotes are doubled when a term carries one.
    expect(parseArchiveQuery('"open end').indexed).toEqual(['open end']);
    expect(ftsMatchExpression({ indexed: ['a"b"c'], short: [] })).toBe('"a""b""c"');
  });

  it('keeps one- and two-character terms for LIKE, with % _ and \\ escaped', () => {
    expect(parseArchiveQuery('予算　見直し案 ok')).toEqual({ indexed: ['見直し案'], short: ['予算', 'ok'] });
    expect(likePattern('5%_\\')).toBe('%5\\%\\_\\\\%');
    expect(parseArchiveQuery('  \u0000\uE000 ')).toEqual({ indexed: [], short: [] });
  });

  it('refuses queries that are too long or have too many words, with the reason', () => {
    expect(archiveSearchSchema.safeParse({ text: 'x'.repeat(201) }).error?.issues[0]?.message).toMatch(/at most 200 characters/);
    expect(archiveSearchSchema.safeParse({ text: Array.from({ length: 13 }, (_, i) => `w${i}`).join(' ') }).error?.issues[0]?.message).toMatch(/at most 12 words/);
    expect(archiveSearchSchema.safeParse({ text: '', from: 10, to: 5 }).error?.issues[0]?.message).toMatch(/start date must be on or before/);
  });

  it('turns highlight markers into plain segments, and finds snippets for short terms', () => {
    expect(snippetSegments('a \uE000<b>\uE001 c')).toEqual([
      { text: 'a ', match: false },
      { text: '<b>', match: true },
      { text: ' c', match: false },
    ]);
    expect(findSnippet(['', 'Das Budget für IT'], ['it'])).toEqual([
      { text: 'Das Budget für ', match: false },
      { text: 'IT', match: true },
    ]);
  });
});

describe('archive search over a store', () => {
  it('finds votes, outcomes and minutes, in Japanese and Latin scripts, ignoring case and accents', () => {
    const { store, circle, vote, find } = seeded();
    const budget = vote('Adopt the annual budget?', 'The café fund moves to the commons stream.');
    const yosan = vote('来年度の予算案を承認しますか', '会議で見直した予算です。');
    const rename = vote('Rename the circle?');
    store.applyLocal('vote.close', circle, { voteId: budget });
    store.applyLocal('vote.update', circle, { voteId: budget, fields: { outcome: 'Adopted with a reserve for hardware.' } });
    const assemblyId = ids();
    const itemId = ids();
    store.applyLocal('assembly.create', circle, { assemblyId, title: 'Autumn all-hands', scheduledAt: t0 + 86_400_000 });
    store.applyLocal('assembly.agenda.set', circle, { assemblyId, itemId, title: 'Servers', position: 0 });
    store.applyLocal('assembly.minutes.set', circle, { assemblyId, itemId, markdown: 'First draft of the minutes.' });
    expect(find({ text: 'draft' }).hits).toHaveLength(1);
    // Minutes written again (an upsert in the fold) replace the old text in the index.
    store.applyLocal('assembly.minutes.set', circle, { assemblyId, itemId, markdown: 'We agreed to **migrate** the BBB servers; サーバーの移行に合意。' });
    expect(find({ text: 'draft' }).hits).toEqual([]);

    expect(find({ text: 'BUDGET' }).hits.map((h) => h.voteId)).toEqual([budget]);
    expect(find({ text: 'cafe' }).hits.map((h) => h.voteId)).toEqual([budget]);
    const outcome = find({ text: 'hardware' }).hits;
    expect(outcome.map((h) => h.voteId)).toEqual([budget]);
    expect(outcome[0]!.snippet.filter((s) => s.match).map((s) => s.text)).toEqual(['hardware']);
    expect(outcome[0]).toMatchObject({ kind: 'vote', circleName: 'Tech ops', status: 'closed', hasOutcome: true, method: 'single' });

    const japanese = find({ text: '予算案' }).hits;
    expect(japanese.map((h) => h.voteId)).toEqual([yosan]);
    // A two-character word (no trigram) is matched through LIKE, and still highlighted.
    const short = find({ text: '予算' }).hits;
    expect(short.map((h) => h.voteId)).toEqual([yosan]);
    expect(short[0]!.snippet.some((s) => s.match && s.text === '予算')).toBe(true);

    const minutes = find({ text: 'サーバーの移行' }).hits;
    expect(minutes).toHaveLength(1);
    expect(minutes[0]).toMatchObject({ kind: 'minutes', assemblyId, itemId, title: 'Autumn all-hands', itemTitle: 'Servers', voteId: null, at: t0 + 86_400_000 });
    // The assembly's title finds its minutes too, and a renamed assembly is found by its new title.
    expect(find({ text: 'all-hands' }).hits.map((h) => h.kind)).toEqual(['minutes']);
    store.applyLocal('assembly.update', circle, { assemblyId, fields: { title: 'Winter plenary' } });
    expect(find({ text: 'all-hands' }).hits).toEqual([]);
    expect(find({ text: 'winter' }).hits.map((h) => h.title)).toEqual(['Winter plenary']);
    // Edited text replaces the old in the index, never adds a second entry.
    store.applyLocal('vote.update', circle, { voteId: rename, fields: { question: 'Rename the coop?' } });
    expect(find({ text: 'circle' }).hits).toEqual([]);
    expect(find({ text: 'rename' }).hits.map((h) => h.title)).toEqual(['Rename the coop?']);
    expect(find().hits).toHaveLength(4);
  });

  it('never errors on FTS5 syntax characters, and finds them literally', () => {
    const { vote, find } = seeded();
    const tricky = vote('Use "quotes" (and parens): NEAR* ^caret OR - not?', 'a_b 100% c\\d');
    for (const text of ['"', '""', '"unterminated', '*', 'NEAR(', 'NEAR(a b, 2)', 'title:x', '(', ')', '^', 'AND', 'OR NOT', '-', ':', '%', '_', '\\', "'; DROP TABLE ops; --", '{title body}: x']) {
      expect(() => find({ text }), text).not.toThrow();
    }
    // A quoted phrase is the words inside; the quotes group them.
    expect(find({ text: '"quotes" (and' }).hits.map((h) => h.voteId)).toEqual([tricky]);
    expect(find({ text: '"quotes and"' }).hits).toEqual([]);
    expect(find({ text: 'quotes' }).hits.map((h) => h.voteId)).toEqual([tricky]);
    expect(find({ text: 'NEAR*' }).hits.map((h) => h.voteId)).toEqual([tricky]);
    expect(find({ text: '(and' }).hits.map((h) => h.voteId)).toEqual([tricky]);
    // LIKE wildcards in a short term are literal.
    expect(find({ text: '%' }).hits.map((h) => h.voteId)).toEqual([tricky]);
    expect(find({ text: 'a_' }).hits.map((h) => h.voteId)).toEqual([tricky]);
    expect(find({ text: '_' }).hits.map((h) => h.voteId)).toEqual([tricky]);
    expect(find({ text: 'zz' }).hits).toEqual([]);
  });

  it('filters by circle, kind, method, status, outcome and date', () => {
    const { store, clock, circle, vote, find } = seeded();
    const other = store.applyLocal('circle.create', ids(), { name: 'Care', purpose: '', timezone: 'UTC' }).circle;
    const open = vote('Plan the budget for care work');
    const closed = vote('Budget for servers', '', { method: 'consent', options: [] });
    store.applyLocal('vote.close', circle, { voteId: closed });
    clock.advance(10 * 86_400_000);
    const late = vote('Budget timing', '', { closesAt: clock.now() + 3_600_000 });
    store.applyLocal('vote.update', circle, { voteId: late, fields: { outcome: 'Moved to spring.' } });
    const elsewhereId = ids();
    store.applyLocal('vote.create', other, { voteId: elsewhereId, question: 'Budget of care', details: '', method: 'single', options: [option('A'), option('B')], quorumPercent: 0 });

    const voteIds = (input: Partial<ArchiveSearchInput>) => find({ text: 'budget', ...input }).hits.map((h) => h.voteId).sort();
    expect(voteIds({ circleId: other })).toEqual([elsewhereId]);
    expect(voteIds({ method: 'consent' })).toEqual([closed]);
    expect(voteIds({ status: 'closed' })).toEqual([closed]);
    expect(voteIds({ status: 'open', circleId: circle })).toEqual([open, late].sort());
    expect(voteIds({ outcome: 'recorded' })).toEqual([late]);
    expect(voteIds({ outcome: 'none', circleId: circle })).toEqual([open, closed].sort());
    expect(voteIds({ from: t0 + 86_400_000 })).toEqual([late, elsewhereId].sort());
    expect(voteIds({ to: t0 + 86_400_000 })).toEqual([open, closed].sort());
    expect(voteIds({ kind: 'minutes' })).toEqual([]);
    // A vote whose closing time has passed is closed, without any operation.
    clock.advance(2 * 3_600_000);
    expect(voteIds({ status: 'closed', circleId: circle })).toEqual([closed, late].sort());
    // Paging: "more" says there is more.
    expect(find({ text: 'budget', limit: 2 })).toMatchObject({ more: true });
    expect(find({ text: 'budget', limit: 2 }).hits).toHaveLength(2);
  });

  it('drops a vote withdrawn by a redaction on the coop server, after the refold, and keeps the rest', () => {
    const { store, db, circle, vote, find } = seeded();
    const kept = vote('Keep the budget');
    const voteId = ids();
    const redacted = remoteOp(
      'vote.create',
      circle,
      { voteId, question: 'Sent by mistake budget', details: '', method: 'single', options: [option('Y'), option('N')], quorumPercent: 0 },
      { wall: t0 + 1000, actor: alice },
    );
    store.applyRemote([redacted], { event: { eventId: '$oops', serverTs: t0 + 2000, carries: true, poll: false } });
    expect(find({ text: 'budget' }).hits.map((h) => h.voteId).sort()).toEqual([kept, voteId].sort());
    const withdrawal: Withdrawal = {
      eventId: '$oops',
      roomId: '!room:meet.coop',
      circle,
      sender: alice,
      eventType: 'coop.meet.plenary.ops',
      redactedBy: alice,
      redactionId: '$redaction',
      redactedAt: t0 + 3000,
      reason: 'sent by mistake',
    };
    store.withdrawEvents([withdrawal]);
    expect(find({ text: 'budget' }).hits.map((h) => h.voteId)).toEqual([kept]);
    expect(find({ text: 'mistake' }).hits).toEqual([]);
    // Every entry is one folded vote or minutes item: nothing left behind by the refold.
    expect(db.prepare("SELECT count(*) FROM archive_docs WHERE kind = 'vote'").pluck().get()).toBe(1);
    expect(db.prepare('SELECT count(*) FROM archive_fts').pluck().get()).toBe(1);
    // A full rebuild gives the same index.
    store.rebuild();
    expect(find({ text: 'budget' }).hits.map((h) => h.voteId)).toEqual([kept]);
  });

  it('does not index an update that arrives before its vote, until the vote arrives', () => {
    const { store, circle, find } = seeded();
    const voteId = ids();
    // An update before its create leaves a ghost row: not searchable until the create arrives.
    store.applyRemote([remoteOp('vote.update', circle, { voteId, fields: { outcome: 'Early outcome text' } }, { wall: t0 + 5000 })]);
    expect(find({ text: 'early' }).hits).toEqual([]);
    store.applyRemote([
      remoteOp('vote.create', circle, { voteId, question: 'Late create', details: '', method: 'single', options: [option('Y'), option('N')], quorumPercent: 0 }, { wall: t0 + 1000 }),
    ]);
    expect(find({ text: 'early' }).hits.map((h) => h.voteId)).toEqual([voteId]);
  });

  it('indexes what a store folded before the upgrade that added the archive', () => {
    // Today's store cannot write an older schema, so the store from before the archive is the
    // committed fixture of the level before it (tests/fixtures/stores), upgraded as at start.
    const dir = mkdtempSync(join(tmpdir(), 'plenary-archive-'));
    try {
      const file = join(dir, 'plenary.sqlite');
      loadDump(file, readFileSync(join(repoRoot, 'tests/fixtures/stores/20261210T0100-vote-reminders.sql'), 'utf8'));
      const after = openDatabase(file);
      const votes = after.prepare('SELECT count(*) FROM gov_votes').pluck().get() as number;
      const minutes = after.prepare("SELECT count(*) FROM gov_minutes WHERE markdown != ''").pluck().get() as number;
      expect(votes).toBeGreaterThan(0);
      expect(minutes).toBeGreaterThan(0);
      const found = new ArchiveSearch(after, () => t0).search(archiveSearchSchema.parse({ text: 'hosting' }));
      expect(found.hits.some((h) => h.kind === 'minutes')).toBe(true);
      // Every vote and every minutes item the old store held is in the index after the first search.
      expect(after.prepare('SELECT count(*) FROM archive_fts').pluck().get()).toBe(votes + minutes);
      after.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
