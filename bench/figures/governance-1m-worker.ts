// Child process of bench/figures/governance.ts: builds a store holding 1,000,000
// contributions through the real apply path (in sync-sized batches), then times the
// member x value stream x month summary. Prints one JSON line; its peak RSS is its own.
import { join } from 'node:path';
import { openDatabase } from '../../main/core/store/database';
import { GovernanceStore } from '../../main/core/store/governance-store';
import { GovernanceQueries } from '../../main/core/governance/governance-queries';
import { median } from '../report';
import { governanceOperations } from './governance-data';
import type { GovernanceOperation } from '../../shared/governance/operation-types';

const dir = process.argv[2]!;
const actor = '@bench:meet.coop';
const db = openDatabase(join(dir, 'contributions-1m.sqlite'));
const store = new GovernanceStore(db, { actor, now: () => Date.now() });
const circles = 5;
const members = 20;
const total = 1_000_000 + circles * (members + 1);

const started = performance.now();
let batch: GovernanceOperation[] = [];
for (const op of governanceOperations({ count: total, circles, membersPerCircle: members, contributionShare: 1, months: 36, seed: 3 })) {
  batch.push(op);
  if (batch.length === 5000) {
    store.applyRemote(batch);
    batch = [];
  }
}
store.applyRemote(batch);
const buildS = (performance.now() - started) / 1000;
const count = (db.prepare('SELECT count(*) AS n FROM gov_contributions').get() as { n: number }).n;
if (count !== 1_000_000) throw new Error(`expected 1,000,000 contributions, found ${count}`);

const queries = new GovernanceQueries(db, () => actor, () => Date.now());
const samples: number[] = [];
let rows = 0;
for (let run = 0; run < 11; run++) {
  const t = performance.now();
  rows = queries.contributionSummary(['member', 'stream', 'month'], {}).length;
  samples.push(performance.now() - t);
}
db.close();
process.stderr.write(`summary rows: ${rows}\n`);
console.log(JSON.stringify({ summaryMs: median(samples.slice(1)), peakRssMb: process.resourceUsage().maxRSS / 1024, buildS }));
