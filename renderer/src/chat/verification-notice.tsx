// A notice wherever the member is when another of their sessions asks to verify this one;
// "Verify" opens Settings › Security, where the verification dialog is.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { onEvent } from '../api/client';
import { usePlenary } from '../store';
import './verification.css';

export function VerificationNotice() {
  const { t } = useTranslation('settings');
  const section = usePlenary((s) => s.route.section);
  const [pending, setPending] = useState<string | null>(null);
  useEffect(
    () =>
      onEvent((name, payload) => {
        if (name === 'verification.incoming') setPending((payload as { flowId: string }).flowId);
      }),
    [],
  );
  // Settings › Security shows the request itself.
  if (!pending || section === 'settings') return null;
  return (
    <div className="notice verification-notice" role="status">
      <span>{t('verification.notice')}</span>{' '}
      <button
        type="button"
        onClick={() => {
          setPending(null);
          window.location.hash = '#/settings';
        }}
      >
        {t('verification.openNotice')}
      </button>{' '}
      <button type="button" onClick={() => setPending(null)}>
        {t('verification.dismiss')}
      </button>
    </div>
  );
}
