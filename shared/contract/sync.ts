import { z } from 'zod';
import { call, event, returns } from './define';

export type SyncState = 'signed-out' | 'idle' | 'uploading' | 'offline' | 'error';

export interface SyncStatusView {
  state: SyncState;
  /** Local operations and poll events not yet on the coop server. */
  pending: number;
  /** During an upload: operations confirmed so far out of the total queued. */
  progress: { sent: number; total: number } | null;
  /** When this device last had nothing left to upload and had read the server. */
  lastSyncedAt: number | null;
  /** Why sync stopped or is offline, as a code the UI translates plus a detail. */
  problem: { code: string; detail: string } | null;
  /** When the next automatic attempt happens, while offline. */
  retryAt: number | null;
  /** Received items kept aside because they were invalid or not allowed. */
  quarantined: number;
}

export interface QuarantinedItem {
  id: number;
  eventId: string;
  /** Index of the operation inside the event, or -1 for the whole event. */
  opIndex: number;
  roomId: string;
  sender: string;
  eventType: string;
  reason: string;
  excerpt: string;
  receivedAt: number;
}

export const syncCalls = {
  sync: {
    status: call(z.object({}).strict(), returns<SyncStatusView>()),
    now: call(z.object({}).strict(), returns<SyncStatusView>()),
    quarantine: call(z.object({ limit: z.int().min(1).max(500).optional() }).strict(), returns<QuarantinedItem[]>()),
  },
};

export const syncEvents = {
  'sync.status': event<SyncStatusView>(),
};
