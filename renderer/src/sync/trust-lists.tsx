// Settings › Sync, what the trust rules of sync did: this device's changes the other members'
// apps refused (taken back here too, with the reason), and rooms claiming to be a circle's
// room that Plenary neither joined nor bound (who invited, who made it, why not).
import { useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { usePlenary } from '../store';
import { notAcceptedReasonText, notAcceptedWhatText, notAcceptedWhenText, roomNoticeReasonText, roomNoticeWhatText, roomNoticeWhoText } from './trust-text';

export const notAcceptedAnchor = 'sync-not-accepted';
export const roomNoticesAnchor = 'sync-room-notices';

export function NotAcceptedList() {
  const { t, i18n } = useTranslation('sync');
  const items = usePlenary((s) => s.notAccepted);
  const load = usePlenary((s) => s.loadNotAccepted);
  const acknowledge = usePlenary((s) => s.acknowledgeNotAccepted);
  const showError = usePlenary((s) => s.showError);
  const headingId = useId();
  useEffect(() => {
    load().catch(showError);
  }, [load, showError]);
  return (
    <section aria-labelledby={headingId} id={notAcceptedAnchor}>
      <h3 id={headingId}>{t('notAccepted.title')}</h3>
      <p className="hint">{t('notAccepted.hint')}</p>
      {items === null ? (
        <p>{t('common:loading')}</p>
      ) : items.length === 0 ? (
        <p className="muted">{t('notAccepted.empty')}</p>
      ) : (
        <ul className="sync-refusals">
          {items.map((change) => {
            const what = notAcceptedWhatText(t, change);
            return (
              <li key={change.opId}>
                <p>
                  <strong>{what}</strong>
                </p>
                {/* The rule's own English words on hover, as a refusal shows the server's. */}
                <p title={change.detail}>{notAcceptedReasonText(t, change)}</p>
                <p className="muted">{notAcceptedWhenText(t, change, i18n.language)}</p>
                <div className="sync-refusal-actions">
                  {change.acknowledged ? (
                    <span className="muted">{t('notAccepted.acknowledged')}</span>
                  ) : (
                    <button type="button" className="small" aria-label={t('notAccepted.acknowledgeLabel', { what })} onClick={() => acknowledge(change.opId).catch(showError)}>
                      {t('notAccepted.acknowledge')}
                    </button>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

export function RoomNoticeList() {
  const { t } = useTranslation('sync');
  const items = usePlenary((s) => s.roomNotices);
  const load = usePlenary((s) => s.loadRoomNotices);
  const dismiss = usePlenary((s) => s.dismissRoomNotice);
  const showError = usePlenary((s) => s.showError);
  const headingId = useId();
  useEffect(() => {
    load().catch(showError);
  }, [load, showError]);
  return (
    <section aria-labelledby={headingId} id={roomNoticesAnchor}>
      <h3 id={headingId}>{t('roomNotices.title')}</h3>
      <p className="hint">{t('roomNotices.hint')}</p>
      {items === null ? (
        <p>{t('common:loading')}</p>
      ) : items.length === 0 ? (
        <p className="muted">{t('roomNotices.empty')}</p>
      ) : (
        <ul className="sync-refusals">
          {items.map((notice) => {
            const what = roomNoticeWhatText(t, notice);
            return (
              <li key={notice.roomId}>
                <p>
                  <strong>{what}</strong>
                </p>
                <p>{roomNoticeWhoText(t, notice)}</p>
                <p>{roomNoticeReasonText(t, notice)}</p>
                <div className="sync-refusal-actions">
                  <button type="button" className="small" aria-label={t('roomNotices.dismissLabel', { what })} onClick={() => dismiss(notice.roomId).catch(showError)}>
                    {t('roomNotices.dismiss')}
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
