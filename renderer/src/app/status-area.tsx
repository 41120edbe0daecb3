import { useTranslation } from 'react-i18next';
import { usePlenary } from '../store';
import { ConnectionLine } from '../chat/connection-line';
import { useMatrixStatus } from '../chat/coop-server-settings';

/** Where the app says how it is connected; sync adds its state here. */
export function StatusArea() {
  const { t } = useTranslation();
  const connection = usePlenary((s) => s.connection);
  const matrix = useMatrixStatus();
  return (
    <div className="status-area" role="status" aria-live="polite">
      {connection === 'lost' ? (
        <p className="status-lost">{t('connection.lost')}</p>
      ) : matrix?.session ? (
        <ConnectionLine status={matrix} />
      ) : (
        <p className="muted">{t('connection.localOnly')}</p>
      )}
    </div>
  );
}
