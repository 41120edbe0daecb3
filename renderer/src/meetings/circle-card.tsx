import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CircleMeetingsView } from '../../../shared/meetings/types';

// A circle's rooms, schedule and recordings: the schedule code (recurrence rules and the
// Temporal polyfill, about 250 kB) is fetched when a member first opens a circle, not on
// Today's first paint.
const loadPanel = () => import('./circle-meetings-panel');
const CircleMeetingsPanel = lazy(() => loadPanel().then((m) => ({ default: m.CircleMeetingsPanel })));

/** Starts fetching the panel's code when the member points at or focuses a circle. */
const prefetchPanel = () => void loadPanel().catch(() => undefined);

/**
 * One circle on Today, closed until the member opens it. Its panel renders only while open:
 * a coop of fifty circles should not compute fifty schedules nobody is looking at.
 */
export function CircleCard({ circle, apiConfigured }: { circle: CircleMeetingsView; apiConfigured: boolean }) {
  const { t } = useTranslation('meetings');
  const [open, setOpen] = useState(false);
  return (
    <details className="card circle-card" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary onPointerEnter={prefetchPanel} onFocus={prefetchPanel}>
        <h3>{circle.circleName}</h3>
        <span className="muted">{t('circles.summary', { count: circle.rooms.length })}</span>
      </summary>
      {open && (
        <Suspense fallback={<p className="muted">{t('common:loading')}</p>}>
          <CircleMeetingsPanel circle={circle} apiConfigured={apiConfigured} />
        </Suspense>
      )}
    </details>
  );
}
