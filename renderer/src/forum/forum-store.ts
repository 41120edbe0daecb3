// The forum's state in the page: the member's forum account (forum.status events) and a
// revision that moves whenever a queued post changes (forum.queue events), so views refetch.
import { create } from 'zustand';
import type { ForumStatusView } from '../../../shared/forum/types';

interface ForumState {
  status: ForumStatusView | null;
  queueRevision: number;
  setStatus(status: ForumStatusView): void;
  queueChanged(): void;
}

export const useForum = create<ForumState>((set) => ({
  status: null,
  queueRevision: 0,
  setStatus: (status) => set({ status }),
  queueChanged: () => set((s) => ({ queueRevision: s.queueRevision + 1 })),
}));
