// Governance in the renderer: a revision number that moves whenever the core reports a
// change (made here or arrived through sync). Views load what they show through
// useGovernanceQuery, which reloads when the revision moves, so every open view stays live.
import type { StateCreator } from 'zustand';
import type { PlenaryState } from './index';

export interface GovernanceSlice {
  governanceRevision: number;
  /** Circles changed by the last governance.changed event. */
  governanceChangedCircles: string[];
  governanceChanged(circles: string[]): void;
}

export const createGovernanceSlice: StateCreator<PlenaryState, [], [], GovernanceSlice> = (set) => ({
  governanceRevision: 0,
  governanceChangedCircles: [],
  governanceChanged: (circles) => set((s) => ({ governanceRevision: s.governanceRevision + 1, governanceChangedCircles: circles })),
});
