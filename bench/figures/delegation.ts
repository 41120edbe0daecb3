// Counting a vote with standing delegations: 10,000 members, a third voting themselves, the
// rest delegating (chains up to four long, some into cycles that count for nobody).
import { performance } from 'node:perf_hooks';
import type { Report } from '../report';
import { median } from '../report';
import { tallyVote, type BallotRecord, type VoteDefinition } from '../../shared/governance/tally';

const options = ['0000000000000000000000000A', '0000000000000000000000000B', '0000000000000000000000000C'];
const definition: VoteDefinition = { method: 'single', options: options.map((id, i) => ({ id, label: `Option ${i}` })), maxChoices: null, quorumPercent: 50 };

export async function run(report: Report): Promise<void> {
  const size = 10_000;
  const members = Array.from({ length: size }, (_, i) => `@m${i}:meet.coop`);
  const electorate = new Set(members);
  const ballots: BallotRecord[] = [];
  const delegations = new Map<string, string>();
  members.forEach((member, i) => {
    if (i % 3 === 0) {
      const opId = `OP${String(i).padStart(24, '0')}`;
      ballots.push({ opId, stamp: `${String(1_764_000_000_000 + i)}-000000-x ${opId}`, voter: member, actor: member, choice: options[i % options.length], reason: null });
    } else if (i % 97 === 1) {
      delegations.set(member, members[i + 1]!);
      delegations.set(members[i + 1]!, member); // a cycle made offline by two replicas
    } else if (!delegations.has(member)) {
      delegations.set(member, members[i - 1]!); // towards the previous member, ending at a voter
    }
  });
  const times: number[] = [];
  for (let round = 0; round < 15; round++) {
    const start = performance.now();
    tallyVote(definition, ballots, electorate, null, { delegations });
    times.push(performance.now() - start);
  }
  report.add('tally.delegation_10k_members_ms', median(times), 'ms');
  await Promise.resolve();
}
