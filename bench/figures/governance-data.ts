// Synthetic governance operations for the benchmarks, shaped like a coop's year: a few
// circles of about twenty members, contributions (most operations), ballots, and the
// circle, assembly and vote operations around them. Deterministic (seeded), made "by other
// replicas" with clocks in the past, as sync would deliver them.
import { formatHlc } from '../../shared/governance/hlc';
import { operationSchemaVersion } from '../../shared/governance/operation';
import type { GovernanceOperation } from '../../shared/governance/operation-types';

const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A small seeded generator (mulberry32), so every run applies the same operations. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function idFactory(seed: number): (time: number) => string {
  const next = random(seed);
  return (time) => {
    let head = '';
    let t = time;
    for (let i = 0; i < 10; i++) {
      head = alphabet[t % 32]! + head;
      t = Math.floor(t / 32);
    }
    let tail = '';
    for (let i = 0; i < 16; i++) tail += alphabet[Math.floor(next() * 32)];
    return head + tail;
  };
}

const streams = ['livelihood', 'care', 'commons'] as const;

export interface DataOptions {
  count: number;
  circles: number;
  membersPerCircle: number;
  /** Share of contributions among the operations (the rest: ballots, updates, the rest). */
  contributionShare: number;
  months: number;
  seed: number;
}

export function member(i: number): string {
  return `@member${i}:meet.coop`;
}

/** Operations in an order a replica could have made them (creates before use). */
export function* governanceOperations(options: DataOptions): Generator<GovernanceOperation> {
  const rand = random(options.seed);
  const id = idFactory(options.seed + 1);
  const start = Date.now() - 40 * 24 * 3600 * 1000;
  let clock = 0;
  const op = (type: string, circle: string, payload: unknown): GovernanceOperation => {
    clock++;
    const wall = start + Math.floor(clock / 8);
    return { id: id(wall), hlc: formatHlc({ wall, counter: clock % 8, node: `node${clock % 5}` }), actor: member(clock % 100), circle, type, payload, v: operationSchemaVersion } as GovernanceOperation;
  };
  let made = 0;
  const circles: { id: string; members: string[]; votes: { id: string; options: string[] }[]; assemblies: { id: string; items: string[] }[]; contributions: string[] }[] = [];
  for (let c = 0; c < options.circles; c++) {
    const circle = { id: id(start + c), members: [] as string[], votes: [] as { id: string; options: string[] }[], assemblies: [] as { id: string; items: string[] }[], contributions: [] as string[] };
    circles.push(circle);
    yield op('circle.create', circle.id, { name: `Circle ${c}`, purpose: 'Benchmark circle', timezone: 'Europe/Madrid' });
    made++;
    for (let m = 0; m < options.membersPerCircle; m++) {
      const who = member((c * 17 + m) % 100);
      circle.members.push(who);
      yield op('circle.member.set', circle.id, { member: who, displayName: `Member ${who}`, role: m === 0 ? 'facilitator' : 'member', timezone: 'Europe/Madrid' });
      made++;
    }
  }
  const firstDay = Date.UTC(2024, 0, 1);
  while (made < options.count) {
    const circle = circles[Math.floor(rand() * circles.length)]!;
    const roll = rand();
    made++;
    if (roll < options.contributionShare) {
      const contributionId = id(start + made);
      if (circle.contributions.length < 5000) circle.contributions.push(contributionId);
      const day = new Date(firstDay + Math.floor(rand() * options.months * 30.4) * 86400000).toISOString().slice(0, 10);
      yield op('contribution.create', circle.id, {
        contributionId,
        member: circle.members[Math.floor(rand() * circle.members.length)]!,
        date: day,
        minutes: 15 + Math.floor(rand() * 240),
        stream: streams[Math.floor(rand() * 3)]!,
        description: 'Worked on the thing',
        tags: rand() < 0.3 ? ['ops'] : [],
      });
    } else if (roll < options.contributionShare + 0.25 && circle.votes.length > 0) {
      const vote = circle.votes[Math.floor(rand() * circle.votes.length)]!;
      const ranking = [...vote.options].sort(() => rand() - 0.5).slice(0, 3);
      yield op('vote.ballot', circle.id, { voteId: vote.id, voter: circle.members[Math.floor(rand() * circle.members.length)]!, choice: ranking });
    } else if (roll < options.contributionShare + 0.33 && circle.contributions.length > 0) {
      const contributionId = circle.contributions[Math.floor(rand() * circle.contributions.length)]!;
      yield op('contribution.update', circle.id, { contributionId, fields: { minutes: 30 + Math.floor(rand() * 120), description: 'Corrected' } });
    } else if (roll < options.contributionShare + 0.34 && circle.contributions.length > 0) {
      const contributionId = circle.contributions.splice(Math.floor(rand() * circle.contributions.length), 1)[0]!;
      yield op('contribution.delete', circle.id, { contributionId });
    } else if (roll < options.contributionShare + 0.36 || circle.votes.length === 0) {
      const vote = { id: id(start + made), options: [0, 1, 2, 3, 4].map((i) => id(start + made + i)) };
      circle.votes.push(vote);
      yield op('vote.create', circle.id, { voteId: vote.id, question: 'Which option?', details: '', method: 'ranked-irv', options: vote.options.map((o, i) => ({ id: o, label: `Option ${i}` })), quorumPercent: 50 });
    } else if (roll < options.contributionShare + 0.38 || circle.assemblies.length === 0) {
      const assembly = { id: id(start + made), items: [] as string[] };
      circle.assemblies.push(assembly);
      yield op('assembly.create', circle.id, { assemblyId: assembly.id, title: 'Monthly assembly' });
    } else {
      const assembly = circle.assemblies[Math.floor(rand() * circle.assemblies.length)]!;
      const r = rand();
      if (r < 0.3 || assembly.items.length === 0) {
        const itemId = id(start + made);
        assembly.items.push(itemId);
        yield op('assembly.agenda.set', circle.id, { assemblyId: assembly.id, itemId, title: 'Item', position: assembly.items.length });
      } else if (r < 0.7) {
        yield op('assembly.attendance.set', circle.id, { assemblyId: assembly.id, member: circle.members[Math.floor(rand() * circle.members.length)]!, status: 'present' });
      } else {
        yield op('assembly.minutes.set', circle.id, { assemblyId: assembly.id, itemId: assembly.items[Math.floor(rand() * assembly.items.length)]!, markdown: 'Discussed and agreed.' });
      }
    }
  }
}
