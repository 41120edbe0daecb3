import { useTranslation } from 'react-i18next';
import { usePlenary } from '../store';

/** Where the app says how it is connected; sync adds its state here. */
export function StatusArea() {
  const { t } = useTranslation();
  const connection = usePlenary((s) => s.connection);
  return (
    <div className="status-area" role="status" aria-live="polite">
      {connection === 'lost' ? <p className="status-lost">{t('connection.lost')}</p> : <p className="muted">{t('connection.localOnly')}</p>}
    </div>
  );
}
