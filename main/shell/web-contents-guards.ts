// Guards every webContents the app ever creates. Each one gets navigation, redirect and
// window.open guards the moment it exists; they consult the policy its window registered
// with guardWebContents(), and until then (or for any webContents nobody registered, such
// as a stray popup) they refuse everything. <webview> is refused everywhere.
import { app, type WebContents } from 'electron';
import type { Logger } from '../core/log';
import { decideMainWindowNavigation, decideMainWindowOpen, type NavigationDecision } from '../core/policy/app-window-policy';
import { openInSystemBrowser } from './external-links';

export interface GuardPolicy {
  navigation(url: string): NavigationDecision;
  windowOpen(url: string): NavigationDecision;
}

export const mainWindowGuards: GuardPolicy = { navigation: decideMainWindowNavigation, windowOpen: decideMainWindowOpen };

const denyEverything: GuardPolicy = { navigation: () => ({ action: 'deny' }), windowOpen: () => ({ action: 'deny' }) };
const policies = new WeakMap<WebContents, GuardPolicy>();
const guarded = new WeakSet<WebContents>();

/**
 * Gives a window's webContents its navigation policy (the default refuses everything).
 * window.open never creates an Electron window, whatever the policy: at most the link
 * opens in the system browser.
 */
export function guardWebContents(contents: WebContents, policy: GuardPolicy, log: Logger): void {
  if (policies.has(contents)) log.warn('replaced the navigation policy of a window; each window should set it once');
  policies.set(contents, policy);
  applyGuards(contents, log); // normally done already by guardAllWebContents
}

function applyGuards(contents: WebContents, log: Logger): void {
  if (guarded.has(contents)) return;
  guarded.add(contents);
  const policyOf = () => policies.get(contents) ?? denyEverything;
  contents.on('will-navigate', (event, url) => {
    const decision = policyOf().navigation(url);
    if (decision.action === 'allow') return;
    event.preventDefault();
    if (decision.action === 'open-external') openInSystemBrowser(decision.url, log);
    else log.warn('blocked navigation', { url });
  });
  contents.on('will-redirect', (event, url) => {
    if (policyOf().navigation(url).action === 'allow') return;
    event.preventDefault();
    log.warn('blocked redirect', { url });
  });
  contents.setWindowOpenHandler(({ url }) => {
    const decision = policyOf().windowOpen(url);
    if (decision.action === 'open-external') openInSystemBrowser(decision.url, log);
    else if (decision.action === 'deny') log.warn('blocked window.open', { url });
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('blocked a <webview>');
  });
}

/** Call once, before any window exists. */
export function guardAllWebContents(log: Logger): void {
  app.on('web-contents-created', (_event, contents) => applyGuards(contents, log));
}
