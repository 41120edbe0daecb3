// Boots the real bundled main process (dist/main/main.cjs, exactly what app.asar carries)
// under Node 24, the Node of Electron 40, with a recording stand-in for the 'electron'
// module (tests/helpers/fake-electron.ts). Electron cannot run here; this proves the bundle
// loads (electron-updater and better-sqlite3 included) and that the shell wires the
// hardening the core decides: sandbox, hardened window, app-scheme page, permission
// checks, IPC answered only for Plenary's page, updates planned from resources/; and that a
// plenary:// link opens a meeting window that lives under the real navigation guards with
// coop.json's hosts as the allow-list.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeElectronRecord } from '../helpers/fake-electron';
import { hardenedWebPreferences } from '../../main/core/policy/app-window-policy';
import { repoRoot } from '../helpers/paths';
import { corruptTable, fileState, fromTheFuture, makeStore } from '../helpers/store-files';

const run = promisify(execFile);
const node24 = join(repoRoot, 'node_modules/.bin/node');
let dir = '';

interface BootOptions {
  packaged: boolean;
  resources?: Record<string, string>;
  /** Written to a coop.json named by PLENARY_COOP_CONFIG. */
  coop?: unknown;
  /** Extra command-line arguments, such as a plenary:// link. */
  args?: string[];
  /** FAKE_ELECTRON_SCENARIO and its URLs (tests/helpers/fake-electron.ts). */
  scenario?: 'meeting' | 'refused-link';
  meetingUrls?: Record<string, string>;
  /** Prepares the user data folder (a damaged or newer store) before the boot. */
  userData?: (dir: string) => void;
}

async function boot(options: BootOptions): Promise<{ record: FakeElectronRecord; logs: string }> {
  dir = mkdtempSync(join(tmpdir(), 'plenary-main-bundle-'));
  options.userData?.(join(dir, 'userData'));
  const resources = join(dir, 'resources');
  mkdirSync(resources);
  for (const [name, text] of Object.entries(options.resources ?? {})) writeFileSync(join(resources, name), text);
  const coopJson = join(dir, 'coop.json');
  if (options.coop) writeFileSync(coopJson, JSON.stringify(options.coop));
  const { stdout, stderr } = await run(node24, ['--import', './tests/helpers/fake-electron.ts', 'dist/main/main.cjs', ...(options.args ?? [])], {
    cwd: repoRoot,
    timeout: 60_000,
    env: {
      ...process.env,
      PLENARY_COOP_CONFIG: options.coop ? coopJson : '',
      FAKE_ELECTRON_SCENARIO: options.scenario ?? '',
      FAKE_ELECTRON_MEETING: JSON.stringify(options.meetingUrls ?? {}),
      FAKE_ELECTRON_USER_DATA: join(dir, 'userData'),
      FAKE_ELECTRON_RESOURCES: resources,
      FAKE_ELECTRON_PACKAGED: options.packaged ? '1' : '0',
    },
  });
  const line = stdout.split('\n').find((l) => l.startsWith('FAKE_ELECTRON_RECORD '));
  if (!line) throw new Error(`the main bundle did not finish booting:\n${stdout}\n${stderr}`);
  return { record: JSON.parse(line.slice('FAKE_ELECTRON_RECORD '.length)) as FakeElectronRecord, logs: stderr };
}

describe('the bundled main process', () => {
  beforeAll(() => {
    if (!existsSync(join(repoRoot, 'dist/main/main.cjs'))) throw new Error('dist/main/main.cjs is missing: run "npm run build" first (npm test does).');
  });
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('boots hardened: sandbox for all, one hardened window on the app scheme, guards and permission checks', async () => {
    const { record, logs } = await boot({ packaged: false });
    expect(record.calls).toContain('app.enableSandbox');
    expect(record.appEvents).toContain('web-contents-created');
    expect(record.protocols).toEqual([
      { registered: [{ scheme: 'plenary-app', privileges: { standard: true, secure: true, supportFetchAPI: true } }] },
      { handled: 'plenary-app' },
    ]);
    expect(record.windows).toHaveLength(1);
    const [window] = record.windows;
    expect(window!.webPreferences).toEqual({ ...hardenedWebPreferences, preload: join(repoRoot, 'dist/preload/preload.cjs') });
    expect(window!.loadedUrl).toBe('plenary-app://app/index.html');
    expect(window).toMatchObject({ permissionRequestHandler: true, permissionCheckHandler: true, devicePermissionHandler: true });
    // The test runs on Linux, where dictionaries would come from Google's servers.
    expect(window!.spellChecker).toBe(false);
    // Plenary lives in the tray: its menu is built from the core's model (Open, Quit, …).
    expect(record.tray?.menu.length).toBeGreaterThan(1);
    expect(record.tray?.menu).toContain('Quit Plenary');
    expect(record.calls).toContain('app.setAsDefaultProtocolClient');
    expect(record.permissions).toEqual({ media: false, clipboard: true });
    expect(logs).toContain('automatic updates are off {"reason":"not-packaged"}');
  });

  it('answers IPC from Plenary’s page and refuses it from any other', async () => {
    const { record, logs } = await boot({ packaged: false });
    expect(record.ipc?.fromApp).toMatchObject({ ok: true, value: { runtime: 'electron' } });
    expect(record.ipc?.fromElsewhere).toEqual({ ok: false, error: { code: 'forbidden', message: 'IPC is only answered for Plenary pages' } });
    expect(logs).toContain('refused IPC call from an untrusted frame {"url":"https://evil.example/"');
  });

  it('turns updates on when installed from a package with a feed, through electron-updater', async () => {
    const { logs } = await boot({
      packaged: true,
      resources: { 'app-update.yml': 'provider: generic\nurl: https://updates.plenary.invalid/plenary\nupdaterCacheDirName: plenary-updater\n', 'package-type': 'deb\n' },
    });
    expect(logs).toContain('automatic updates are on {"feed":"https://updates.plenary.invalid/plenary","channel":"latest","source":"installer"}');
  });

  it('keeps updates off for a packaged copy that cannot update itself', async () => {
    const { logs } = await boot({ packaged: true, resources: { 'app-update.yml': 'provider: generic\nurl: https://updates.plenary.invalid/plenary\n' } });
    expect(logs).toContain('automatic updates are off {"reason":"unsupported-package","detail":"unpacked"}');
  });

  describe('a meeting opened by a plenary:// link, under the real guards', () => {
    const coop = { version: 1, coop: { name: 'Test coop' }, greenlight: { hosts: ['https://meet.example.coop'] }, bbb: { hosts: ['https://*.bbb.example.coop'] } };
    const room = 'https://meet.example.coop/b/abc-def-ghi';
    const checksum = 'c'.repeat(64);
    const meetingUrls = {
      elsewhere: 'https://www.example.org/handbook',
      unlisted: 'https://bbb.elsewhere.example/html5client/join?sessionToken=u',
      join: `https://bbb1.bbb.example.coop/bigbluebutton/api/join?fullName=Ana&meetingID=m&checksum=${checksum}`,
      client: 'https://bbb1.bbb.example.coop/html5client/join?sessionToken=t',
      breakout: `https://bbb1.bbb.example.coop/bigbluebutton/api/join?fullName=Ana&meetingID=m-breakout-1&checksum=${checksum}`,
    };

    it('follows Greenlight to BBB on listed hosts, sends other hosts to the browser, and opens a breakout as a second meeting window', async () => {
      const { record, logs } = await boot({ packaged: false, coop, args: [`plenary://join?url=${encodeURIComponent(room)}`], scenario: 'meeting', meetingUrls });
      expect(record.meeting?.error).toBeUndefined();
      const [, meeting, breakout] = record.windows;
      expect(meeting).toMatchObject({ loadedUrl: room, title: 'meet.example.coop · meeting', webPreferences: { partition: 'persist:meeting', sandbox: true, contextIsolation: true } });
      expect(record.meeting?.steps).toEqual([
        { step: 'navigate elsewhere', outcome: 'prevented' },
        { step: 'redirect to an unlisted server', outcome: 'prevented' },
        { step: 'redirect to the BBB join', outcome: 'allowed' },
        { step: 'redirect to the BBB client', outcome: 'allowed' },
        { step: 'window.open a breakout room', outcome: 'deny' },
      ]);
      // Only the other host's page went to the system browser; the refused redirect did not.
      expect(record.openedExternally).toEqual([meetingUrls.elsewhere]);
      expect(breakout).toMatchObject({ loadedUrl: meetingUrls.breakout, title: 'meet.example.coop · breakout room', webPreferences: { partition: 'persist:meeting' } });
      expect(meeting!.closed).toBeUndefined();
      expect(record.meeting?.openWindows).toBe(3); // the main window, the call and its breakout room
      expect(logs).toContain('blocked redirect {"url":"https://bbb.elsewhere.example/html5client/join?sessionToken=u"}');
      expect(logs).not.toContain('blocked redirect {"url":"https://bbb1.bbb.example.coop');
    });

    it('refuses a link to a host coop.json does not list, in words, and opens no meeting window', async () => {
      const { record } = await boot({ packaged: false, coop, args: ['plenary://join?url=https%3A%2F%2Fmeet.elsewhere.example%2Fb%2Fabc-def-ghi'], scenario: 'refused-link' });
      expect(record.meeting?.error).toBeUndefined();
      expect(record.dialogs).toEqual(["meet.elsewhere.example is not one of your coop's meeting hosts: the coop's configuration does not list it."]);
      expect(record.windows).toHaveLength(1);
      expect(record.openedExternally).toEqual([]); // the member chose Cancel in the stand-in dialog
    });
  });

  it('opens the recovery screen for a damaged store: one window, no tray, the page told what happened', async () => {
    const { record, logs } = await boot({
      packaged: false,
      userData: (userData) => {
        makeStore(userData);
        corruptTable(join(userData, 'plenary.sqlite'));
      },
    });
    expect(record.windows).toHaveLength(1);
    expect(record.windows[0]!.loadedUrl).toBe('plenary-app://app/index.html');
    expect(record.tray).toBeUndefined();
    expect(record.ipc?.storeStatus).toMatchObject({ ok: true, value: { state: 'recovery', recovery: { problem: 'corrupt', choices: ['start-empty', 'quit'] } } });
    expect(record.ipc?.fromApp).toMatchObject({ ok: true, value: { runtime: 'electron', version: '0.0.0-fake' } });
    expect(record.calls).not.toContain('app.quit');
    expect(logs).toContain('the store could not be opened; starting in recovery {"problem":"corrupt"');
  });

  it('refuses a store a later Plenary wrote, naming its version, and writes nothing to it', async () => {
    let before: ReturnType<typeof fileState> | null = null;
    let file = '';
    const { record } = await boot({
      packaged: false,
      userData: (userData) => {
        makeStore(userData);
        file = join(userData, 'plenary.sqlite');
        fromTheFuture(file, '7.1.0');
        before = fileState(file);
      },
    });
    expect(record.ipc?.storeStatus).toMatchObject({ ok: true, value: { state: 'recovery', recovery: { problem: 'newer_schema', writtenBy: '7.1.0', appVersion: '0.0.0-fake', choices: ['quit'] } } });
    expect(record.tray).toBeUndefined();
    expect(fileState(file)).toEqual(before);
  });

  it('answers data.status as ready when the store opens', async () => {
    const { record } = await boot({ packaged: false });
    expect(record.ipc?.storeStatus).toEqual({ ok: true, value: { state: 'ready' } });
  });
});
