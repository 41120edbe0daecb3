// Settings › Data: where the data lives, the backups (restore one after a confirmation; the
// current file is kept aside), files kept aside, and export or import of everything.
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BackupView, DataOverview, ImportReport } from '../../../shared/contract/data';
import type { PlenaryErrorData } from '../../../shared/errors';
import { api } from '../api/client';
import { onEvent } from '../api/client';
import { toErrorData } from '../store/app-slice';
import { errorText } from '../app/error-text';
import { formatBytes, formatWhen } from './format';
import { fetchExport, offerDownload, sendImport } from './transfer';
import './data.css';

function useOverview(): [DataOverview | null, () => void] {
  const [overview, setOverview] = useState<DataOverview | null>(null);
  const load = useCallback(() => {
    api().data.overview({}).then(setOverview, () => setOverview(null));
  }, []);
  useEffect(() => {
    load();
    return onEvent((name) => {
      if (name === 'data.changed') load();
    });
  }, [load]);
  return [overview, load];
}

function ConfirmRestore({ backup, onDone, onCancel }: { backup: BackupView; onDone: (keptAs: string) => void; onCancel: () => void }) {
  const { t, i18n } = useTranslation('data');
  const titleId = useId();
  const confirmRef = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<PlenaryErrorData | null>(null);
  useEffect(() => confirmRef.current?.focus(), []);
  const when = formatWhen(backup.createdAt, i18n.language);
  return (
    <div className="restore-confirm" role="alertdialog" aria-labelledby={titleId} aria-describedby={`${titleId}-detail`}>
      <p id={titleId}>
        <strong>{t('settings.confirmTitle', { date: when })}</strong>
      </p>
      <p id={`${titleId}-detail`}>{t('settings.confirmDetail')}</p>
      <div className="actions">
        <button
          ref={confirmRef}
          type="button"
          className="danger"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            setError(null);
            api()
              .data.restore({ backupId: backup.id })
              .then(({ keptAs }) => onDone(keptAs), (e: unknown) => setError(toErrorData(e)))
              .finally(() => setBusy(false));
          }}
        >
          {t('settings.confirmRestore')}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          {t('common:cancel')}
        </button>
      </div>
      {error && (
        <p role="alert" className="form-error">
          {errorText(t, error)}
        </p>
      )}
    </div>
  );
}

function BackupList({ overview }: { overview: DataOverview }) {
  const { t, i18n } = useTranslation('data');
  const [confirming, setConfirming] = useState<string | null>(null);
  const [restoring, setRestoring] = useState<string | null>(null);
  if (overview.backups.length === 0) return <p className="muted">{t('settings.noBackups')}</p>;
  return (
    <>
      <table className="backup-list">
        <caption className="visually-hidden">{t('settings.backups')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('settings.when')}</th>
            <th scope="col">{t('settings.size')}</th>
            <th scope="col">{t('settings.why')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('settings.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {overview.backups.map((backup) => (
            <tr key={backup.id}>
              <td>{formatWhen(backup.createdAt, i18n.language)}</td>
              <td>{formatBytes(backup.sizeBytes, i18n.language)}</td>
              <td>{t(`settings.reasons.${backup.reason}`)}</td>
              <td>
                <button
                  type="button"
                  disabled={restoring !== null}
                  aria-label={t('settings.restoreLabel', { date: formatWhen(backup.createdAt, i18n.language) })}
                  onClick={() => setConfirming(backup.id)}
                >
                  {t('settings.restore')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {confirming && restoring === null && (
        <ConfirmRestore
          backup={overview.backups.find((b) => b.id === confirming)!}
          onCancel={() => setConfirming(null)}
          onDone={(keptAs) => {
            setConfirming(null);
            setRestoring(keptAs);
          }}
        />
      )}
      {restoring && (
        <p role="status" className="restoring">
          {t('settings.restoring', { path: restoring })}
        </p>
      )}
    </>
  );
}

function ImportReportView({ report }: { report: ImportReport }) {
  const { t } = useTranslation('data');
  const rows = [
    ['circles', report.added.circles],
    ['assemblies', report.added.assemblies],
    ['votes', report.added.votes],
    ['ballots', report.added.ballots],
    ['contributions', report.added.contributions],
    ['other', report.added.other],
    ['alreadyHere', report.alreadyHere],
    ['refused', report.refused],
  ] as const;
  return (
    <div className="import-report">
      <p>
        <strong>{t('settings.imported', { version: report.fromVersion })}</strong>
      </p>
      <dl>
        {rows.map(([key, value]) => (
          <div key={key}>
            <dt>{t(`settings.report.${key}`)}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {report.identityKept && <p>{t('settings.identityKept')}</p>}
      {report.settingsImported && <p>{t('settings.settingsImported')}</p>}
    </div>
  );
}

function ExportImport() {
  const { t, i18n } = useTranslation('data');
  const ids = { file: useId(), hint: useId() };
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<PlenaryErrorData | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const percent = (fraction: number) => new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 0 }).format(fraction);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      await work();
    } catch (e) {
      setStatus(null);
      setError(toErrorData(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h3>{t('settings.exportTitle')}</h3>
      <p className="hint" id={ids.hint}>
        {t('settings.exportHint')}
      </p>
      <div className="actions">
        <button
          type="button"
          disabled={busy}
          aria-describedby={ids.hint}
          onClick={() =>
            void run(async () => {
              setStatus(t('settings.exporting', { percent: percent(0) }));
              const { blob, started } = await fetchExport((f) => setStatus(t('settings.exporting', { percent: percent(f) })));
              offerDownload(blob, started.fileName);
              setStatus(t('settings.exported', { count: started.operations, file: started.fileName }));
            })
          }
        >
          {t('settings.export')}
        </button>
      </div>
      <div className="field">
        <label htmlFor={ids.file}>{t('settings.importLabel')}</label>
        <input
          id={ids.file}
          type="file"
          accept=".plenary,application/gzip"
          disabled={busy}
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = '';
            if (!file) return;
            void run(async () => {
              setStatus(t('settings.importing', { percent: percent(0) }));
              const result = await sendImport(file, (f) => setStatus(t('settings.importing', { percent: percent(f) })));
              setStatus(null);
              setReport(result);
            });
          }}
        />
        <p className="hint">{t('settings.importHint')}</p>
      </div>
      <p role="status" aria-live="polite" className="muted">
        {status}
      </p>
      {report && <ImportReportView report={report} />}
      {error && (
        <p role="alert" className="form-error">
          {errorText(t, error)}
        </p>
      )}
    </>
  );
}

export function DataSettings() {
  const { t, i18n } = useTranslation('data');
  const [overview, reload] = useOverview();
  const [backupError, setBackupError] = useState<PlenaryErrorData | null>(null);
  return (
    <section className="card data-settings" aria-labelledby="data-settings-title">
      <h2 id="data-settings-title">{t('settings.title')}</h2>
      {!overview ? (
        <p>{t('common:loading')}</p>
      ) : (
        <>
          <p>{t('settings.where', { folder: overview.dataDir })}</p>
          <p className="muted">{t('settings.file', { file: overview.storeFile, size: formatBytes(overview.storeSizeBytes, i18n.language) })}</p>

          <h3>{t('settings.backups')}</h3>
          <p className="hint">{t('settings.backupsHint', { folder: overview.backupsDir })}</p>
          <BackupList overview={overview} />
          <div className="actions">
            <button
              type="button"
              disabled={overview.backingUp}
              onClick={() => {
                setBackupError(null);
                api()
                  .data.backupNow({})
                  .then(reload, (e: unknown) => setBackupError(toErrorData(e)));
              }}
            >
              {overview.backingUp ? t('settings.backingUp') : t('settings.backupNow')}
            </button>
          </div>
          {backupError && (
            <p role="alert" className="form-error">
              {errorText(t, backupError)}
            </p>
          )}

          {overview.kept.length > 0 && (
            <>
              <h3>{t('settings.kept')}</h3>
              <ul className="kept-files">
                {overview.kept.map((file) => (
                  <li key={file.name}>
                    {t(`settings.keptReasons.${file.reason}`, { date: formatWhen(file.keptAt, i18n.language) })} · <code>{file.path}</code> ·{' '}
                    {formatBytes(file.sizeBytes, i18n.language)}
                  </li>
                ))}
              </ul>
            </>
          )}

          <ExportImport />
        </>
      )}
    </section>
  );
}
