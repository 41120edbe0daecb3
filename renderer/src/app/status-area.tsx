import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePlenary } from '../store';
import { ConnectionLine } from '../chat/connection-line';
import { useMatrixStatus } from '../chat/coop-server-settings';
import { SyncStatusLine } from '../sync/sync-status';

/**
 * Where the app says how it is connected, and how governance sync stands. Only the
 * connection sentence is a live region: it changes when the state does. The sync line
 * (pending count, upload progress, Sync now) changes too often to be read out each time;
 * it announces its own state changes.
 *
 * Between 720 and 980 px the navigation keeps only its icons, too narrow for sentences: there
 * the area is a dot in the state's colour (app.css), a button that opens the same sentences
 * and Sync now in a panel beside the navigation; Escape or a click elsewhere closes it.
 * Wider, the button is not shown and the panel is simply there.
 */
export function StatusArea() {
  const { t } = useTranslation();
  const connection = usePlenary((s) => s.connection);
  const matrix = useMatrixStatus();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const area = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    const closeOutside = (event: MouseEvent) => {
      if (!area.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', closeOutside);
    return () => document.removeEventListener('mousedown', closeOutside);
  }, [open]);
  return (
    <div
      ref={area}
      className={open ? 'status-area status-open' : 'status-area'}
      onKeyDown={(event) => {
        if (event.key !== 'Escape' || !open) return;
        setOpen(false);
        toggle.current?.focus();
      }}
    >
      <button ref={toggle} type="button" className="status-toggle" aria-expanded={open} aria-controls={panelId} aria-describedby={panelId} title={t('connection.details')} onClick={() => setOpen((now) => !now)}>
        <span className="status-dot" aria-hidden="true" />
        <span className="visually-hidden">{t('connection.details')}</span>
      </button>
      <div id={panelId} className="status-panel">
        <div role="status" aria-live="polite">
          {connection === 'lost' ? (
            <p className="status-lost">{t('connection.lost')}</p>
          ) : matrix?.session ? (
            <ConnectionLine status={matrix} />
          ) : (
            <p className="muted">{t('connection.localOnly')}</p>
          )}
        </div>
        {connection !== 'lost' && matrix?.session && <SyncStatusLine />}
      </div>
    </div>
  );
}
