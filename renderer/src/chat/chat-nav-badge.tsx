// The unread count next to Chat in the navigation, with invitations waiting for an answer
// counted in, as Element does (and as the dock badge and the tray tooltip do).
import { useTranslation } from 'react-i18next';
import { useChatInvites, useChatRooms } from './use-chat-rooms';
import { useMatrixStatus } from './coop-server-settings';
import './chat.css';

export function ChatNavBadge() {
  const { t } = useTranslation('chat');
  useMatrixStatus();
  const rooms = useChatRooms();
  const invites = useChatInvites().length;
  const unread = (rooms ?? []).reduce((sum, room) => sum + room.unread, 0);
  const mentions = (rooms ?? []).some((room) => room.highlights > 0);
  const count = unread + invites;
  if (count === 0) return null;
  const spoken = [...(unread > 0 ? [t('unreadCount', { count: unread })] : []), ...(invites > 0 ? [t('invitationCount', { count: invites })] : [])].join(', ');
  return (
    <span className={`badge${mentions ? ' badge-mention' : ''}`}>
      <span aria-hidden="true">{count > 99 ? '99+' : count}</span>
      <span className="visually-hidden">{spoken}</span>
    </span>
  );
}
