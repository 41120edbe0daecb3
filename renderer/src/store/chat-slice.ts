// Chat rooms with their unread counts (kept fresh by chat.rooms events); per room, a
// counter that the core's chat.timeline events bump so an open timeline knows to refresh;
// and per room, what the member started writing, so moving between rooms loses nothing.
import type { StateCreator } from 'zustand';
import type { ChatInviteView, ChatRoomView } from '../../../shared/contract/chat';
import { api } from '../api/client';
import type { PlenaryState } from './index';

export interface ChatSlice {
  chatRooms: ChatRoomView[] | null;
  chatInvites: ChatInviteView[] | null;
  timelineVersions: Record<string, number>;
  chatDrafts: Record<string, string>;
  loadChatRooms(): Promise<void>;
  setChatDraft(roomId: string, text: string): void;
  setChatRooms(rooms: ChatRoomView[]): void;
  loadChatInvites(): Promise<void>;
  setChatInvites(invites: ChatInviteView[]): void;
  timelineChanged(roomId: string): void;
}

export const createChatSlice: StateCreator<PlenaryState, [], [], ChatSlice> = (set) => ({
  chatRooms: null,
  chatInvites: null,
  timelineVersions: {},
  chatDrafts: {},
  setChatDraft: (roomId, text) =>
    set((state) => {
      const chatDrafts = { ...state.chatDrafts, [roomId]: text };
      if (text === '') delete chatDrafts[roomId];
      return { chatDrafts };
    }),
  async loadChatRooms() {
    set({ chatRooms: await api().chat.rooms({}) });
  },
  setChatRooms: (chatRooms) => set({ chatRooms }),
  async loadChatInvites() {
    set({ chatInvites: await api().chat.invites({}) });
  },
  setChatInvites: (chatInvites) => set({ chatInvites }),
  timelineChanged: (roomId) => set((state) => ({ timelineVersions: { ...state.timelineVersions, [roomId]: (state.timelineVersions[roomId] ?? 0) + 1 } })),
});
