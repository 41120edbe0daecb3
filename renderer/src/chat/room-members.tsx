// The room's members, each with "Message <name>": opens the direct chat with them (the
// existing one, or a new one the core creates as Element does). Creating needs the server,
// and the page says so when it cannot be reached.
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatMemberView } from '../../../shared/contract/chat';
import { memberLabel } from '../../../shared/chat/mention-autocomplete';
import { api, ApiError } from '../api/client';
import { usePlenary } from '../store';

/** Starts (or reopens) the direct chat with a person and shows it; null error on success. */
export function useStartDirect(): { start(userId: string): Promise<void>; busy: string | null; offline: boolean } {
  const navigate = usePlenary((s) => s.navigate);
  const showError = usePlenary((s) => s.showError);
  const [busy, setBusy] = useState<string | null>(null);
  const [offline, setOffline] = useState(false);
  const start = async (userId: string) => {
    setBusy(userId);
    setOffline(false);
    try {
      const { roomId } = await api().chat.startDirect({ userId });
      navigate({ section: 'chat', params: [roomId] });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'offline') setOffline(true);
      else showError(error);
    } finally {
      setBusy(null);
    }
  };
  return { start, busy, offline };
}

export function RoomMembers({ roomId }: { roomId: string }) {
  const { t } = useTranslation('chat');
  const me = usePlenary((s) => s.matrixStatus?.session?.userId ?? null);
  const [members, setMembers] = useState<ChatMemberView[] | null>(null);
  const { start, busy, offline } = useStartDirect();
  const listId = useId();
  useEffect(() => {
    let live = true;
    api()
      .chat.members({ roomId })
      .then((list) => live && setMembers(list))
      .catch(() => live && setMembers([]));
    return () => {
      live = false;
    };
  }, [roomId]);
  if (!members || members.length === 0) return null;
  const sorted = [...members].sort((a, b) => memberLabel(a).localeCompare(memberLabel(b)));
  return (
    <details className="chat-members">
      <summary>{t('direct.members', { count: members.length })}</summary>
      {offline && (
        <p className="chat-invite-note" role="alert">
          {t('direct.offline')}
        </p>
      )}
      <ul id={listId}>
        {sorted.map((member) => {
          const name = memberLabel(member);
          return (
            <li key={member.userId}>
              <span className="chat-member-name">{name}</span> <span className="muted">{member.userId}</span>
              {member.userId === me ? (
                <span className="muted"> {t('direct.you')}</span>
              ) : (
                <button type="button" className="small" disabled={busy !== null} onClick={() => void start(member.userId)}>
                  {t('direct.message', { name })}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </details>
  );
}

/** "Message <name>" for a person known by their Matrix id (e.g. in a circle's member list); nothing when not signed in or for oneself. */
export function MessageMemberButton({ userId, name }: { userId: string; name: string }) {
  const { t } = useTranslation('chat');
  const me = usePlenary((s) => s.matrixStatus?.session?.userId ?? null);
  const { start, busy, offline } = useStartDirect();
  if (!me || me === userId || !/^@[^\s:]+:\S+$/.test(userId)) return null;
  return (
    <div className="chat-message-member">
      <button type="button" className="small" disabled={busy !== null} onClick={() => void start(userId)}>
        {t('direct.message', { name })}
      </button>
      {offline && (
        <p className="chat-invite-note" role="alert">
          {t('direct.offline')}
        </p>
      )}
    </div>
  );
}
