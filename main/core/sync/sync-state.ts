// The one word the sync status leads with, from what sync is doing and what stands in its
// way. Pure, so each combination is unit-tested.
import type { SyncState } from '../../../shared/contract/sync';

/** What the last upload run (or the connection) left sync doing. */
export type SyncPhase = 'signed-out' | 'idle' | 'uploading' | 'offline' | 'error';

export interface SyncStateFacts {
  phase: SyncPhase;
  /** Set while a rate limit is waited out: when sending resumes. */
  waitingUntil: number | null;
  /** Refusals that stand. */
  refused: number;
}

/**
 * Signed out and offline say why nothing moves; waiting out a rate limit is neither an
 * error nor progress, so it reads as waiting; a stopped run is an error; otherwise a
 * standing refusal keeps the status from ever reading as synced.
 */
export function syncStateOf(facts: SyncStateFacts): SyncState {
  if (facts.phase === 'signed-out' || facts.phase === 'offline') return facts.phase;
  if (facts.waitingUntil !== null && facts.phase === 'uploading') return 'waiting';
  if (facts.phase === 'uploading' || facts.phase === 'error') return facts.phase;
  return facts.refused > 0 ? 'refused' : 'idle';
}
