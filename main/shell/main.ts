// The Electron entry point. Thin by design: every decision is made by the core (see
// main/core/policy); this file only creates windows and wires events.
import { app, dialog, Notification, shell, type BrowserWindow } from 'electron';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCore, type Core } from '../core/app-core';
import { cryptoStoresSettled } from '../core/crypto/crypto-engine';
import { createLogger } from '../core/log';
import { decideDeepLinkJoin, type DeepLinkAction } from '../core/policy/deep-link';
import { loginItemPlan, startsHidden } from '../core/policy/login-item';
import { screenSharePicker } from '../core/policy/screen-share';
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
import { createTranslator, mainTranslator, resolveLocale } from '../core/i18n/translator';
import { traySyncSource } from '../core/sync/tray-status';
import { createMeetingWindows, type MeetingWindows } from './meeting-window';
import { registerDeepLinks } from './protocol';
import { createTray, type PlenaryTray } from './tray';

const log = createLogger('shell');
const appRoot = app.getAppPath();
let core: Core | null = null;
let mainWindow: BrowserWindow | null = null;
let meetingWindows: MeetingWindows | null = null;
let tray: PlenaryTray | null = null;
let quitting = false;

function showMainWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

/** Start at login: the system's login items on macOS and Windows, an XDG autostart entry on Linux. */
function applyLoginItem(enabled: boolean): void {
  try {
    const plan = loginItemPlan(process.platform, enabled, process.env.APPIMAGE ?? process.execPath);
    if (plan.kind === 'electron') {
      app.setLoginItemSettings(plan.settings);
      return;
    }
    const dir = join(app.getPath('appData'), 'autostart');
    if (plan.content === null) rmSync(join(dir, plan.fileName), { force: true });
    else {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, plan.fileName), plan.content);
    }
  } catch (error) {
    log.warn('could not change start at login', { reason: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * Opens a meeting a link asked for, when its host is a meeting host. Any other host is
 * refused in words (naming the setting, or the coop's configuration when coop.json decides)
 * and offered to the system browser; a link never adds a host.
 */
async function openDeepLink(action: DeepLinkAction): Promise<void> {
  if (!core) return;
  if (action.kind === 'discourse-auth') {
    // The forum's answer to a sign-in started in Settings › Forum; the page shows the outcome.
    showMainWindow();
    await core.services.forum.completeSignIn(action.payload);
    return;
  }
  const meetings = core.services.meetings;
  const room = action.kind === 'join-room' ? meetings.findRoom(action.roomId) : null;
  if (action.kind === 'join-room' && !room) {
    log.warn('ignored a link to a room none of the circles has', { roomId: action.roomId });
    return;
  }
  const url = room ? room.url : action.kind === 'join-link' ? action.link.url : '';
  const decision = decideDeepLinkJoin(url, meetings.hosts());
  if (decision.kind === 'refuse') {
    log.info('refused a link to a host that is not a meeting host', { host: decision.host, decidedBy: decision.decidedBy });
    const t = meetings.translator();
    const { response } = await dialog.showMessageBox({
      type: 'warning',
      title: t('meetings:deepLink.title'),
      message: t(decision.decidedBy === 'coop' ? 'meetings:hostRefused.coop' : 'meetings:hostRefused.member', { host: decision.host }),
      detail: t('meetings:deepLink.detail'),
      buttons: [t('meetings:deepLink.openInBrowser'), t('meetings:deepLink.cancel')],
      defaultId: 1,
      cancelId: 1,
      noLink: true,
    });
    if (response === 0) openInSystemBrowser(decision.url, log);
    return;
  }
  await meetings.join(room ? { kind: 'room', circleId: room.circleId, roomId: room.roomId } : { kind: 'link', url });
}

/**
 * createCore does not throw on a bad store (it starts in recovery); anything else that stops
 * the start is said in a dialog before quitting, so a start never ends silently with the
 * single-instance lock held.
 */
function explainStartFailure(error: unknown): void {
  const reason = error instanceof Error ? error.message : String(error);
  log.error('Plenary could not start', { reason, stack: error instanceof Error ? error.stack : undefined });
  const t = createTranslator(resolveLocale('system', app.getPreferredSystemLanguages()), 'data');
  dialog.showErrorBox(t('data:startFailed.title'), t('data:startFailed.message', { detail: reason }));
  app.quit();
}

/** The store could not be opened: only the main window, whose page shows the recovery screen; closing it quits. */
function showRecoveryWindow(recovering: Core): void {
  serveRenderer(join(appRoot, 'dist/renderer'));
  registerIpc(recovering, log);
  mainWindow = createMainWindow(preloadPathFor(appRoot), log, { show: true });
  mainWindow.on('closed', () => app.quit());
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.enableSandbox(); // every renderer sandboxed, whatever a window's preferences say
  registerAppSchemeAsPrivileged();
  guardAllWebContents(log);
  const deepLinks = registerDeepLinks(log);

  app.on('second-instance', (_event, argv) => {
    // A second launch with a link opens the meeting; without one it brings Plenary forward.
    if (!deepLinks.handleArgv(argv)) showMainWindow();
  });

  void app.whenReady().then(() => {
    const dataDir = app.getPath('userData');
    const notifier = new ElectronMentionNotifier();
    const services = createCore({
      dataDir,
      runtime: 'electron',
      secrets: new ElectronSecretStore(join(dataDir, 'secrets.json')),
      version: app.getVersion(),
      log: createLogger('core'),
      // SSO sign-in opens the homeserver's login page in the system browser.
      openSystemBrowser: async (url) => openInSystemBrowser(url, log),
      // Chat files: saved into Downloads; opened (after the core's open policy) or shown in their folder.
      media: {
        downloadsDir: app.getPath('downloads'),
        openPath: async (path) => {
          const problem = await shell.openPath(path);
          if (problem) throw new Error(problem);
        },
        showItemInFolder: (path) => shell.showItemInFolder(path),
      },
      coopConfigSources: coopConfigSources({ platform: process.platform, env: process.env, userDir: dataDir, ...(app.isPackaged ? { resourcesDir: process.resourcesPath } : {}) }),
      notifier,
      systemLanguages: () => app.getPreferredSystemLanguages(),
      // A restore or a recovery opens the store again in a fresh process, which wires every window anew.
      restartProcess: () => {
        app.relaunch();
        app.quit();
      },
      quit: () => app.quit(),
    });
    core = services;
    if (services.state === 'recovery') {
      showRecoveryWindow(services);
      return;
    }
    notifier.attach({
      translate: mainTranslator(services.services.settings),
      onClick: (roomId) => {
        showMainWindow();
        services.events.emit('chat.openRoom', { roomId });
      },
    });
    serveRenderer(join(appRoot, 'dist/renderer'));
    registerIpc(services, log);

    meetingWindows = createMeetingWindows({
      log,
      translate: () => services.services.meetings.translator(),
      onChange: () => tray?.refresh(),
      hosts: () => services.services.meetings.hosts(),
      screenSharePicker: screenSharePicker({
        platform: process.platform,
        env: process.env,
        enableFeatures: app.commandLine.getSwitchValue('enable-features'),
        disableFeatures: app.commandLine.getSwitchValue('disable-features'),
      }),
    });
    services.services.meetings.attachLauncher(meetingWindows);
    services.services.meetings.onReminder((reminder) => {
      if (!Notification.isSupported()) return;
      const notification = new Notification({ title: reminder.title, body: reminder.body });
      const roomId = reminder.roomId;
      if (roomId) notification.on('click', () => void services.services.meetings.join({ kind: 'room', circleId: reminder.circleId, roomId }).catch(() => {}));
      notification.show();
    });

    const settings = services.services.settings;
    const hidden = startsHidden(settings.read('startHidden'), process.argv, process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin);
    mainWindow = createMainWindow(preloadPathFor(appRoot), log, { show: !hidden });
    // Closing the main window keeps Plenary in the tray (and any call going); Quit ends it.
    mainWindow.on('close', (event) => {
      if (quitting) return;
      event.preventDefault();
      mainWindow?.hide();
    });

    tray = createTray({
      core: services,
      log,
      meetings: meetingWindows,
      assetsDir: join(appRoot, 'dist/main/assets'),
      sync: traySyncSource(services.services.sync),
      showMainWindow,
      quit: () => app.quit(),
    });
    attachUnreadBadge(services);

    let startAtLogin = settings.read('startAtLogin');
    applyLoginItem(startAtLogin);
    services.events.subscribe((name, payload) => {
      if (name !== 'settings.changed') return;
      const next = (payload as { values: { startAtLogin: boolean } }).values.startAtLogin;
      if (next !== startAtLogin) applyLoginItem((startAtLogin = next));
    });

    deepLinks.ready((action) => {
      openDeepLink(action).catch((error: unknown) => log.warn('could not act on a plenary:// link', { kind: action.kind, reason: error instanceof Error ? error.message : String(error) }));
    });
    deepLinks.handleArgv(process.argv);
    startAutoUpdates(services.services.coop.config?.updates, log);
  }).catch(explainStartFailure);

  // The tray keeps Plenary running with no window open; Quit in the tray menu ends it.
  app.on('window-all-closed', () => {});

  app.on('before-quit', () => {
    quitting = true;
    tray?.destroy();
    core?.close();
  });

  // The crypto store is written as the core closes: quit once it is on disk.
  let cryptoSettled = false;
  app.on('will-quit', (event) => {
    if (cryptoSettled) return;
    event.preventDefault();
    void cryptoStoresSettled().finally(() => {
      cryptoSettled = true;
      app.quit();
    });
  });
}
