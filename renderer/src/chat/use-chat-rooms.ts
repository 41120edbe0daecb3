import { useEffect } from 'react';
import type { ChatInviteView, ChatRoomView } from '../../../shared/contract/chat';
import { usePlenary } from '../store';

/** A chat list from the store: loaded once when signed in, then kept fresh by core events; null when signed out. */
function useLoadedWhileSignedIn<T>(value: T | null, load: () => Promise<void>): T | null {
  const signedIn = usePlenary((s) => Boolean(s.matrixStatus?.session));
  const showError = usePlenary((s) => s.showError);
  useEffect(() => {
    if (signedIn && value === null) load().catch(showError);
  }, [signedIn, value, load, showError]);
  return signedIn ? value : null;
}

/** The chat rooms (chat.rooms events keep them fresh). */
export function useChatRooms(): ChatRoomView[] | null {
  return useLoadedWhileSignedIn(
    usePlenary((s) => s.chatRooms),
    usePlenary((s) => s.loadChatRooms),
  );
}

const noInvites: ChatInviteView[] = [];

/** Invitations to rooms not joined yet (chat.invites events keep them fresh). */
export function useChatInvites(): ChatInviteView[] {
  return (
    useLoadedWhileSignedIn(
      usePlenary((s) => s.chatInvites),
      usePlenary((s) => s.loadChatInvites),
    ) ?? noInvites
  );
}
