// Property: replicas that receive the same operations, in any order, in any batches and with
// duplicates, end in identical materialized state. Operations are drawn from a small pool of
// ids so they collide on the same circles, members, votes and contributions, with clocks that
// tie on wall time across nodes.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeStore, t0 } from '../helpers/governance';
import { formatHlc } from '../../shared/governance/hlc';
import { newId } from '../../shared/governance/ids';
import { operationSchemaVersion } from '../../shared/governance/operation';
import type { GovernanceOperation } from '../../shared/governance/operation-types';
import { validateOperation } from '../../shared/governance/validate-operation';

const pool = (n: number) => Array.from({ length: n }, (_, i) => newId(t0 + i));
const circles = pool(2);
const assemblies = pool(2);
const items = pool(2);
const votes = pool(2);
const options = pool(3);
const contributions = pool(3);
const rooms = pool(2);
const members = ['@alice:meet.coop', '@bob:meet.coop', '@carol:meet.coop'];
const nodes = ['n0', 'n1', 'n2'];

const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);
const voteOptions = options.map((id, i) => ({ id, label: `Option ${i}` }));

const payloads = fc.oneof(
  fc.record({ type: fc.constant('circle.create'), payload: fc.record({ name: pick(['Tech', 'Care']), purpose: pick(['', 'P']), timezone: pick(['UTC', 'Asia/Tokyo']) }) }),
  fc.record({ type: fc.constant('circle.update'), payload: fc.record({ fields: fc.record({ name: pick(['Ops', 'Product']), purpose: pick(['X', 'Y']), schedule: pick([null, { rrule: 'FREQ=WEEKLY;BYDAY=TU;BYHOUR=9', timezone: 'UTC', durationMinutes: 60 }]) }, { requiredKeys: ['name'] }) }) }),
  fc.record({ type: fc.constant('circle.member.set'), payload: fc.record({ member: pick(members), displayName: pick(['A', 'B']), role: pick(['facilitator', 'steward', 'member']), timezone: pick(['UTC', 'Europe/Paris']) }) }),
  fc.record({ type: fc.constant('circle.member.remove'), payload: fc.record({ member: pick(members) }) }),
  fc.record({ type: fc.constant('circle.room.add'), payload: fc.record({ roomId: pick(rooms), url: pick(['https://meet.coop/b/abc-def-ghi', 'https://meet.coop/rooms/x/join']), label: pick(['Main', 'Side']) }) }),
  fc.record({ type: fc.constant('circle.room.remove'), payload: fc.record({ roomId: pick(rooms) }) }),
  fc.record({ type: fc.constant('circle.archive'), payload: fc.constant({}) }),
  fc.record({ type: fc.constant('assembly.create'), payload: fc.record({ assemblyId: pick(assemblies), title: pick(['AGM', 'All hands']), scheduledAt: pick([t0, t0 + 3600_000]) }) }),
  fc.record({ type: fc.constant('assembly.update'), payload: fc.record({ assemblyId: pick(assemblies), fields: fc.record({ title: pick(['T1', 'T2']), scheduledAt: pick([null, t0]) }, { requiredKeys: ['title'] }) }) }),
  fc.record({ type: pick(['assembly.open', 'assembly.close']), payload: fc.record({ assemblyId: pick(assemblies) }) }),
  fc.record({ type: fc.constant('assembly.agenda.set'), payload: fc.record({ assemblyId: pick(assemblies), itemId: pick(items), title: pick(['Budget', 'Roadmap']), position: fc.integer({ min: 0, max: 3 }) }) }),
  fc.record({ type: fc.constant('assembly.agenda.remove'), payload: fc.record({ assemblyId: pick(assemblies), itemId: pick(items) }) }),
  fc.record({ type: fc.constant('assembly.attendance.set'), payload: fc.record({ assemblyId: pick(assemblies), member: pick(members), status: pick(['present', 'apologies', 'absent']) }) }),
  fc.record({ type: fc.constant('assembly.minutes.set'), payload: fc.record({ assemblyId: pick(assemblies), itemId: pick(items), markdown: pick(['a', 'b']) }) }),
  fc.record({ type: fc.constant('assembly.decision.link'), payload: fc.record({ assemblyId: pick(assemblies), itemId: pick(items), voteId: pick(votes) }) }),
  fc.record({ type: fc.constant('assembly.recording.add'), payload: fc.record({ assemblyId: pick(assemblies), recordingId: pick(rooms), url: fc.constant('https://meet.coop/playback/1'), label: pick(['R1', 'R2']) }) }),
  fc.record({ type: fc.constant('vote.create'), payload: fc.record({ voteId: pick(votes), question: pick(['Q1', 'Q2']), details: fc.constant(''), method: pick(['single', 'ranked-irv']), options: fc.constant(voteOptions), quorumPercent: pick([0, 50]), closesAt: pick([t0 + 2000, t0 + 60_000]) }, { requiredKeys: ['voteId', 'question', 'details', 'method', 'options', 'quorumPercent'] }) }),
  fc.record({ type: fc.constant('vote.update'), payload: fc.record({ voteId: pick(votes), fields: fc.record({ outcome: pick(['Adopted', 'Rejected']), closesAt: pick([null, t0 + 1000]) }, { requiredKeys: ['outcome'] }) }) }),
  fc.record({ type: fc.constant('vote.ballot'), payload: fc.record({ voteId: pick(votes), voter: pick(members), choice: fc.oneof(pick(options), fc.shuffledSubarray(options, { minLength: 1 })) }) }),
  fc.record({ type: fc.constant('vote.count'), payload: fc.record({ voteId: pick(votes), totals: fc.record({ [options[0]!]: fc.nat(9) }), abstain: fc.nat(3) }) }),
  fc.record({ type: fc.constant('vote.close'), payload: fc.record({ voteId: pick(votes) }) }),
  fc.record({ type: fc.constant('contribution.create'), payload: fc.record({ contributionId: pick(contributions), member: pick(members), date: pick(['2026-10-31', '2026-11-01']), minutes: fc.integer({ min: 1, max: 240 }), stream: pick(['livelihood', 'care', 'commons']), description: pick(['', 'd']), tags: fc.constant([]) }) }),
  fc.record({ type: fc.constant('contribution.update'), payload: fc.record({ contributionId: pick(contributions), fields: fc.record({ minutes: fc.integer({ min: 1, max: 240 }), date: pick(['2026-09-30', '2026-11-02']), member: pick(members), stream: pick(['care', 'commons']) }, { requiredKeys: [] }).filter((f) => Object.keys(f).length > 0) }) }),
  fc.record({ type: fc.constant('contribution.delete'), payload: fc.record({ contributionId: pick(contributions) }) }),
);

const operation = fc
  .record({ body: payloads, circle: pick(circles), wall: fc.integer({ min: 0, max: 4 }), counter: fc.nat(2), node: pick(nodes), actor: pick(members) })
  .map(({ body, circle, wall, counter, node, actor }) => {
    const op = { id: newId(t0), hlc: formatHlc({ wall: t0 + wall * 1000, counter, node }), actor, circle, type: body.type, payload: body.payload, v: operationSchemaVersion };
    const checked = validateOperation(op);
    if (!checked.ok) throw new Error(`generator made an invalid operation: ${checked.error.message}`);
    return checked.op;
  });

/** One replica's delivery: every operation at least once, some twice, shuffled, in batches. */
const delivery = (count: number) =>
  fc.record({
    order: fc.shuffledSubarray([...Array(count).keys()], { minLength: count, maxLength: count }),
    repeats: fc.array(fc.nat(Math.max(0, count - 1)), { maxLength: 4 }),
    cuts: fc.array(fc.nat(count + 4), { maxLength: 3 }),
  });

function deliver(ops: GovernanceOperation[], plan: { order: number[]; repeats: number[]; cuts: number[] }): GovernanceOperation[][] {
  const sequence = [...plan.order.map((i) => ops[i]!), ...plan.repeats.filter((i) => i < ops.length).map((i) => ops[i]!)];
  const cuts = [...new Set(plan.cuts.map((c) => Math.min(c, sequence.length)))].sort((a, b) => a - b);
  const batches: GovernanceOperation[][] = [];
  let start = 0;
  for (const cut of [...cuts, sequence.length]) {
    batches.push(sequence.slice(start, cut));
    start = cut;
  }
  return batches;
}

describe('governance fold convergence', () => {
  it('gives identical state on three replicas for any delivery order, batching and duplication', () => {
    const scenario = fc.array(operation, { minLength: 1, maxLength: 18 }).chain((ops) => fc.tuple(fc.constant(ops), fc.array(delivery(ops.length), { minLength: 3, maxLength: 3 })));
    fc.assert(
      fc.property(scenario, ([ops, plans]) => {
        const digests = plans.map((plan) => {
          const { store, db } = makeStore();
          for (const batch of deliver(ops, plan)) {
            const result = store.applyRemote(batch);
            expect(result.rejected).toEqual([]);
          }
          expect(store.opCount()).toBe(new Set(ops.map((o) => o.id)).size);
          const digest = store.stateDigest();
          db.close();
          return digest;
        });
        expect(digests[1]).toBe(digests[0]);
        expect(digests[2]).toBe(digests[0]);
      }),
      { numRuns: 1000 },
    );
  }, 120_000);
});
