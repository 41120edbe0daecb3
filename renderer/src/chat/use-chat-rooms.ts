import { useEffect } from 'react';
import type { ChatInviteView, ChatRoomView } from '../../../shared/contract/chat';
import { usePlenary } from '../store';

/** The chat rooms, loaded once when signed in and then kept fresh by chat.rooms events. */
export function useChatRooms(): ChatRoomView[] | null {
  const rooms = usePlenary((s) => s.chatRooms);
  const signedIn = usePlenary((s) => Boolean(s.matrixStatus?.session));
  const load = usePlenary((s) => s.loadChatRooms);
  const showError = usePlenary((s) => s.showError);
  useEffect(() => {
    if (signedIn && rooms === null) load().catch(showError);
  }, [signedIn, rooms, load, showError]);
  return signedIn ? rooms : null;
}

/** Invitations to rooms not joined yet, loaded once when signed in and kept fresh by chat.invites events. */
export function useChatInvites(): ChatInviteView[] {
  const invites = usePlenary((s) => s.chatInvites);
  const signedIn = usePlenary((s) => Boolean(s.matrixStatus?.session));
  const load = usePlenary((s) => s.loadChatInvites);
  const showError = usePlenary((s) => s.showError);
  useEffect(() => {
    if (signedIn && invites === null) load().catch(showError);
  }, [signedIn, invites, load, showError]);
  return signedIn ? (invites ?? []) : [];
}
