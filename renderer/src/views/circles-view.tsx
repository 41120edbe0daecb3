import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import type { ViewProps } from './view-props';

const CirclesScreen = lazy(() => import('../governance/screens').then((m) => ({ default: m.CirclesScreen })));

export function CirclesView({ params }: ViewProps) {
  const { t } = useTranslation();
  return (
    <Suspense fallback={<p className="muted">{t('loading')}</p>}>
      <CirclesScreen params={params} />
    </Suspense>
  );
}
