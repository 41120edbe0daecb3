// The meeting windows: one call at a time, each in its own window in the meeting partition,
// plus the breakout rooms BBB opens from it. Every decision comes from the core
// (meeting-window-policy.ts, permission-policy.ts, meeting-hosts.ts, screen-share.ts); this
// file wires them into Electron. Navigation, redirects and window.open go through the one
// guard every webContents has (web-contents-guards.ts): each meeting window registers its
// policy there and adds no listener of its own. Also here: permission requests and checks,
// screen sharing (the desktop portal's picker under Wayland, Plenary's elsewhere), and
// keeping the display awake during the call. The call lives on when the main window closes.
import { desktopCapturer, dialog, powerSaveBlocker, session as electronSession, type BrowserWindow as ElectronBrowserWindow, type Session, type WebContents } from 'electron';
import { BrowserWindow } from './hardened-window';
import { guardWebContents, type GuardPolicy } from './web-contents-guards';
import type { Logger } from '../core/log';
import type { Translate } from '../core/i18n/translator';
import type { MeetingLauncher } from '../core/meetings/meetings-service';
import { forLog } from '../core/policy/deep-link';
import { isAllowedMeetingUrl, type MeetingHostsView } from '../core/policy/meeting-hosts';
import {
  decideMeetingNavigation,
  decideMeetingWindowOpen,
  meetingPartition,
  shouldBlockDisplaySleep,
  startMeetingSession,
  type MeetingSession,
} from '../core/policy/meeting-window-policy';
import { decideMeetingPermission, displayPickerModel } from '../core/policy/permission-policy';
import type { ScreenSharePicker } from '../core/policy/screen-share';

export interface MeetingWindows extends MeetingLauncher {
  isInCall(): boolean;
  /** Ends the call: closes its window and its breakout rooms'. */
  leave(): void;
}

interface Call {
  window: ElectronBrowserWindow;
  session: MeetingSession;
  title: string;
  blocker: number | null;
  /** The main call a breakout room belongs to; null for the main call. */
  parent: Call | null;
  breakouts: Set<Call>;
}

export interface MeetingWindowOptions {
  log: Logger;
  translate: () => Translate;
  onChange: () => void;
  /** The meeting hosts allow-list as it is now (the member can change it during a call). */
  hosts: () => MeetingHostsView;
  /** Whose picker screen sharing uses (policy/screen-share.ts). */
  screenSharePicker: ScreenSharePicker;
}

export function createMeetingWindows(options: MeetingWindowOptions): MeetingWindows {
  const { log } = options;
  /** The main call, if any; its breakouts hang off it. */
  let main: Call | null = null;
  /** Every open meeting window, main call and breakouts. */
  const calls = new Set<Call>();
  let sessionReady = false;

  const callOf = (contents: WebContents | null): Call | null => [...calls].find((c) => c.window.webContents === contents) ?? null;
  const allOrigins = () => [...new Set([...calls].flatMap((c) => c.session.origins))];

  const updateSleepBlock = (call: Call) => {
    const block = shouldBlockDisplaySleep(call.session);
    if (block && call.blocker === null) call.blocker = powerSaveBlocker.start('prevent-display-sleep');
    if (!block && call.blocker !== null) {
      powerSaveBlocker.stop(call.blocker);
      call.blocker = null;
    }
  };

  /** Forgets a window's call: lets the display sleep again, ends its breakouts, tells the tray. */
  const release = (ended: Call) => {
    if (!calls.delete(ended)) return;
    if (ended.blocker !== null) powerSaveBlocker.stop(ended.blocker);
    ended.blocker = null;
    ended.parent?.breakouts.delete(ended);
    for (const breakout of [...ended.breakouts]) {
      release(breakout);
      breakout.window.close();
    }
    if (main === ended) main = null;
    options.onChange();
  };

  const setSession = (call: Call, next: MeetingSession) => {
    const wasInCall = call.session.inCall;
    call.session = next;
    updateSleepBlock(call);
    if (wasInCall !== next.inCall) options.onChange();
  };

  const shareScreen = (win: ElectronBrowserWindow, callback: (streams: Electron.Streams) => void) => {
    if (options.screenSharePicker === 'portal') {
      // Asking for sources opens the desktop portal's picker; the one source it returns is the member's choice.
      void desktopCapturer
        .getSources({ types: ['screen', 'window'] })
        .then((sources) => callback(sources[0] ? { video: sources[0] } : {}))
        .catch((error: unknown) => {
          log.error('the desktop portal did not share the screen', { reason: error instanceof Error ? error.message : String(error) });
          callback({});
        });
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
  };

  /** Handlers belong to the partition, so they are set once and look up the asking window's call. */
  const prepareSession = (ses: Session) => {
    if (sessionReady) return;
    sessionReady = true;
    ses.setPermissionRequestHandler((contents, permission, callback, details) => {
      const call = callOf(contents);
      const granted =
        call !== null &&
        decideMeetingPermission(
          { permission, requestingUrl: details.requestingUrl, isRequest: true, ...('mediaTypes' in details && details.mediaTypes ? { mediaTypes: details.mediaTypes } : {}) },
          call.session.origins,
          options.hosts(),
        );
      if (!granted) log.warn('denied a permission request in the meeting window', { permission, url: forLog(details.requestingUrl) });
      callback(granted);
    });
    ses.setPermissionCheckHandler((contents, permission, requestingOrigin, details) => {
      const origins = contents === null ? allOrigins() : callOf(contents)?.session.origins;
      if (!origins) return false;
      return decideMeetingPermission({ permission, requestingUrl: requestingOrigin, isRequest: false, ...(details.mediaType ? { mediaTypes: [details.mediaType] } : {}) }, origins, options.hosts());
    });
    ses.setDisplayMediaRequestHandler((request, callback) => {
      // The newest window whose call went through the asking origin (a breakout before its main call).
      const call = [...calls].reverse().find((c) => decideMeetingPermission({ permission: 'display-capture', requestingUrl: request.securityOrigin, isRequest: true }, c.session.origins, options.hosts()));
      if (!call) {
        log.warn('denied screen sharing in the meeting window', { origin: forLog(request.securityOrigin) });
        callback({});
        return;
      }
      shareScreen(call.window, callback);
    });
  };

  /** The call's navigation policy, registered with the shell's guard for its webContents. */
  const guardsFor = (call: Call): GuardPolicy => ({
    navigation(url, context) {
      if (!calls.has(call)) return { action: 'deny' };
      const decision = decideMeetingNavigation(call.session, url, context, options.hosts());
      switch (decision.action) {
        case 'allow':
          setSession(call, decision.session);
          return { action: 'allow' };
        case 'leave':
          return {
            action: 'take-over',
            run: () => {
              log.info(call.parent ? 'left a breakout room' : 'left the meeting', { url: forLog(url) });
              call.window.close();
            },
          };
        case 'open-external':
          return decision;
        case 'deny':
          log.warn('blocked navigation in the meeting window', { reason: decision.reason });
          return { action: 'deny' };
      }
    },
    windowOpen(url) {
      if (!calls.has(call)) return { action: 'deny' };
      const decision = decideMeetingWindowOpen(call.session, url, options.hosts());
      if (decision.action !== 'breakout') return decision;
      return { action: 'take-over', run: () => openBreakout(call.parent ?? call, decision.url) };
    },
  });

  const openWindow = (url: string, title: string, windowTitle: string, parent: Call | null): Call | null => {
    const session = startMeetingSession(url);
    if (!session) {
      log.warn('refused to open a meeting window for a non-web URL', { url: forLog(url) });
      return null;
    }
    prepareSession(electronSession.fromPartition(meetingPartition));
    const win = new BrowserWindow({
      width: 1280,
      height: 820,
      minWidth: 640,
      minHeight: 480,
      title: windowTitle,
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
    const call: Call = { window: win, session, title, blocker: null, parent, breakouts: new Set() };
    calls.add(call);
    parent?.breakouts.add(call);
    guardWebContents(win.webContents, guardsFor(call), log);
    // Keep our title rather than the page's, so the window is findable in the task switcher.
    win.on('page-title-updated', (event) => event.preventDefault());
    win.on('closed', () => release(call));
    updateSleepBlock(call);
    void win.loadURL(url).catch((error: unknown) => log.warn('the meeting page did not load', { reason: error instanceof Error ? error.message : String(error) }));
    return call;
  };

  /** A breakout room BBB opened from the call: a window of its own; the main call goes on. */
  const openBreakout = (root: Call, url: string) => {
    log.info('opened a breakout room', { url: forLog(url) });
    openWindow(url, root.title, options.translate()('meetings:window.breakoutTitle', { name: root.title }), root);
  };

  const open: MeetingLauncher['open'] = ({ url, title }) => {
    if (main && !main.window.isDestroyed()) {
      if (main.session.startUrl === url) {
        main.window.show();
        main.window.focus();
        return;
      }
      // One call at a time: joining another room leaves this one (and its breakouts).
      const previous = main;
      release(previous);
      previous.window.close();
    }
    // The core only launches allowed hosts; checked again here because this window gets the camera.
    if (!isAllowedMeetingUrl(options.hosts(), url)) {
      log.warn('refused to open a meeting window on a host that is not a meeting host', { url: forLog(url) });
      return;
    }
    main = openWindow(url, title, options.translate()('meetings:window.title', { name: title }), null);
    options.onChange();
  };

  return {
    open,
    isInCall: () => main !== null,
    leave: () => {
      const ended = main;
      if (!ended) return;
      release(ended);
      ended.window.close();
    },
  };
}
