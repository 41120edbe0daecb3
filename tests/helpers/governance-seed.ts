// Builds realistic offline governance work for sync tests: a circle with members and many
// contribution entries, each with a different description so batches do not compress to
// nothing.
import { newId } from '../../shared/governance/ids';
import type { GovernanceStore } from '../../main/core/store/governance-store';

const verbs = ['Prepared', 'Reviewed', 'Facilitated', 'Documented', 'Answered', 'Deployed', 'Backed up', 'Translated'];
const things = ['the agenda', 'member onboarding', 'the BBB upgrade', 'the handbook', 'support tickets', 'the budget', 'minutes', 'the newsletter'];

export function seedCircle(store: GovernanceStore, self: string, members: string[]): string {
  const circle = newId();
  store.applyLocal('circle.create', circle, { name: 'Technology operations', purpose: 'Keep the servers running', timezone: 'UTC' });
  store.applyLocal('circle.member.set', circle, { member: self, displayName: 'Facilitator', role: 'facilitator', timezone: 'UTC' });
  for (const member of members) store.applyLocal('circle.member.set', circle, { member, displayName: member.slice(1, member.indexOf(':')), role: 'member', timezone: 'UTC' });
  return circle;
}

export function seedContributions(store: GovernanceStore, circle: string, member: string, count: number, seed = 1): void {
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31);
  const changes = Array.from({ length: count }, (_, i) => ({
    type: 'contribution.create' as const,
    circle,
    payload: {
      contributionId: newId(),
      member,
      date: `2026-${String((next() % 12) + 1).padStart(2, '0')}-${String((next() % 28) + 1).padStart(2, '0')}`,
      minutes: (next() % 240) + 1,
      stream: (['livelihood', 'care', 'commons'] as const)[next() % 3],
      description: `${verbs[next() % verbs.length]} ${things[next() % things.length]} #${i} (${next().toString(36)})`,
      tags: [things[next() % things.length]!.split(' ').pop()!],
    },
  }));
  for (let i = 0; i < changes.length; i += 1000) store.applyLocalBatch(changes.slice(i, i + 1000));
}
