// The data folder the facilitator benchmarks run on: a coop of 100 members in 50 circles
// with 100,000 operations (contributions mostly, votes and ballots, assemblies with agendas,
// attendance and minutes), made through the real store as sync would have delivered them;
// then, in the first circle, this installation's member made a facilitator and an assembly
// in session with an agenda and an open vote, as the facilitator would have prepared it.
// `npm run start:web` is then started on the folder.
import { join } from 'node:path';
import { createCore } from '../../main/core/app-core';
import { createLogger, memorySink } from '../../main/core/log';
import { FileSecretStore } from '../../main/core/secrets/secret-store.file';
import { formatHlc } from '../../shared/governance/hlc';
import { newId } from '../../shared/governance/ids';
import { operationSchemaVersion } from '../../shared/governance/operation';
import type { GovernanceOperation } from '../../shared/governance/operation-types';
import { governanceOperations, member } from './governance-data';

export interface FacilitationData {
  circleId: string;
  assemblyId: string;
  voteId: string;
  /** Members of the circle by display name, this installation's member first. */
  memberNames: string[];
  operations: number;
}

export const coopShape = { count: 100_000, circles: 50, membersPerCircle: 20, contributionShare: 0.8, months: 24, seed: 11 } as const;

export function seedFacilitationData(dataDir: string): FacilitationData {
  const { sink } = memorySink();
  const log = createLogger('seed', sink);
  const core = createCore({ dataDir, runtime: 'web', secrets: new FileSecretStore(join(dataDir, 'secrets.json'), log), log });
  try {
    const store = core.services.governance;
    let batch: GovernanceOperation[] = [];
    let circleId = '';
    for (const op of governanceOperations(coopShape)) {
      if (!circleId && op.type === 'circle.create') circleId = op.circle;
      batch.push(op);
      if (batch.length === 10_000) {
        const { rejected } = store.applyRemote(batch);
        if (rejected.length > 0) throw new Error(`seed data has ${rejected.length} invalid operations: ${rejected[0]!.error.message}`);
        batch = [];
      }
    }
    store.applyRemote(batch);

    // The circle's first facilitator (see governance-data.ts) makes this member a facilitator.
    const me = core.services.localActor;
    const wall = Date.now() - 60_000;
    store.applyRemote([
      {
        id: newId(wall),
        hlc: formatHlc({ wall, counter: 0, node: 'seed' }),
        actor: member(0),
        circle: circleId,
        type: 'circle.member.set',
        payload: { member: me, displayName: 'Facilitator', role: 'facilitator', timezone: 'Europe/Madrid' },
        v: operationSchemaVersion,
      } as GovernanceOperation,
    ]);
    const assemblyId = newId();
    const voteId = newId();
    const items = [newId(), newId(), newId()];
    store.applyLocalBatch([
      { type: 'assembly.create', circle: circleId, payload: { assemblyId, title: 'Bench assembly' } },
      ...items.map((itemId, position) => ({ type: 'assembly.agenda.set' as const, circle: circleId, payload: { assemblyId, itemId, title: `Agenda item ${position + 1}`, position } })),
      { type: 'assembly.open', circle: circleId, payload: { assemblyId } },
      { type: 'vote.create', circle: circleId, payload: { voteId, assemblyId, itemId: items[0], question: 'Adopt the budget?', details: '', method: 'consent', options: [], quorumPercent: 50 } },
    ]);
    const memberNames = (core.handlers['governance.circle']({ circleId }, { transport: 'test' }) as { members: { displayName: string }[] }).members.map((m) => m.displayName);
    return { circleId, assemblyId, voteId, memberNames, operations: store.opCount() };
  } finally {
    core.close();
  }
}
