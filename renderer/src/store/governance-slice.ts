// Governance in the renderer: the core's governance.changed event reloads the governance
// views on screen (see governance-watch.ts); a change in one circle reloads only the views
// of that circle and those across circles. The revision counts changes, for anything that
// wants to react to them through the store.
import type { StateCreator } from 'zustand';
import type { PlenaryState } from './index';
import { governanceChangedIn } from './governance-watch';

export interface GovernanceSlice {
  governanceRevision: number;
  /** The core's governance.changed: the circles that changed, or none for "everything". */
  governanceChanged(circles: string[]): void;
}

export const createGovernanceSlice: StateCreator<PlenaryState, [], [], GovernanceSlice> = (set) => ({
  governanceRevision: 0,
  governanceChanged: (circles) => {
    governanceChangedIn(circles);
    set((s) => ({ governanceRevision: s.governanceRevision + 1 }));
  },
});
