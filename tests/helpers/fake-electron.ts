// A recording stand-in for the 'electron' module, preloaded with `node --import` so the
// real bundled main process (dist/main/main.cjs) can boot under plain Node 24, the Node of
// Electron 40 (Node runs this file by stripping its types: keep to erasable syntax). It
// records what the shell asks Electron to do, then plays IPC calls from Plenary's page and
// from a foreign page, asks the permission checker, and prints everything as JSON.
// Used by tests/integration/main-bundle.test.ts.
import Module from 'node:module';
import { EventEmitter } from 'node:events';

type Listener = (...args: unknown[]) => void;
type IpcHandler = (event: { senderFrame: { url: string } }, channel: string, input: unknown) => Promise<unknown>;
type CheckHandler = (contents: unknown, permission: string, origin: string) => boolean;

interface WindowRecord {
  webPreferences: Record<string, unknown>;
  show: unknown;
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
}

const record: FakeElectronRecord = { calls: [], appEvents: [], protocols: [], ipcChannels: [], windows: [] };

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
  setDevicePermissionHandler() {
    this.window.devicePermissionHandler = true;
  }
  setSpellCheckerEnabled(enabled: boolean) {
    this.window.spellChecker = enabled;
  }
}

class FakeWebContents extends EventEmitter {
  readonly session: FakeSession;
  url = '';
  constructor(window: WindowRecord) {
    super();
    this.session = new FakeSession(window);
  }
  setWindowOpenHandler() {}
  getURL() {
    return this.url;
  }
  isDestroyed() {
    return false;
  }
  send() {}
}

class BrowserWindow extends EventEmitter {
  readonly webContents: FakeWebContents;
  private readonly entry: WindowRecord;
  constructor(options: { webPreferences: Record<string, unknown>; show?: unknown }) {
    super();
    this.entry = { webPreferences: options.webPreferences, show: options.show };
    record.windows.push(this.entry);
    this.webContents = new FakeWebContents(this.entry);
    allContents.push(this.webContents);
    for (const listener of appListeners.get('web-contents-created') ?? []) listener({}, this.webContents);
  }
  loadURL(url: string) {
    this.entry.loadedUrl = url;
    this.webContents.url = url;
    return Promise.resolve();
  }
  isDestroyed() {
    return false;
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
  },
  nativeImage: { createFromPath: () => ({ isEmpty: () => false }) },
  Tray,
  Menu: { buildFromTemplate: (template: MenuItemTemplate[]) => ({ labels: menuLabels(template) }) },
  Notification: Object.assign(class {}, { isSupported: () => false }),
  dialog: {
    showMessageBox: () => Promise.resolve({ response: 1 }),
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
  shell: { openExternal: () => Promise.resolve() },
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
    process.stdout.write(`FAKE_ELECTRON_RECORD ${JSON.stringify(record)}\n`);
    process.exit(0);
  })();
});
