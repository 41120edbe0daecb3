// A store at the latest schema with some governance data, made through the real store, and
// the damage helpers of store-damage.ts, for unit and integration tests.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../main/core/store/database';
import { GovernanceStore } from '../../main/core/store/governance-store';
import { seedCircle, seedContributions } from './governance-seed';

export const testActor = 'local:00000000-0000-4000-8000-000000000001';

/** A store at the latest schema holding a circle and some contributions; returns the circle id. */
export function makeStore(dataDir: string, contributions = 20): string {
  mkdirSync(dataDir, { recursive: true });
  const db = openDatabase(join(dataDir, 'plenary.sqlite'));
  const store = new GovernanceStore(db, { actor: testActor, now: () => Date.now() });
  const circle = seedCircle(store, testActor, ['@ana:meet.coop', '@ben:meet.coop']);
  seedContributions(store, circle, testActor, contributions);
  db.close();
  return circle;
}

export { corruptTable, fileState, fromTheFuture, notADatabase } from './store-damage';
