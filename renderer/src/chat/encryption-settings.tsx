// Settings › Security: this device's end-to-end encryption keys (its id, fingerprint and
// identity key), as Element shows a session's, so the member can compare them by hand.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { EncryptionView } from '../../../shared/contract/matrix';
import { api } from '../api/client';
import { usePlenary } from '../store';
import { toErrorData } from '../store/app-slice';
import { errorText } from '../app/error-text';
import { useMatrixStatus } from './coop-server-settings';
import { VerificationSettings } from './verification-settings';
import { SecureBackupSettings } from './secure-backup-settings';

/** Groups a base64 key in fours, as Element shows fingerprints. */
function grouped(key: string): string {
  return key.replace(/(.{4})/g, '$1 ').trim();
}

export function EncryptionSettings() {
  const { t } = useTranslation('chat');
  const status = useMatrixStatus();
  const showError = usePlenary((s) => s.showError);
  const deviceId = status?.session?.deviceId ?? null;
  const [keys, setKeys] = useState<EncryptionView | null | 'loading'>('loading');
  const [restored, setRestored] = useState(0);
  const [changes, setChanges] = useState(0);
  useEffect(() => {
    if (!deviceId) return;
    let current = true;
    api()
      .matrix.encryption({})
      .then((view) => {
        if (current) setKeys(view);
      }, showError);
    return () => {
      current = false;
    };
  }, [deviceId, showError]);
  if (!deviceId) return null;
  return (
    <section className="card encryption-settings" aria-labelledby="encryption-settings-title">
      <h2 id="encryption-settings-title">{t('e2ee.security.title')}</h2>
      <p className="hint">{t('e2ee.security.intro')}</p>
      {keys === 'loading' ? (
        <p>{t('common:loading')}</p>
      ) : keys === null ? (
        <p>{t('e2ee.security.unavailable')}</p>
      ) : (
        <>
          <dl className="encryption-keys">
            <dt>{t('e2ee.security.deviceId')}</dt>
            <dd>
              <code>{keys.deviceId}</code>
            </dd>
            <dt>{t('e2ee.security.fingerprint')}</dt>
            <dd>
              <code>{grouped(keys.ed25519)}</code>
            </dd>
            <dt>{t('e2ee.security.identityKey')}</dt>
            <dd>
              <code>{grouped(keys.curve25519)}</code>
            </dd>
          </dl>
          <p className="muted">{t('e2ee.security.compare')}</p>
          {/* Remounted after secure backup changes: setting it up also sets up cross-signing. */}
          <VerificationSettings key={`verification-${changes}`} />
          <SecureBackupSettings refreshKey={restored} onChanged={() => setChanges((n) => n + 1)} />
          <RestoreFromBackup onRestored={() => setRestored((n) => n + 1)} />
        </>
      )}
    </section>
  );
}

const restoreReasons = ['malformed', 'wrong_key', 'no_backup'];

/** Restores room keys from the member's secure backup with the recovery key Element gave them. */
function RestoreFromBackup({ onRestored }: { onRestored?: () => void }) {
  const { t } = useTranslation('chat');
  const inputId = useId();
  const [recoveryKey, setRecoveryKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ kind: 'done'; imported: number } | { kind: 'error'; text: string } | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setOutcome(null);
    api()
      .matrix.restoreKeys({ recoveryKey })
      .then(
        (result) => {
          setRecoveryKey('');
          setOutcome({ kind: 'done', imported: result.imported });
          onRestored?.();
        },
        (error: unknown) => {
          const data = toErrorData(error);
          const reason = data.params?.reason;
          setOutcome({ kind: 'error', text: typeof reason === 'string' && restoreReasons.includes(reason) ? t(`e2ee.restore.errors.${reason}`) : errorText(t, data) });
        },
      )
      .finally(() => setBusy(false));
  };
  return (
    <form className="restore-backup" aria-labelledby={`${inputId}-title`} onSubmit={submit}>
      <h3 id={`${inputId}-title`}>{t('e2ee.restore.title')}</h3>
      <p className="hint">{t('e2ee.restore.intro')}</p>
      <label htmlFor={inputId}>{t('e2ee.restore.recoveryKey')}</label>
      <input id={inputId} value={recoveryKey} onChange={(e) => setRecoveryKey(e.target.value)} autoComplete="off" spellCheck={false} required />
      <div className="actions">
        <button type="submit" disabled={busy || recoveryKey.trim() === ''}>
          {busy ? t('e2ee.restore.restoring') : t('e2ee.restore.submit')}
        </button>
      </div>
      {outcome?.kind === 'done' && <p role="status">{t('e2ee.restore.done', { count: outcome.imported })}</p>}
      {outcome?.kind === 'error' && (
        <p role="alert" className="form-error">
          {outcome.text}
        </p>
      )}
    </form>
  );
}
