import { useTranslation } from 'react-i18next';
import { usePlenary } from '../store';
import { ConnectionLine } from '../chat/connection-line';
import { useMatrixStatus } from '../chat/coop-server-settings';
import { SyncStatusLine } from '../sync/sync-status';

/**
 * Where the app says how it is connected, and how governance sync stands. Only the
 * connection sentence is a live region: it changes when the state does. The sync line
 * (pending count, upload progress, Sync now) changes too often to be read out each time;
 * it announces its own state changes.
 */
export function StatusArea() {
  const { t } = useTranslation();
  const connection = usePlenary((s) => s.connection);
  const matrix = useMatrixStatus();
  return (
    <div className="status-area">
      <div role="status" aria-live="polite">
        {connection === 'lost' ? (
          <p className="status-lost">{t('connection.lost')}</p>
        ) : matrix?.session ? (
          <ConnectionLine status={matrix} />
        ) : (
          <p className="muted">{t('connection.localOnly')}</p>
        )}
      </div>
      {connection !== 'lost' && matrix?.session && <SyncStatusLine />}
    </div>
  );
}
