// Settings › Security: verifying this session with another of the member's sessions by
// emoji (SAS), as Element does, and cross-signing. Requests from Element appear here as a
// notice and open the verification dialog; the member compares the seven emoji, named in
// their language, and says whether they match.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CrossSigningView, VerificationView } from '../../../shared/contract/verification';
import { isActive } from '../../../shared/crypto/verification-state';
import { api, onEvent } from '../api/client';
import { usePlenary } from '../store';
import { toErrorData } from '../store/app-slice';
import { errorText } from '../app/error-text';
import { AccountPasswordField } from './account-password-field';
import './verification.css';

export function VerificationSettings() {
  const { t } = useTranslation('settings');
  const showError = usePlenary((s) => s.showError);
  const [list, setList] = useState<VerificationView[]>([]);
  const [openFlow, setOpenFlow] = useState<string | null>(null);
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const [deviceId, setDeviceId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();
  // Read once, then kept current by the core's verification.changed (the other device's
  // answers arrive with /sync; this device's own answers come back from the calls below).
  useEffect(() => {
    let live = true;
    const unsubscribe = onEvent((name, payload) => {
      if (name === 'verification.changed') {
        live = false; // a pushed list is newer than a read still under way
        setList((payload as { verifications: VerificationView[] }).verifications);
      }
    });
    api()
      .verification.list({})
      .then((views) => live && setList(views), () => undefined);
    return () => {
      live = false;
      unsubscribe();
    };
  }, []);
  const incoming = list.find((v) => v.stage === 'incoming' && !dismissed.has(v.flowId) && v.flowId !== openFlow);
  const open = openFlow ? (list.find((v) => v.flowId === openFlow) ?? null) : null;
  const request = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    api()
      .verification.request({ deviceId: deviceId.trim() })
      .then(
        (view) => {
          setOpenFlow(view.flowId);
          setList((now) => [...now.filter((v) => v.flowId !== view.flowId), view]);
        },
        (reason: unknown) => setError(errorText(t, toErrorData(reason))),
      );
  };
  const act = (flowId: string, action: 'accept' | 'match' | 'mismatch' | 'cancel') => {
    api()
      .verification.act({ flowId, action })
      .then((view) => setList((now) => now.map((v) => (v.flowId === view.flowId ? view : v))), showError);
  };
  return (
    <div className="verification-settings">
      <CrossSigning />
      <h3>{t('verification.title')}</h3>
      {incoming && (
        <div className="notice" role="status">
          <span>{t('verification.notice')}</span>{' '}
          <button type="button" onClick={() => setOpenFlow(incoming.flowId)}>
            {t('verification.openNotice')}
          </button>
        </div>
      )}
      <p className="hint">{t('verification.intro')}</p>
      <form onSubmit={request}>
        <label htmlFor={inputId}>{t('verification.deviceId')}</label>
        <input id={inputId} value={deviceId} onChange={(e) => setDeviceId(e.target.value)} autoComplete="off" spellCheck={false} required />
        <div className="actions">
          <button type="submit" disabled={deviceId.trim() === ''}>
            {t('verification.request')}
          </button>
        </div>
        {error && (
          <p role="alert" className="form-error">
            {error}
          </p>
        )}
      </form>
      {open && (
        <VerificationDialog
          view={open}
          onAct={(action) => act(open.flowId, action)}
          onClose={() => {
            if (isActive(open.stage) && open.stage !== 'incoming') act(open.flowId, 'cancel');
            setDismissed((now) => new Set([...now, open.flowId]));
            setOpenFlow(null);
          }}
        />
      )}
    </div>
  );
}

function VerificationDialog({ view, onAct, onClose }: { view: VerificationView; onAct: (action: 'accept' | 'match' | 'mismatch' | 'cancel') => void; onClose: () => void }) {
  const { t } = useTranslation('settings');
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    if (!dialog.current?.open) dialog.current?.showModal();
  }, []);
  const device = view.otherDeviceId ?? t('verification.unknownDevice');
  return (
    <dialog ref={dialog} className="verification-dialog" aria-labelledby={titleId} onCancel={onClose}>
      <h2 id={titleId}>{t('verification.dialogTitle')}</h2>
      <div aria-live="polite">
        {view.stage === 'incoming' && <p>{t('verification.incoming', { device })}</p>}
        {view.stage === 'waiting' && <p>{t('verification.waiting', { device })}</p>}
        {(view.stage === 'ready' || view.stage === 'starting') && <p>{t('verification.starting', { device })}</p>}
        {view.stage === 'compare' && view.emoji && (
          <>
            <p>{t('verification.compare', { device })}</p>
            <ol className="sas-emoji">
              {view.emoji.map((emoji, index) => (
                <li key={index}>
                  <span className="sas-symbol" aria-hidden="true">
                    {emoji.symbol}
                  </span>
                  <span className="sas-name">{t(`sasEmoji.${emoji.name}`)}</span>
                </li>
              ))}
            </ol>
          </>
        )}
        {view.stage === 'confirmed' && <p>{t('verification.confirmed', { device })}</p>}
        {view.stage === 'done' && <p role="status">{t('verification.done', { device })}</p>}
        {view.stage === 'cancelled' && <p role="alert">{view.cancelCode === 'm.mismatched_sas' ? t('verification.mismatched') : t('verification.cancelled')}</p>}
      </div>
      <div className="actions">
        {view.stage === 'incoming' && (
          <>
            <button type="button" onClick={() => onAct('accept')}>
              {t('verification.accept')}
            </button>
            <button type="button" onClick={() => onAct('cancel')}>
              {t('verification.decline')}
            </button>
          </>
        )}
        {view.stage === 'compare' && (
          <>
            <button type="button" onClick={() => onAct('match')}>
              {t('verification.match')}
            </button>
            <button type="button" onClick={() => onAct('mismatch')}>
              {t('verification.mismatch')}
            </button>
          </>
        )}
        {isActive(view.stage) && view.stage !== 'incoming' && view.stage !== 'compare' && (
          <button type="button" onClick={() => onAct('cancel')}>
            {t('verification.cancel')}
          </button>
        )}
        {!isActive(view.stage) && (
          <button type="button" onClick={onClose}>
            {t('verification.close')}
          </button>
        )}
      </div>
    </dialog>
  );
}

/** Cross-signing: whether it is set up and this session signed; setting it up with the password. */
function CrossSigning() {
  const { t } = useTranslation('settings');
  const [view, setView] = useState<CrossSigningView | null>(null);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Read again whenever the connection changes (a password sign-in sets cross-signing up
  // before the first sync, after this section may already have shown "not set up"), and
  // when the member's own identity changes (reset in Element): the core says so once it has
  // read the new keys from the server.
  const connection = usePlenary((s) => s.matrixStatus?.connection.status);
  const ownUserId = usePlenary((s) => s.matrixStatus?.session?.userId);
  const [identityChanges, setIdentityChanges] = useState(0);
  useEffect(
    () =>
      onEvent((name, payload) => {
        if (name === 'trust.devicesChanged' && ownUserId && (payload as { userIds: string[] }).userIds.includes(ownUserId)) setIdentityChanges((n) => n + 1);
      }),
    [ownUserId],
  );
  useEffect(() => {
    let cancelled = false;
    api()
      .verification.crossSigning({})
      .then((next) => !cancelled && setView(next), () => undefined);
    return () => {
      cancelled = true;
    };
  }, [connection, identityChanges]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    api()
      .verification.setUpCrossSigning({ password })
      .then(setView, (reason: unknown) => {
        const data = toErrorData(reason);
        setError(data.params?.reason === 'wrong_password' ? t('verification.crossSigning.wrongPassword') : errorText(t, data));
      })
      .finally(() => {
        setPassword('');
        setBusy(false);
      });
  };
  if (!view) return null;
  return (
    <div className="cross-signing">
      <h3>{t('verification.crossSigning.title')}</h3>
      <p>{view.ready ? (view.deviceSigned ? t('verification.crossSigning.ready') : t('verification.crossSigning.unsigned')) : t('verification.crossSigning.none')}</p>
      {!view.ready && (
        <form onSubmit={submit}>
          <AccountPasswordField label={t('verification.crossSigning.password')} hint={t('verification.crossSigning.passwordHint')} value={password} onChange={setPassword} required />
          <div className="actions">
            <button type="submit" disabled={busy || password === ''}>
              {busy ? t('verification.crossSigning.settingUp') : t('verification.crossSigning.setUp')}
            </button>
          </div>
          {error && (
            <p role="alert" className="form-error">
              {error}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
