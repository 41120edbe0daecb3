// One room: its header (with a note when the room is end-to-end encrypted), the timeline,
// and the composer.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatItem, ChatRoomView } from '../../../shared/contract/chat';
import { api } from '../api/client';
import { usePlenary } from '../store';
import { formatRoute } from '../store/nav-slice';
import { Timeline } from './timeline';
import { Composer, type ComposerMode } from './composer';
import { useTimeline } from './use-timeline';
import { RoomMembers } from './room-members';
import { RoomTrust } from './room-trust';
import { NotifyLevelSelect } from './notify-level-select';
import type { RowActions } from './message-row';
import { ThreadPanel } from './thread-panel';

/** Who is typing, announced politely; the region stays in place so it is heard when it fills. */
function TypingLine({ names }: { names: string[] }) {
  const { t } = useTranslation('chat');
  const text =
    names.length === 0
      ? ''
      : names.length === 1
        ? t('typing.one', { name: names[0] })
        : names.length === 2
          ? t('typing.two', { first: names[0], second: names[1] })
          : t('typing.several', { count: names.length });
  return (
    <p className="chat-typing" aria-live="polite">
      {text}
    </p>
  );
}

/** A message to show in its place (a search result): the timeline loads from fromPos on and scrolls to it. */
export interface TimelineFocus {
  eventId: string;
  fromPos: number;
}

export function RoomView({ room, focus = null }: { room: ChatRoomView; focus?: TimelineFocus | null }) {
  const { t } = useTranslation('chat');
  const showError = usePlenary((s) => s.showError);
  const navigate = usePlenary((s) => s.navigate);
  const online = usePlenary((s) => s.matrixStatus?.connection.status === 'online');
  const { timeline, loadingOlder, loadOlder, fillGap, failedGaps } = useTimeline(room.roomId, focus);
  const [mode, setMode] = useState<ComposerMode>({ kind: 'new' });
  const [threadRoot, setThreadRoot] = useState<string | null>(null);
  const [atBottom, setAtBottom] = useState(true);
  const [unreadAfter, setUnreadAfter] = useState<string | null>(null);
  const markedUpTo = useRef<string | null>(null);
  const title = room.circleName ?? room.name;

  // The divider marks where the member stopped reading when they opened the room.
  const openedWith = useRef<string | null>(null);
  useEffect(() => {
    openedWith.current = null;
    setUnreadAfter(null);
    setMode({ kind: 'new' });
    setThreadRoot(null);
    markedUpTo.current = null;
  }, [room.roomId]);
  useEffect(() => {
    if (timeline && openedWith.current === null) {
      openedWith.current = timeline.fullyRead ?? '';
      setUnreadAfter(timeline.fullyRead);
    }
  }, [timeline]);

  // Reading the newest messages moves the read marker (only while the page is visible).
  const newest = timeline?.items.filter((i) => i.eventId !== null && i.pending === null && i.kind !== 'gap').at(-1)?.eventId ?? null;
  useEffect(() => {
    if (!atBottom || !newest || newest === markedUpTo.current) return;
    if (newest === timeline?.fullyRead && room.unread === 0 && !room.markedUnread) return;
    const mark = () => {
      if (document.visibilityState !== 'visible') return;
      markedUpTo.current = newest;
      api().chat.markRead({ roomId: room.roomId, eventId: newest }).catch(showError);
    };
    mark();
    document.addEventListener('visibilitychange', mark);
    return () => document.removeEventListener('visibilitychange', mark);
  }, [atBottom, newest, timeline?.fullyRead, room.unread, room.markedUnread, room.roomId, showError]);

  // Marking the open room unread leaves it, or reading on would take the mark away again.
  const markUnread = () => {
    navigate({ section: 'chat', params: [] });
    api().chat.markUnread({ roomId: room.roomId, unread: true }).catch(showError);
  };

  const act = useCallback((run: () => Promise<unknown>) => void run().catch(showError), [showError]);
  const actions = useMemo<RowActions>(
    () => ({
      reply: (item: ChatItem) => setMode({ kind: 'reply', item }),
      edit: (item: ChatItem) => setMode({ kind: 'edit', item }),
      react: (item: ChatItem, key: string) => item.eventId && act(() => api().chat.react({ roomId: room.roomId, eventId: item.eventId!, key })),
      retry: (txnId: string) => act(() => api().chat.retry({ txnId })),
      discard: (txnId: string) => act(() => api().chat.discard({ txnId })),
      fillGap: (item: ChatItem) => void fillGap(item),
      openThread: (item: ChatItem) => item.eventId && setThreadRoot(item.eventId),
    }),
    [act, fillGap, room.roomId],
  );

  const editLast = useCallback(() => {
    const last = timeline?.items.findLast((i) => i.mine && i.eventId !== null && i.pending === null && (i.kind === 'text' || i.kind === 'notice' || i.kind === 'emote'));
    if (last) setMode({ kind: 'edit', item: last });
  }, [timeline]);

  return (
    <div className={`chat-room-split${threadRoot ? ' chat-thread-open' : ''}`}>
      <section className="chat-room" aria-labelledby="chat-room-title">
        <header className="chat-room-head">
          {/* Shown only when the window is too narrow for the room list beside the room. */}
          <a
            className="chat-back"
            href={formatRoute({ section: 'chat', params: [] })}
            onClick={(event) => {
              event.preventDefault();
              navigate({ section: 'chat', params: [] });
            }}
          >
            {t('rooms.back')}
          </a>
          <h2 id="chat-room-title">{title}</h2>
          {room.circleName && room.circleName !== room.name && <p className="muted">{t('room.matrixRoom', { name: room.name })}</p>}
          {room.topic && <p className="chat-topic">{room.topic}</p>}
          <button type="button" className="small chat-mark-unread" onClick={markUnread}>
            {t('rooms.markUnread')}
          </button>
          <NotifyLevelSelect room={room} />
          <RoomMembers roomId={room.roomId} />
          <RoomTrust roomId={room.roomId} encrypted={room.encrypted} />
        </header>
        {room.encrypted && (
          <p className="chat-encrypted" role="note">
            <span aria-hidden="true">🔒</span>
            {/* Its own flex item, so a long translation wraps beside the lock, not under it. */}
            <span className="chat-encrypted-text">{t('e2ee.roomEncrypted')}</span>
          </p>
        )}
        {!timeline ? (
          <p className="chat-loading">{t('common:loading')}</p>
        ) : (
          <Timeline
            roomName={title}
            timeline={timeline}
            unreadAfter={unreadAfter}
            online={online}
            loadingOlder={loadingOlder}
            failedGaps={failedGaps}
            loadOlder={() => void loadOlder()}
            actions={actions}
            onAtBottom={setAtBottom}
            focusEventId={focus?.eventId ?? null}
          />
        )}
        <TypingLine names={timeline?.typing ?? []} />
        <Composer roomId={room.roomId} roomName={title} mode={mode} onDone={() => setMode({ kind: 'new' })} onEditLast={editLast} />
      </section>
      {threadRoot && <ThreadPanel key={threadRoot} roomId={room.roomId} roomName={title} rootId={threadRoot} onClose={() => setThreadRoot(null)} />}
    </div>
  );
}
