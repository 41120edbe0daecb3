// Child process of bench/figures/governance.ts: builds a store holding 1,000,000
// contributions (governance-1m-store.ts), then times the member x value stream x month
// summary. Prints one JSON line; its peak RSS is its own.
import { join } from 'node:path';
import { openDatabase } from '../../main/core/store/database';
import { GovernanceQueries } from '../../main/core/governance/governance-queries';
import { median } from '../report';
import { benchActor, build1mContributions } from './governance-1m-store';

const dir = process.argv[2]!;
const db = openDatabase(join(dir, 'contributions-1m.sqlite'));
const buildS = build1mContributions(db);

const queries = new GovernanceQueries(db, () => benchActor, () => Date.now());
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
