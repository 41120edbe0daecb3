// Chat rooms with their unread counts (kept fresh by chat.rooms events) and, per room, a
// counter that the core's chat.timeline events bump so an open timeline knows to refresh.
import type { StateCreator } from 'zustand';
import type { ChatRoomView } from '../../../shared/contract/chat';
import { api } from '../api/client';
import type { PlenaryState } from './index';

export interface ChatSlice {
  chatRooms: ChatRoomView[] | null;
  timelineVersions: Record<string, number>;
  loadChatRooms(): Promise<void>;
  setChatRooms(rooms: ChatRoomView[]): void;
  timelineChanged(roomId: string): void;
}

export const createChatSlice: StateCreator<PlenaryState, [], [], ChatSlice> = (set) => ({
  chatRooms: null,
  timelineVersions: {},
  async loadChatRooms() {
    set({ chatRooms: await api().chat.rooms({}) });
  },
  setChatRooms: (chatRooms) => set({ chatRooms }),
  timelineChanged: (roomId) => set((state) => ({ timelineVersions: { ...state.timelineVersions, [roomId]: (state.timelineVersions[roomId] ?? 0) + 1 } })),
});
