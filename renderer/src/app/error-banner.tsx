import { useTranslation } from 'react-i18next';
import { usePlenary } from '../store';
import { errorText } from './error-text';

export function ErrorBanner() {
  const { t } = useTranslation();
  const error = usePlenary((s) => s.error);
  const dismissError = usePlenary((s) => s.dismissError);
  if (!error) return null;
  return (
    <div className="error-banner" role="alert">
      <strong>{t('errors.title')}</strong>
      <span>{errorText(t, error)}</span>
      <button type="button" onClick={dismissError}>
        {t('errors.dismiss')}
      </button>
    </div>
  );
}
