// What the tray shows of sync: reachable or not, and how many local changes wait.
import type { SyncStatusView } from '../../../shared/contract/sync';
import type { SyncStatus, SyncStatusSource } from '../policy/tray-menu';
import type { SyncService } from './sync-service';

export function traySyncStatus(view: SyncStatusView): SyncStatus {
  // Signed out is not "offline": there is no server to be unreachable; waiting work still shows.
  return { online: view.state !== 'offline', pendingChanges: view.pending };
}

export function traySyncSource(sync: SyncService): SyncStatusSource {
  return {
    status: () => traySyncStatus(sync.view()),
    syncNow: () => void sync.syncNow(),
    subscribe: (listener) => sync.onChange(() => listener()),
  };
}
