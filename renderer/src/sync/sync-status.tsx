// Governance sync, wherever it matters: a compact line in the sidebar (state, pending count,
// a progress bar while a long upload runs, the problem in words, Sync now) and the full
// section in Settings, which adds the last sync time and the items the core kept aside.
import { useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { usePlenary } from '../store';
import type { SyncStatusView } from '../../../shared/contract/sync';
import { formatSyncTime, syncLastText, syncPendingText, syncProblemText, syncStateText } from './sync-text';

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

export function SyncStatusLine() {
  const { t, i18n } = useTranslation('sync');
  const view = useSyncStatus();
  if (!view || view.state === 'signed-out') return null;
  const problem = syncProblemText(t, view.problem);
  return (
    <div className={`sync-status sync-${view.state}`} aria-label={t('statusLabel')} role="group">
      {/* Read out when the state or the problem changes, not with every pending count. */}
      <span className="visually-hidden" role="status" aria-live="polite">
        {problem ? `${syncStateText(t, view)}. ${problem}` : syncStateText(t, view)}
      </span>
      <p>
        <strong>{syncStateText(t, view)}</strong> · {syncPendingText(t, view)}
      </p>
      <SyncProgress view={view} />
      {problem && <p className="sync-problem">{problem}</p>}
      {view.state === 'offline' && view.retryAt !== null && <p className="muted">{t('retryAt', { time: formatSyncTime(view.retryAt, i18n.language) })}</p>}
      {view.quarantined > 0 && <p className="muted">{t('quarantinedCount', { count: view.quarantined })}</p>}
      <SyncNowButton />
    </div>
  );
}

function QuarantineList() {
  const { t, i18n } = useTranslation('sync');
  const items = usePlenary((s) => s.quarantine);
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
      {items === null ? (
        <p>{t('common:loading')}</p>
      ) : items.length === 0 ? (
        <p className="muted">{t('quarantine.empty')}</p>
      ) : (
        <ul className="sync-quarantine">
          {items.map((item) => (
            <li key={item.id}>
              <p>
                <strong>{item.reason}</strong>
              </p>
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
          <SyncNowButton />
          <QuarantineList />
        </>
      )}
    </fieldset>
  );
}
