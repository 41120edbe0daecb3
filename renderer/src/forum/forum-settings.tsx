// Settings › Forum: the coop's Discourse forum address (coop.json's, or the member's own),
// signing in with a User API key through the forum's page in the browser, and signing out,
// which revokes the key on the forum.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { usePlenary } from '../store';
import { toErrorData } from '../store/app-slice';
import type { PlenaryErrorData } from '../../../shared/errors';
import type { ForumStatusView } from '../../../shared/forum/types';
import { useForum } from './forum-store';
import { ForumError } from './forum-error';

export function useForumStatus(): ForumStatusView | null {
  const status = useForum((s) => s.status);
  const showError = usePlenary((s) => s.showError);
  useEffect(() => {
    if (!status) api().forum.status({}).then((view) => useForum.getState().setStatus(view), showError);
  }, [status, showError]);
  return status;
}

export function ForumSettings() {
  const { t } = useTranslation('forum');
  const status = useForumStatus();
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
      useForum.getState().setStatus(await api().forum.setAddress({ address: shown }));
      setAddress(null);
      setNotice(t('settings.addressSaved'));
    });
  };
  const signIn = () =>
    run(async () => {
      const started = await api().forum.signIn({});
      // In the browser bridge the page opens the forum's authorisation page itself.
      if (!started.openedExternally) window.open(started.url, '_blank', 'noopener');
    });
  const revoke = () =>
    run(async () => {
      const result = await api().forum.revoke({});
      useForum.getState().setStatus(result.status);
      setNotice(t(result.revokedOnForum ? 'settings.revoked' : 'settings.revokedLocally'));
    });

  return (
    <section className="card" aria-labelledby="forum-settings-title">
      <h2 id="forum-settings-title">{t('settings.title')}</h2>
      <p className="muted">{t('settings.intro')}</p>
      <form className="field" onSubmit={save} aria-label={t('settings.address')}>
        <label htmlFor={ids.address}>{t('settings.address')}</label>
        <input
          id={ids.address}
          type="url"
          value={shown}
          placeholder={status.coopAddress ?? 'https://forum.example.coop'}
          aria-describedby={ids.hint}
          spellCheck={false}
          onChange={(e) => setAddress(e.target.value)}
        />
        <button type="submit" disabled={busy}>
          {t('settings.saveAddress')}
        </button>
        <p id={ids.hint} className="hint">
          {t('settings.addressHint')} {status.coopAddress && t('settings.coopAddress', { address: status.coopAddress })}
        </p>
      </form>
      {!status.address && <p>{t('settings.noAddress')}</p>}
      {status.account ? (
        <div role="status">
          <p>{t('settings.signedIn', { site: status.account.site, username: status.account.username })}</p>
          {status.expired && <p className="form-error">{t('settings.expired')}</p>}
          <p className="muted">{t(`settings.keyStorage.${status.keyStorage}`)}</p>
        </div>
      ) : null}
      {status.pending && (
        <div role="status">
          <p>{t('settings.waiting')}</p>
          <p>
            <a href={status.pending.url} target="_blank" rel="noreferrer noopener">
              {t('settings.openAgain')}
            </a>
          </p>
        </div>
      )}
      <div className="actions">
        {status.address && (!status.account || status.expired) && !status.pending && (
          <button type="button" className="primary" disabled={busy} onClick={() => void signIn()}>
            {t('settings.signIn')}
          </button>
        )}
        {status.pending && (
          <button type="button" disabled={busy} onClick={() => void run(async () => useForum.getState().setStatus(await api().forum.cancelSignIn({})))}>
            {t('settings.cancel')}
          </button>
        )}
        {status.account && (
          <button type="button" disabled={busy} onClick={() => void revoke()}>
            {t('settings.revoke')}
          </button>
        )}
      </div>
      {notice && <p role="status">{notice}</p>}
      <ForumError error={error} />
    </section>
  );
}
