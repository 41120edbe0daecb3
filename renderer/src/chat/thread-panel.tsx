// One thread beside the room's timeline (instead of it in a narrow window): the root, its
// replies in order, and a composer that replies in the thread (m.thread), as Element does.
// Opening it marks the thread read; Escape or the close button goes back to the room.
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatItem, ChatTimeline } from '../../../shared/contract/chat';
import { api } from '../api/client';
import { usePlenary } from '../store';
import { Composer, type ComposerMode } from './composer';
import { MessageRow, type RowActions } from './message-row';
import { MediaRoom } from './message-media';

export function ThreadPanel({ roomId, roomName, rootId, onClose }: { roomId: string; roomName: string; rootId: string; onClose(): void }) {
  const { t } = useTranslation('chat');
  const showError = usePlenary((s) => s.showError);
  const online = usePlenary((s) => s.matrixStatus?.connection.status === 'online');
  const version = usePlenary((s) => s.timelineVersions[roomId] ?? 0);
  const [thread, setThread] = useState<ChatTimeline | null>(null);
  const [mode, setMode] = useState<ComposerMode>({ kind: 'new' });
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let cancelled = false;
    api()
      .chat.thread({ roomId, rootId })
      .then((t) => !cancelled && setThread(t), showError);
    return () => {
      cancelled = true;
    };
  }, [roomId, rootId, version, showError]);

  // Seeing the thread reads it, up to its newest reply.
  const newest = thread?.items.findLast((i) => i.eventId !== null && i.pending === null)?.eventId ?? null;
  useEffect(() => {
    if (newest) api().chat.markThreadRead({ roomId, rootId }).catch(showError);
  }, [newest, roomId, rootId, showError]);

  useEffect(() => heading.current?.focus(), [rootId]);

  const act = useCallback((run: () => Promise<unknown>) => void run().catch(showError), [showError]);
  const actions = useMemo<RowActions>(
    () => ({
      reply: (item: ChatItem) => setMode({ kind: 'reply', item }),
      edit: (item: ChatItem) => setMode({ kind: 'edit', item }),
      react: (item: ChatItem, key: string) => item.eventId && act(() => api().chat.react({ roomId, eventId: item.eventId!, key })),
      retry: (txnId: string) => act(() => api().chat.retry({ txnId })),
      discard: (txnId: string) => act(() => api().chat.discard({ txnId })),
      fillGap: () => undefined,
    }),
    [act, roomId],
  );
  const editLast = useCallback(() => {
    const last = thread?.items.findLast((i) => i.mine && i.eventId !== null && i.pending === null && i.kind === 'text');
    if (last) setMode({ kind: 'edit', item: last });
  }, [thread]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && mode.kind === 'new' && !event.defaultPrevented) {
      event.preventDefault();
      onClose();
    }
  };

  const threadName = t('threads.in', { room: roomName });
  return (
    <section className="chat-thread" aria-labelledby="chat-thread-title" onKeyDown={onKeyDown}>
      <header className="chat-thread-head">
        <h3 id="chat-thread-title" ref={heading} tabIndex={-1}>
          {t('threads.title')}
        </h3>
        <button type="button" className="small" onClick={onClose}>
          {t('threads.close')}
        </button>
      </header>
      {!thread ? (
        <p className="chat-loading">{t('common:loading')}</p>
      ) : thread.items.length === 0 ? (
        <p className="muted">{t('threads.missing')}</p>
      ) : (
        <div className="chat-thread-items" role="log" aria-label={threadName} tabIndex={0}>
          <MediaRoom.Provider value={roomId}>
          {thread.items.map((item, i) => (
            <div key={item.key} className={i === 0 ? 'chat-thread-root' : undefined}>
              <MessageRow item={item} showHeader unreadAbove={false} online={online} failedGap={false} actions={actions} />
            </div>
          ))}
          </MediaRoom.Provider>
        </div>
      )}
      {thread && thread.items.length > 0 && (
        <Composer roomId={roomId} roomName={threadName} threadRoot={rootId} mode={mode} onDone={() => setMode({ kind: 'new' })} onEditLast={editLast} />
      )}
    </section>
  );
}
