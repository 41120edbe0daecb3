// The meeting window glue with Electron mocked: it opens in its own hardened partition,
// registers its navigation policy with the shell's real web-contents guards (the only
// listeners on its webContents), applies the core's permission and navigation decisions
// with the meeting hosts allow-list, opens breakout rooms in windows of their own, keeps
// the display awake only during the call, serves screen sharing through Plenary's picker
// or the desktop portal's, and closes on leaving.
import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger, memorySink } from '../../main/core/log';
import { createTranslator } from '../../main/core/i18n/translator';
import type { MeetingHostsView } from '../../main/core/policy/meeting-hosts';

type Listener = (...args: unknown[]) => void;
const appListeners = new Map<string, Listener>();
class FakeWebContents extends EventEmitter {
  windowOpen: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpen = handler;
  }
  /** Fires will-navigate or will-redirect and tells whether the page was stopped. */
  navigate(kind: 'will-navigate' | 'will-redirect', url: string, isMainFrame = true): boolean {
    let prevented = false;
    this.emit(kind, { url, isMainFrame, preventDefault: () => (prevented = true) }, url);
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
    appListeners.get('web-contents-created')?.({}, this.webContents);
  }
  on(name: string, listener: Listener) {
    this.listeners.set(name, listener);
  }
  loadURL(url: string) {
    this.loaded = url;
    return Promise.resolve();
  }
  close() {
    if (this.closed) return;
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

const sources = vi.hoisted(() => ({ list: [{ id: 'window:7:0', name: 'Minutes' }, { id: 'screen:0:0', name: 'Entire screen' }] }));
vi.mock('electron', () => ({
  app: { on: (name: string, listener: Listener) => appListeners.set(name, listener) },
  BrowserWindow: FakeWindow,
  session: { fromPartition: (name: string) => (partitions.push(name), session) },
  powerSaveBlocker: { start: () => ++blockers.started, stop: () => blockers.stopped++ },
  shell: { openExternal: (url: string) => (external.push(url), Promise.resolve()) },
  desktopCapturer: { getSources: vi.fn(() => Promise.resolve(sources.list)) },
  dialog: { showMessageBox: vi.fn(() => Promise.resolve({ response: 1 })) },
}));

const { createMeetingWindows } = await import('../../main/shell/meeting-window');
const { guardAllWebContents } = await import('../../main/shell/web-contents-guards');
const electron = await import('electron');

/** The coop's Greenlight, and every BBB server one level below example.coop. */
let hosts: MeetingHostsView = { decidedBy: 'coop', entries: [] };
const coopHosts: MeetingHostsView = { decidedBy: 'coop', entries: [{ pattern: 'https://meet.example.coop', source: 'coop' }, { pattern: 'https://*.example.coop', source: 'coop' }] };

function meetingWindows(options: { sink?: Parameters<typeof createLogger>[1]; onChange?: () => void; picker?: 'portal' | 'plenary' } = {}) {
  const log = createLogger('shell', options.sink ?? (() => {}));
  guardAllWebContents(log);
  return createMeetingWindows({ log, translate: () => createTranslator('en', 'meetings'), onChange: options.onChange ?? (() => {}), hosts: () => hosts, screenSharePicker: options.picker ?? 'plenary' });
}

const checksum = 'a'.repeat(40);

describe('meeting window glue', () => {
  beforeEach(() => {
    hosts = coopHosts;
    external.length = 0;
  });

  it('runs a call from the Greenlight page to leaving, by the core\'s rules', async () => {
    const { records, sink } = memorySink();
    let changes = 0;
    const windows = meetingWindows({ sink, onChange: () => changes++ });
    windows.open({ url: 'https://meet.example.coop/b/abc-def-ghi', title: 'Stewards' });
    const win = FakeWindow.all.at(-1)!;
    expect(partitions).toEqual(['persist:meeting']);
    expect(win.options).toMatchObject({ title: 'Stewards · meeting', webPreferences: { partition: 'persist:meeting', sandbox: true, contextIsolation: true, nodeIntegration: false } });
    expect(win.loaded).toBe('https://meet.example.coop/b/abc-def-ghi');
    expect(windows.isInCall()).toBe(true);

    // The shell's guard is the only listener: nothing else can contradict the policy.
    expect(win.webContents.listenerCount('will-navigate')).toBe(1);
    expect(win.webContents.listenerCount('will-redirect')).toBe(1);

    // A link to another site on the Greenlight page opens in the system browser.
    expect(win.webContents.navigate('will-navigate', 'https://www.meet.coop/about')).toBe(true);
    expect(external).toEqual(['https://www.meet.coop/about']);

    // Greenlight sends the member to a load balancer, which redirects to a BBB server.
    const join = `https://lb.example.coop/bigbluebutton/api/join?fullName=Ana&meetingID=m&checksum=${checksum}`;
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
    expect(external).toEqual(['https://www.meet.coop/about', 'https://www.meet.coop/handbook']);

    // BBB sends the member to the logout page: the call ends, the window closes, the display may sleep.
    expect(win.webContents.navigate('will-navigate', 'https://meet.example.coop/b/abc-def-ghi')).toBe(true);
    expect(win.closed).toBe(true);
    expect(blockers.stopped).toBe(1);
    expect(windows.isInCall()).toBe(false);
    expect(changes).toBeGreaterThanOrEqual(3);
  });

  it('admits a load balancer\'s target only when it is a meeting host', () => {
    const windows = meetingWindows();
    hosts = { decidedBy: 'member', entries: [{ pattern: 'https://meet.example.coop', source: 'member' }, { pattern: 'https://lb.example.coop', source: 'member' }] };
    windows.open({ url: 'https://meet.example.coop/b/abc-def-ghi', title: 'Stewards' });
    const win = FakeWindow.all.at(-1)!;
    expect(win.webContents.navigate('will-redirect', `https://lb.example.coop/bigbluebutton/api/join?fullName=Ana&meetingID=m&checksum=${checksum}`)).toBe(false);
    expect(win.webContents.navigate('will-redirect', 'https://bbb2.example.coop/html5client/join?sessionToken=t')).toBe(true);
    expect(external).toEqual([]); // a refused redirect is stopped, not handed to the browser
    windows.leave();
  });

  it('opens a breakout room in a window of its own and keeps the main call', () => {
    const windows = meetingWindows();
    windows.open({ url: 'https://meet.example.coop/b/abc-def-ghi', title: 'Stewards' });
    const main = FakeWindow.all.at(-1)!;
    expect(main.webContents.navigate('will-redirect', 'https://bbb.example.coop/html5client/join?sessionToken=t')).toBe(false);
    const breakoutUrl = `https://bbb.example.coop/bigbluebutton/api/join?fullName=Ana&meetingID=m-1&checksum=${checksum}`;
    expect(main.webContents.windowOpen!({ url: breakoutUrl })).toEqual({ action: 'deny' });
    const breakout = FakeWindow.all.at(-1)!;
    expect(breakout).not.toBe(main);
    expect(breakout.loaded).toBe(breakoutUrl);
    expect(breakout.options).toMatchObject({ title: 'Stewards · breakout room', webPreferences: { partition: 'persist:meeting', sandbox: true } });
    expect(main.closed).toBe(false);
    expect(external).toEqual([]);

    // The breakout ends (BBB sends its window back to the logout page): only its window closes.
    expect(breakout.webContents.navigate('will-redirect', 'https://bbb.example.coop/html5client/join?sessionToken=b')).toBe(false);
    expect(breakout.webContents.navigate('will-navigate', 'https://meet.example.coop/b/abc-def-ghi')).toBe(true);
    expect(breakout.closed).toBe(true);
    expect(main.closed).toBe(false);
    expect(windows.isInCall()).toBe(true);

    // Leaving the call closes the main window and any breakout still open.
    main.webContents.windowOpen!({ url: breakoutUrl });
    const second = FakeWindow.all.at(-1)!;
    windows.leave();
    expect(main.closed).toBe(true);
    expect(second.closed).toBe(true);
    expect(windows.isInCall()).toBe(false);
  });

  it('refuses to open a window on a host that is not a meeting host', () => {
    const { records, sink } = memorySink();
    const windows = meetingWindows({ sink });
    const before = FakeWindow.all.length;
    windows.open({ url: 'https://meet.elsewhere.org/b/abc-def-ghi', title: 'X' });
    expect(FakeWindow.all).toHaveLength(before);
    expect(windows.isInCall()).toBe(false);
    expect(records.some((r) => r.message === 'refused to open a meeting window on a host that is not a meeting host')).toBe(true);
  });

  it('under Wayland, shares the source the desktop portal picked, without a picker of its own', async () => {
    const windows = meetingWindows({ picker: 'portal' });
    windows.open({ url: 'https://bbb.example.coop/html5client/join?sessionToken=p', title: 'Portal' });
    vi.mocked(electron.dialog.showMessageBox).mockClear();
    sources.list = [{ id: 'screen:42:0', name: 'Chosen in the portal' }];
    const streams = await new Promise<Record<string, unknown>>((resolve) => session.display!({ securityOrigin: 'https://bbb.example.coop', videoRequested: true }, resolve));
    expect(streams).toEqual({ video: { id: 'screen:42:0', name: 'Chosen in the portal' } });
    sources.list = [];
    expect(await new Promise((resolve) => session.display!({ securityOrigin: 'https://bbb.example.coop' }, resolve))).toEqual({});
    expect(electron.dialog.showMessageBox).not.toHaveBeenCalled();
    windows.leave();
  });

  it('keeps one call at a time, releasing the previous one', () => {
    const windows = meetingWindows();
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
