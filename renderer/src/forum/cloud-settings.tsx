// Settings › Files: the coop's NextCloud address (coop.json's, or the member's own), signing
// in with Login Flow v2 through NextCloud's page in the browser, and signing out, which
// revokes the app password on NextCloud.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { usePlenary } from '../store';
import { toErrorData } from '../store/app-slice';
import type { PlenaryErrorData } from '../../../shared/errors';
import type { CloudStatusView } from '../../../shared/cloud/types';
import { useCloud } from './cloud-store';
import { ForumError } from './forum-error';

export function useCloudStatus(): CloudStatusView | null {
  const status = useCloud((s) => s.status);
  const showError = usePlenary((s) => s.showError);
  useEffect(() => {
    if (!status) api().cloud.status({}).then((view) => useCloud.getState().setStatus(view), showError);
  }, [status, showError]);
  return status;
}

export function CloudSettings() {
  const { t } = useTranslation('forum');
  const status = useCloudStatus();
  const ids = { address: useId(), hint: useId() };
  const [address, setAddress] = useState<string | null>(null);
  const [error, setError] = useState<PlenaryErrorData | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!status) return null;
  const shown = address ?? status.memberAddress;
  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await work();
    } catch (caught) {
      setError(toErrorData(caught));
    } finally {
      setBusy(false);
    }
  };
  const save = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      useCloud.getState().setStatus(await api().cloud.setAddress({ address: shown }));
      setAddress(null);
      setNotice(t('cloud.addressSaved'));
    });
  };
  const signIn = () =>
    run(async () => {
      const started = await api().cloud.signIn({});
      if (!started.openedExternally) window.open(started.url, '_blank', 'noopener');
    });
  const signOut = () =>
    run(async () => {
      const result = await api().cloud.signOut({});
      useCloud.getState().setStatus(result.status);
      setNotice(t(result.revokedOnServer ? 'cloud.signedOut' : 'cloud.signedOutLocally'));
    });
  return (
    <section className="card" aria-labelledby="cloud-settings-title">
      <h2 id="cloud-settings-title">{t('cloud.title')}</h2>
      <p className="muted">{t('cloud.intro')}</p>
      <form className="field" onSubmit={save} aria-label={t('cloud.address')}>
        <label htmlFor={ids.address}>{t('cloud.address')}</label>
        <input
          id={ids.address}
          type="url"
          value={shown}
          placeholder={status.coopAddress ?? 'https://cloud.example.coop'}
          aria-describedby={ids.hint}
          spellCheck={false}
          onChange={(e) => setAddress(e.target.value)}
        />
        <button type="submit" disabled={busy}>
          {t('cloud.saveAddress')}
        </button>
        <p id={ids.hint} className="hint">
          {t('cloud.addressHint')} {status.coopAddress && t('cloud.coopAddress', { address: status.coopAddress })}
        </p>
      </form>
      {!status.address && <p>{t('cloud.noAddress')}</p>}
      {status.account && (
        <div role="status">
          <p>{t('cloud.signedIn', { server: status.account.server, loginName: status.account.loginName })}</p>
          {status.expired && <p className="form-error">{t('cloud.expired')}</p>}
          <p className="muted">{t(`cloud.passwordStorage.${status.passwordStorage}`)}</p>
        </div>
      )}
      {status.pending && (
        <div role="status">
          <p>{t('cloud.waiting')}</p>
          <p>
            <a href={status.pending.url} target="_blank" rel="noreferrer noopener">
              {t('cloud.openAgain')}
            </a>
          </p>
        </div>
      )}
      {status.signInProblem === 'timeout' && !status.pending && <p className="form-error">{t('cloud.timeout')}</p>}
      <div className="actions">
        {status.address && (!status.account || status.expired) && !status.pending && (
          <button type="button" className="primary" disabled={busy} onClick={() => void signIn()}>
            {t('cloud.signIn')}
          </button>
        )}
        {status.pending && (
          <button type="button" disabled={busy} onClick={() => void run(async () => useCloud.getState().setStatus(await api().cloud.cancelSignIn({})))}>
            {t('cloud.cancel')}
          </button>
        )}
        {status.account && (
          <button type="button" disabled={busy} onClick={() => void signOut()}>
            {t('cloud.signOut')}
          </button>
        )}
      </div>
      {notice && <p role="status">{notice}</p>}
      <ForumError error={error} />
    </section>
  );
}
