// Guards every webContents the app ever creates. Each one gets navigation, redirect and
// window.open guards the moment it exists; they consult the one policy its window
// registered with guardWebContents(), and until then (or for any webContents nobody
// registered, such as a stray popup) they refuse everything. No window adds listeners of
// its own, so nothing can contradict the policy. <webview> is refused everywhere.
import { app, type WebContents } from 'electron';
import type { Logger } from '../core/log';
import { decideMainWindowNavigation, decideMainWindowOpen, type NavigationDecision } from '../core/policy/app-window-policy';
import { openInSystemBrowser } from './external-links';
import { forLog } from '../core/policy/deep-link';

/**
 * What a policy answers. Besides the core's navigation decisions, a window can take over:
 * the navigation or window.open is stopped and `run` does what the window decided instead
 * (the meeting window closes when the call ends, or opens a breakout room's window).
 */
export type GuardDecision = NavigationDecision | { action: 'take-over'; run(): void };

export interface NavigationContext {
  /** True for server redirects (will-redirect), false for navigations the page starts. */
  redirect: boolean;
  /** False for frames inside the page. */
  mainFrame: boolean;
}

export interface GuardPolicy {
  navigation(url: string, context: NavigationContext): GuardDecision;
  windowOpen(url: string): GuardDecision;
}

export const mainWindowGuards: GuardPolicy = { navigation: (url) => decideMainWindowNavigation(url), windowOpen: decideMainWindowOpen };

const denyEverything: GuardPolicy = { navigation: () => ({ action: 'deny' }), windowOpen: () => ({ action: 'deny' }) };
const policies = new WeakMap<WebContents, GuardPolicy>();
const guarded = new WeakSet<WebContents>();

/**
 * Gives a window's webContents its navigation policy (the default refuses everything).
 * window.open never lets Electron create a window: at most the link opens in the system
 * browser, or the policy takes over and opens a window of its own making.
 */
export function guardWebContents(contents: WebContents, policy: GuardPolicy, log: Logger): void {
  if (policies.has(contents)) log.warn('replaced the navigation policy of a window; each window should set it once');
  policies.set(contents, policy);
  applyGuards(contents, log); // normally done already by guardAllWebContents
}

interface NavigationEvent {
  preventDefault(): void;
  url?: string;
  isMainFrame?: boolean;
}

function applyGuards(contents: WebContents, log: Logger): void {
  if (guarded.has(contents)) return;
  guarded.add(contents);
  const policyOf = () => policies.get(contents) ?? denyEverything;
  // Electron passes the URL both on the event (current API) and as the second argument (older one).
  const onNavigation = (redirect: boolean) => (event: NavigationEvent, legacyUrl?: unknown) => {
    const url = event.url ?? (typeof legacyUrl === 'string' ? legacyUrl : '');
    const decision = policyOf().navigation(url, { redirect, mainFrame: event.isMainFrame !== false });
    if (decision.action === 'allow') return;
    event.preventDefault();
    if (decision.action === 'take-over') decision.run();
    else if (decision.action === 'open-external' && !redirect) openInSystemBrowser(decision.url, log);
    else log.warn(redirect ? 'blocked redirect' : 'blocked navigation', { url: forLog(url) }); // shortened: join URLs carry a checksum
  };
  contents.on('will-navigate', onNavigation(false) as never);
  contents.on('will-redirect', onNavigation(true) as never);
  contents.setWindowOpenHandler(({ url }) => {
    const decision = policyOf().windowOpen(url);
    if (decision.action === 'open-external') openInSystemBrowser(decision.url, log);
    else if (decision.action === 'take-over') decision.run();
    else log.warn('blocked window.open', { url: forLog(url) });
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
