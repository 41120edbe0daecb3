// Settings › Security: secure backup, as Element's "Set up secure backup". With none on the
// account, Plenary makes a recovery key, shows it once (copy, save as a file), asks the member
// to confirm they stored it, and only then sets up secret storage and the key backup. With
// one, the member restores from it (the form below) or, having lost the key, resets it after
// a confirmation.
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SecureBackupView } from '../../../shared/contract/trust';
import { api } from '../api/client';
import { toErrorData } from '../store/app-slice';
import { errorText } from '../app/error-text';
import { AccountPasswordField } from './account-password-field';
import './trust.css';

type Step = { kind: 'idle' } | { kind: 'confirmReset' } | { kind: 'key'; recoveryKey: string; reset: boolean } | { kind: 'done'; reset: boolean };

export function SecureBackupSettings({ refreshKey = 0, onChanged }: { refreshKey?: number; onChanged?: () => void }) {
  const { t } = useTranslation('chat');
  const titleId = useId();
  const [view, setView] = useState<SecureBackupView | null>(null);
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => {
    api()
      .secureBackup.status({})
      .then(setView, (reason: unknown) => setError(errorText(t, toErrorData(reason))));
  }, [t]);
  useEffect(load, [load, refreshKey]);

  const begin = (reset: boolean) => {
    setError(null);
    setBusy(true);
    api()
      .secureBackup.newRecoveryKey({})
      .then(({ recoveryKey }) => setStep({ kind: 'key', recoveryKey, reset }), (reason: unknown) => setError(errorText(t, toErrorData(reason))))
      .finally(() => setBusy(false));
  };

  if (!view) return error ? <p role="alert" className="form-error">{error}</p> : null;
  return (
    <section className="secure-backup" aria-labelledby={titleId}>
      <h3 id={titleId}>{t('secureBackup.title')}</h3>
      {step.kind === 'key' ? (
        <RecoveryKeyStep
          recoveryKey={step.recoveryKey}
          reset={step.reset}
          onCancel={() => setStep({ kind: 'idle' })}
          onDone={(next) => {
            setView(next);
            setStep({ kind: 'done', reset: step.reset });
            onChanged?.();
          }}
        />
      ) : (
        <>
          <p>{statusText(t, view)}</p>
          {step.kind === 'done' && <p role="status">{step.reset ? t('secureBackup.resetDone') : t('secureBackup.setUpDone')}</p>}
          {view.serverBackup === null ? (
            <>
              <p className="hint">{t('secureBackup.intro')}</p>
              <div className="actions">
                <button type="button" onClick={() => begin(false)} disabled={busy}>
                  {t('secureBackup.setUp')}
                </button>
              </div>
            </>
          ) : step.kind === 'confirmReset' ? (
            <div className="secure-backup-confirm" role="group" aria-labelledby={`${titleId}-reset`}>
              <p id={`${titleId}-reset`}>
                <strong>{t('secureBackup.resetConfirmTitle')}</strong> {t('secureBackup.resetConfirmText')}
              </p>
              <div className="actions">
                <button type="button" className="danger" onClick={() => begin(true)} disabled={busy}>
                  {t('secureBackup.resetConfirm')}
                </button>
                <button type="button" onClick={() => setStep({ kind: 'idle' })}>
                  {t('secureBackup.cancel')}
                </button>
              </div>
            </div>
          ) : (
            <div className="actions">
              <button type="button" onClick={() => setStep({ kind: 'confirmReset' })}>
                {t('secureBackup.reset')}
              </button>
            </div>
          )}
        </>
      )}
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
    </section>
  );
}

function statusText(t: (key: string) => string, view: SecureBackupView): string {
  if (view.serverBackup === null) return t('secureBackup.none');
  if (view.backingUpHere) return t('secureBackup.active');
  return t('secureBackup.existsRestore');
}

/** The recovery key, shown once: copy it or save it, confirm it is stored, then set up. */
function RecoveryKeyStep(props: { recoveryKey: string; reset: boolean; onCancel(): void; onDone(view: SecureBackupView): void }) {
  const { t } = useTranslation('chat');
  const keyId = useId();
  const storedId = useId();
  const [stored, setStored] = useState(false);
  const [password, setPassword] = useState('');
  // Asked only when the server wants the password to set up cross-signing (a first setup usually does not).
  const [needsPassword, setNeedsPassword] = useState(false);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const link = useRef<HTMLAnchorElement>(null);

  const copy = () => {
    void navigator.clipboard.writeText(props.recoveryKey).then(
      () => setCopied(true),
      () => setError(t('secureBackup.copyFailed')),
    );
  };
  const save = () => {
    const url = URL.createObjectURL(new Blob([`${props.recoveryKey}\n`], { type: 'text/plain' }));
    const anchor = link.current!;
    anchor.href = url;
    anchor.download = 'recovery-key.txt';
    anchor.click();
    setTimeout(() => URL.revokeObjectURL(url), 1_000);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!stored) return;
    setBusy(true);
    setError(null);
    api()
      .secureBackup.setUp({ recoveryKey: props.recoveryKey, stored: true, reset: props.reset, ...(password ? { password } : {}) })
      .then(props.onDone, (reason: unknown) => {
        const data = toErrorData(reason);
        const why = data.params?.reason;
        if (why === 'missing') setNeedsPassword(true);
        setError(why === 'missing' ? t('secureBackup.passwordNeeded') : why === 'wrong_password' ? t('secureBackup.wrongPassword') : why === 'backup_exists' ? t('secureBackup.exists') : why === 'identity_elsewhere' ? t('secureBackup.identityElsewhere') : errorText(t, data));
      })
      .finally(() => {
        setPassword('');
        setBusy(false);
      });
  };
  return (
    <form onSubmit={submit} className="recovery-key-step">
      <p>{t('secureBackup.keyIntro')}</p>
      <p id={keyId} className="recovery-key" aria-label={t('secureBackup.keyLabel')}>
        <code>{props.recoveryKey}</code>
      </p>
      <div className="actions">
        <button type="button" onClick={copy} aria-describedby={keyId}>
          {copied ? t('secureBackup.copied') : t('secureBackup.copy')}
        </button>
        <button type="button" onClick={save} aria-describedby={keyId}>
          {t('secureBackup.save')}
        </button>
        <a ref={link} hidden aria-hidden="true" tabIndex={-1} />
      </div>
      <p className="hint">{t('secureBackup.keyWarning')}</p>
      <p>
        <input id={storedId} type="checkbox" checked={stored} onChange={(e) => setStored(e.target.checked)} />{' '}
        <label htmlFor={storedId}>{t('secureBackup.stored')}</label>
      </p>
      {needsPassword && (
        <AccountPasswordField label={t('secureBackup.password')} hint={t('secureBackup.passwordHint')} value={password} onChange={setPassword} />
      )}
      <div className="actions">
        <button type="submit" disabled={!stored || busy}>
          {busy ? t('secureBackup.settingUp') : props.reset ? t('secureBackup.finishReset') : t('secureBackup.finish')}
        </button>
        <button type="button" onClick={props.onCancel} disabled={busy}>
          {t('secureBackup.cancel')}
        </button>
      </div>
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
    </form>
  );
}
