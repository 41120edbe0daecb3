import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseRoomLink } from '../../../shared/meetings/room-link';
import type { RoomView } from '../../../shared/meetings/types';
import { api, ApiError } from '../api/client';
import { usePlenary } from '../store';
import { toErrorData } from '../store/app-slice';
import { HostRefusalNotice, hostRefusalOf, type HostRefusal } from './host-refusal';

/** A circle's rooms: join or remove each, and attach another by link. */
export function RoomList({ circleId, circleName, rooms }: { circleId: string; circleName: string; rooms: RoomView[] }) {
  const { t } = useTranslation('meetings');
  const join = usePlenary((s) => s.joinMeeting);
  const showError = usePlenary((s) => s.showError);
  const [label, setLabel] = useState('');
  const [url, setUrl] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<HostRefusal | null>(null);
  const ids = { label: useId(), url: useId(), error: useId(), heading: useId() };

  const add = async () => {
    const parsed = parseRoomLink(url);
    setRefusal(null);
    if (!parsed.ok) return setProblem(t(`linkError.${parsed.problem}`));
    try {
      await api().meetings.addRoom({ circleId, url: parsed.link.url, label: label.trim() || parsed.link.host });
      setUrl('');
      setLabel('');
      setProblem(null);
    } catch (error) {
      const refused = hostRefusalOf(toErrorData(error));
      if (refused) {
        setProblem(null);
        setRefusal(refused);
      } else if (error instanceof ApiError && error.field === 'url') setProblem(typeof error.params?.problem === 'string' ? t(`linkError.${error.params.problem}`) : error.message);
      else showError(error);
    }
  };

  /** One click after a refusal: trust the link's host, then add the room. */
  const trustAndAdd = async (host: string) => {
    try {
      await api().meetings.trustHost({ host });
      await add();
    } catch (error) {
      showError(error);
    }
  };

  return (
    <div className="rooms">
      <h4 id={ids.heading}>{t('circles.rooms')}</h4>
      {rooms.length === 0 ? (
        <p className="muted">{t('circles.noRooms')}</p>
      ) : (
        <ul className="room-list" aria-labelledby={ids.heading}>
          {rooms.map((room) => (
            <li key={room.roomId}>
              <span className="room-label">{room.label}</span>
              <span className="muted">
                {t(`circles.kind.${room.kind}`)} · {room.host}
                {!room.hostAllowed && <> · {t('circles.hostNotAllowed')}</>}
              </span>
              <span className="actions">
                <button type="button" aria-label={t('today.joinAria', { circle: circleName, room: room.label })} onClick={() => void join({ kind: 'room', circleId, roomId: room.roomId })}>
                  {t('today.join')}
                </button>
                <button
                  type="button"
                  aria-label={t('circles.removeAria', { label: room.label })}
                  onClick={() => void api().meetings.removeRoom({ circleId, roomId: room.roomId }).catch(showError)}
                >
                  {t('common:remove')}
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      <form
        className="add-room"
        onSubmit={(event) => {
          event.preventDefault();
          void add();
        }}
      >
        <div className="field stacked">
          <label htmlFor={ids.url}>{t('circles.roomLink')}</label>
          <input
            id={ids.url}
            type="url"
            spellCheck={false}
            autoComplete="off"
            value={url}
            aria-invalid={problem !== null || refusal !== null}
            aria-describedby={problem || refusal ? ids.error : undefined}
            onChange={(e) => setUrl(e.target.value)}
          />
        </div>
        <div className="field stacked">
          <label htmlFor={ids.label}>{t('circles.roomLabel')}</label>
          <input id={ids.label} type="text" maxLength={80} value={label} onChange={(e) => setLabel(e.target.value)} />
        </div>
        <button type="submit">{t('circles.add')}</button>
        {problem && (
          <p id={ids.error} className="field-error" role="alert">
            {problem}
          </p>
        )}
        {refusal && <HostRefusalNotice id={ids.error} refusal={refusal} onTrust={() => void trustAndAdd(refusal.origin)} />}
      </form>
    </div>
  );
}
