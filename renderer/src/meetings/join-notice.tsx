import { useTranslation } from 'react-i18next';
import { usePlenary } from '../store';

/** Says where the meeting opened; in the browser bridge it also offers the link, in case a popup blocker stepped in. */
export function JoinNotice() {
  const { t } = useTranslation('meetings');
  const notice = usePlenary((s) => s.joinNotice);
  const dismiss = usePlenary((s) => s.dismissJoinNotice);
  return (
    <div role="status" aria-live="polite" className={notice ? 'join-notice' : 'visually-hidden'}>
      {notice?.kind === 'window' && <span>{t('today.openedWindow')}</span>}
      {notice?.kind === 'tab' && (
        <span>
          {t('today.openedTab')}{' '}
          <a href={notice.url} target="_blank" rel="noopener noreferrer">
            {t('today.openAgain')}
          </a>
        </span>
      )}
      {notice && (
        <button type="button" onClick={dismiss}>
          {t('common:close')}
        </button>
      )}
    </div>
  );
}
