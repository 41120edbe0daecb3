// The meeting window glue with Electron mocked: it opens in its own hardened partition,
// applies the core's permission and navigation decisions, keeps the display awake only
// during the call, serves screen sharing through the picker, and closes on leaving.
import { describe, expect, it, vi } from 'vitest';
import { createLogger, memorySink } from '../../main/core/log';
import { createTranslator } from '../../main/core/i18n/translator';

type Listener = (...args: unknown[]) => void;
class FakeWebContents {
  readonly listeners = new Map<string, Listener>();
  windowOpen: ((details: { url: string }) => { action: string }) | null = null;
  on(name: string, listener: Listener) {
    this.listeners.set(name, listener);
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpen = handler;
  }
  /** Fires will-navigate or will-redirect and tells whether the page was stopped. */
  navigate(kind: 'will-navigate' | 'will-redirect', url: string): boolean {
    let prevented = false;
    this.listeners.get(kind)!({ url, isMainFrame: true, preventDefault: () => (prevented = true) });
    return prevented;
  }
}
class FakeWindow {
  static all: FakeWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly listeners = new Map<string, Listener>();
  loaded = '';
  closed = false;
  constructor(readonly options: Record<string, unknown>) {
    FakeWindow.all.push(this);
  }
  on(name: string, listener: Listener) {
    this.listeners.set(name, listener);
  }
  loadURL(url: string) {
    this.loaded = url;
    return Promise.resolve();
  }
  close() {
    this.closed = true;
    this.listeners.get('closed')?.();
  }
  isDestroyed() {
    return this.closed;
  }
  show() {}
  focus() {}
}
type RequestHandler = (wc: unknown, permission: string, cb: (ok: boolean) => void, details: Record<string, unknown>) => void;
type CheckHandler = (wc: unknown, permission: string, origin: string, details: Record<string, unknown>) => boolean;
type DisplayHandler = (request: Record<string, unknown>, cb: (streams: Record<string, unknown>) => void) => void;
const session: {
  request: RequestHandler | null;
  check: CheckHandler | null;
  display: DisplayHandler | null;
  setPermissionRequestHandler(h: RequestHandler): void;
  setPermissionCheckHandler(h: CheckHandler): void;
  setDisplayMediaRequestHandler(h: DisplayHandler): void;
} = {
  request: null,
  check: null,
  display: null,
  setPermissionRequestHandler(h) {
    session.request = h;
  },
  setPermissionCheckHandler(h) {
    session.check = h;
  },
  setDisplayMediaRequestHandler(h) {
    session.display = h;
  },
};
const blockers = { started: 0, stopped: 0 };
const external: string[] = [];
const partitions: string[] = [];

vi.mock('electron', () => ({
  BrowserWindow: FakeWindow,
  session: { fromPartition: (name: string) => (partitions.push(name), session) },
  powerSaveBlocker: { start: () => ++blockers.started, stop: () => blockers.stopped++ },
  shell: { openExternal: (url: string) => (external.push(url), Promise.resolve()) },
  desktopCapturer: { getSources: () => Promise.resolve([{ id: 'window:7:0', name: 'Minutes' }, { id: 'screen:0:0', name: 'Entire screen' }]) },
  dialog: { showMessageBox: vi.fn(() => Promise.resolve({ response: 1 })) },
}));

const { createMeetingWindows } = await import('../../main/shell/meeting-window');
const electron = await import('electron');

describe('meeting window glue', () => {
  it('runs a call from the Greenlight page to leaving, by the core\'s rules', async () => {
    const { records, sink } = memorySink();
    let changes = 0;
    const windows = createMeetingWindows({ log: createLogger('shell', sink), translate: () => createTranslator('en', 'meetings'), onChange: () => changes++ });
    windows.open({ url: 'https://meet.example.coop/b/abc-def-ghi', title: 'Stewards' });
    const win = FakeWindow.all.at(-1)!;
    expect(partitions).toEqual(['persist:meeting']);
    expect(win.options).toMatchObject({ title: 'Stewards · meeting', webPreferences: { partition: 'persist:meeting', sandbox: true, contextIsolation: true, nodeIntegration: false } });
    expect(win.loaded).toBe('https://meet.example.coop/b/abc-def-ghi');
    expect(windows.isInCall()).toBe(true);

    // Greenlight sends the member to a load balancer, which redirects to a BBB server.
    const join = `https://lb.example.coop/bigbluebutton/api/join?fullName=Ana&meetingID=m&checksum=${'a'.repeat(40)}`;
    expect(win.webContents.navigate('will-redirect', join)).toBe(false);
    expect(blockers.started).toBe(0);
    expect(win.webContents.navigate('will-redirect', 'https://bbb2.example.coop/html5client/join?sessionToken=t')).toBe(false);
    expect(blockers.started).toBe(1);

    // Permissions: the call's origins get camera and microphone, nobody else does, nothing else is granted.
    const grant = (permission: string, url: string, details: Record<string, unknown> = {}) =>
      new Promise<boolean>((resolve) => session.request!(win.webContents, permission, resolve, { requestingUrl: url, ...details }));
    expect(await grant('media', 'https://bbb2.example.coop/html5client/join', { mediaTypes: ['audio', 'video'] })).toBe(true);
    expect(await grant('media', 'https://evil.example/', { mediaTypes: ['video'] })).toBe(false);
    expect(await grant('geolocation', 'https://bbb2.example.coop/')).toBe(false);
    const fromOtherContents = await new Promise<boolean>((resolve) => session.request!({}, 'media', resolve, { requestingUrl: 'https://bbb2.example.coop/', mediaTypes: ['video'] }));
    expect(fromOtherContents).toBe(false);
    expect(session.check!(win.webContents, 'media', 'https://lb.example.coop', { mediaType: 'audio' })).toBe(true);
    expect(session.check!(win.webContents, 'media', 'https://other.example', {})).toBe(false);
    expect(records.filter((r) => r.message === 'denied a permission request in the meeting window').length).toBeGreaterThanOrEqual(2);

    // Screen sharing goes through the picker (screens first: the member picked the second button, the window).
    const streams = await new Promise<Record<string, unknown>>((resolve) => session.display!({ securityOrigin: 'https://bbb2.example.coop', videoRequested: true }, resolve));
    expect(streams).toEqual({ video: { id: 'window:7:0', name: 'Minutes' } });
    expect((vi.mocked(electron.dialog.showMessageBox).mock.calls[0] as unknown[])[1]).toMatchObject({ buttons: ['Screen 1', 'Window: Minutes', "Don't share"], cancelId: 2 });
    expect(await new Promise((resolve) => session.display!({ securityOrigin: 'https://evil.example' }, resolve))).toEqual({});

    // Links elsewhere open in the system browser; window.open never makes a window.
    expect(win.webContents.windowOpen!({ url: 'https://www.meet.coop/handbook' })).toEqual({ action: 'deny' });
    expect(win.webContents.windowOpen!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(external).toEqual(['https://www.meet.coop/handbook']);

    // BBB sends the member to the logout page: the call ends, the window closes, the display may sleep.
    expect(win.webContents.navigate('will-navigate', 'https://meet.example.coop/b/abc-def-ghi')).toBe(true);
    expect(win.closed).toBe(true);
    expect(blockers.stopped).toBe(1);
    expect(windows.isInCall()).toBe(false);
    expect(changes).toBeGreaterThanOrEqual(3);
  });

  it('keeps one call at a time, releasing the previous one', () => {
    const windows = createMeetingWindows({ log: createLogger('shell', () => {}), translate: () => createTranslator('en', 'meetings'), onChange: () => {} });
    windows.open({ url: 'https://bbb.example.coop/html5client/join?sessionToken=a', title: 'A' });
    const first = FakeWindow.all.at(-1)!;
    const stoppedBefore = blockers.stopped;
    windows.open({ url: 'https://meet.example.coop/b/xyz-abc-def', title: 'B' });
    expect(first.closed).toBe(true);
    expect(blockers.stopped).toBe(stoppedBefore + 1);
    expect(windows.isInCall()).toBe(true);
    windows.leave();
    expect(windows.isInCall()).toBe(false);
    windows.open({ url: 'javascript:alert(1)', title: 'X' });
    expect(windows.isInCall()).toBe(false);
  });
});
