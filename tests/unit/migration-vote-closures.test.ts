// Migration 20261209T1520-vote-closures on a database from the previous release: every
// vote.close already in the log becomes a close in gov_vote_closures, so existing votes read
// exactly as a fresh fold of the same operations reads them.
import { describe, expect, it } from 'vitest';
import { migrations } from '../../main/core/store/migrations';
import { migrate, openDatabase } from '../../main/core/store/database';
import { GovernanceStore } from '../../main/core/store/governance-store';
import { alice, bob, remoteOp, t0 } from '../helpers/governance';

const before = '20261209T1510-member-links';
const circle = 'C0000000000000000000000001';
const voteId = 'V0000000000000000000000001';

describe('migration 20261209T1520-vote-closures', () => {
  it('records the closes already in the log', () => {
    const db = openDatabase(':memory:', { until: before });
    const ops = [
      remoteOp('circle.create', circle, { name: 'Ops', purpose: '', timezone: 'UTC' }, { wall: t0 }),
      remoteOp('vote.create', circle, { voteId, question: 'Q?', details: '', method: 'consent', options: [], quorumPercent: 0 }, { wall: t0 + 1000 }),
      remoteOp('vote.close', circle, { voteId }, { wall: t0 + 2000, actor: bob }),
      remoteOp('vote.close', circle, { voteId }, { wall: t0 + 3000 }),
    ];
    // The previous release's log, as it wrote it (its fold knew no closures table).
    const insert = db.prepare('INSERT INTO ops (id, hlc, actor, circle, type, payload, v, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const op of ops) insert.run(op.id, op.hlc, op.actor, op.circle, op.type, JSON.stringify(op.payload), op.v, 'remote');
    expect(migrate(db, migrations)).toContain('20261209T1520-vote-closures');
    const rows = db.prepare('SELECT vote_id, stamp, kind, actor FROM gov_vote_closures ORDER BY stamp').all();
    expect(rows).toEqual([
      { vote_id: voteId, stamp: `${ops[2]!.hlc} ${ops[2]!.id}`, kind: 'close', actor: bob },
      { vote_id: voteId, stamp: `${ops[3]!.hlc} ${ops[3]!.id}`, kind: 'close', actor: alice },
    ]);
    const store = new GovernanceStore(db, { actor: alice, now: () => t0 + 10_000 });
    store.rebuild();
    const fresh = new GovernanceStore(openDatabase(':memory:'), { actor: alice, now: () => t0 + 10_000 });
    fresh.applyRemote(ops);
    expect(store.stateDigest()).toBe(fresh.stateDigest());
    expect(db.prepare('SELECT closed_v, closed_by FROM gov_votes').get()).toEqual({ closed_v: `${ops[2]!.hlc} ${ops[2]!.id}`, closed_by: bob });
  });
});
