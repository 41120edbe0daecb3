// Settings › Security: this device's end-to-end encryption keys (its id, fingerprint and
// identity key), as Element shows a session's, so the member can compare them by hand.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EncryptionView } from '../../../shared/contract/matrix';
import { api } from '../api/client';
import { usePlenary } from '../store';
import { useMatrixStatus } from './coop-server-settings';

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
        </>
      )}
    </section>
  );
}
