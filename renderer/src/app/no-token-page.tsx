import { useTranslation } from 'react-i18next';

/** Shown when the bridge page is opened without the token from npm run start:web. */
export function NoTokenPage() {
  const { t } = useTranslation();
  return (
    <main className="content">
      <h1>{t('appName')}</h1>
      <p role="alert">{t('connection.noToken')}</p>
    </main>
  );
}
