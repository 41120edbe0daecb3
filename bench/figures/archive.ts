// Decision archive figures (issue 16):
//   search.archive_100k_ms        one search (a page of 50 with snippets) over 100,000 entries:
//                                 70,000 votes (half with an outcome statement) and 30,000
//                                 minutes items, in English, Spanish, German and Japanese;
//                                 the median over a mix of queries (rare and common words,
//                                 a phrase, Japanese, with and without filters), each query's
//                                 median over 5 runs (goal <= 30)
//   search.archive_100k_worst_ms  the slowest query of that mix (a common word with filters
//                                 that few of its matches pass: every match is read)
//   search.archive_100k_short_ms  the same for one- and two-character queries, which the
//                                 trigram index cannot answer: LIKE reads entries, newest first,
//                                 until the page is full (common words stop early)
//   search.archive_100k_short_worst_ms  two-letter words found nowhere or only in old entries:
//                                 every entry's text is read (about 29 MB here)
//   search.archive_index_100k_s   folding the 100,000 entries' operations and indexing them
//                                 (the fold only marks what changed; the first search indexes it)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../main/core/store/database';
import { GovernanceStore } from '../../main/core/store/governance-store';
import { ArchiveSearch } from '../../main/core/archive/archive-search';
import { archiveSearchSchema, type ArchiveSearchInput } from '../../shared/contract/archive';
import { formatHlc } from '../../shared/governance/hlc';
import { newId } from '../../shared/governance/ids';
import { operationSchemaVersion } from '../../shared/governance/operation';
import type { GovernanceOperation } from '../../shared/governance/operation-types';
import { median, type Report } from '../report';

const actor = '@bench:meet.coop';
const t0 = Date.UTC(2024, 0, 1);

const english =
  'budget server hosting member care commons livelihood meeting assembly proposal consent policy onboarding training software licence donation reserve hardware bandwidth recording translation documentation facilitator circle rotation stipend fund review quarterly annual schedule volunteer outreach partnership infrastructure security backup migration upgrade federation matrix greenlight moderation conflict mediation'.split(
    ' ',
  );
const spanish = 'presupuesto servidor miembros cuidados comunes propuesta consentimiento política formación donación reserva asamblea revisión anual'.split(' ');
const german = 'Haushalt Server Mitglieder Pflege Gemeingut Vorschlag Zustimmung Richtlinie Schulung Spende Rücklage Versammlung Überprüfung jährlich'.split(' ');
const japanese = '予算 サーバー 会員 ケア 共有財 提案 合意 方針 研修 寄付 準備金 総会 見直し 年次 会議 議事録 移行 翻訳 記録 当番'.split(' ');

/** A small deterministic generator (mulberry32), so every run indexes the same text. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function* archiveOperations(entries: number): Generator<GovernanceOperation> {
  const rand = random(16);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const sentence = (words: number) => {
    const lang = rand();
    if (lang < 0.15) return Array.from({ length: words }, () => pick(japanese)).join('');
    const list = lang < 0.7 ? english : lang < 0.85 ? spanish : german;
    // Some rare, made-up words, so a search can be selective as real ones are.
    return Array.from({ length: words }, () => (rand() < 0.02 ? `${pick(list)}${Math.floor(rand() * 5000)}` : pick(list))).join(' ');
  };
  let counter = 0;
  const op = (circle: string, type: GovernanceOperation['type'], payload: unknown, wall: number): GovernanceOperation =>
    ({ id: newId(wall), hlc: formatHlc({ wall, counter: counter++ % 1000, node: 'bench' }), actor, circle, type, payload, v: operationSchemaVersion }) as GovernanceOperation;
  const circles = Array.from({ length: 5 }, () => newId(t0));
  for (const circle of circles) {
    yield op(circle, 'circle.create', { name: `Circle ${circle.slice(-4)}`, purpose: '', timezone: 'UTC' }, t0);
    yield op(circle, 'circle.member.set', { member: actor, displayName: 'Bench', role: 'facilitator', timezone: 'UTC' }, t0);
  }
  const votes = Math.round(entries * 0.7);
  const methods = ['single', 'multiple', 'score', 'ranked-borda', 'counted'] as const;
  for (let i = 0; i < votes; i++) {
    const circle = circles[i % circles.length]!;
    const wall = t0 + i * 60_000;
    const voteId = newId(wall);
    yield op(
      circle,
      'vote.create',
      {
        voteId,
        question: `${sentence(6)}?`,
        details: sentence(20),
        method: pick(methods),
        options: [
          { id: newId(wall), label: 'Yes' },
          { id: newId(wall), label: 'No' },
        ],
        quorumPercent: 0,
      },
      wall,
    );
    if (i % 3 === 0) yield op(circle, 'vote.close', { voteId }, wall + 500);
    if (i % 2 === 0) yield op(circle, 'vote.update', { voteId, fields: { outcome: sentence(12) } }, wall + 1000);
  }
  const assemblies = Math.round((entries - votes) / 5);
  for (let a = 0; a < assemblies; a++) {
    const circle = circles[a % circles.length]!;
    const wall = t0 + a * 3_600_000;
    const assemblyId = newId(wall);
    yield op(circle, 'assembly.create', { assemblyId, title: sentence(4), scheduledAt: wall }, wall);
    for (let item = 0; item < 5; item++) {
      const itemId = newId(wall);
      yield op(circle, 'assembly.agenda.set', { assemblyId, itemId, title: sentence(3), position: item }, wall + 1);
      yield op(circle, 'assembly.minutes.set', { assemblyId, itemId, markdown: sentence(40) }, wall + 2);
    }
  }
}

function time(work: () => void): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

export async function run(report: Report): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'plenary-bench-archive-'));
  try {
    const db = openDatabase(join(dir, 'archive.sqlite'));
    const store = new GovernanceStore(db, { actor, now: () => Date.now() });
    const ops = [...archiveOperations(100_000)];
    let rejected = 0;
    const search = new ArchiveSearch(db, () => Date.now());
    const foldMs = time(() => {
      rejected = store.applyRemote(ops).rejected.length;
      search.search(archiveSearchSchema.parse({ text: '' }));
    });
    if (rejected > 0) throw new Error(`benchmark data has ${rejected} invalid operations`);
    const entries = db.prepare('SELECT count(*) FROM archive_docs').pluck().get() as number;
    if (entries !== 100_000) throw new Error(`expected 100,000 archive entries, found ${entries}`);
    report.add('search.archive_index_100k_s', foldMs / 1000, 's');

    const circle = (db.prepare('SELECT circle FROM gov_circles LIMIT 1').pluck().get() as string) ?? '';
    const queries: Partial<ArchiveSearchInput>[] = [
      { text: 'hosting' },
      { text: 'budget review' },
      { text: '"annual budget"' },
      { text: 'server', circleId: circle, status: 'closed' },
      { text: 'donation', outcome: 'recorded', method: 'single' },
      { text: 'mediation', kind: 'minutes', from: t0 + 30 * 86_400_000, to: t0 + 400 * 86_400_000 },
      { text: '議事録' },
      { text: 'サーバー 見直し' },
      { text: 'Überprüfung' },
      { text: 'presupuesto anual' },
      { text: 'federation2' },
    ];
    const short: Partial<ArchiveSearchInput>[] = [{ text: '予算' }, { text: 'ok' }, { text: '会議', circleId: circle }, { text: 'zq' }, { text: '予算', kind: 'minutes' }];
    const measure = (list: Partial<ArchiveSearchInput>[]) => {
      const inputs = list.map((q) => archiveSearchSchema.parse({ text: '', ...q }));
      for (const input of inputs) search.search(input); // warm up: statements, page cache
      const times: number[] = [];
      // Each query's median over 5 rounds; the figure is the median of those, and the worst.
      const perQuery = inputs.map((input) => {
        for (let round = 0; round < 5; round++) times.push(time(() => search.search(input)));
        return median(times.splice(0));
      });
      return { median: median(perQuery), worst: Math.max(...perQuery) };
    };
    const normal = measure(queries);
    report.add('search.archive_100k_ms', normal.median, 'ms');
    report.add('search.archive_100k_worst_ms', normal.worst, 'ms');
    const shortTimes = measure(short);
    report.add('search.archive_100k_short_ms', shortTimes.median, 'ms');
    report.add('search.archive_100k_short_worst_ms', shortTimes.worst, 'ms');
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
