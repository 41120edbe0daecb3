// The main window. Its preferences are the core's hardened set (see hardened-window.ts);
// its navigation and permissions are decided by the core's policy.
import type { BrowserWindow as ElectronBrowserWindow } from 'electron';
import { join } from 'node:path';
import type { Logger } from '../core/log';
import { appOrigin, decideAppPagePermission, spellCheckerAllowed } from '../core/policy/app-window-policy';
import { BrowserWindow } from './hardened-window';
import { guardWebContents, mainWindowGuards } from './web-contents-guards';

export function createMainWindow(preloadPath: string, log: Logger, options: { show: boolean }): ElectronBrowserWindow {
  const window = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 520,
    show: false,
    backgroundColor: '#161718',
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: true,
      disableBlinkFeatures: 'Auxclick',
      // The preload (preload/preload.ts) is the page's only door to main: it exposes two
      // functions that accept nothing but the contract's call and event names.
      preload: preloadPath, // eng-disable PRELOAD_JS_CHECK
    },
  });
  guardWebContents(window.webContents, mainWindowGuards, log);
  const { session } = window.webContents;
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const allowed = decideAppPagePermission(permission, details.requestingUrl);
    if (!allowed) log.warn('refused a permission request', { permission, url: details.requestingUrl });
    callback(allowed);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => decideAppPagePermission(permission, requestingOrigin));
  session.setDevicePermissionHandler(() => false);
  // No dictionary downloads from third-party servers (see spellCheckerAllowed).
  session.setSpellCheckerEnabled(spellCheckerAllowed(process.platform));
  window.once('ready-to-show', () => {
    if (options.show) window.show();
  });
  void window.loadURL(`${appOrigin}/index.html`);
  return window;
}

export function preloadPathFor(appRoot: string): string {
  return join(appRoot, 'dist/preload/preload.cjs');
}
