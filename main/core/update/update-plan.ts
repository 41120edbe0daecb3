// Decides whether and where Plenary looks for updates. The Electron shell
// (main/shell/auto-update.ts) only carries the plan out with electron-updater.
//
// Where the feed comes from, first match wins:
//   1. coop.json "updates": { "enabled": false } switches updates off;
//      { "url": "https://..." } points them at another folder (no rebuild needed);
//   2. resources/app-update.yml, written by electron-builder from electron-builder.yml's
//      publish URL (PLENARY_UPDATE_URL at build time).
// Feeds must be https:// (or loopback http:// for testing): an update is code, and the
// installers of Linux and unsigned builds are only as trustworthy as the channel.
import type { CoopConfig } from '../../../shared/coop-config';
import { isLoopbackHost, parseServerAddress } from '../../../shared/coop-config';

export interface UpdateEnvironment {
  /** app.isPackaged: running from sources never updates itself. */
  isPackaged: boolean;
  platform: string;
  /** Linux only: set by the AppImage runtime; AppImages replace their own file. */
  appImagePath: string | undefined;
  /** Linux only: resources/package-type ("deb", "rpm"), written by electron-builder. */
  packageType: string | null;
  /** The text of resources/app-update.yml, or null when the build has none. */
  appUpdateYml: string | null;
  /** PLENARY_DISABLE_UPDATES=1 lets a member or a managed desktop turn updates off. */
  disabledByEnvironment: boolean;
}

export interface UpdateFeed {
  provider: 'generic';
  url: string;
  channel: 'latest' | 'beta';
}

export type UpdateOffReason =
  | 'not-packaged'
  | 'disabled-by-environment'
  | 'disabled-by-coop'
  | 'unsupported-package'
  | 'no-feed'
  | 'insecure-feed';

export type UpdatePlan =
  | { enabled: false; reason: UpdateOffReason; detail?: string }
  | { enabled: true; feed: UpdateFeed; source: 'coop-config' | 'installer'; firstCheckDelayMs: number; intervalMs: number };

/** Let startup finish (and the network come up) before the first check. */
export const firstCheckDelayMs = 2 * 60 * 1000;
/** Then check a few times a day; downloads install when the member quits Plenary. */
export const checkIntervalMs = 6 * 60 * 60 * 1000;

/**
 * Reads the feed URL and channel of the app-update.yml electron-builder writes: a flat map
 * of plain or quoted scalars ("provider: generic", "url: https://…"). Null if it names no
 * generic feed.
 */
export function parseAppUpdateYml(text: string): { url: string; channel?: string } | null {
  const values = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^([A-Za-z]+):[ \t]*(.*?)[ \t]*$/.exec(line);
    if (!match) continue;
    const raw = match[2]!;
    const quoted = /^'(.*)'$/.exec(raw) ?? /^"(.*)"$/.exec(raw);
    values.set(match[1]!, quoted ? quoted[1]!.replace(/''/g, "'") : raw);
  }
  const url = values.get('url');
  if (values.get('provider') !== 'generic' || !url) return null;
  const channel = values.get('channel');
  return channel ? { url, channel } : { url };
}

function isSecureFeed(url: string): boolean {
  const address = parseServerAddress(url);
  return address !== null && !address.host.startsWith('*.') && (address.scheme === 'https' || isLoopbackHost(address.host));
}

function canSelfUpdate(env: UpdateEnvironment): boolean {
  if (env.platform === 'win32' || env.platform === 'darwin') return true;
  if (env.platform !== 'linux') return false;
  // electron-updater updates AppImages in place and deb/rpm packages through the system's
  // package tool; a plain folder (linux-unpacked, a tarball) has nothing to update.
  return Boolean(env.appImagePath) || env.packageType === 'deb' || env.packageType === 'rpm';
}

export function planUpdates(env: UpdateEnvironment, coopUpdates: CoopConfig['updates']): UpdatePlan {
  if (!env.isPackaged) return { enabled: false, reason: 'not-packaged' };
  if (env.disabledByEnvironment) return { enabled: false, reason: 'disabled-by-environment' };
  if (coopUpdates?.enabled === false) return { enabled: false, reason: 'disabled-by-coop' };
  if (!canSelfUpdate(env)) return { enabled: false, reason: 'unsupported-package', detail: env.packageType ?? 'unpacked' };

  const baked = env.appUpdateYml === null ? null : parseAppUpdateYml(env.appUpdateYml);
  const url = coopUpdates?.url ?? baked?.url;
  if (url === undefined) return { enabled: false, reason: 'no-feed' };
  if (!isSecureFeed(url)) return { enabled: false, reason: 'insecure-feed', detail: url };
  const channel = coopUpdates?.channel ?? (baked?.channel === 'beta' ? 'beta' : 'latest');
  return {
    enabled: true,
    feed: { provider: 'generic', url, channel },
    source: coopUpdates?.url ? 'coop-config' : 'installer',
    firstCheckDelayMs,
    intervalMs: checkIntervalMs,
  };
}
