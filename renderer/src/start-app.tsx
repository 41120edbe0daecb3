// The app's start, loaded by main.tsx once early-start.ts has asked the core for the first data.
import { earlyAnswers, earlyTransport, followConnectionState, takeEarlyEvents } from './early-start';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { onEvent } from './api/client';
import { changeLocale, initI18n, systemLocale } from './i18n';
import { usePlenary } from './store';
import { App } from './app/app';
import { subscribeToCoreEvents } from './store/core-events';

async function start() {
  // Boot stages, for the bench and for anyone looking at a slow start in the browser's profiler.
  performance.mark('plenary:boot');
  const root = createRoot(document.getElementById('root')!);
  // Translations load while the core is asked who we are: neither waits for the other.
  const translations = initI18n(systemLocale()).then((i18n) => (performance.mark('plenary:translations'), i18n));
  const transport = earlyTransport;
  if ('error' in transport || !earlyAnswers) {
    await translations;
    const { NoTokenPage } = await import('./app/no-token-page');
    root.render(<NoTokenPage />);
    return;
  }
  followConnectionState((state) => usePlenary.getState().setConnection(state));
  // What the core announced since the socket opened is handed over first, then the live events.
  subscribeToCoreEvents((listener) => {
    const stop = onEvent(listener);
    for (const [event, payload] of takeEarlyEvents()) listener(event, payload);
    return stop;
  });
  // Whether the core could open the data at all and the shell's data were asked for by
  // early-start.ts, in parallel. With damaged data the shell's data may be refused; the
  // recovery screen does not need it.
  const shellData = usePlenary.getState().loadApp(earlyAnswers).then(
    () => (performance.mark('plenary:core'), null),
    (error: unknown) => error,
  );
  const store = await earlyAnswers.status;
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
