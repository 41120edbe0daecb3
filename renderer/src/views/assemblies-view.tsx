import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import type { ViewProps } from './view-props';

const AssembliesScreen = lazy(() => import('../governance/screens').then((m) => ({ default: m.AssembliesScreen })));

export function AssembliesView({ params }: ViewProps) {
  const { t } = useTranslation();
  return (
    <Suspense fallback={<p className="muted">{t('loading')}</p>}>
      <AssembliesScreen params={params} />
    </Suspense>
  );
}
