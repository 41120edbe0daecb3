// The sync state in one sentence: online, offline since when and why, paused, or what
// went wrong and what to do about it.
import { useTranslation } from 'react-i18next';
import type { MatrixStatusView } from '../../../shared/contract/matrix';
import { dateFormatter } from '../app/date-formatter';

/**
 * `detail` adds the last sync time (Settings); without it the text only changes when the
 * state does, so as a live region (`live`) it does not announce every sync round.
 */
export function ConnectionLine({ status, live = false, detail = false }: { status: MatrixStatusView; live?: boolean; detail?: boolean }) {
  const { t, i18n } = useTranslation('chat');
  const time = (ms: number) => dateFormatter(i18n.language, { timeStyle: 'short' }).format(ms);
  const c = status.connection;
  let text: string;
  let tone = 'muted';
  switch (c.status) {
    case 'signed-out':
      text = t('connection.signedOut');
      break;
    case 'connecting':
      text = t('connection.connecting');
      break;
    case 'online':
      text = detail ? t('connection.online', { time: time(c.lastSyncAt) }) : t('connection.onlineShort');
      tone = 'ok';
      break;
    case 'offline':
      text = c.reason === 'paused' ? t('connection.paused') : c.reason === 'server_unavailable' ? t('connection.serverDown', { time: time(c.since) }) : t('connection.offline', { time: time(c.since) });
      tone = 'warn';
      break;
    case 'error':
      text =
        c.code === 'session_expired'
          ? t('connection.expired')
          : c.code === 'token_not_kept'
            ? t('connection.tokenNotKept')
          : c.code === 'processing_failed'
            ? t('connection.processingFailed')
            : t('connection.error', { detail: c.message });
      tone = 'danger';
      break;
  }
  return (
    <p className={`connection-line tone-${tone}`} role={live ? 'status' : undefined}>
      {text}
    </p>
  );
}
