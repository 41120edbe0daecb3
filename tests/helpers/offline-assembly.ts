// An assembly run with no network, as sync tests and the bench upload it: consent votes,
// each with the facilitator's own ballot, a proxy ballot for another member (proxies ride
// only in Plenary's operations) and, unless `close` is false, a close.
//
// Votes closed before they reached the server go to Element users in one results message;
// votes still open get a poll start and the facilitator's own answer (poll-publication-policy.ts).
import { newId } from '../../shared/governance/ids';
import type { GovernanceStore } from '../../main/core/store/governance-store';

/**
 * Records the assembly and returns how many events it needs: one operations event, then one
 * results message for closed votes, or a poll start and an answer for each open one.
 */
export function recordOfflineAssembly(store: GovernanceStore, circle: string, options: { votes: number; self: string; proxyFor: string; close?: boolean }): number {
  const close = options.close ?? true;
  for (let i = 1; i <= options.votes; i++) {
    const voteId = newId();
    store.applyLocal('vote.create', circle, { voteId, question: `Proposal ${i}: adopt the budget line ${i}`, details: '', method: 'consent', options: [], quorumPercent: 50 });
    store.applyLocal('vote.ballot', circle, { voteId, voter: options.self, choice: 'agree' });
    store.applyLocal('vote.ballot', circle, { voteId, voter: options.proxyFor, choice: i % 4 === 0 ? 'abstain' : 'agree' });
    if (close) store.applyLocal('vote.close', circle, { voteId });
  }
  return 1 + (close ? 1 : options.votes * 2);
}
