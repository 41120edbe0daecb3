// One store built from slices (zustand's slices pattern). Each feature owns a slice file;
// components select one field at a time or use useShallow.
import { create } from 'zustand';
import { createAppSlice, type AppSlice } from './app-slice';
import { createNavSlice, type NavSlice } from './nav-slice';
import { createMatrixSlice, type MatrixSlice } from './matrix-slice';
import { createMeetingsSlice, type MeetingsSlice } from '../meetings/meetings-slice';
import { createChatSlice, type ChatSlice } from './chat-slice';
import { createGovernanceSlice, type GovernanceSlice } from './governance-slice';
import { createSyncSlice, type SyncSlice } from './sync-slice';

export type PlenaryState = AppSlice &
  NavSlice &
  MatrixSlice &
  MeetingsSlice &
  ChatSlice &
  GovernanceSlice &
  SyncSlice;

export const usePlenary = create<PlenaryState>()((...args) => ({
  ...createAppSlice(...args),
  ...createNavSlice(...args),
  ...createMatrixSlice(...args),
  ...createMeetingsSlice(...args),
  ...createChatSlice(...args),
  ...createGovernanceSlice(...args),
  ...createSyncSlice(...args),
}));

const initialState = usePlenary.getState();

/** Restores the initial state; tests call it between cases. */
export function resetPlenaryStore(): void {
  usePlenary.setState(initialState, true);
}
