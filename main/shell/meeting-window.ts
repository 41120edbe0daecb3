// The meeting window: one call at a time, in its own window and session partition. Every
// decision comes from the core (meeting-window-policy.ts, permission-policy.ts); this file
// wires them into Electron: navigation and redirects, window.open, permission requests and
// checks, screen sharing through a screen and window picker, and keeping the display awake
// during the call. The call lives on when the main window is closed.
import { desktopCapturer, dialog, powerSaveBlocker, session as electronSession, type BrowserWindow as ElectronBrowserWindow, type Session } from 'electron';
import { BrowserWindow } from './hardened-window';
import { openInSystemBrowser } from './external-links';
import type { Logger } from '../core/log';
import type { Translate } from '../core/i18n/translator';
import type { MeetingLauncher } from '../core/meetings/meetings-service';
import { forLog } from '../core/policy/deep-link';
import {
  decideMeetingNavigation,
  decideMeetingWindowOpen,
  meetingPartition,
  shouldBlockDisplaySleep,
  startMeetingSession,
  type MeetingSession,
} from '../core/policy/meeting-window-policy';
import { decideMeetingPermission, displayPickerModel } from '../core/policy/permission-policy';

export interface MeetingWindows extends MeetingLauncher {
  isInCall(): boolean;
  /** Ends the call: closes the meeting window. */
  leave(): void;
}

interface Current {
  window: ElectronBrowserWindow;
  session: MeetingSession;
  blocker: number | null;
}

export function createMeetingWindows(options: { log: Logger; translate: () => Translate; onChange: () => void }): MeetingWindows {
  const { log } = options;
  let current: Current | null = null;
  let sessionReady = false;

  const origins = () => current?.session.origins ?? [];

  /** Forgets the call: lets the display sleep again and tells the tray. */
  const release = (ended: Current) => {
    if (ended.blocker !== null) powerSaveBlocker.stop(ended.blocker);
    ended.blocker = null;
    if (current === ended) current = null;
    options.onChange();
  };

  const updateSleepBlock = () => {
    if (!current) return;
    const block = shouldBlockDisplaySleep(current.session);
    if (block && current.blocker === null) current.blocker = powerSaveBlocker.start('prevent-display-sleep');
    if (!block && current.blocker !== null) {
      powerSaveBlocker.stop(current.blocker);
      current.blocker = null;
    }
  };

  const setSession = (next: MeetingSession) => {
    if (!current) return;
    const wasInCall = current.session.inCall;
    current.session = next;
    updateSleepBlock();
    if (wasInCall !== next.inCall) options.onChange();
  };

  /** Handlers belong to the partition, so they are set once and read the current call's origins. */
  const prepareSession = (ses: Session) => {
    if (sessionReady) return;
    sessionReady = true;
    ses.setPermissionRequestHandler((contents, permission, callback, details) => {
      const granted =
        current !== null &&
        contents === current.window.webContents &&
        decideMeetingPermission(
          { permission, requestingUrl: details.requestingUrl, isRequest: true, ...('mediaTypes' in details && details.mediaTypes ? { mediaTypes: details.mediaTypes } : {}) },
          origins(),
        );
      if (!granted) log.warn('denied a permission request in the meeting window', { permission, url: forLog(details.requestingUrl) });
      callback(granted);
    });
    ses.setPermissionCheckHandler((contents, permission, requestingOrigin, details) => {
      if (!current || (contents !== null && contents !== current.window.webContents)) return false;
      return decideMeetingPermission({ permission, requestingUrl: requestingOrigin, isRequest: false, ...(details.mediaType ? { mediaTypes: [details.mediaType] } : {}) }, origins());
    });
    ses.setDisplayMediaRequestHandler((request, callback) => {
      const win = current?.window;
      if (!win || !decideMeetingPermission({ permission: 'display-capture', requestingUrl: request.securityOrigin, isRequest: true }, origins())) {
        log.warn('denied screen sharing in the meeting window', { origin: forLog(request.securityOrigin) });
        callback({});
        return;
      }
      const t = options.translate();
      void desktopCapturer
        .getSources({ types: ['screen', 'window'] })
        .then(async (sources) => {
          const model = displayPickerModel(sources.map((s) => ({ id: s.id, name: s.name })), t);
          const { response } = await dialog.showMessageBox(win, {
            type: 'question',
            title: t('meetings:share.title'),
            message: t('meetings:share.message'),
            buttons: model.buttons,
            cancelId: model.cancelId,
            defaultId: 0,
            noLink: true,
          });
          const source = sources.find((s) => s.id === model.sourceIds[response]);
          callback(source ? { video: source } : {});
        })
        .catch((error: unknown) => {
          log.error('screen sharing picker failed', { reason: error instanceof Error ? error.message : String(error) });
          callback({});
        });
    });
  };

  const guard = (win: ElectronBrowserWindow) => {
    const contents = win.webContents;
    const navigate = (event: { preventDefault(): void }, url: string, redirect: boolean) => {
      if (!current || current.window !== win) return event.preventDefault();
      const decision = decideMeetingNavigation(current.session, url, { redirect });
      switch (decision.action) {
        case 'allow':
          setSession(decision.session);
          return;
        case 'leave':
          event.preventDefault();
          log.info('left the meeting', { url: forLog(url) });
          win.close();
          return;
        case 'open-external':
          event.preventDefault();
          openInSystemBrowser(decision.url, log);
          return;
        case 'deny':
          event.preventDefault();
          log.warn('blocked navigation in the meeting window', { reason: decision.reason });
      }
    };
    contents.on('will-navigate', (event) => navigate(event, event.url, false));
    contents.on('will-redirect', (event) => {
      if (event.isMainFrame) navigate(event, event.url, true);
    });
    contents.setWindowOpenHandler(({ url }) => {
      const decision = decideMeetingWindowOpen(url);
      if (decision.action === 'open-external') openInSystemBrowser(decision.url, log);
      else log.warn('blocked window.open in the meeting window', { url: forLog(url) });
      return { action: 'deny' };
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  };

  const open: MeetingLauncher['open'] = ({ url, title }) => {
    if (current && !current.window.isDestroyed()) {
      if (current.session.startUrl === url) {
        current.window.show();
        current.window.focus();
        return;
      }
      // One call at a time: joining another room leaves this one.
      const previous = current;
      release(previous);
      previous.window.close();
    }
    const session = startMeetingSession(url);
    if (!session) {
      log.warn('refused to open a meeting window for a non-web URL', { url: forLog(url) });
      return;
    }
    prepareSession(electronSession.fromPartition(meetingPartition));
    const win = new BrowserWindow({
      width: 1280,
      height: 820,
      minWidth: 640,
      minHeight: 480,
      title: options.translate()('meetings:window.title', { name: title }),
      backgroundColor: '#161718',
      autoHideMenuBar: true,
      // Spelled out (not spread from meetingWebPreferences) so electronegativity can read them;
      // the hardened constructor's type refuses anything weaker. A test keeps the two equal.
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
        spellcheck: false,
        disableBlinkFeatures: 'Auxclick',
        partition: meetingPartition,
        backgroundThrottling: false,
      },
    });
    const call: Current = { window: win, session, blocker: null };
    current = call;
    guard(win);
    // Keep our title rather than the page's, so the window is findable in the task switcher.
    win.on('page-title-updated', (event) => event.preventDefault());
    win.on('closed', () => {
      if (current === call) release(call);
    });
    updateSleepBlock();
    options.onChange();
    void win.loadURL(url).catch((error: unknown) => log.warn('the meeting page did not load', { reason: error instanceof Error ? error.message : String(error) }));
  };

  return {
    open,
    isInCall: () => current !== null,
    leave: () => current?.window.close(),
  };
}
