// Builders for governance tests: a store on an in-memory database with a fake clock, and
// operations made "elsewhere" with chosen clocks, as sync would deliver them.
import { openDatabase } from '../../main/core/store/database';
import { GovernanceStore } from '../../main/core/store/governance-store';
import { FakeClock } from '../../main/core/clock';
import { formatHlc } from '../../shared/governance/hlc';
import { newId } from '../../shared/governance/ids';
import { operationSchemaVersion } from '../../shared/governance/operation';
import type { GovernanceOperation, OperationType, PayloadOf } from '../../shared/governance/operation-types';

export const t0 = Date.UTC(2026, 10, 22, 9, 0, 0);
export const alice = '@alice:meet.coop';
export const bob = '@bob:meet.coop';
export const carol = '@carol:meet.coop';

export function makeStore(options: { actor?: string; now?: number; file?: string } = {}) {
  const clock = new FakeClock(options.now ?? t0);
  const db = openDatabase(options.file ?? ':memory:');
  const changes: string[][] = [];
  const store = new GovernanceStore(db, { actor: options.actor ?? alice, now: () => clock.now(), onChange: (c) => changes.push(c) });
  return { db, clock, store, changes };
}

let counter = 0;

/** An operation as another replica would have made it, at wall time `wall` on node `node`. */
export function remoteOp<T extends OperationType>(
  type: T,
  circle: string,
  payload: PayloadOf<T>,
  options: { wall?: number; node?: string; actor?: string; counter?: number } = {},
): GovernanceOperation {
  const wall = options.wall ?? t0;
  return {
    id: newId(wall),
    hlc: formatHlc({ wall, counter: options.counter ?? counter++ % 1000, node: options.node ?? 'remote' }),
    actor: options.actor ?? alice,
    circle,
    type,
    payload,
    v: operationSchemaVersion,
  } as GovernanceOperation;
}

export const ids = () => newId(t0);
