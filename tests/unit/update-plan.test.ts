import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkIntervalMs, firstCheckDelayMs, parseAppUpdateYml, planUpdates, type UpdateEnvironment } from '../../main/core/update/update-plan';
import { readUpdateEnvironment } from '../../main/core/update/update-environment';

// What electron-builder 26 writes for `publish: { provider: generic, url: ... }`.
const bakedYml = 'provider: generic\nurl: https://updates.meet.coop/plenary\nupdaterCacheDirName: plenary-updater\n';

const installed: UpdateEnvironment = {
  isPackaged: true,
  platform: 'win32',
  appImagePath: undefined,
  packageType: null,
  appUpdateYml: bakedYml,
  disabledByEnvironment: false,
};

describe('app-update.yml', () => {
  it('reads the generic feed electron-builder writes, quoted or not', () => {
    expect(parseAppUpdateYml(bakedYml)).toEqual({ url: 'https://updates.meet.coop/plenary' });
    expect(parseAppUpdateYml("provider: generic\r\nurl: 'https://updates.meet.coop/it''s'\r\nchannel: beta\r\n")).toEqual({
      url: "https://updates.meet.coop/it's",
      channel: 'beta',
    });
  });

  it('ignores files without a generic feed', () => {
    expect(parseAppUpdateYml('provider: github\nowner: x\nrepo: y\n')).toBeNull();
    expect(parseAppUpdateYml('provider: generic\n')).toBeNull();
    expect(parseAppUpdateYml('')).toBeNull();
  });
});

describe('update plan', () => {
  it('uses the feed built into the installer, checking after startup and then every few hours', () => {
    expect(planUpdates(installed, undefined)).toEqual({
      enabled: true,
      feed: { provider: 'generic', url: 'https://updates.meet.coop/plenary', channel: 'latest' },
      source: 'installer',
      firstCheckDelayMs,
      intervalMs: checkIntervalMs,
    });
    expect(firstCheckDelayMs).toBeGreaterThanOrEqual(60_000);
    expect(checkIntervalMs).toBeGreaterThanOrEqual(60 * 60_000);
  });

  it("lets coop.json move the feed or choose the beta channel without a rebuild", () => {
    const plan = planUpdates(installed, { enabled: true, url: 'https://mirror.meet.coop/plenary', channel: 'beta' });
    expect(plan).toMatchObject({ enabled: true, source: 'coop-config', feed: { url: 'https://mirror.meet.coop/plenary', channel: 'beta' } });
  });

  it('stays off when running from sources, when switched off, and without a feed', () => {
    expect(planUpdates({ ...installed, isPackaged: false }, undefined)).toEqual({ enabled: false, reason: 'not-packaged' });
    expect(planUpdates({ ...installed, disabledByEnvironment: true }, undefined)).toEqual({ enabled: false, reason: 'disabled-by-environment' });
    expect(planUpdates(installed, { enabled: false, channel: 'latest' })).toEqual({ enabled: false, reason: 'disabled-by-coop' });
    expect(planUpdates({ ...installed, appUpdateYml: null }, undefined)).toEqual({ enabled: false, reason: 'no-feed' });
  });

  it('refuses feeds that are not https, except on this computer', () => {
    expect(planUpdates({ ...installed, appUpdateYml: 'provider: generic\nurl: http://updates.meet.coop/\n' }, undefined)).toEqual({
      enabled: false,
      reason: 'insecure-feed',
      detail: 'http://updates.meet.coop/',
    });
    expect(planUpdates({ ...installed, appUpdateYml: 'provider: generic\nurl: http://127.0.0.1:8080/\n' }, undefined)).toMatchObject({ enabled: true });
  });

  it('updates on Linux only where electron-updater can: AppImage, deb and rpm', () => {
    const linux = { ...installed, platform: 'linux' };
    expect(planUpdates({ ...linux, appImagePath: '/home/ana/Plenary.AppImage' }, undefined)).toMatchObject({ enabled: true });
    expect(planUpdates({ ...linux, packageType: 'deb' }, undefined)).toMatchObject({ enabled: true });
    expect(planUpdates({ ...linux, packageType: 'rpm' }, undefined)).toMatchObject({ enabled: true });
    expect(planUpdates(linux, undefined)).toEqual({ enabled: false, reason: 'unsupported-package', detail: 'unpacked' });
    expect(planUpdates({ ...installed, platform: 'freebsd' }, undefined)).toMatchObject({ enabled: false, reason: 'unsupported-package' });
  });
});

describe('update environment', () => {
  it('reads the resources folder and the switch-off variable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plenary-resources-'));
    try {
      writeFileSync(join(dir, 'app-update.yml'), bakedYml);
      writeFileSync(join(dir, 'package-type'), 'deb\n');
      const env = readUpdateEnvironment({ isPackaged: true, platform: 'linux', resourcesDir: dir, env: { PLENARY_DISABLE_UPDATES: '1' } });
      expect(env).toEqual({ isPackaged: true, platform: 'linux', appImagePath: undefined, packageType: 'deb', appUpdateYml: bakedYml, disabledByEnvironment: true });
      for (const off of ['', '0', 'false', 'FALSE']) {
        expect(readUpdateEnvironment({ isPackaged: true, platform: 'linux', resourcesDir: dir, env: { PLENARY_DISABLE_UPDATES: off } }).disabledByEnvironment).toBe(false);
      }
      const empty = readUpdateEnvironment({ isPackaged: true, platform: 'linux', resourcesDir: join(dir, 'missing'), env: { APPIMAGE: '/a/Plenary.AppImage' } });
      expect(empty).toMatchObject({ packageType: null, appUpdateYml: null, appImagePath: '/a/Plenary.AppImage' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
