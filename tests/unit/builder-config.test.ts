import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Configuration, PlatformSpecificBuildOptions } from 'electron-builder';
import { loadBuilderConfig, validateBuilderConfig } from '../../scripts/packaging/validate-builder-config';
import { requiredFuses } from '../../scripts/packaging/inspect-bundle';
import { repoRoot } from '../helpers/paths';

const config = loadBuilderConfig();

describe('electron-builder.yml', () => {
  it("matches electron-builder's schema", async () => {
    await expect(validateBuilderConfig(config)).resolves.toBeUndefined();
  });

  it('would be refused with a misspelt option (the schema check can fail)', async () => {
    await expect(validateBuilderConfig({ ...config, linux: { ...config.linux, tagret: ['AppImage'] } } as Configuration)).rejects.toThrow(/configuration\.linux/);
  });

  it('builds Plenary for Linux, Windows and macOS', () => {
    expect(config.appId).toBe('coop.meet.plenary');
    expect(config.productName).toBe('Plenary');
    expect(config.linux?.target).toEqual(['AppImage', 'deb', 'rpm']);
    expect(config.win?.target).toEqual(['nsis']);
    // macOS updates need the zip next to the dmg.
    expect(config.mac?.target).toEqual(['dmg', 'zip']);
  });

  it('registers the plenary: protocol (and with it the Linux x-scheme-handler MimeType)', () => {
    expect(config.protocols).toEqual([{ name: 'Plenary', schemes: ['plenary'] }]);
  });

  it('flips every security fuse', () => {
    const expected = Object.fromEntries(Object.entries(requiredFuses).map(([name, state]) => [name, state === 'enabled']));
    expect(config.electronFuses).toEqual(expected);
    expect(expected).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, onlyLoadAppFromAsar: true, enableCookieEncryption: true });
  });

  it('packs an asar with the native SQLite module unpacked, and never rebuilds it', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(['node_modules/better-sqlite3/prebuilds/*.node']);
    expect(config.npmRebuild).toBe(false);
  });

  it('ships the same files on every platform, each with only its own SQLite binaries', () => {
    const platforms = { linux: config.linux, win: config.win, mac: config.mac } as Record<string, PlatformSpecificBuildOptions | null | undefined>;
    const own = { linux: 'linux*', win: 'win32-*', mac: 'darwin-*' } as Record<string, string>;
    for (const [name, options] of Object.entries(platforms)) {
      expect(options?.files, name).toEqual([
        'dist/**',
        'package.json',
        '!**/*.map',
        '!node_modules/!(better-sqlite3|@matrix-org)/**',
        '!node_modules/@matrix-org/!(matrix-sdk-crypto-wasm)/**',
        '!node_modules/better-sqlite3/{deps,src,build}/**',
        `!node_modules/better-sqlite3/prebuilds/!(${own[name]})`,
      ]);
    }
    // Platform `files` replace a top-level list for the app's own files, so there must be none.
    expect(config.files).toBeUndefined();
  });

  it('publishes updates to a generic feed the coop sets when building', () => {
    expect(config.publish).toEqual([{ provider: 'generic', url: '${env.PLENARY_UPDATE_URL}' }]);
  });

  it('ships a coop.json from build/ when there is one', () => {
    expect(config.extraResources).toEqual([{ from: 'build', to: '.', filter: ['coop.json'] }]);
  });

  it('points at icons and entitlements that exist', () => {
    for (const path of [config.linux?.icon, config.win?.icon, config.mac?.icon, config.mac?.entitlements, config.mac?.entitlementsInherit]) {
      expect(path).toBeTypeOf('string');
      expect(existsSync(join(repoRoot, path as string)), String(path)).toBe(true);
    }
    expect(config.mac?.extendInfo).toMatchObject({ NSMicrophoneUsageDescription: expect.any(String), NSCameraUsageDescription: expect.any(String) });
  });
});
