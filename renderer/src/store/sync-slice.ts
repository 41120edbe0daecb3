// Governance sync as the renderer sees it: state, pending count, progress, problems, and
// the items the core kept aside. Loaded once with sync.status, then kept fresh by the
// core's sync.status event so every view shows the same state without polling.
import type { StateCreator } from 'zustand';
import type { QuarantinedItem, SyncStatusView } from '../../../shared/contract/sync';
import { api } from '../api/client';
import type { PlenaryState } from './index';

export interface SyncSlice {
  syncStatus: SyncStatusView | null;
  /** True while a "Sync now" the member asked for runs, so the button cannot be pressed twice. */
  syncNowRunning: boolean;
  /** Loaded on demand (Settings › Sync); null until then. */
  quarantine: QuarantinedItem[] | null;
  loadSyncStatus(): Promise<void>;
  setSyncStatus(view: SyncStatusView): void;
  syncNow(): Promise<void>;
  loadQuarantine(): Promise<void>;
}

export const createSyncSlice: StateCreator<PlenaryState, [], [], SyncSlice> = (set, get) => ({
  syncStatus: null,
  syncNowRunning: false,
  quarantine: null,
  async loadSyncStatus() {
    set({ syncStatus: await api().sync.status({}) });
  },
  setSyncStatus(view) {
    const before = get().syncStatus?.quarantined;
    set({ syncStatus: view });
    // A newly quarantined item shows up in an open list without a reload.
    if (get().quarantine !== null && before !== undefined && view.quarantined !== before) void get().loadQuarantine().catch(get().showError);
  },
  async syncNow() {
    if (get().syncNowRunning) return;
    set({ syncNowRunning: true });
    try {
      set({ syncStatus: await api().sync.now({}) });
    } finally {
      set({ syncNowRunning: false });
    }
  },
  async loadQuarantine() {
    set({ quarantine: await api().sync.quarantine({}) });
  },
});
