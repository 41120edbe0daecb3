// First, so the socket to the core opens while everything below is still being evaluated.
import { earlyTransport, followConnectionState } from './early-start';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { installApi, onEvent } from './api/client';
import { changeLocale, initI18n, systemLocale } from './i18n';
import { usePlenary } from './store';
import { App } from './app/app';
import { subscribeToCoreEvents } from './store/core-events';
import './styles/app.css';

async function start() {
  // Boot stages, for the bench and for anyone looking at a slow start in the browser's profiler.
  performance.mark('plenary:boot');
  const root = createRoot(document.getElementById('root')!);
  // Translations load while the core is asked who we are: neither waits for the other.
  const translations = initI18n(systemLocale()).then((i18n) => (performance.mark('plenary:translations'), i18n));
  const transport = earlyTransport;
  if ('error' in transport) {
    await translations;
    const { NoTokenPage } = await import('./app/no-token-page');
    root.render(<NoTokenPage />);
    return;
  }
  followConnectionState((state) => usePlenary.getState().setConnection(state));
  const api = installApi(transport);
  subscribeToCoreEvents(onEvent);
  // Whether the core could open the data at all, asked while translations load and the
  // shell's data is fetched: one round trip before the first paint, not two. With damaged
  // data the shell's data may be refused; the recovery screen does not need it.
  const shellData = usePlenary.getState().loadApp().then(
    () => (performance.mark('plenary:core'), null),
    (error: unknown) => error,
  );
  const store = await api.data.status({});
  if (store.state === 'recovery') {
    // The core could not open the data: the recovery screen instead of the app.
    const [{ RecoveryPage }] = await Promise.all([import('./data/recovery-page'), translations]);
    root.render(
      <StrictMode>
        <RecoveryPage recovery={store.recovery} />
      </StrictMode>,
    );
    document.documentElement.dataset.ready = 'recovery';
    return;
  }
  const [, shellError] = await Promise.all([translations, shellData]);
  if (shellError) throw shellError;
  // The member's chosen language before the first paint, so the shell never shows another.
  const chosen = usePlenary.getState().settings?.values.locale;
  if (chosen && chosen !== 'system') await changeLocale(chosen);
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  // The shell is interactive: the bench and end-to-end tests wait for this mark.
  performance.mark('plenary:shell-ready');
  document.documentElement.dataset.ready = 'true';
}

void start();
