// The one place Plenary hands a URL to the operating system. Every caller goes through
// here, and the URL is checked against the core's policy again right before the call, so
// no code path can open file:, smb: or a custom scheme (a classic Electron escape).
import { shell } from 'electron';
import type { Logger } from '../core/log';
import { isSafeExternalUrl } from '../core/policy/app-window-policy';

export function openInSystemBrowser(url: string, log: Logger): void {
  if (!isSafeExternalUrl(url)) {
    log.warn('refused to open a link outside Plenary', { url });
    return;
  }
  // The URL is not a constant, so electronegativity asks for a review of this call: it is
  // the single reviewed call site, guarded by isSafeExternalUrl just above.
  shell.openExternal(url).catch((error: unknown) => log.warn('could not open a link', { url, message: String(error) })); // eng-disable OPEN_EXTERNAL_JS_CHECK
}
