// Governance store figures (goals from issue 3):
//   store.apply_ops_per_s      100,000 mixed operations applied as sync delivers them
//   store.apply_vs_raw         that time / raw better-sqlite3 inserting the same op rows into an
//                              identically indexed table in one transaction (goal <= 3)
//   store.apply_vs_raw_cpu     the same ratio in CPU time, steadier when other work shares the machine
//   tally.10k_ballots_ms       results of a ranked vote with 10,000 ballots (goal <= 5)
//   tally.10k_ballots_query_ms the same read through the store (SQLite rows, JSON, tally)
//   startup.open_100k_ms       open a database holding 100,000 operations, migrate, first query (goal <= 150)
//   summary.1m_contributions_ms, store.peak_rss_mb: member x stream x month over 1,000,000
//                              contributions, in a child process so its memory is its own (goal <= 50)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { openDatabase } from '../../main/core/store/database';
import { GovernanceStore } from '../../main/core/store/governance-store';
import { GovernanceQueries } from '../../main/core/governance/governance-queries';
import { selectBallots, tallyVote, type BallotRecord, type VoteDefinition } from '../../shared/governance/tally';
import { formatHlc } from '../../shared/governance/hlc';
import { median, type Report } from '../report';
import { governanceOperations, idFactory, member } from './governance-data';

const actor = '@bench:meet.coop';

function time(work: () => void): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

export function applyFigures(report: Report, dir: string): string {
  const ops = [...governanceOperations({ count: 100_000, circles: 5, membersPerCircle: 20, contributionShare: 0.55, months: 24, seed: 7 })];
  const applied: number[] = [];
  const raw: number[] = [];
  const appliedCpu: number[] = [];
  const rawCpu: number[] = [];
  let lastFile = '';
  // Runs alternate between the two so both meet the same machine; run 0 warms up (JIT,
  // page cache) and is not counted.
  for (let run = 0; run < 6; run++) {
    lastFile = join(dir, `apply-${run}.sqlite`);
    const db = openDatabase(lastFile);
    const store = new GovernanceStore(db, { actor, now: () => Date.now() });
    let rejected = 0;
    let cpu = cpuMs();
    const applyMs = time(() => (rejected = store.applyRemote(ops).rejected.length));
    const applyCpu = cpuMs() - cpu;
    if (rejected > 0) throw new Error(`benchmark data has ${rejected} invalid operations`);
    // The raw baseline gets exactly the same table definition and indices.
    const ddl = (db.prepare("SELECT sql FROM sqlite_master WHERE tbl_name = 'ops' AND sql IS NOT NULL").all() as { sql: string }[]).map((r) => r.sql);
    db.close();

    const rawDb = new Database(join(dir, `raw-${run}.sqlite`));
    rawDb.pragma('journal_mode = WAL');
    rawDb.pragma('synchronous = NORMAL');
    for (const sql of ddl) rawDb.exec(sql);
    const insert = rawDb.prepare('INSERT INTO ops (id, hlc, actor, circle, type, payload, v, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    cpu = cpuMs();
    const rawMs = time(() =>
      rawDb.transaction(() => {
        for (const op of ops) insert.run(op.id, op.hlc, op.actor, op.circle, op.type, JSON.stringify(op.payload), op.v, 'remote');
      })(),
    );
    const rawCpuMs = cpuMs() - cpu;
    rawDb.close();
    if (run > 0) {
      applied.push(applyMs);
      raw.push(rawMs);
      appliedCpu.push(applyCpu);
      rawCpu.push(rawCpuMs);
    }
  }
  report.add('store.apply_ops_per_s', ops.length / (median(applied) / 1000), 'ops/s');
  report.add('store.apply_vs_raw', median(applied) / median(raw), 'x');
  report.add('store.apply_vs_raw_cpu', median(appliedCpu) / median(rawCpu), 'x');
  return lastFile;
}

function startupFigure(report: Report, file: string): void {
  const samples: number[] = [];
  for (let run = 0; run < 7; run++) {
    samples.push(
      time(() => {
        const db = openDatabase(file);
        const store = new GovernanceStore(db, { actor, now: () => Date.now() });
        new GovernanceQueries(db, () => store.actor, () => Date.now()).circles();
        db.close();
      }),
    );
  }
  report.add('startup.open_100k_ms', median(samples.slice(1)), 'ms');
}

export function tallyFigures(report: Report, dir: string): void {
  const id = idFactory(11);
  const options = [0, 1, 2, 3, 4].map((i) => ({ id: id(1_700_000_000_000 + i), label: `Option ${i}` }));
  const definition: VoteDefinition = { method: 'ranked-irv', options, maxChoices: null, quorumPercent: 50 };
  const ballots: BallotRecord[] = [];
  for (let i = 0; i < 10_000; i++) {
    const ranking = [...options.map((o) => o.id)].sort((a, b) => ((a.charCodeAt(20) * (i + 3)) % 7) - ((b.charCodeAt(20) * (i + 3)) % 7)).slice(0, 3);
    const opId = id(1_700_000_000_000 + i);
    ballots.push({ opId, stamp: `${formatHlc({ wall: 1_700_000_000_000 + i, counter: 0, node: 'n' })} ${opId}`, voter: member(i), actor: member(i), choice: ranking, reason: null });
  }
  const samples: number[] = [];
  for (let run = 0; run < 21; run++) {
    samples.push(time(() => {
      const selection = selectBallots(ballots, null, new Set());
      tallyVote(definition, selection.counted, 12_000, null, { superseded: selection.superseded, late: selection.late.length });
    }));
  }
  report.add('tally.10k_ballots_ms', median(samples.slice(1)), 'ms');

  // The same vote through the store: rows read from SQLite, choices parsed, then tallied.
  const db = openDatabase(join(dir, 'tally.sqlite'));
  const store = new GovernanceStore(db, { actor, now: () => Date.now() });
  const circle = id(1_600_000_000_000);
  const voteId = id(1_600_000_000_001);
  const op = (n: number, type: string, payload: unknown) => ({ id: id(1_700_000_000_000 + n), hlc: formatHlc({ wall: 1_700_000_000_000 + n, counter: 0, node: 'n' }), actor, circle, type, payload, v: 1 });
  store.applyRemote([
    op(0, 'circle.create', { name: 'Tally', purpose: '', timezone: 'UTC' }),
    op(1, 'vote.create', { voteId, question: 'Which?', details: '', method: 'ranked-irv', options, quorumPercent: 50 }),
    ...ballots.map((b, i) => op(10 + i, 'vote.ballot', { voteId, voter: b.voter, choice: b.choice })),
  ]);
  const queries = new GovernanceQueries(db, () => actor, () => Date.now());
  const read: number[] = [];
  for (let run = 0; run < 11; run++) read.push(time(() => queries.votes({ circleId: circle })));
  report.add('tally.10k_ballots_query_ms', median(read.slice(1)), 'ms');
  db.close();
}

export async function run(report: Report): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'plenary-bench-gov-'));
  try {
    const file = applyFigures(report, dir);
    startupFigure(report, file);
    tallyFigures(report, dir);
    const child = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'governance-1m-worker.ts'), dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (child.status !== 0) throw new Error(`the 1,000,000-contribution benchmark failed (exit ${child.status})`);
    const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as { summaryMs: number; peakRssMb: number; buildS: number };
    report.add('summary.1m_contributions_ms', result.summaryMs, 'ms');
    report.add('store.peak_rss_mb', result.peakRssMb, 'MB');
    report.add('store.build_1m_s', result.buildS, 's');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
