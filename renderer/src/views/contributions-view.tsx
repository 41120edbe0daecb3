import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import type { ViewProps } from './view-props';

const ContributionsScreen = lazy(() => import('../governance/screens').then((m) => ({ default: m.ContributionsScreen })));

export function ContributionsView({ params }: ViewProps) {
  const { t } = useTranslation();
  return (
    <Suspense fallback={<p className="muted">{t('loading')}</p>}>
      <ContributionsScreen params={params} />
    </Suspense>
  );
}
