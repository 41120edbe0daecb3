import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { normalizeBbbApiUrl } from '../../../shared/meetings/api-url';
import { checksumAlgorithmNames, type BbbSettingsView, type ChecksumAlgorithmName } from '../../../shared/meetings/types';
import type { TokenStorage } from '../../../shared/contract/matrix';
import { api, ApiError } from '../api/client';
import { usePlenary } from '../store';
import { TrustedHostsSettings } from './trusted-hosts-settings';
import './meetings.css';

/** Says, when there is no usable keychain, that the secret lasts only until Plenary quits (as Settings › Coop server does for the sign-in). */
export function SecretPersistenceNotice({ persistence, id }: { persistence: TokenStorage; id?: string }) {
  const { t } = useTranslation('meetings');
  if (persistence !== 'memory') return null;
  return (
    <p id={id} className="token-storage-notice">
      {t('settings:secrets.bbbMemoryOnly')}
    </p>
  );
}

/**
 * Settings > Meetings: the name shown in calls, the trusted meeting hosts and, for
 * operators, the BBB API address and shared secret. The secret goes to main once and never comes back: the form only
 * learns whether one is stored.
 */
export function BbbSettings() {
  const { t } = useTranslation('meetings');
  const showError = usePlenary((s) => s.showError);
  const [view, setView] = useState<BbbSettingsView | null>(null);
  const [displayName, setDisplayName] = useState('');
  const [apiUrl, setApiUrl] = useState('');
  const [algorithm, setAlgorithm] = useState<ChecksumAlgorithmName>('sha256');
  const [secret, setSecret] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [problem, setProblem] = useState<{ field: string; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { name: useId(), nameHint: useId(), url: useId(), algorithm: useId(), secret: useId(), secretHint: useId(), secretMemory: useId(), problem: useId(), apiHint: useId() };

  const apply = (next: BbbSettingsView) => {
    setView(next);
    setDisplayName(next.displayName);
    setApiUrl(next.apiUrl ?? '');
    setAlgorithm(next.algorithm);
    setSecret('');
  };

  useEffect(() => {
    void api().bbb.settings({}).then(apply, showError);
  }, [showError]);

  if (!view) return null;

  const saveApi = async () => {
    const normalized = normalizeBbbApiUrl(apiUrl);
    if (!normalized.ok) return setProblem({ field: 'apiUrl', text: normalized.message });
    setBusy(true);
    setProblem(null);
    setStatus(t('settings.saving'));
    try {
      apply(await api().bbb.saveSettings({ apiUrl: normalized.apiUrl, algorithm, ...(secret ? { secret } : {}) }));
      setStatus(t('settings.saved', { host: normalized.host }));
    } catch (error) {
      setStatus(null);
      if (error instanceof ApiError && (error.field === 'apiUrl' || error.field === 'secret')) setProblem({ field: error.field, text: error.message });
      else showError(error);
    } finally {
      setBusy(false);
    }
  };

  const describedBy = (field: string, hint?: string) => [problem?.field === field ? ids.problem : null, hint].filter(Boolean).join(' ') || undefined;

  return (
    <>
      <fieldset className="card bbb-settings">
        <legend>{t('settings.title')}</legend>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void api().bbb.setDisplayName({ displayName }).then((next) => {
              // Only the name was saved: what the member is typing in the API fields stays.
              setView(next);
              setDisplayName(next.displayName);
              setStatus(t('settings.nameSaved'));
            }, showError);
          }}
        >
          <div className="field">
            <label htmlFor={ids.name}>{t('settings.displayName')}</label>
            <input id={ids.name} type="text" maxLength={64} autoComplete="name" value={displayName} aria-describedby={ids.nameHint} onChange={(e) => setDisplayName(e.target.value)} />
            <button type="submit">{t('settings.saveName')}</button>
            <p id={ids.nameHint} className="hint">
              {t('settings.displayNameHint')}
            </p>
          </div>
        </form>
      </fieldset>

      <TrustedHostsSettings />

      <fieldset className="card bbb-settings" aria-describedby={ids.apiHint}>
        <legend>{t('settings.api')}</legend>
        <p id={ids.apiHint} className="hint">
          {t('settings.apiHint')}
        </p>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void saveApi();
          }}
        >
          <div className="field">
            <label htmlFor={ids.url}>{t('settings.apiUrl')}</label>
            <input
              id={ids.url}
              type="url"
              spellCheck={false}
              autoComplete="off"
              placeholder={t('settings.apiUrlExample')}
              value={apiUrl}
              aria-invalid={problem?.field === 'apiUrl'}
              aria-describedby={describedBy('apiUrl')}
              onChange={(e) => setApiUrl(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.algorithm}>{t('settings.algorithm')}</label>
            <select id={ids.algorithm} value={algorithm} onChange={(e) => setAlgorithm(e.target.value as ChecksumAlgorithmName)}>
              {checksumAlgorithmNames.map((a) => (
                <option key={a} value={a}>
                  {a.toUpperCase().replace('SHA', 'SHA-')}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.secret}>{t('settings.secret')}</label>
            <input
              id={ids.secret}
              type="password"
              autoComplete="off"
              value={secret}
              aria-invalid={problem?.field === 'secret'}
              aria-describedby={describedBy('secret', [view.secretStored ? ids.secretHint : null, view.secretPersistence === 'memory' ? ids.secretMemory : null].filter(Boolean).join(' ') || undefined)}
              onChange={(e) => setSecret(e.target.value)}
            />
            {view.secretStored && (
              <p id={ids.secretHint} className="hint">
                {t('settings.secretStored')}
              </p>
            )}
            <SecretPersistenceNotice persistence={view.secretPersistence} id={ids.secretMemory} />
          </div>
          {problem && (
            <p id={ids.problem} className="field-error" role="alert">
              {problem.text}
            </p>
          )}
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {t('settings.save')}
            </button>
            {view.apiUrl && (
              <button
                type="button"
                disabled={busy}
                onClick={() =>
                  void api().bbb.clearSettings({}).then((next) => {
                    apply(next);
                    setStatus(t('settings.cleared'));
                  }, showError)
                }
              >
                {t('settings.clear')}
              </button>
            )}
          </div>
        </form>
        <p role="status" aria-live="polite" className="muted">
          {status ?? (view.apiUrl ? t('settings.configured', { url: view.apiUrl }) : t('settings.notConfigured'))}
        </p>
      </fieldset>
    </>
  );
}
