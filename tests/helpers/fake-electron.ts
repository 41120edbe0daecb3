// A recording stand-in for the 'electron' module, preloaded with `node --import` so the
// real bundled main process (dist/main/main.cjs) can boot under plain Node 24, the Node of
// Electron 40 (Node runs this file by stripping its types: keep to erasable syntax). It
// records what the shell asks Electron to do, then plays IPC calls from Plenary's page and
// from a foreign page, asks the permission checker, and prints everything as JSON. With
// FAKE_ELECTRON_SCENARIO=meeting it also waits for the meeting window a deep link opened
// and plays what Greenlight, BBB and the member do in it (will-navigate, will-redirect,
// window.open) through whatever listeners the real shell attached; with
// FAKE_ELECTRON_SCENARIO=refused-link it waits for the dialog refusing a link.
// Used by tests/integration/main-bundle.test.ts.
import Module from 'node:module';
import { EventEmitter } from 'node:events';

type Listener = (...args: unknown[]) => void;
type IpcHandler = (event: { senderFrame: { url: string } }, channel: string, input: unknown) => Promise<unknown>;
type CheckHandler = (contents: unknown, permission: string, origin: string) => boolean;

interface WindowRecord {
  webPreferences: Record<string, unknown>;
  show: unknown;
  title?: string;
  closed?: boolean;
  loadedUrl?: string;
  permissionRequestHandler?: boolean;
  permissionCheckHandler?: boolean;
  devicePermissionHandler?: boolean;
  spellChecker?: boolean;
}

export interface FakeElectronRecord {
  calls: string[];
  appEvents: string[];
  protocols: unknown[];
  ipcChannels: string[];
  windows: WindowRecord[];
  ipc?: { fromApp: unknown; fromElsewhere: unknown; storeStatus: unknown };
  permissions?: { media: boolean; clipboard: boolean };
  /** The tray: its tooltip and the labels of its menu, as last set. */
  tray?: { tooltip: string; menu: string[] };
  /** Every URL handed to shell.openExternal. */
  openedExternally: string[];
  /** The messages of every dialog shown. */
  dialogs: string[];
  /** FAKE_ELECTRON_SCENARIO=meeting: each step played in the meeting window and what the shell made of it. */
  meeting?: { steps: { step: string; outcome: string }[]; openWindows: number; error?: string };
}

const record: FakeElectronRecord = { calls: [], appEvents: [], protocols: [], ipcChannels: [], windows: [], openedExternally: [], dialogs: [] };

/** Fires whenever a window opens or closes or a dialog shows, so a scenario can wait for a state instead of a time. */
const changes = new EventEmitter();
function waitFor(what: string, holds: () => boolean): Promise<void> {
  if (holds()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    // A bound, not a pause: the state normally arrives within a few event-loop turns.
    const timer = setTimeout(() => reject(new Error(`gave up waiting for ${what}`)), 20_000);
    const check = () => {
      if (!holds()) return;
      clearTimeout(timer);
      changes.off('change', check);
      resolve();
    };
    changes.on('change', check);
  });
}

interface MenuItemTemplate {
  label?: string;
  type?: string;
  submenu?: MenuItemTemplate[];
}

function menuLabels(template: MenuItemTemplate[]): string[] {
  return template.flatMap((item) => [...(item.label ? [item.label] : []), ...menuLabels(item.submenu ?? [])]);
}

class Tray extends EventEmitter {
  constructor() {
    super();
    record.tray = { tooltip: '', menu: [] };
  }
  setToolTip(text: string) {
    record.tray!.tooltip = text;
  }
  setContextMenu(menu: { labels: string[] }) {
    record.tray!.menu = menu.labels;
  }
  setImage() {}
  setTitle() {}
  destroy() {}
  isDestroyed() {
    return false;
  }
}
const ipcHandlers = new Map<string, IpcHandler>();
const appListeners = new Map<string, Listener[]>();
const allContents: FakeWebContents[] = [];

class FakeSession {
  checkHandler: CheckHandler | null = null;
  private readonly window: WindowRecord;
  constructor(window: WindowRecord) {
    this.window = window;
  }
  setPermissionRequestHandler() {
    this.window.permissionRequestHandler = true;
  }
  setPermissionCheckHandler(handler: CheckHandler) {
    this.window.permissionCheckHandler = true;
    this.checkHandler = handler;
  }
  setDisplayMediaRequestHandler() {}
  setDevicePermissionHandler() {
    this.window.devicePermissionHandler = true;
  }
  setSpellCheckerEnabled(enabled: boolean) {
    this.window.spellChecker = enabled;
  }
}

type OpenHandler = (details: { url: string }) => { action: string };

class FakeWebContents extends EventEmitter {
  readonly session: FakeSession;
  url = '';
  openHandler: OpenHandler | null = null;
  constructor(window: WindowRecord) {
    super();
    this.session = new FakeSession(window);
  }
  setWindowOpenHandler(handler: OpenHandler) {
    this.openHandler = handler;
  }
  /** Emits will-navigate or will-redirect as Electron does and says whether any listener stopped it. */
  attempt(name: 'will-navigate' | 'will-redirect', url: string): 'allowed' | 'prevented' {
    let prevented = false;
    this.emit(name, { url, isMainFrame: true, preventDefault: () => (prevented = true) }, url, false, true);
    return prevented ? 'prevented' : 'allowed';
  }
  getURL() {
    return this.url;
  }
  isDestroyed() {
    return false;
  }
  send() {}
}

const allWindows: BrowserWindow[] = [];

class BrowserWindow extends EventEmitter {
  readonly webContents: FakeWebContents;
  readonly entry: WindowRecord;
  constructor(options: { webPreferences: Record<string, unknown>; show?: unknown; title?: string }) {
    super();
    this.entry = { webPreferences: options.webPreferences, show: options.show, ...(options.title ? { title: options.title } : {}) };
    record.windows.push(this.entry);
    allWindows.push(this);
    this.webContents = new FakeWebContents(this.entry);
    allContents.push(this.webContents);
    for (const listener of appListeners.get('web-contents-created') ?? []) listener({}, this.webContents);
    changes.emit('change');
  }
  loadURL(url: string) {
    this.entry.loadedUrl = url;
    this.webContents.url = url;
    return Promise.resolve();
  }
  close() {
    if (this.entry.closed) return;
    this.entry.closed = true;
    this.emit('closed');
    changes.emit('change');
  }
  isDestroyed() {
    return this.entry.closed === true;
  }
  show() {}
  hide() {}
  focus() {}
  isMinimized() {
    return false;
  }
  restore() {}
}

const fake = {
  app: {
    isPackaged: process.env.FAKE_ELECTRON_PACKAGED === '1',
    name: 'Plenary',
    getName: () => 'Plenary',
    getAppPath: () => process.cwd(),
    getPath: (name: string) => (name === 'userData' ? process.env.FAKE_ELECTRON_USER_DATA : `/nonexistent/${name}`),
    getVersion: () => '0.0.0-fake',
    requestSingleInstanceLock: () => true,
    enableSandbox: () => record.calls.push('app.enableSandbox'),
    whenReady: () => Promise.resolve(),
    quit: () => record.calls.push('app.quit'),
    relaunch: () => record.calls.push('app.relaunch'),
    on: (name: string, listener: Listener) => {
      record.appEvents.push(name);
      appListeners.set(name, [...(appListeners.get(name) ?? []), listener]);
    },
    setAsDefaultProtocolClient: () => {
      record.calls.push('app.setAsDefaultProtocolClient');
      return true;
    },
    getPreferredSystemLanguages: () => ['en-GB'],
    getLoginItemSettings: () => ({ openAtLogin: false, wasOpenedAtLogin: false }),
    setLoginItemSettings: () => {},
    setBadgeCount: () => true,
    commandLine: { getSwitchValue: () => '', hasSwitch: () => false, appendSwitch: () => {} },
  },
  nativeImage: { createFromPath: () => ({ isEmpty: () => false }) },
  Tray,
  Menu: { buildFromTemplate: (template: MenuItemTemplate[]) => ({ labels: menuLabels(template) }) },
  Notification: Object.assign(class {}, { isSupported: () => false }),
  dialog: {
    showMessageBox: (...args: unknown[]) => {
      const options = args.find((a): a is { message: string } => typeof a === 'object' && a !== null && 'message' in a);
      record.dialogs.push(options?.message ?? '');
      changes.emit('change');
      return Promise.resolve({ response: 1 });
    },
    showErrorBox: (title: string) => record.calls.push(`dialog.showErrorBox:${title}`),
  },
  powerSaveBlocker: { start: () => 1, stop: () => {}, isStarted: () => false },
  desktopCapturer: { getSources: () => Promise.resolve([]) },
  session: { fromPartition: () => new FakeSession({ webPreferences: {}, show: false }) },
  protocol: {
    registerSchemesAsPrivileged: (schemes: unknown) => record.protocols.push({ registered: schemes }),
    handle: (scheme: string) => record.protocols.push({ handled: scheme }),
  },
  net: { fetch: () => Promise.reject(new Error('not used in this test')) },
  ipcMain: {
    handle: (channel: string, handler: IpcHandler) => {
      record.ipcChannels.push(channel);
      ipcHandlers.set(channel, handler);
    },
    removeHandler: (channel: string) => ipcHandlers.delete(channel),
  },
  webContents: { getAllWebContents: () => allContents },
  // A headless Linux box: no keyring, so Chromium would fall back to basic_text.
  safeStorage: { isEncryptionAvailable: () => false, getSelectedStorageBackend: () => 'basic_text' },
  shell: {
    openExternal: (url: string) => {
      record.openedExternally.push(url);
      return Promise.resolve();
    },
  },
  BrowserWindow,
};

// Electron defines process.resourcesPath in every main process (in development it points
// into node_modules/electron); an empty folder stands in for it.
(process as { resourcesPath?: string }).resourcesPath = process.env.FAKE_ELECTRON_RESOURCES;

const loader = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
const originalLoad = loader._load;
loader._load = function load(request, parent, isMain) {
  if (request === 'electron') return fake;
  return originalLoad.call(this, request, parent, isMain);
};

const openWindows = () => allWindows.filter((w) => !w.isDestroyed());

/**
 * The meeting window a plenary:// link opened (the deep link in argv, host listed in the
 * coop.json of PLENARY_COOP_CONFIG): a link elsewhere on the Greenlight page, Greenlight's
 * redirect to BBB, a redirect to a server the coop does not list, then BBB opening a
 * breakout room with window.open. URLs come from FAKE_ELECTRON_MEETING (JSON).
 */
async function playMeeting(): Promise<void> {
  const urls = JSON.parse(process.env.FAKE_ELECTRON_MEETING ?? '{}') as Record<'elsewhere' | 'join' | 'client' | 'unlisted' | 'breakout', string>;
  const steps: { step: string; outcome: string }[] = [];
  record.meeting = { steps, openWindows: 0 };
  await waitFor('the meeting window', () => allWindows.length >= 2);
  const meeting = allWindows[1]!.webContents;
  steps.push({ step: 'navigate elsewhere', outcome: meeting.attempt('will-navigate', urls.elsewhere) });
  steps.push({ step: 'redirect to an unlisted server', outcome: meeting.attempt('will-redirect', urls.unlisted) });
  steps.push({ step: 'redirect to the BBB join', outcome: meeting.attempt('will-redirect', urls.join) });
  steps.push({ step: 'redirect to the BBB client', outcome: meeting.attempt('will-redirect', urls.client) });
  const opened = meeting.openHandler?.({ url: urls.breakout });
  steps.push({ step: 'window.open a breakout room', outcome: opened?.action ?? 'no handler' });
  await waitFor('the breakout window', () => allWindows.length >= 3);
  record.meeting.openWindows = openWindows().length;
}

// Runs once the main bundle has been evaluated and its whenReady() callback has run.
setImmediate(() => {
  void (async () => {
    const invoke = ipcHandlers.get(record.ipcChannels[0] ?? '');
    if (invoke) {
      record.ipc = {
        fromApp: await invoke({ senderFrame: { url: 'plenary-app://app/index.html' } }, 'app.info', {}),
        fromElsewhere: await invoke({ senderFrame: { url: 'https://evil.example/' } }, 'app.info', {}),
        // What the page asks first: whether the store is open, or the recovery screen is due.
        storeStatus: await invoke({ senderFrame: { url: 'plenary-app://app/index.html' } }, 'data.status', {}),
      };
    }
    const check = allContents[0]?.session.checkHandler;
    if (check) record.permissions = { media: check(null, 'media', 'plenary-app://app'), clipboard: check(null, 'clipboard-sanitized-write', 'plenary-app://app') };
    try {
      if (process.env.FAKE_ELECTRON_SCENARIO === 'meeting') await playMeeting();
      if (process.env.FAKE_ELECTRON_SCENARIO === 'refused-link') await waitFor('the dialog refusing the link', () => record.dialogs.length > 0);
    } catch (error) {
      record.meeting = { steps: record.meeting?.steps ?? [], openWindows: 0, error: error instanceof Error ? error.message : String(error) };
    }
    process.stdout.write(`FAKE_ELECTRON_RECORD ${JSON.stringify(record)}\n`);
    process.exit(0);
  })();
});
