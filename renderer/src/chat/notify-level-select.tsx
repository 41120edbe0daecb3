// The room's notification level in its header, as Element offers it: all messages, mentions
// and keywords, or mute. Written as push rules on the coop server, so it needs the server.
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatRoomView } from '../../../shared/contract/chat';
import { notifyLevels, type NotifyLevel } from '../../../shared/chat/notify-level';
import { api } from '../api/client';
import { notifyErrorText } from './notify-errors';

export function NotifyLevelSelect({ room }: { room: ChatRoomView }) {
  const { t } = useTranslation('chat');
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const change = (level: NotifyLevel) => {
    setBusy(true);
    setError(null);
    api()
      .chat.setNotifyLevel({ roomId: room.roomId, level })
      .catch((caught: unknown) => setError(notifyErrorText(t, caught)))
      .finally(() => setBusy(false));
  };
  return (
    <div className="chat-notify-level">
      <label htmlFor={id}>{t('notifications.level')}</label>
      <select id={id} value={room.notifyLevel} disabled={busy} aria-describedby={error ? `${id}-error` : undefined} onChange={(e) => change(e.target.value as NotifyLevel)}>
        {notifyLevels.map((level) => (
          <option key={level} value={level}>
            {t(`notifications.levels.${level}`)}
          </option>
        ))}
      </select>
      {error && (
        <p id={`${id}-error`} className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
