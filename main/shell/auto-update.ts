// Carries out the core's update plan (main/core/update/update-plan.ts) with
// electron-updater: check a little after startup and then every few hours, download in the
// background, install when the member next quits Plenary. Nothing interrupts a meeting.
// Failed checks (offline, server down) are logged and retried at the next interval.
import { app } from 'electron';
import { autoUpdater } from 'electron-updater';
import type { CoopConfig } from '../../shared/coop-config';
import type { Logger } from '../core/log';
import { planUpdates } from '../core/update/update-plan';
import { readUpdateEnvironment } from '../core/update/update-environment';

export function startAutoUpdates(coopUpdates: CoopConfig['updates'], log: Logger): () => void {
  const environment = readUpdateEnvironment({ isPackaged: app.isPackaged, platform: process.platform, resourcesDir: process.resourcesPath, env: process.env });
  const plan = planUpdates(environment, coopUpdates);
  if (!plan.enabled) {
    log.info('automatic updates are off', { reason: plan.reason, ...(plan.detail ? { detail: plan.detail } : {}) });
    return () => {};
  }
  autoUpdater.logger = {
    info: (message?: unknown) => log.debug(String(message)),
    warn: (message?: unknown) => log.warn(String(message)),
    error: (message?: unknown) => log.warn(String(message)),
  };
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.allowDowngrade = false;
  autoUpdater.allowPrerelease = plan.feed.channel === 'beta';
  autoUpdater.setFeedURL({ provider: 'generic', url: plan.feed.url, channel: plan.feed.channel });
  autoUpdater.on('update-downloaded', (info) => log.info('update downloaded; it installs when Plenary quits', { version: info.version }));
  log.info('automatic updates are on', { feed: plan.feed.url, channel: plan.feed.channel, source: plan.source });

  const check = () => {
    autoUpdater.checkForUpdates().catch((error: unknown) => log.warn('update check failed', { message: String((error as Error)?.message ?? error) }));
  };
  const first = setTimeout(check, plan.firstCheckDelayMs);
  const every = setInterval(check, plan.intervalMs);
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
