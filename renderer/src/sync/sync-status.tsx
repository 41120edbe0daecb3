// Governance sync, wherever it matters: a compact line in the sidebar (state, pending count,
// a progress bar while a long upload runs, the problem in words, when sending resumes, how
// many things the server refused with a link to them, Sync now) and the full section in
// Settings, which adds the last sync time, each refusal with what the member can do about
// it, the items the core kept aside and the events withdrawn on the server. Both say when
// this computer's clock is off and what waits because of a clock ahead.
import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { usePlenary } from '../store';
import { formatRoute } from '../store/nav-slice';
import type { QuarantinedItem, SyncRefusal, SyncStatusView } from '../../../shared/contract/sync';
import {
  clockHeldTexts,
  clockSkewText,
  formatSyncTime,
  quarantineCountText,
  quarantineDroppedText,
  quarantineReasonText,
  refusalReasonText,
  refusalRetryText,
  refusalWhatText,
  syncLastText,
  syncPendingText,
  syncProblemText,
  syncRefusedText,
  syncRetryText,
  syncStateText,
  withdrawnDetailText,
  withdrawnWhatText,
} from './sync-text';
import { notAcceptedCountText, roomNoticesCountText } from './trust-text';
import { NotAcceptedList, RoomNoticeList } from './trust-lists';

/** Settings › Sync, scrolled to what the server refused. */
const refusalsRoute = { section: 'settings' as const, params: ['sync'] };
const refusalsAnchor = 'sync-refusals';

/** The status, loaded once; the core's sync.status event keeps it fresh afterwards. */
function useSyncStatus(): SyncStatusView | null {
  const status = usePlenary((s) => s.syncStatus);
  const load = usePlenary((s) => s.loadSyncStatus);
  const showError = usePlenary((s) => s.showError);
  useEffect(() => {
    if (status === null) load().catch(showError);
  }, [status, load, showError]);
  return status;
}

function SyncNowButton() {
  const { t } = useTranslation('sync');
  const running = usePlenary((s) => s.syncNowRunning);
  const syncNow = usePlenary((s) => s.syncNow);
  const showError = usePlenary((s) => s.showError);
  return (
    <button type="button" className="small" disabled={running} onClick={() => syncNow().catch(showError)}>
      {running ? t('syncing') : t('syncNow')}
    </button>
  );
}

function SyncProgress({ view }: { view: SyncStatusView }) {
  const { t } = useTranslation('sync');
  if (!view.progress || view.progress.total === 0) return null;
  const label = t('progress', { sent: view.progress.sent, total: view.progress.total });
  return <progress className="sync-progress" max={view.progress.total} value={view.progress.sent} aria-label={label} title={label} />;
}

function ShowRefusalsLink({ text }: { text?: string }) {
  const { t } = useTranslation('sync');
  const navigate = usePlenary((s) => s.navigate);
  return (
    <a
      href={formatRoute(refusalsRoute)}
      onClick={(event) => {
        event.preventDefault();
        navigate(refusalsRoute);
      }}
    >
      {text ?? t('refusals.show')}
    </a>
  );
}

/** This computer's clock against the server's, and what waits because of a clock ahead. */
function ClockNotice({ view }: { view: SyncStatusView }) {
  const { t, i18n } = useTranslation('sync');
  const skew = clockSkewText(t, view, i18n.language);
  const held = clockHeldTexts(t, view, i18n.language);
  if (!skew && held.length === 0) return null;
  return (
    <div className="sync-clock">
      {skew && <p className="sync-problem">{skew}</p>}
      {held.map((text) => (
        <p key={text} className="muted">
          {text}
        </p>
      ))}
    </div>
  );
}

export function SyncStatusLine() {
  const { t, i18n } = useTranslation('sync');
  const view = useSyncStatus();
  if (!view || view.state === 'signed-out') return null;
  const problem = syncProblemText(t, view.problem);
  const refused = syncRefusedText(t, view);
  const retry = syncRetryText(t, view, i18n.language);
  const notAccepted = notAcceptedCountText(t, view);
  const roomNotices = roomNoticesCountText(t, view);
  return (
    <div className={`sync-status sync-${view.state}`} aria-label={t('statusLabel')} role="group">
      {/* Read out when the state, the problem or the refusals change, not with every pending count. */}
      <span className="visually-hidden" role="status" aria-live="polite">
        {[syncStateText(t, view), problem, refused, notAccepted, roomNotices].filter(Boolean).join('. ')}
      </span>
      <p>
        <strong>{syncStateText(t, view)}</strong> · {syncPendingText(t, view)}
      </p>
      <SyncProgress view={view} />
      {problem && <p className="sync-problem">{problem}</p>}
      {retry && <p className="muted">{retry}</p>}
      {refused && (
        <p className="sync-problem">
          {refused} <ShowRefusalsLink />
        </p>
      )}
      {notAccepted && (
        <p className="sync-problem">
          {notAccepted} <ShowRefusalsLink text={t('seeWhy')} />
        </p>
      )}
      {roomNotices && (
        <p className="sync-problem">
          {roomNotices} <ShowRefusalsLink text={t('seeWhy')} />
        </p>
      )}
      <ClockNotice view={view} />
      {view.quarantined > 0 && <p className="muted">{t('quarantinedCount', { count: view.quarantined })}</p>}
      <SyncNowButton />
    </div>
  );
}

function RefusalRow({ refusal }: { refusal: SyncRefusal }) {
  const { t, i18n } = useTranslation('sync');
  const retry = usePlenary((s) => s.retryRefusal);
  const dismiss = usePlenary((s) => s.dismissRefusal);
  const showError = usePlenary((s) => s.showError);
  const what = refusalWhatText(t, refusal);
  return (
    <li>
      <p>
        <strong>{what}</strong>
      </p>
      {/* The server's own words (English, technical) on hover, as chat shows a refused message. */}
      <p title={refusal.serverMessage}>{t('refusals.because', { reason: refusalReasonText(t, refusal) })}</p>
      <p className="muted">
        {refusalRetryText(t, refusal, i18n.language)} {t('refusals.lastTried', { time: formatSyncTime(refusal.lastAt, i18n.language), count: refusal.attempts })}
      </p>
      <div className="sync-refusal-actions">
        <button type="button" className="small" aria-label={t('refusals.retryLabel', { what })} onClick={() => retry(refusal.id).catch(showError)}>
          {t('refusals.retry')}
        </button>
        {refusal.canDismiss && (
          <button type="button" className="small" aria-label={t('refusals.dismissLabel', { what })} onClick={() => dismiss(refusal.id).catch(showError)}>
            {t('refusals.dismiss')}
          </button>
        )}
      </div>
    </li>
  );
}

function RefusalList() {
  const { t } = useTranslation('sync');
  const items = usePlenary((s) => s.refusals);
  const load = usePlenary((s) => s.loadRefusals);
  const showError = usePlenary((s) => s.showError);
  const shown = usePlenary((s) => s.route.section === 'settings' && s.route.params[0] === 'sync');
  const headingId = useId();
  const sectionRef = useRef<HTMLElement>(null);
  useEffect(() => {
    load().catch(showError);
  }, [load, showError]);
  useEffect(() => {
    if (!shown) return;
    // After the app has moved focus to the new view (its effect runs after this one).
    const timer = setTimeout(() => {
      sectionRef.current?.scrollIntoView({ block: 'start' });
      sectionRef.current?.focus();
    }, 0);
    return () => clearTimeout(timer);
  }, [shown]);
  return (
    <section aria-labelledby={headingId} id={refusalsAnchor} ref={sectionRef} tabIndex={-1}>
      <h3 id={headingId}>{t('refusals.title')}</h3>
      <p className="hint">{t('refusals.hint')}</p>
      {items === null ? (
        <p>{t('common:loading')}</p>
      ) : items.length === 0 ? (
        <p className="muted">{t('refusals.empty')}</p>
      ) : (
        <ul className="sync-refusals">
          {items.map((refusal) => (
            <RefusalRow key={refusal.id} refusal={refusal} />
          ))}
        </ul>
      )}
    </section>
  );
}

function QuarantineRow({ item }: { item: QuarantinedItem }) {
  const { t, i18n } = useTranslation('sync');
  const count = quarantineCountText(t, item);
  // A record of several reasons lists each with its count (one reason is the heading already).
  const reasons = item.reasons.length > 1 ? item.reasons : [];
  return (
    <li>
      <p>
        <strong>{item.reason}</strong>
        {count && ` · ${count}`}
      </p>
      {reasons.length > 0 && (
        <ul aria-label={t('quarantine.reasons')}>
          {reasons.map((r) => (
            <li key={`${r.first}:${r.reason}`}>{quarantineReasonText(t, r)}</li>
          ))}
        </ul>
      )}
      <dl>
        <dt>{t('quarantine.sender')}</dt>
        <dd>{item.sender || t('quarantine.noSender')}</dd>
        <dt>{t('quarantine.room')}</dt>
        <dd>{item.roomId}</dd>
        <dt>{t('quarantine.eventType')}</dt>
        <dd>
          <code>{item.eventType}</code>
          {item.opIndex >= 0 && ` ${t('quarantine.operation', { index: item.opIndex + 1 })}`}
        </dd>
        <dt>{t('quarantine.receivedAt')}</dt>
        <dd>{formatSyncTime(item.receivedAt, i18n.language)}</dd>
      </dl>
      {item.excerpt && <pre aria-label={t('quarantine.excerpt')}>{item.excerpt}</pre>}
    </li>
  );
}

function QuarantineList() {
  const { t } = useTranslation('sync');
  const items = usePlenary((s) => s.quarantine);
  const dropped = usePlenary((s) => s.quarantineDropped);
  const load = usePlenary((s) => s.loadQuarantine);
  const showError = usePlenary((s) => s.showError);
  const headingId = useId();
  useEffect(() => {
    load().catch(showError);
  }, [load, showError]);
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>{t('quarantine.title')}</h3>
      <p className="hint">{t('quarantine.hint')}</p>
      {dropped?.map((d) => (
        <p key={d.sender} className="muted">
          {quarantineDroppedText(t, d)}
        </p>
      ))}
      {items === null ? (
        <p>{t('common:loading')}</p>
      ) : items.length === 0 ? (
        <p className="muted">{t('quarantine.empty')}</p>
      ) : (
        <ul className="sync-quarantine">
          {items.map((item) => (
            <QuarantineRow key={item.id} item={item} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** Events withdrawn (redacted) on the coop server: who withdrew what, when, and what it took away here. */
function WithdrawalList() {
  const { t, i18n } = useTranslation('sync');
  const items = usePlenary((s) => s.withdrawals);
  const load = usePlenary((s) => s.loadWithdrawals);
  const showError = usePlenary((s) => s.showError);
  const headingId = useId();
  useEffect(() => {
    load().catch(showError);
  }, [load, showError]);
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>{t('withdrawals.title')}</h3>
      <p className="hint">{t('withdrawals.hint')}</p>
      {items === null ? (
        <p>{t('common:loading')}</p>
      ) : items.length === 0 ? (
        <p className="muted">{t('withdrawals.empty')}</p>
      ) : (
        <ul className="sync-withdrawals">
          {items.map((item) => (
            <li key={item.eventId}>
              <p>
                <strong>{withdrawnWhatText(t, item)}</strong>
              </p>
              <p>{withdrawnDetailText(t, item, i18n.language)}</p>
              {item.reason && <p className="muted">{t('withdrawals.reason', { reason: item.reason })}</p>}
              <dl>
                <dt>{t('quarantine.sender')}</dt>
                <dd>{item.sender || t('withdrawals.senderUnknown')}</dd>
                <dt>{t('withdrawals.event')}</dt>
                <dd>
                  <code>{item.eventId}</code>
                </dd>
              </dl>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function SyncSettingsSection() {
  const { t, i18n } = useTranslation('sync');
  const view = useSyncStatus();
  return (
    <fieldset className="card">
      <legend>{t('title')}</legend>
      {!view || view.state === 'signed-out' ? (
        <p className="muted">{t('state.signed-out')}</p>
      ) : (
        <>
          <p>
            <strong>{syncStateText(t, view)}</strong> · {syncPendingText(t, view)}
          </p>
          <SyncProgress view={view} />
          <p>{syncLastText(t, view, i18n.language)}</p>
          {syncProblemText(t, view.problem) && <p className="sync-problem">{syncProblemText(t, view.problem)}</p>}
          {syncRetryText(t, view, i18n.language) && <p className="muted">{syncRetryText(t, view, i18n.language)}</p>}
          <ClockNotice view={view} />
          <SyncNowButton />
          <RefusalList />
          <NotAcceptedList />
          <RoomNoticeList />
          <QuarantineList />
          <WithdrawalList />
        </>
      )}
    </fieldset>
  );
}
