import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { installApi, onEvent } from './api/client';
import { chooseTransport } from './api/transport';
import { initI18n, systemLocale } from './i18n';
import { usePlenary } from './store';
import { App } from './app/app';
import { subscribeToCoreEvents } from './store/core-events';
import './styles/app.css';

async function start() {
  const root = createRoot(document.getElementById('root')!);
  await initI18n(systemLocale());
  const transport = chooseTransport((state) => usePlenary.getState().setConnection(state));
  if ('error' in transport) {
    const { NoTokenPage } = await import('./app/no-token-page');
    root.render(<NoTokenPage />);
    return;
  }
  const api = installApi(transport);
  subscribeToCoreEvents(onEvent);
  const store = await api.data.status({});
  if (store.state === 'recovery') {
    // The core could not open the data: the recovery screen instead of the app.
    const { RecoveryPage } = await import('./data/recovery-page');
    root.render(
      <StrictMode>
        <RecoveryPage recovery={store.recovery} />
      </StrictMode>,
    );
    document.documentElement.dataset.ready = 'recovery';
    return;
  }
  await usePlenary.getState().loadApp();
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
