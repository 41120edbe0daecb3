// The unread count next to Chat in the navigation.
import { useTranslation } from 'react-i18next';
import { useChatRooms } from './use-chat-rooms';
import { useMatrixStatus } from './coop-server-settings';
import './chat.css';

export function ChatNavBadge() {
  const { t } = useTranslation('chat');
  useMatrixStatus();
  const rooms = useChatRooms();
  const unread = (rooms ?? []).reduce((sum, room) => sum + room.unread, 0);
  const mentions = (rooms ?? []).some((room) => room.highlights > 0);
  if (unread === 0) return null;
  return (
    <span className={`badge${mentions ? ' badge-mention' : ''}`}>
      <span aria-hidden="true">{unread > 99 ? '99+' : unread}</span>
      <span className="visually-hidden">{t('unreadCount', { count: unread })}</span>
    </span>
  );
}
