// The Chat section: the member's rooms (circle names first, unread counts) beside the
// open room. #/chat/<roomId> opens a room directly, e.g. from a circle or a notification.
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatInviteView, ChatRoomView } from '../../../shared/contract/chat';
import { orderRooms } from '../../../shared/chat/room-order';
import { api, ApiError } from '../api/client';
import { formatRoute } from '../store/nav-slice';
import { usePlenary } from '../store';
import { useMatrixStatus } from './coop-server-settings';
import { useChatInvites, useChatRooms } from './use-chat-rooms';
import { ConnectionLine } from './connection-line';
import { RoomView } from './room-view';
import { notificationsSupported } from './web-notifications';
import { ChatSearchForm, ChatSearchResults } from './chat-search';
import './chat.css';

function RoomLinks({ rooms, current }: { rooms: ChatRoomView[]; current: string | null }) {
  const { t } = useTranslation('chat');
  const navigate = usePlenary((s) => s.navigate);
  return (
    <ul className="chat-room-list">
      {rooms.map((room) => (
        <li key={room.roomId}>
          <a
            href={formatRoute({ section: 'chat', params: [room.roomId] })}
            aria-current={room.roomId === current ? 'page' : undefined}
            onClick={(event) => {
              event.preventDefault();
              navigate({ section: 'chat', params: [room.roomId] });
            }}
          >
            <span className="chat-room-name">
              {room.circleName ?? room.name}
              {room.encrypted && <span className="visually-hidden">{t('rooms.encrypted')}</span>}
            </span>
            {room.unread > 0 ? (
              <span className={`badge${room.highlights > 0 ? ' badge-mention' : ''}`}>
                <span aria-hidden="true">{room.unread > 99 ? '99+' : room.unread}</span>
                <span className="visually-hidden">{t('unreadCount', { count: room.unread })}</span>
              </span>
            ) : (
              room.markedUnread && (
                <span className="chat-marked-unread" title={t('rooms.markedUnread')}>
                  <span className="visually-hidden">{t('rooms.markedUnread')}</span>
                </span>
              )
            )}
            {room.lastMessage && (
              <span className="chat-room-last">
                {room.lastMessage.senderName}: {room.lastMessage.body}
              </span>
            )}
            {room.pendingCount > 0 && <span className="chat-room-pending">{t('rooms.pending', { count: room.pendingCount })}</span>}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** Element's "Show unread first", kept as a setting so the list stays as the member left it. */
function UnreadFirstToggle() {
  const { t } = useTranslation('chat');
  const id = useId();
  const unreadFirst = usePlenary((s) => s.settings?.values.chatUnreadFirst ?? false);
  const writeSetting = usePlenary((s) => s.writeSetting);
  return (
    <div className="field checkbox chat-unread-first">
      <input id={id} type="checkbox" checked={unreadFirst} onChange={(e) => void writeSetting({ key: 'chatUnreadFirst', value: e.target.checked })} />
      <label htmlFor={id}>{t('rooms.unreadFirst')}</label>
    </div>
  );
}

/** The circles' rooms first, then any other room, then direct chats ("People"), each by latest activity (or unread first). */
function RoomList({ rooms: listed, current }: { rooms: ChatRoomView[]; current: string | null }) {
  const { t } = useTranslation('chat');
  const ids = { circles: useId(), other: useId(), people: useId() };
  const unreadFirst = usePlenary((s) => s.settings?.values.chatUnreadFirst ?? false);
  if (listed.length === 0) return <p className="muted chat-no-rooms">{t('rooms.none')}</p>;
  const rooms = orderRooms(listed, unreadFirst);
  const circles = rooms.filter((room) => room.circleName !== null);
  const people = rooms.filter((room) => room.circleName === null && room.directWith !== null);
  const other = rooms.filter((room) => room.circleName === null && room.directWith === null);
  if (people.length === 0 && (circles.length === 0 || other.length === 0)) {
    return (
      <>
        <UnreadFirstToggle />
        <RoomLinks rooms={rooms} current={current} />
      </>
    );
  }
  const groups = [
    { id: ids.circles, title: t('rooms.circles'), rooms: circles },
    { id: ids.other, title: t('rooms.other'), rooms: other },
    { id: ids.people, title: t('direct.people'), rooms: people },
  ].filter((group) => group.rooms.length > 0);
  return (
    <>
      <UnreadFirstToggle />
      {groups.map((group) => (
        <section key={group.id} className="chat-room-group" aria-labelledby={group.id}>
          <h2 id={group.id}>{group.title}</h2>
          <RoomLinks rooms={group.rooms} current={current} />
        </section>
      ))}
    </>
  );
}

/** Rooms the member was invited to (from Element, say), to join or decline. */
function InviteList({ invites }: { invites: ChatInviteView[] }) {
  const { t } = useTranslation('chat');
  const navigate = usePlenary((s) => s.navigate);
  const showError = usePlenary((s) => s.showError);
  const [busy, setBusy] = useState<string | null>(null);
  const [offline, setOffline] = useState(false);
  const headingId = useId();
  if (invites.length === 0) return null;
  const answer = async (invite: ChatInviteView, accept: boolean) => {
    setBusy(invite.roomId);
    setOffline(false);
    try {
      if (accept) {
        await api().chat.acceptInvite({ roomId: invite.roomId });
        navigate({ section: 'chat', params: [invite.roomId] });
      } else {
        await api().chat.declineInvite({ roomId: invite.roomId });
      }
    } catch (error) {
      // Answering an invitation is not queued like a message: say so instead of the generic "kept".
      if (error instanceof ApiError && error.code === 'offline') setOffline(true);
      else showError(error);
    } finally {
      setBusy(null);
    }
  };
  return (
    <section className="chat-invites" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('invites.title', { count: invites.length })}</h2>
      {offline && (
        <p className="chat-invite-note" role="alert">
          {t('invites.offline')}
        </p>
      )}
      <ul>
        {invites.map((invite) => {
          const name = invite.name ?? invite.inviterName ?? invite.inviter ?? invite.roomId;
          const from = invite.inviterName ?? invite.inviter;
          return (
            <li key={invite.roomId}>
              <span className="chat-room-name">{name}</span>
              <span className="chat-invite-from">{from ? t(invite.isDirect ? 'invites.directFrom' : 'invites.from', { name: from }) : t('invites.unknownInviter')}</span>
              {invite.encrypted && <span className="chat-invite-note">{t('invites.encrypted')}</span>}
              <span className="chat-invite-actions">
                <button type="button" className="primary small" disabled={busy !== null} aria-label={t('invites.acceptLabel', { name })} onClick={() => void answer(invite, true)}>
                  {t('invites.accept')}
                </button>
                <button type="button" className="small" disabled={busy !== null} aria-label={t('invites.declineLabel', { name })} onClick={() => void answer(invite, false)}>
                  {t('invites.decline')}
                </button>
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function NotificationPermission() {
  const { t } = useTranslation('chat');
  const runtime = usePlenary((s) => s.info?.runtime);
  const [permission, setPermission] = useState(() => (notificationsSupported() ? Notification.permission : 'denied'));
  if (runtime !== 'web' || permission !== 'default') return null;
  return (
    <button type="button" className="chat-allow-notifications" onClick={() => void Notification.requestPermission().then(setPermission)}>
      {t('notification.allow')}
    </button>
  );
}

export function ChatPage({ params }: { params: string[] }) {
  const { t } = useTranslation('chat');
  const status = useMatrixStatus();
  const rooms = useChatRooms();
  const invites = useChatInvites();
  const roomId = params[0] ?? null;
  const room = rooms?.find((r) => r.roomId === roomId) ?? null;
  // #/chat/<room>/<event>/<fromPos>: a search result, shown in its place in the room.
  const focusPos = Number(params[2]);
  const focus = params[1] && Number.isInteger(focusPos) ? { eventId: params[1], fromPos: focusPos } : null;
  const [searching, setSearching] = useState<string | null>(null);

  const roomTitle = room ? (room.circleName ?? room.name) : null;
  useEffect(() => {
    document.title = roomTitle ? `${roomTitle} · ${t('common:appName')}` : t('common:appName');
    return () => {
      document.title = t('common:appName');
    };
  }, [roomTitle, t]);

  return (
    <section className="chat-page" aria-labelledby="chat-title">
      <div className="chat-page-head">
        <h1 id="chat-title">{t('common:nav.chat')}</h1>
        {status?.session && <ConnectionLine status={status} live />}
        <NotificationPermission />
      </div>
      {!status ? (
        <p>{t('common:loading')}</p>
      ) : !status.session ? (
        <div className="card">
          <p>{t('common:empty.chat')}</p>
          <a href={formatRoute({ section: 'settings', params: [] })}>{t('rooms.goToSettings')}</a>
        </div>
      ) : (
        <div className={`chat-layout${roomId || searching !== null ? ' has-room' : ''}`}>
          <nav className="chat-rooms" aria-label={t('rooms.label')}>
            <ChatSearchForm onSearch={setSearching} />
            <InviteList invites={invites} />
            {rooms === null ? <p>{t('common:loading')}</p> : <RoomList rooms={rooms} current={roomId} />}
          </nav>
          <div className="chat-pane">
            {searching !== null ? (
              <ChatSearchResults key={searching} text={searching} onClose={() => setSearching(null)} />
            ) : room ? (
              <RoomView key={room.roomId} room={room} focus={focus} />
            ) : (
              <p className="muted chat-pick">{roomId && rooms !== null ? t('rooms.notFound') : t('rooms.pick')}</p>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
