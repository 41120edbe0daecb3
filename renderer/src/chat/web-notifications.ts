// Mention notifications in the browser bridge: the core forwards them as chat.notification
// events and the page shows them with the Web Notification API, if the member allowed it.
// (The desktop app shows native notifications from main instead.)
import i18next from 'i18next';
import type { ChatNotification } from '../../../shared/contract/chat';
import { usePlenary } from '../store';

export function notificationsSupported(): boolean {
  return typeof window !== 'undefined' && 'Notification' in window;
}

export function showMentionNotification(notification: ChatNotification): void {
  if (!notificationsSupported() || Notification.permission !== 'granted') return;
  const invite = notification.kind === 'directInvite';
  const title = invite
    ? i18next.t('chat:direct.inviteTitle', { sender: notification.senderName })
    : i18next.t('chat:notification.title', { sender: notification.senderName, room: notification.roomName });
  const shown = new Notification(title, {
    body: invite ? i18next.t('chat:direct.inviteBody') : notification.body,
    tag: notification.eventId,
  });
  shown.onclick = () => {
    window.focus();
    usePlenary.getState().navigate({ section: 'chat', params: [notification.roomId] });
    shown.close();
  };
}
