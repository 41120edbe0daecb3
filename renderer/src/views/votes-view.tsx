import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import type { ViewProps } from './view-props';

const VotesScreen = lazy(() => import('../governance/screens').then((m) => ({ default: m.VotesScreen })));

export function VotesView({ params }: ViewProps) {
  const { t } = useTranslation();
  return (
    <Suspense fallback={<p className="muted">{t('loading')}</p>}>
      <VotesScreen params={params} />
    </Suspense>
  );
}
