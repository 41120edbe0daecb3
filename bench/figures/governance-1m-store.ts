// Builds a store holding 1,000,000 contributions through the real apply path (in
// sync-sized batches), as the 1M-contribution figures need. Shared by the summary worker
// (governance-1m-worker.ts) and the backup worker (store-backup-worker.ts).
import type { Db } from '../../main/core/store/database';
import { GovernanceStore } from '../../main/core/store/governance-store';
import { governanceOperations } from './governance-data';
import type { GovernanceOperation } from '../../shared/governance/operation-types';

export const benchActor = '@bench:meet.coop';

/** Fills `db` (an empty store) and returns how long it took, in seconds. */
export function build1mContributions(db: Db): number {
  const store = new GovernanceStore(db, { actor: benchActor, now: () => Date.now() });
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
  const count = (db.prepare('SELECT count(*) AS n FROM gov_contributions').get() as { n: number }).n;
  if (count !== 1_000_000) throw new Error(`expected 1,000,000 contributions, found ${count}`);
  return (performance.now() - started) / 1000;
}
