// The Electron entry point. Thin by design: every decision is made by the core (see
// main/core/policy); this file only creates windows and wires events.
import { app, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { createCore, type Core } from '../core/app-core';
import { createLogger } from '../core/log';
import { ElectronSecretStore } from './secret-store.electron';
import { registerIpc } from './ipc';
import { registerAppSchemeAsPrivileged, serveRenderer } from './app-protocol';
import { createMainWindow, preloadPathFor } from './windows';
import { guardAllWebContents } from './web-contents-guards';
import { coopConfigSources } from '../core/config/coop-config';
import { startAutoUpdates } from './auto-update';
import { openInSystemBrowser } from './external-links';
import { attachUnreadBadge } from './badge';
import { ElectronMentionNotifier } from './mention-notifier';
import { mainTranslator } from '../core/i18n/translator';

const log = createLogger('shell');
const appRoot = app.getAppPath();
let core: Core | null = null;
let mainWindow: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.enableSandbox(); // every renderer sandboxed, whatever a window's preferences say
  registerAppSchemeAsPrivileged();
  guardAllWebContents(log);

  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });

  void app.whenReady().then(() => {
    const dataDir = app.getPath('userData');
    const notifier = new ElectronMentionNotifier();
    core = createCore({
      dataDir,
      runtime: 'electron',
      secrets: new ElectronSecretStore(join(dataDir, 'secrets.json')),
      version: app.getVersion(),
      log: createLogger('core'),
      // SSO sign-in opens the homeserver's login page in the system browser.
      openSystemBrowser: async (url) => openInSystemBrowser(url, log),
      coopConfigSources: coopConfigSources({ platform: process.platform, env: process.env, userDir: dataDir, ...(app.isPackaged ? { resourcesDir: process.resourcesPath } : {}) }),
      notifier,
    });
    const running = core;
    notifier.attach({
      translate: mainTranslator(running.services.settings),
      onClick: (roomId) => {
        if (mainWindow && !mainWindow.isDestroyed()) {
          mainWindow.show();
          mainWindow.focus();
        }
        running.events.emit('chat.openRoom', { roomId });
      },
    });
    // The tray's owner passes its Tray here once there is one; until then only the badge count.
    attachUnreadBadge(running, () => null);
    serveRenderer(join(appRoot, 'dist/renderer'));
    registerIpc(core, log);
    const startHidden = core.services.settings.read('startHidden');
    mainWindow = createMainWindow(preloadPathFor(appRoot), log, { show: !startHidden });
    startAutoUpdates(core.services.coop.config?.updates, log);
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('before-quit', () => {
    core?.close();
  });
}
