// An assembly run with no network, as sync tests and the bench upload it: consent votes,
// each with the facilitator's own ballot (mirrored as a poll response), a proxy ballot for
// another member (not mirrored: proxies ride only in Plenary's operations) and a close.
import { newId } from '../../shared/governance/ids';
import type { GovernanceStore } from '../../main/core/store/governance-store';

/** Records the assembly and returns how many events it needs: one operations event and three poll events a vote. */
export function recordOfflineAssembly(store: GovernanceStore, circle: string, options: { votes: number; self: string; proxyFor: string }): number {
  for (let i = 1; i <= options.votes; i++) {
    const voteId = newId();
    store.applyLocal('vote.create', circle, { voteId, question: `Proposal ${i}: adopt the budget line ${i}`, details: '', method: 'consent', options: [], quorumPercent: 50 });
    store.applyLocal('vote.ballot', circle, { voteId, voter: options.self, choice: 'agree' });
    store.applyLocal('vote.ballot', circle, { voteId, voter: options.proxyFor, choice: i % 4 === 0 ? 'abstain' : 'agree' });
    store.applyLocal('vote.close', circle, { voteId });
  }
  return 1 + options.votes * 3;
}
