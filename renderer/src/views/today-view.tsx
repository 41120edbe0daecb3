import { lazy, Suspense, useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { usePlenary } from '../store';
import { CircleCard } from '../meetings/circle-card';
import { JoinByLink } from '../meetings/join-by-link';
import { JoinNotice } from '../meetings/join-notice';
import { OccurrenceList } from '../meetings/occurrence-list';
import { ReminderBanner } from '../meetings/reminder-banner';
import { RunningMeetings } from '../meetings/running-meetings';
import { StartMeetingForm } from '../meetings/start-meeting-form';
import type { ViewProps } from './view-props';
import '../meetings/meetings.css';

// The member's own action items: governance code, loaded after the day's meetings.
const MyActions = lazy(() => import('../governance/my-actions'));
// Votes closing soon and outcomes due for review (governance code, loaded the same way).
const VoteAgenda = lazy(() => import('../governance/vote-agenda'));

/** Today: what is live now, what comes next, your action items, and joining in one click. */
export function TodayView(_props: ViewProps) {
  const { t } = useTranslation('meetings');
  const meetings = usePlenary((s) => s.meetings);
  const loadMeetings = usePlenary((s) => s.loadMeetings);
  const refreshRunning = usePlenary((s) => s.refreshRunning);
  const ids = { live: useId(), next: useId(), circles: useId() };

  useEffect(() => {
    void loadMeetings();
    // Meetings move from "next" to "live" as time passes; look again every half minute.
    const timer = setInterval(() => void loadMeetings(), 30_000);
    return () => clearInterval(timer);
  }, [loadMeetings]);

  const live = meetings?.live ?? [];
  const running = meetings?.running ?? [];
  const hasCircles = (meetings?.circles.length ?? 0) > 0;

  return (
    <section aria-labelledby="today-title" className="today">
      <h1 id="today-title">{t('common:today.title')}</h1>
      <ReminderBanner />
      {meetings !== null && meetings.circles.length === 0 && (
        <div className="card">
          <h2>{t('common:today.welcome')}</h2>
          <p>{t('common:today.intro')}</p>
        </div>
      )}
      <JoinNotice />
      {meetings === null ? (
        <p>{t('common:loading')}</p>
      ) : (
        <>
          <section aria-labelledby={ids.live} className="today-section">
            <h2 id={ids.live}>{t('today.live')}</h2>
            {live.length === 0 && running.length === 0 ? (
              <p className="muted">{t('today.nothingLive')}</p>
            ) : (
              <>
                {running.length > 0 && <RunningMeetings running={running} circles={meetings.circles} />}
                <OccurrenceList items={live} now={meetings.now} live />
              </>
            )}
            {meetings.api.configured && (
              <button type="button" onClick={() => void refreshRunning()}>
                {t('running.refresh')}
              </button>
            )}
            {meetings.api.error && (
              <p className="field-error">{t('running.checkFailed', { host: meetings.api.host ?? '', detail: meetings.api.error })}</p>
            )}
          </section>

          <section aria-labelledby={ids.next} className="today-section">
            <h2 id={ids.next}>{t('today.next')}</h2>
            {meetings.next.length === 0 ? (
              <p className="muted">{hasCircles ? t('today.nothingNext') : t('today.noCircles')}</p>
            ) : (
              <OccurrenceList items={meetings.next} now={meetings.now} live={false} />
            )}
          </section>

          <Suspense fallback={null}>
            <VoteAgenda />
          </Suspense>

          <Suspense fallback={null}>
            <MyActions />
          </Suspense>

          <JoinByLink />
          {meetings.api.configured && hasCircles && <StartMeetingForm circles={meetings.circles} />}

          {hasCircles && (
            <section aria-labelledby={ids.circles} className="today-section">
              <h2 id={ids.circles}>{t('circles.title')}</h2>
              {meetings.circles.map((circle) => (
                <CircleCard key={circle.circleId} circle={circle} apiConfigured={meetings.api.configured} />
              ))}
            </section>
          )}
        </>
      )}
    </section>
  );
}
