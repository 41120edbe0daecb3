import { useTranslation } from 'react-i18next';
import { usePlenary } from '../store';
import { ConnectionLine } from '../chat/connection-line';
import { useMatrixStatus } from '../chat/coop-server-settings';
import { SyncStatusLine } from '../sync/sync-status';

/** Where the app says how it is connected, and how governance sync stands. */
export function StatusArea() {
  const { t } = useTranslation();
  const connection = usePlenary((s) => s.connection);
  const matrix = useMatrixStatus();
  return (
    <div className="status-area" role="status" aria-live="polite">
      {connection === 'lost' ? (
        <p className="status-lost">{t('connection.lost')}</p>
      ) : matrix?.session ? (
        <>
          <ConnectionLine status={matrix} />
          <SyncStatusLine />
        </>
      ) : (
        <p className="muted">{t('connection.localOnly')}</p>
      )}
    </div>
  );
}
