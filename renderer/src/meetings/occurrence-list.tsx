import { useTranslation } from 'react-i18next';
import type { OccurrenceView } from '../../../shared/meetings/types';
import { usePlenary } from '../store';
import { formatDay, formatTime } from './format';

/** Scheduled meetings, each with a Join button per room. */
export function OccurrenceList({ items, now, live }: { items: OccurrenceView[]; now: number; live: boolean }) {
  const { t, i18n } = useTranslation('meetings');
  const join = usePlenary((s) => s.joinMeeting);
  return (
    <ul className="meeting-list">
      {items.map((o) => (
        <li key={`${o.circleId}@${o.start}${o.title ?? ''}`} className={live ? 'meeting live' : 'meeting'}>
          <div className="meeting-when">
            {live ? (
              <span className="live-badge">{t('today.liveBadge')}</span>
            ) : (
              <span className="meeting-day">{formatDay(o.start, now, i18n.language, t)}</span>
            )}
            <span>
              {t('today.timeRange', { start: formatTime(o.start, i18n.language), end: formatTime(o.end, i18n.language) })}
            </span>
          </div>
          <h3 className="meeting-name">{o.circleName}</h3>
          {o.title !== undefined && <p className="muted meeting-title">{o.title}</p>}
          <div className="actions">
            {o.rooms.length === 0 && <span className="muted">{t('today.noRoom')}</span>}
            {o.rooms.map((room) => (
              <button
                key={room.roomId}
                type="button"
                className={live ? 'primary' : undefined}
                aria-label={t('today.joinAria', { circle: o.circleName, room: room.label })}
                onClick={() => void join({ kind: 'room', circleId: o.circleId, roomId: room.roomId })}
              >
                {o.rooms.length > 1 ? t('today.joinRoom', { room: room.label }) : t('today.join')}
              </button>
            ))}
          </div>
        </li>
      ))}
    </ul>
  );
}
