// The main window. Its settings come from the core's hardened preferences; its
// navigation is guarded by the core's policy.
import { BrowserWindow } from 'electron';
import { join } from 'node:path';
import type { Logger } from '../core/log';
import { appOrigin, hardenedWebPreferences } from '../core/policy/app-window-policy';
import { guardWebContents, mainWindowGuards } from './web-contents-guards';

export function createMainWindow(preloadPath: string, log: Logger, options: { show: boolean }): BrowserWindow {
  const window = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 520,
    show: false,
    backgroundColor: '#161718',
    webPreferences: { ...hardenedWebPreferences, preload: preloadPath },
  });
  guardWebContents(window.webContents, mainWindowGuards, log);
  window.webContents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  window.webContents.session.setPermissionCheckHandler(() => false);
  window.once('ready-to-show', () => {
    if (options.show) window.show();
  });
  void window.loadURL(`${appOrigin}/index.html`);
  return window;
}

export function preloadPathFor(appRoot: string): string {
  return join(appRoot, 'dist/preload/preload.cjs');
}
