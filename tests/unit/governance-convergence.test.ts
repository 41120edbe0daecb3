// Property: replicas that receive the same operations, in any order, in any batches and with
// duplicates, end in identical materialized state and identical vote results. Operations are
// drawn from a small pool of ids so they collide on the same circles, members, votes and
// contributions, with clocks that tie on wall time across nodes. Every id (entities and
// operations) is derived from the generated values, never random, so a failure replays from
// its seed.
//
// The second property adds what the coop server does to events: operations travel in Matrix
// events (some twice, as a retry from a new login does), some of which are redacted; some
// clocks are hours ahead of the replicas'. Each replica reads the events in its own order,
// sees a redacted event either before the redaction (then withdraws it later) or only as a
// shell, runs its own (skewed) clock, and one replica joins after everything happened. Once
// every clock has passed every operation, all replicas equal one another.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeStore, t0 } from '../helpers/governance';
import { formatHlc } from '../../shared/governance/hlc';
import { operationSchemaVersion } from '../../shared/governance/operation';
import { consentPositions, type GovernanceOperation, type VoteMethod } from '../../shared/governance/operation-types';
import { validateOperation } from '../../shared/governance/validate-operation';
import { GovernanceQueries } from '../../main/core/governance/governance-queries';

/** A valid 26-character id (Crockford base32 has no I, L, O or U), fixed by its prefix and number. */
const fixedId = (prefix: string, n: number) => `${prefix}${String(n).padStart(26 - prefix.length, '0')}`;
const pool = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => fixedId(prefix, i));
const circles = pool('C', 2);
const assemblies = pool('A', 2);
const items = pool('T', 2);
const votes = pool('V', 2);
const options = pool('P', 3);
const contributions = pool('K', 3);
const rooms = pool('R', 2);
const actions = pool('X', 2);
const attachments = pool('F', 2);
const maxOps = 18;
/** Operation i of a scenario has this id, so a ballot can be accepted late by its id. */
const opId = (i: number) => fixedId('QP', i);
const methods: VoteMethod[] = ['single', 'multiple', 'ranked-borda', 'ranked-irv', 'score', 'consent', 'counted'];
const accounts = ['@alice:meet.coop', '@bob:meet.coop', '@carol:meet.coop'];
/** A member added without a Matrix account, linked to one (or concurrently to two) later. */
const localMember = 'local:0c6b1f3e-5a2d-4e8b-9f70-1d2c3b4a5e6f';
const members = [...accounts, localMember];
const nodes = ['n0', 'n1', 'n2'];

const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);
const threadSubjects = fc.oneof(pick(votes).map((voteId) => ({ kind: 'vote' as const, voteId })), pick(assemblies).map((assemblyId) => ({ kind: 'assembly' as const, assemblyId })));
const attachmentSubjects = fc.oneof(
  pick(votes).map((voteId) => ({ kind: 'vote' as const, voteId })),
  fc.record({ kind: fc.constant('agenda' as const), assemblyId: pick(assemblies), itemId: pick(items) }),
);
const voteOptions = options.map((id, i) => ({ id, label: `Option ${i}` }));

// Weighted towards what a vote result needs: a circle, members, a vote and ballots.
const payloads = fc.oneof(
  { weight: 3, arbitrary: fc.record({ type: fc.constant('circle.create'), payload: fc.record({ name: pick(['Tech', 'Care']), purpose: pick(['', 'P']), timezone: pick(['UTC', 'Asia/Tokyo']) }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('circle.update'), payload: fc.record({ fields: fc.record({ name: pick(['Ops', 'Product']), purpose: pick(['X', 'Y']), schedule: pick([null, { rrule: 'FREQ=WEEKLY;BYDAY=TU;BYHOUR=9', timezone: 'UTC', durationMinutes: 60 }, { rrule: 'DTSTART;TZID=Asia/Tokyo:20261201T090000\nRRULE:FREQ=WEEKLY;BYDAY=TU', timezone: 'Asia/Tokyo', durationMinutes: 60 }]) }, { requiredKeys: ['name'] }) }) }) },
  { weight: 4, arbitrary: fc.record({ type: fc.constant('circle.member.set'), payload: fc.record({ member: pick(members), displayName: pick(['A', 'B']), role: pick(['facilitator', 'steward', 'member']), timezone: pick(['UTC', 'Europe/Paris']) }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('circle.member.remove'), payload: fc.record({ member: pick(members) }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('circle.member.link'), payload: fc.record({ member: fc.constant(localMember), account: pick(accounts) }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('circle.room.add'), payload: fc.record({ roomId: pick(rooms), url: pick(['https://meet.coop/b/abc-def-ghi', 'https://meet.coop/rooms/x/join']), label: pick(['Main', 'Side']) }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('circle.room.remove'), payload: fc.record({ roomId: pick(rooms) }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('circle.archive'), payload: fc.constant({}) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('assembly.create'), payload: fc.record({ assemblyId: pick(assemblies), title: pick(['AGM', 'All hands']), scheduledAt: pick([t0, t0 + 3600_000]) }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('assembly.update'), payload: fc.record({ assemblyId: pick(assemblies), fields: fc.record({ title: pick(['T1', 'T2']), scheduledAt: pick([null, t0]) }, { requiredKeys: ['title'] }) }) }) },
  { weight: 1, arbitrary: fc.record({ type: pick(['assembly.open', 'assembly.close']), payload: fc.record({ assemblyId: pick(assemblies) }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('assembly.agenda.set'), payload: fc.record({ assemblyId: pick(assemblies), itemId: pick(items), title: pick(['Budget', 'Roadmap']), position: fc.integer({ min: 0, max: 3 }), timeboxMinutes: pick([10, 30]) }, { requiredKeys: ['assemblyId', 'itemId', 'title', 'position'] }) }) },
  // Running the meeting (current item, action items), together as often as one other kind.
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.record({ type: fc.constant('assembly.agenda.current'), payload: fc.record({ assemblyId: pick(assemblies), itemId: pick([...items, null]) }) }),
      fc.record({ type: fc.constant('assembly.action.set'), payload: fc.record({ assemblyId: pick(assemblies), actionId: pick(actions), itemId: pick(items), text: pick(['Call', 'Write']), owner: pick(members), due: pick([null, '2026-12-01']) }, { requiredKeys: ['assemblyId', 'actionId', 'text', 'owner'] }) }),
      fc.record({ type: fc.constant('assembly.action.remove'), payload: fc.record({ assemblyId: pick(assemblies), actionId: pick(actions) }) }),
      fc.record({ type: fc.constant('assembly.action.done'), payload: fc.record({ assemblyId: pick(assemblies), actionId: pick(actions), owner: pick(members), done: fc.boolean() }) }),
    ),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('assembly.agenda.remove'), payload: fc.record({ assemblyId: pick(assemblies), itemId: pick(items) }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('assembly.attendance.set'), payload: fc.record({ assemblyId: pick(assemblies), member: pick(members), status: pick(['present', 'apologies', 'absent']) }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('assembly.minutes.set'), payload: fc.record({ assemblyId: pick(assemblies), itemId: pick(items), markdown: pick(['a', 'b']) }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('assembly.decision.link'), payload: fc.record({ assemblyId: pick(assemblies), itemId: pick(items), voteId: pick(votes) }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('assembly.recording.add'), payload: fc.record({ assemblyId: pick(assemblies), recordingId: pick(rooms), url: fc.constant('https://meet.coop/playback/1'), label: pick(['R1', 'R2']) }) }) },
  { weight: 8, arbitrary: fc.record({
    type: fc.constant('vote.create'),
    payload: pick(methods).chain((method) =>
      fc.record(
        {
          voteId: pick(votes),
          question: pick(['Q1', 'Q2']),
          details: fc.constant(''),
          method: fc.constant(method),
          options: fc.constant(method === 'consent' ? [] : voteOptions),
          ...(method === 'multiple' || method.startsWith('ranked') ? { maxChoices: fc.integer({ min: 1, max: options.length }) } : {}),
          quorumPercent: pick([0, 50, 100]),
          closesAt: pick([t0 + 2000, t0 + 60_000]),
        },
        { requiredKeys: ['voteId', 'question', 'details', 'method', 'options', 'quorumPercent'] },
      ).chain((vote) =>
        // Some votes are put during an assembly with a quorum of those present (attendance decides it).
        fc.oneof(fc.constant(vote), fc.record({ assemblyId: pick(assemblies) }).map(({ assemblyId }) => ({ ...vote, assemblyId, quorumBasis: 'present' as const }))),
      ),
    ),
  }) },
  // An Element poll's edit: the latest redefines the vote, whichever arrives first.
  { weight: 1, arbitrary: fc.record({ type: fc.constant('vote.redefine'), payload: fc.record({ voteId: pick(votes), question: pick(['Edited', 'Edited again']), method: fc.constant('single' as const), options: fc.shuffledSubarray(voteOptions, { minLength: 2 }) }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('vote.update'), payload: fc.record({ voteId: pick(votes), fields: fc.record({ outcome: pick(['Adopted', 'Rejected']), closesAt: pick([null, t0 + 1000]) }, { requiredKeys: ['outcome'] }) }) }) },
  { weight: 12, arbitrary: fc.record({ type: fc.constant('vote.ballot'), payload: fc.record({ voteId: pick(votes), voter: pick(members), choice: fc.oneof(
        pick(options),
        fc.shuffledSubarray(options, { minLength: 1 }),
        pick(consentPositions),
        fc.record(Object.fromEntries(options.map((o) => [o, fc.integer({ min: 0, max: 5 })]))),
      ), reason: fc.option(pick(['Too costly', 'Yes!']), { nil: undefined }), proxy: fc.option(pick(members), { nil: undefined }) }, { requiredKeys: ['voteId', 'voter', 'choice'] }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('vote.acceptLate'), payload: fc.record({ voteId: pick(votes), ballotOpId: fc.nat(maxOps - 1).map(opId) }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('vote.count'), payload: fc.record({ voteId: pick(votes), totals: fc.record({ [options[0]!]: fc.nat(9) }), abstain: fc.nat(3) }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('vote.close'), payload: fc.record({ voteId: pick(votes) }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('vote.reopen'), payload: fc.record({ voteId: pick(votes) }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('contribution.create'), payload: fc.record({ contributionId: pick(contributions), member: pick(members), date: pick(['2026-10-31', '2026-11-01']), minutes: fc.integer({ min: 1, max: 240 }), stream: pick(['livelihood', 'care', 'commons']), description: pick(['', 'd']), tags: fc.subarray(['infra', 'Care', 'équipe']) }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('contribution.update'), payload: fc.record({ contributionId: pick(contributions), fields: fc.record({ minutes: fc.integer({ min: 1, max: 240 }), date: pick(['2026-09-30', '2026-11-02']), member: pick(members), stream: pick(['care', 'commons']), tags: fc.subarray(['infra', 'Ops']) }, { requiredKeys: [] }).filter((f) => Object.keys(f).length > 0) }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('contribution.delete'), payload: fc.record({ contributionId: pick(contributions) }) }) },
  // Forum and files (shared/governance/link-operation-types.ts).
  { weight: 1, arbitrary: fc.record({ type: fc.constant('circle.forum.set'), payload: fc.record({ category: pick([null, { id: 5, slug: 'tech', name: 'Tech' }, { id: 7, slug: 'care', name: 'Care' }]) }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('forum.thread.set'), payload: fc.record({ subject: threadSubjects, thread: pick([null, { topicId: 11, url: 'https://forum.meet.coop/t/a/11', title: 'A' }, { topicId: 12, url: 'https://forum.meet.coop/t/b/12', title: 'B' }]) }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('forum.post.add'), payload: fc.record({ subject: threadSubjects, postId: pick([21, 22]), topicId: pick([11, 12]), url: pick(['https://forum.meet.coop/t/a/11/2', 'https://forum.meet.coop/t/b/12/3']), purpose: pick(['result', 'minutes'] as const) }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('attachment.add'), payload: fc.record({ attachmentId: pick(attachments), subject: attachmentSubjects, name: pick(['budget.ods', 'plan.pdf']), url: pick(['https://cloud.meet.coop/s/abc', 'https://cloud.meet.coop/s/def']), sizeBytes: pick([0, 1234]) }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('attachment.remove'), payload: fc.record({ attachmentId: pick(attachments) }) }) },
);

/** A clock this far ahead is held by every replica below until its clock gets there. */
const hoursAhead = 3 * 3600_000;

const operationAt = (index: number, skewed = false) =>
  fc.record({
    body: payloads,
    circle: fc.oneof({ weight: 4, arbitrary: fc.constant(circles[0]!) }, { weight: 1, arbitrary: fc.constant(circles[1]!) }),
    wall: fc.integer({ min: 0, max: 4 }),
    ahead: skewed ? fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(hoursAhead) }) : fc.constant(0),
    counter: fc.nat(2),
    node: pick(nodes),
    actor: pick(members),
  }).map(({ body, circle, wall, ahead, counter, node, actor }) => {
    const op = { id: opId(index), hlc: formatHlc({ wall: t0 + wall * 1000 + ahead, counter, node }), actor, circle, type: body.type, payload: body.payload, v: operationSchemaVersion };
    const checked = validateOperation(op);
    if (!checked.ok) throw new Error(`generator made an invalid operation: ${checked.error.message}`);
    return checked.op;
  });

/** Up to maxOps operations; operation i has id opId(i). */
const operations = fc.integer({ min: 1, max: maxOps }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => operationAt(i))));
const skewedOperations = fc.integer({ min: 1, max: maxOps }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => operationAt(i, true))));

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
    // How many scenarios tallied a vote with ballots, so the generator is known to reach results.
    let tallied = 0;
    const scenario = operations.chain((ops) => fc.tuple(fc.constant(ops), fc.array(delivery(ops.length), { minLength: 3, maxLength: 3 })));
    fc.assert(
      fc.property(scenario, ([ops, plans]) => {
        const states = plans.map((plan) => {
          const { store, db } = makeStore();
          for (const batch of deliver(ops, plan)) {
            const result = store.applyRemote(batch);
            expect(result.rejected).toEqual([]);
          }
          expect(store.opCount()).toBe(new Set(ops.map((o) => o.id)).size);
          const digest = store.stateDigest();
          // Every vote tallied from this replica's state, at a time some votes have closed by.
          const votes = new GovernanceQueries(db, () => members[0]!, () => t0 + 3000).votes();
          const tallies = JSON.stringify(votes);
          if (plan === plans[0] && votes.some((v) => v.results.ballots > 0)) tallied++;
          db.close();
          return { digest, tallies };
        });
        expect(states[1]).toEqual(states[0]);
        expect(states[2]).toEqual(states[0]);
      }),
      { numRuns: 1000 },
    );
    expect(tallied).toBeGreaterThan(10);
  }, 120_000);
});

interface WireEvent {
  eventId: string;
  serverTs: number;
  /** A poll event (Element counts what it carries by it). */
  poll: boolean;
  ops: GovernanceOperation[];
}

/** Operations packed into events as uploads make them, a few sent again in a later event, some events redacted. */
const wire = (ops: GovernanceOperation[]) =>
  fc
    .record({
      cuts: fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, ops.length - 1) }), { maxLength: 6 }),
      retries: fc.uniqueArray(fc.nat(ops.length - 1), { maxLength: 3 }),
      polls: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
      redacted: fc.uniqueArray(fc.nat(11), { maxLength: 4 }),
    })
    .map(({ cuts, retries, polls, redacted }) => {
      const bounds = [0, ...[...cuts].filter((c) => c < ops.length).sort((a, b) => a - b), ops.length];
      const events: WireEvent[] = [];
      for (let i = 0; i + 1 < bounds.length; i++) if (bounds[i]! < bounds[i + 1]!) events.push({ eventId: `$ev${i}`, serverTs: t0 + 10_000 + i * 1000, poll: polls[i]!, ops: ops.slice(bounds[i], bounds[i + 1]) });
      if (retries.length > 0) events.push({ eventId: '$retry', serverTs: t0 + 30_000, poll: false, ops: retries.map((i) => ops[i]!) });
      return { events, redacted: new Set(redacted.filter((i) => i < events.length).map((i) => events[i]!.eventId)) };
    });

/**
 * One replica's reading: events in its order; for a redacted event, whether it read it before
 * the redaction (and where it then reads the redaction) or only its shell; its clock's offset.
 */
const reading = (count: number) =>
  fc.record({
    order: fc.shuffledSubarray([...Array(count).keys()], { minLength: count, maxLength: count }),
    sawBefore: fc.array(fc.boolean(), { minLength: count, maxLength: count }),
    redactionAt: fc.array(fc.nat(count), { minLength: count, maxLength: count }),
    clock: fc.constantFrom(0, hoursAhead + 3600_000),
  });

type Step = { kind: 'event'; event: WireEvent } | { kind: 'withdraw'; eventId: string };

function steps(events: WireEvent[], redacted: ReadonlySet<string>, plan: { order: number[]; sawBefore: boolean[]; redactionAt: number[] } | 'joins-late'): Step[] {
  if (plan === 'joins-late') {
    // Everything already happened: redacted events are shells, read where they stand.
    return events.map((event) => (redacted.has(event.eventId) ? { kind: 'withdraw', eventId: event.eventId } : { kind: 'event', event }));
  }
  const out: Step[] = [];
  const seenBefore: number[] = [];
  for (const index of plan.order) {
    const event = events[index]!;
    if (!redacted.has(event.eventId)) out.push({ kind: 'event', event });
    else if (plan.sawBefore[index]) {
      out.push({ kind: 'event', event });
      seenBefore.push(index);
    } else out.push({ kind: 'withdraw', eventId: event.eventId });
  }
  // The redaction comes somewhere after the event, wherever this replica reads it.
  for (const index of seenBefore) {
    const at = out.findIndex((step) => step.kind === 'event' && step.event === events[index]);
    out.splice(at + 1 + (plan.redactionAt[index]! % (out.length - at)), 0, { kind: 'withdraw', eventId: events[index]!.eventId });
  }
  return out;
}

describe('convergence through the coop server: redactions, retries and clocks ahead', () => {
  it('gives identical state on replicas that read redactions before or after, with skewed clocks and one joining late', () => {
    let withdrewSomething = 0;
    let heldSomething = 0;
    const scenario = skewedOperations.chain((ops) =>
      wire(ops).chain((w) => fc.tuple(fc.constant(ops), fc.constant(w), fc.array(reading(w.events.length), { minLength: 2, maxLength: 2 }))),
    );
    fc.assert(
      fc.property(scenario, ([, { events, redacted }, plans]) => {
        const states = [...plans, 'joins-late' as const].map((plan) => {
          const { store, db, clock } = makeStore({ now: t0 + (plan === 'joins-late' ? 0 : plan.clock) });
          for (const step of steps(events, redacted, plan)) {
            if (step.kind === 'event') {
              const result = store.applyRemote(step.event.ops, { event: { eventId: step.event.eventId, serverTs: step.event.serverTs, carries: true, poll: step.event.poll } });
              expect(result.rejected).toEqual([]);
              if (result.held.length > 0 && plan !== 'joins-late') heldSomething++;
            } else {
              const { opIds } = store.withdrawEvents([
                { eventId: step.eventId, roomId: '!r:meet.coop', circle: null, sender: '', eventType: '', redactedBy: members[0]!, redactionId: `$r${step.eventId}`, redactedAt: t0 + 50_000, reason: '' },
              ]);
              if (opIds.length > 0 && plan === plans[0]) withdrewSomething++;
            }
          }
          // Every clock passes every operation: what was held is applied.
          clock.set(t0 + 2 * hoursAhead);
          store.releaseDue();
          expect(store.nextHeldAt()).toBeNull();
          const digest = store.stateDigest();
          const tallies = JSON.stringify(new GovernanceQueries(db, () => members[0]!, () => t0 + 3000).votes());
          db.close();
          return { digest, tallies };
        });
        expect(states[1]).toEqual(states[0]);
        expect(states[2]).toEqual(states[0]);
      }),
      { numRuns: 1000 },
    );
    // The generator reaches what the property is about.
    expect(withdrewSomething).toBeGreaterThan(50);
    expect(heldSomething).toBeGreaterThan(50);
  }, 240_000);
});
