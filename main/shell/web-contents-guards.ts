// Guards every webContents the app ever creates: no <webview>, navigation and window.open
// decided by the core's pure policy, web links sent to the system browser.
import { app, shell, type WebContents } from 'electron';
import type { Logger } from '../core/log';
import { decideMainWindowNavigation, decideMainWindowOpen } from '../core/policy/app-window-policy';

export interface GuardPolicy {
  navigation(url: string): ReturnType<typeof decideMainWindowNavigation>;
  windowOpen(url: string): ReturnType<typeof decideMainWindowOpen>;
}

export const mainWindowGuards: GuardPolicy = { navigation: decideMainWindowNavigation, windowOpen: decideMainWindowOpen };

export function guardWebContents(contents: WebContents, policy: GuardPolicy, log: Logger): void {
  contents.on('will-navigate', (event, url) => {
    const decision = policy.navigation(url);
    if (decision.action === 'allow') return;
    event.preventDefault();
    if (decision.action === 'open-external') void shell.openExternal(decision.url);
    else log.warn('blocked navigation', { url });
  });
  contents.on('will-redirect', (event, url) => {
    if (policy.navigation(url).action !== 'allow') event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    const decision = policy.windowOpen(url);
    if (decision.action === 'open-external') void shell.openExternal(decision.url);
    else if (decision.action === 'deny') log.warn('blocked window.open', { url });
    return { action: 'deny' };
  });
}

/** Refuses <webview> everywhere and guards any webContents created without an explicit policy. */
export function guardAllWebContents(log: Logger): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => {
      event.preventDefault();
      log.warn('blocked a <webview>');
    });
    contents.setWindowOpenHandler(({ url }) => {
      log.warn('blocked window.open before a policy was applied', { url });
      return { action: 'deny' };
    });
  });
}
