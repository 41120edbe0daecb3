import { useTranslation } from 'react-i18next';
import type { ViewProps } from './view-props';

export function TodayView(_props: ViewProps) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="today-title">
      <h1 id="today-title">{t('today.title')}</h1>
      <div className="card">
        <h2>{t('today.welcome')}</h2>
        <p>{t('today.intro')}</p>
      </div>
      <p className="muted">{t('today.nothingYet')}</p>
    </section>
  );
}
