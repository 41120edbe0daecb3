// The shell's navigation guards, wired to a stand-in webContents (Electron cannot run here):
// every webContents is guarded from birth, refuses everything until its window gives it a
// policy, and hands web links to the system browser only through the one checked call.
import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({
  appListeners: new Map<string, (...args: unknown[]) => void>(),
  openExternal: vi.fn((_url: string) => Promise.resolve()),
}));

vi.mock('electron', () => ({
  app: { on: (name: string, listener: (...args: unknown[]) => void) => electron.appListeners.set(name, listener) },
  shell: { openExternal: electron.openExternal },
}));

const { guardAllWebContents, guardWebContents, mainWindowGuards } = await import('../../main/shell/web-contents-guards');
const { openInSystemBrowser } = await import('../../main/shell/external-links');
const { createLogger, memorySink } = await import('../../main/core/log');
const { appOrigin } = await import('../../main/core/policy/app-window-policy');

type OpenHandler = (details: { url: string }) => { action: string };

class FakeWebContents extends EventEmitter {
  openHandler: OpenHandler | null = null;
  setWindowOpenHandler(handler: OpenHandler) {
    this.openHandler = handler;
  }
  /** Emits like Electron does and reports whether a listener prevented the default. */
  attempt(name: string, url?: string): 'prevented' | 'allowed' {
    let prevented = false;
    this.emit(name, { preventDefault: () => (prevented = true) }, url);
    return prevented ? 'prevented' : 'allowed';
  }
}

function setup() {
  const { records, sink } = memorySink();
  const log = createLogger('test', sink);
  guardAllWebContents(log);
  const contents = new FakeWebContents();
  electron.appListeners.get('web-contents-created')!({}, contents);
  return { contents, log, records };
}

describe('web contents guards', () => {
  beforeEach(() => {
    electron.openExternal.mockClear();
    electron.appListeners.clear();
  });

  it('refuses all navigation and window.open until a window sets its policy', () => {
    const { contents } = setup();
    expect(contents.attempt('will-navigate', `${appOrigin}/index.html`)).toBe('prevented');
    expect(contents.attempt('will-redirect', 'https://example.org/')).toBe('prevented');
    expect(contents.openHandler!({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
    expect(electron.openExternal).not.toHaveBeenCalled();
  });

  it("follows the main window's policy once set: own pages stay, web links go to the browser", () => {
    const { contents, log, records } = setup();
    guardWebContents(contents as never, mainWindowGuards, log);
    expect(contents.attempt('will-navigate', `${appOrigin}/index.html#/votes`)).toBe('allowed');
    expect(contents.attempt('will-navigate', 'https://meet.coop/b/abc-def-ghi')).toBe('prevented');
    expect(electron.openExternal).toHaveBeenCalledWith('https://meet.coop/b/abc-def-ghi');
    expect(contents.attempt('will-navigate', 'file:///etc/passwd')).toBe('prevented');
    expect(contents.openHandler!({ url: 'mailto:ops@meet.coop' })).toEqual({ action: 'deny' });
    expect(electron.openExternal).toHaveBeenLastCalledWith('mailto:ops@meet.coop');
    expect(contents.openHandler!({ url: `${appOrigin}/other.html` })).toEqual({ action: 'deny' });
    expect(electron.openExternal).toHaveBeenCalledTimes(2);
    expect(records.some((r) => r.message === 'blocked navigation' && r.fields?.url === 'file:///etc/passwd')).toBe(true);
  });

  it('lets a window take over a navigation or window.open, and tells its policy redirects and frames apart', () => {
    const { contents, log } = setup();
    const seen: unknown[] = [];
    const ran: string[] = [];
    guardWebContents(
      contents as never,
      {
        navigation: (url, context) => {
          seen.push({ url, ...context });
          return url.endsWith('/leave') ? { action: 'take-over', run: () => ran.push('leave') } : { action: 'allow' };
        },
        windowOpen: () => ({ action: 'take-over', run: () => ran.push('breakout') }),
      },
      log,
    );
    let prevented = false;
    contents.emit('will-redirect', { url: 'https://bbb.example.coop/frame', isMainFrame: false, preventDefault: () => (prevented = true) });
    expect(prevented).toBe(false);
    expect(contents.attempt('will-navigate', 'https://bbb.example.coop/leave')).toBe('prevented');
    expect(contents.openHandler!({ url: 'https://bbb.example.coop/bigbluebutton/api/join' })).toEqual({ action: 'deny' });
    expect(ran).toEqual(['leave', 'breakout']);
    expect(seen).toEqual([
      { url: 'https://bbb.example.coop/frame', redirect: true, mainFrame: false },
      { url: 'https://bbb.example.coop/leave', redirect: false, mainFrame: true },
    ]);
    expect(electron.openExternal).not.toHaveBeenCalled();
  });

  it('refuses <webview> everywhere', () => {
    const { contents } = setup();
    expect(contents.attempt('will-attach-webview')).toBe('prevented');
  });

  it('guards a webContents only once, even when its policy is set directly', () => {
    const { contents, log } = setup();
    guardWebContents(contents as never, mainWindowGuards, log);
    expect(contents.listenerCount('will-navigate')).toBe(1);
  });

  it('never hands the system anything but web and mail links', () => {
    const { records, sink } = memorySink();
    for (const url of ['file:///etc/passwd', 'smb://host/share', 'javascript:alert(1)', 'plenary://join/x', 'not a url']) openInSystemBrowser(url, createLogger('test', sink));
    expect(electron.openExternal).not.toHaveBeenCalled();
    expect(records.filter((r) => r.message === 'refused to open a link outside Plenary')).toHaveLength(5);
  });
});
