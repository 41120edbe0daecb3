// The recovery screen: shown instead of the app when the core could not open the store.
// What happened in words, which file, where a damaged file will be kept (never deleted), and
// the choices that apply (decided in main/core/policy/store-recovery.ts). A choice that
// reopens the store ends with data.reopened, and the page loads again.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { RecoveryChoice, StoreRecoveryView } from '../../../shared/contract/data';
import type { PlenaryErrorData } from '../../../shared/errors';
import { api } from '../api/client';
import { toErrorData } from '../store/app-slice';
import { errorText } from '../app/error-text';
import { formatWhen } from './format';
import './data.css';

function problemText(t: TFunction, recovery: StoreRecoveryView): string {
  if (recovery.problem === 'newer_schema') {
    return recovery.writtenBy
      ? t('recovery.problems.newer_schema', { writtenBy: recovery.writtenBy, appVersion: recovery.appVersion })
      : t('recovery.problems.newer_schema_unknown', { appVersion: recovery.appVersion });
  }
  return t(`recovery.problems.${recovery.problem}`);
}

export function RecoveryPage({ recovery }: { recovery: StoreRecoveryView }) {
  const { t, i18n } = useTranslation('data');
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [busy, setBusy] = useState<RecoveryChoice | null>(null);
  const [done, setDone] = useState<'restarting' | 'quit' | null>(null);
  const [error, setError] = useState<PlenaryErrorData | null>(null);
  useEffect(() => headingRef.current?.focus(), []);

  const choose = (choice: RecoveryChoice) => {
    setBusy(choice);
    setError(null);
    api()
      .data.recover({ choice })
      .then(
        ({ restarting }) => setDone(restarting ? 'restarting' : 'quit'),
        (e: unknown) => {
          setError(toErrorData(e));
          setBusy(null);
        },
      );
  };

  const hint = (choice: RecoveryChoice): string | null => {
    if (choice === 'restore-backup' && recovery.latestBackup) return t('recovery.hints.restore-backup', { date: formatWhen(recovery.latestBackup.createdAt, i18n.language) });
    if (choice === 'start-empty') return t('recovery.hints.start-empty');
    if (choice === 'retry') return t('recovery.hints.retry');
    return null;
  };
  const movesFile = recovery.choices.some((c) => c === 'restore-backup' || c === 'start-empty');

  return (
    <main className="content recovery" aria-labelledby="recovery-title">
      <h1 id="recovery-title" ref={headingRef} tabIndex={-1}>
        {t('recovery.title')}
      </h1>
      <p className="recovery-problem" role="alert">
        {problemText(t, recovery)}
      </p>
      <p>
        {t('recovery.file')} <code>{recovery.file}</code>
      </p>
      <h2>{t('recovery.whatNow')}</h2>
      <ul className="recovery-choices">
        {recovery.choices.map((choice) => (
          <li key={choice}>
            <button type="button" className={choice === 'quit' ? undefined : 'primary'} disabled={busy !== null || done !== null} onClick={() => choose(choice)}>
              {t(`recovery.choices.${choice}`)}
            </button>
            {hint(choice) && <p className="hint">{hint(choice)}</p>}
          </li>
        ))}
      </ul>
      {movesFile && (
        <p>
          {t('recovery.keptAs')} <code>{recovery.keptAs}</code>
        </p>
      )}
      <p role="status" aria-live="polite">
        {done === 'restarting' ? t('recovery.restarting') : done === 'quit' ? t('recovery.stopped') : ''}
      </p>
      {error && (
        <p role="alert" className="form-error">
          {errorText(t, error)}
        </p>
      )}
      <details>
        <summary>{t('recovery.details')}</summary>
        <p>{t('recovery.version', { version: recovery.appVersion })}</p>
        <pre>{recovery.detail}</pre>
      </details>
    </main>
  );
}
