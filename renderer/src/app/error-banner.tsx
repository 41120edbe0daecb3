import { useTranslation } from 'react-i18next';
import { usePlenary } from '../store';
import { errorText } from './error-text';
import { HostRefusalText, hostRefusalOf } from '../meetings/host-refusal';

export function ErrorBanner() {
  const { t } = useTranslation();
  const error = usePlenary((s) => s.error);
  const dismissError = usePlenary((s) => s.dismissError);
  if (!error) return null;
  // A join on a server that is not a meeting host: say which setting decides and offer the browser.
  const refusal = hostRefusalOf(error);
  return (
    <div className="error-banner" role="alert">
      <strong>{t('errors.title')}</strong>
      {refusal ? (
        <span>
          <HostRefusalText refusal={refusal} />
        </span>
      ) : (
        <span>{errorText(t, error)}</span>
      )}
      <button type="button" onClick={dismissError}>
        {t('errors.dismiss')}
      </button>
    </div>
  );
}
