// Settings › Coop server: find the homeserver from a Matrix ID, sign in with a password or
// single sign-on in the system browser, see the sync state, pause it, sign out. A coop.json
// (README, "Pre-configure your coop") names the coop and fills in its homeserver.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { HomeserverDiscovery, MatrixStatusView } from '../../../shared/contract/matrix';
import type { CoopConfig } from '../../../shared/coop-config';
import type { PlenaryErrorData } from '../../../shared/errors';
import { api } from '../api/client';
import { usePlenary } from '../store';
import { toErrorData } from '../store/app-slice';
import { errorText } from '../app/error-text';
import { ConnectionLine } from './connection-line';
import './chat.css';

/** Sign-in failures carry params.reason; those get a sentence of their own. */
export function signInErrorText(t: TFunction, error: PlenaryErrorData): string {
  const reason = error.params?.reason;
  const known = ['wrong_password', 'deactivated', 'rate_limited', 'refused', 'unreachable', 'no_homeserver', 'insecure', 'bad_format', 'browser', 'signed_out'];
  if (typeof reason === 'string' && known.includes(reason)) {
    return t(`chat:signInErrors.${reason}`, { ...error.params, detail: String(error.params?.detail ?? error.message) });
  }
  return errorText(t, error);
}

export function useMatrixStatus(): MatrixStatusView | null {
  const status = usePlenary((s) => s.matrixStatus);
  const load = usePlenary((s) => s.loadMatrixStatus);
  const showError = usePlenary((s) => s.showError);
  useEffect(() => {
    if (!status) load().catch(showError);
  }, [status, load, showError]);
  return status;
}

/** The coop's pre-configuration; null until known, { config: null } without a coop.json. */
function useCoopConfig(): { config: CoopConfig | null } | null {
  const showError = usePlenary((s) => s.showError);
  const [coop, setCoop] = useState<{ config: CoopConfig | null } | null>(null);
  useEffect(() => {
    api()
      .coop.config({})
      .then(
        (view) => setCoop({ config: view.config }),
        (error: unknown) => {
          setCoop({ config: null });
          showError(error);
        },
      );
  }, [showError]);
  return coop;
}

function SignInForm({ status, coop }: { status: MatrixStatusView; coop: CoopConfig | null }) {
  const { t } = useTranslation('chat');
  const ids = { input: useId(), user: useId(), password: useId(), hint: useId() };
  // coop.json's homeserver fills the field in; its server name shows what a member ID there looks like.
  const [input, setInput] = useState(status.session?.userId ?? coop?.matrix?.homeserver ?? '');
  const serverName = coop?.matrix?.serverName;
  const [discovery, setDiscovery] = useState<HomeserverDiscovery | null>(null);
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<PlenaryErrorData | null>(null);
  const [ssoLink, setSsoLink] = useState<string | null>(null);

  const find = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setDiscovery(null);
    try {
      const found = await api().matrix.discover({ input });
      setDiscovery(found);
      setUser(found.user ?? '');
    } catch (e) {
      setError(toErrorData(e));
    } finally {
      setBusy(false);
    }
  };

  const signIn = async (event: FormEvent) => {
    event.preventDefault();
    if (!discovery) return;
    setBusy(true);
    setError(null);
    try {
      usePlenary.getState().setMatrixStatus(await api().matrix.signInWithPassword({ homeserverUrl: discovery.homeserverUrl, user, password }));
      setPassword('');
    } catch (e) {
      setError(toErrorData(e));
    } finally {
      setBusy(false);
    }
  };

  const startSso = async (identityProviderId?: string) => {
    if (!discovery) return;
    setError(null);
    try {
      const started = await api().matrix.startSso({ homeserverUrl: discovery.homeserverUrl, ...(identityProviderId ? { identityProviderId } : {}) });
      if (!started.openedExternally) {
        // In the browser bridge the page opens the homeserver's sign-in page itself.
        window.open(started.url, '_blank', 'noopener');
        setSsoLink(started.url);
      }
    } catch (e) {
      setError(toErrorData(e));
    }
  };

  const ssoWaiting = status.sso.state === 'waiting';
  const ssoFailed = status.sso.state === 'failed' ? status.sso.reason : null;

  return (
    <>
      <form onSubmit={find} className="field">
        <label htmlFor={ids.input}>{t('server.findLabel')}</label>
        <input
          id={ids.input}
          type="text"
          value={input}
          onChange={(e) => setInput(e.target.value)}
          placeholder={serverName ? t('server.findPlaceholderFor', { server: serverName }) : t('server.findPlaceholder')}
          aria-describedby={ids.hint}
          autoComplete="username"
          spellCheck={false}
          required
        />
        <button type="submit" disabled={busy || input.trim() === ''}>
          {t('server.find')}
        </button>
        <p id={ids.hint} className="hint">
          {t('server.findHint')}
        </p>
      </form>

      {discovery && (
        <div role="status" className="discovery">
          <p>{t(`server.found.${discovery.source}`, { url: discovery.homeserverUrl, server: discovery.serverName ?? '' })}</p>
          {!discovery.flows.password && !discovery.flows.sso && <p>{t('server.noFlows')}</p>}
        </div>
      )}

      {discovery?.flows.password && (
        <form onSubmit={signIn}>
          <div className="field">
            <label htmlFor={ids.user}>{t('server.user')}</label>
            <input id={ids.user} type="text" value={user} onChange={(e) => setUser(e.target.value)} autoComplete="username" spellCheck={false} required />
          </div>
          <div className="field">
            <label htmlFor={ids.password}>{t('server.password')}</label>
            <input id={ids.password} type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" required />
          </div>
          <div className="actions">
            <button type="submit" className="primary" disabled={busy || user.trim() === '' || password === ''}>
              {t('server.signIn')}
            </button>
          </div>
        </form>
      )}

      {discovery?.flows.sso && (
        <div className="actions">
          {discovery.flows.identityProviders.length === 0 ? (
            <button type="button" onClick={() => void startSso()} disabled={ssoWaiting}>
              {t('server.sso')}
            </button>
          ) : (
            discovery.flows.identityProviders.map((idp) => (
              <button key={idp.id} type="button" onClick={() => void startSso(idp.id)} disabled={ssoWaiting}>
                {t('server.ssoWith', { name: idp.name })}
              </button>
            ))
          )}
        </div>
      )}

      {ssoWaiting && (
        <div role="status" className="sso-waiting">
          <p>{t('server.ssoWaiting')}</p>
          {ssoLink && (
            <p>
              <a href={ssoLink} target="_blank" rel="noopener noreferrer">
                {t('server.ssoOpenAgain')}
              </a>
            </p>
          )}
          <button type="button" onClick={() => void api().matrix.cancelSso({}).then(usePlenary.getState().setMatrixStatus)}>
            {t('common:cancel')}
          </button>
        </div>
      )}
      {ssoFailed && (
        <p role="alert" className="form-error">
          {t(`server.ssoFailed.${ssoFailed === 'timeout' || ssoFailed === 'browser' ? ssoFailed : 'other'}`)}
        </p>
      )}
      {error && (
        <p role="alert" className="form-error">
          {signInErrorText(t, error)}
        </p>
      )}
    </>
  );
}

/** The signed-in part of Settings › Coop server; exported for its unit test. */
export function SignedIn({ status }: { status: MatrixStatusView }) {
  const { t } = useTranslation('chat');
  const { t: ts } = useTranslation('settings');
  const showError = usePlenary((s) => s.showError);
  const setMatrixStatus = usePlenary((s) => s.setMatrixStatus);
  const elementId = useId();
  const [elementUrl, setElementUrl] = useState(status.elementUrl);
  const [busy, setBusy] = useState(false);
  const session = status.session!;
  const run = (action: () => Promise<MatrixStatusView>) => {
    setBusy(true);
    action()
      .then(setMatrixStatus, showError)
      .finally(() => setBusy(false));
  };
  return (
    <>
      <p>{t('server.signedInAs', { user: session.userId, server: session.homeserverUrl })}</p>
      <p className="muted">{t('server.device', { device: session.deviceId })}</p>
      <ConnectionLine status={status} detail />
      {status.tokenStorage === 'memory' && <p className="token-storage-notice">{ts('secrets.memoryOnly')}</p>}
      <div className="actions">
        {status.paused ? (
          <button type="button" disabled={busy} onClick={() => run(() => api().matrix.connect({}))}>
            {t('server.resume')}
          </button>
        ) : (
          <button type="button" disabled={busy} onClick={() => run(() => api().matrix.disconnect({}))}>
            {t('server.pause')}
          </button>
        )}
        <button type="button" className="danger" disabled={busy} onClick={() => run(() => api().matrix.signOut({}))}>
          {t('server.signOut')}
        </button>
      </div>
      <p className="hint">{t('server.signOutHint')}</p>
      <form
        className="field"
        onSubmit={(e) => {
          e.preventDefault();
          run(() => api().matrix.setElementUrl({ url: elementUrl.trim() }));
        }}
      >
        <label htmlFor={elementId}>{t('server.elementUrl')}</label>
        <input id={elementId} type="url" value={elementUrl} onChange={(e) => setElementUrl(e.target.value)} spellCheck={false} required />
        <button type="submit" disabled={busy || elementUrl.trim() === status.elementUrl}>
          {t('common:save')}
        </button>
      </form>
    </>
  );
}

/** "Set up for meet.coop", with the coop's website when coop.json gives one. */
function CoopLine({ coop }: { coop: CoopConfig }) {
  const { t } = useTranslation('chat');
  return (
    <p className="hint">
      {t('server.coop', { name: coop.coop.name })}
      {coop.coop.website && (
        <>
          {' '}
          <a href={coop.coop.website} target="_blank" rel="noopener noreferrer">
            {t('server.coopWebsite', { name: coop.coop.name })}
          </a>
        </>
      )}
    </p>
  );
}

export function CoopServerSettings() {
  const { t } = useTranslation('chat');
  const status = useMatrixStatus();
  const coop = useCoopConfig();
  const code = status?.connection.status === 'error' ? status.connection.code : null;
  const expired = code === 'session_expired' || code === 'token_not_kept';
  return (
    <section className="card coop-server" aria-labelledby="coop-server-title">
      <h2 id="coop-server-title">{t('server.title')}</h2>
      {coop?.config && <CoopLine coop={coop.config} />}
      {!status || !coop ? (
        <p>{t('common:loading')}</p>
      ) : status.session && !expired ? (
        <SignedIn status={status} />
      ) : (
        <>
          <p className="hint">{code === 'token_not_kept' ? t('server.tokenNotKept') : expired ? t('server.expired') : t('server.intro')}</p>
          <SignInForm status={status} coop={coop.config} />
        </>
      )}
    </section>
  );
}
