// NextCloud's state in the page: the member's account (cloud.status events) and the progress
// of uploads under way (cloud.upload events), by upload id.
import { create } from 'zustand';
import type { CloudStatusView, CloudUploadProgress } from '../../../shared/cloud/types';

interface CloudState {
  status: CloudStatusView | null;
  progress: Record<string, CloudUploadProgress>;
  setStatus(status: CloudStatusView): void;
  setProgress(progress: CloudUploadProgress): void;
}

export const useCloud = create<CloudState>((set) => ({
  status: null,
  progress: {},
  setStatus: (status) => set({ status }),
  setProgress: (progress) => set((s) => ({ progress: { ...s.progress, [progress.uploadId]: progress } })),
}));
