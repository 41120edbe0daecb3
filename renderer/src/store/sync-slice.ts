// Governance sync as the renderer sees it: state, pending count, progress, problems, what
// the server refused, and the items the core kept aside. Loaded once with sync.status, then
// kept fresh by the core's sync.status event so every view shows the same state without polling.
import type { StateCreator } from 'zustand';
import type { NotAcceptedChange, QuarantineDropped, QuarantinedItem, RoomNotice, SyncRefusal, SyncStatusView, WithdrawnItem } from '../../../shared/contract/sync';
import { api } from '../api/client';
import type { PlenaryState } from './index';

export interface SyncSlice {
  syncStatus: SyncStatusView | null;
  /** True while a "Sync now" the member asked for runs, so the button cannot be pressed twice. */
  syncNowRunning: boolean;
  /** Loaded on demand (Settings › Sync); null until then. */
  quarantine: QuarantinedItem[] | null;
  /** Per sender, older records deleted to keep the quarantine within its size limit; loaded with it. */
  quarantineDropped: QuarantineDropped[] | null;
  /** Loaded on demand (Settings › Sync); null until then. */
  refusals: SyncRefusal[] | null;
  /** This device's changes the other members' apps refused; loaded on demand, null until then. */
  notAccepted: NotAcceptedChange[] | null;
  /** Rooms claiming to be circles that Plenary did not join; loaded on demand, null until then. */
  roomNotices: RoomNotice[] | null;
  /** Events withdrawn on the server, loaded on demand (Settings › Sync); null until then. */
  withdrawals: WithdrawnItem[] | null;
  loadSyncStatus(): Promise<void>;
  setSyncStatus(view: SyncStatusView): void;
  syncNow(): Promise<void>;
  loadQuarantine(): Promise<void>;
  loadRefusals(): Promise<void>;
  loadWithdrawals(): Promise<void>;
  retryRefusal(id: number): Promise<void>;
  dismissRefusal(id: number): Promise<void>;
  loadNotAccepted(): Promise<void>;
  acknowledgeNotAccepted(opId: string): Promise<void>;
  loadRoomNotices(): Promise<void>;
  dismissRoomNotice(roomId: string): Promise<void>;
}

export const createSyncSlice: StateCreator<PlenaryState, [], [], SyncSlice> = (set, get) => ({
  syncStatus: null,
  syncNowRunning: false,
  quarantine: null,
  quarantineDropped: null,
  refusals: null,
  notAccepted: null,
  roomNotices: null,
  withdrawals: null,
  async loadSyncStatus() {
    set({ syncStatus: await api().sync.status({}) });
  },
  setSyncStatus(view) {
    const before = get().syncStatus;
    set({ syncStatus: view });
    // A newly quarantined item shows up in an open list without a reload.
    if (get().quarantine !== null && before && view.quarantined !== before.quarantined) void get().loadQuarantine().catch(get().showError);
    if (get().withdrawals !== null && before && view.withdrawn !== before.withdrawn) void get().loadWithdrawals().catch(get().showError);
    // So does a new refusal, one that went through, or a retry's answer (its run ends in a new state).
    if (get().refusals !== null && before && (view.refused !== before.refused || (view.refused > 0 && view.state !== before.state))) {
      void get().loadRefusals().catch(get().showError);
    }
    if (get().notAccepted !== null && before && view.notAccepted !== before.notAccepted) void get().loadNotAccepted().catch(get().showError);
    if (get().roomNotices !== null && before && view.roomNotices !== before.roomNotices) void get().loadRoomNotices().catch(get().showError);
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
    const [quarantine, quarantineDropped] = await Promise.all([api().sync.quarantine({}), api().sync.quarantineDropped({})]);
    set({ quarantine, quarantineDropped });
  },
  async loadWithdrawals() {
    set({ withdrawals: await api().sync.withdrawals({}) });
  },
  async loadRefusals() {
    set({ refusals: await api().sync.refusals({}) });
  },
  async retryRefusal(id) {
    set({ refusals: await api().sync.retryRefusal({ id }) });
  },
  async dismissRefusal(id) {
    set({ refusals: await api().sync.dismissRefusal({ id }) });
  },
  async loadNotAccepted() {
    set({ notAccepted: await api().sync.notAccepted({}) });
  },
  async acknowledgeNotAccepted(opId) {
    set({ notAccepted: await api().sync.acknowledgeNotAccepted({ opId }) });
  },
  async loadRoomNotices() {
    set({ roomNotices: await api().sync.roomNotices({}) });
  },
  async dismissRoomNotice(roomId) {
    set({ roomNotices: await api().sync.dismissRoomNotice({ roomId }) });
  },
});
