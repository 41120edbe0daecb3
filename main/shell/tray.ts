// The tray icon and menu. The icon state and the menu model come from the core
// (policy/tray-menu.ts); this file loads the icons, turns the model into an Electron Menu
// and carries out the chosen action. It rebuilds when meetings, settings, the call, sync or
// the unread chat count change, and every minute so "coming up" moves to "live now" on time.
import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import type { Core } from '../core/app-core';
import type { Logger } from '../core/log';
import { buildTrayMenu, trayIconState, trayMeetings, trayTooltip, type SyncStatusSource, type TrayAction, type TrayIconState } from '../core/policy/tray-menu';
import type { MeetingWindows } from './meeting-window';

export interface TrayOptions {
  core: Core;
  log: Logger;
  meetings: MeetingWindows;
  /** Folder with tray-<state>.png and tray-<state>@2x.png. */
  assetsDir: string;
  /** The sync feature's status, once there is one; without it the menu has no Sync item. */
  sync: SyncStatusSource | null;
  showMainWindow(): void;
  quit(): void;
}

export interface PlenaryTray {
  refresh(): void;
  destroy(): void;
}

export function createTray(options: TrayOptions): PlenaryTray {
  const { core, log } = options;
  const icons = new Map<TrayIconState, Electron.NativeImage>();
  const icon = (state: TrayIconState) => {
    let image = icons.get(state);
    if (!image) {
      // Electron picks tray-<state>@2x.png on HiDPI screens by itself.
      image = nativeImage.createFromPath(join(options.assetsDir, `tray-${state}.png`));
      icons.set(state, image);
    }
    return image;
  };
  const tray = new Tray(icon('idle'));

  const act = (action: TrayAction) => {
    switch (action.type) {
      case 'join':
        core.services.meetings.join(action.target).catch((error: unknown) => log.warn('could not join from the tray', { reason: error instanceof Error ? error.message : String(error) }));
        return;
      case 'leave':
        options.meetings.leave();
        return;
      case 'sync':
        options.sync?.syncNow();
        return;
      case 'open':
        options.showMainWindow();
        return;
      case 'quit':
        options.quit();
    }
  };

  const refresh = () => {
    try {
      const meetings = core.services.meetings;
      const badge = core.services.chat.badge();
      const status = { inCall: options.meetings.isInCall(), sync: options.sync?.status() ?? null, unread: badge.count - badge.invites, invites: badge.invites };
      const t = meetings.translator();
      const state = trayIconState(status);
      const model = buildTrayMenu({ ...status, ...trayMeetings(meetings.overview()), locale: meetings.formatLocale(), now: core.services.clock.now() }, t);
      const template: MenuItemConstructorOptions[] = model.map((item) =>
        item.kind === 'separator'
          ? { type: 'separator' }
          : item.kind === 'header'
            ? { label: item.label, enabled: false }
            : { id: item.id, label: item.label, enabled: item.enabled, click: () => act(item.action) },
      );
      tray.setImage(icon(state));
      tray.setToolTip(trayTooltip(state, status, t));
      tray.setContextMenu(Menu.buildFromTemplate(template));
    } catch (error) {
      log.error('could not build the tray menu', { reason: error instanceof Error ? error.message : String(error) });
    }
  };

  tray.on('click', () => options.showMainWindow());
  const unsubscribe = core.events.subscribe((name) => {
    if (name === 'meetings.changed' || name === 'settings.changed') refresh();
  });
  const unsubscribeSync = options.sync?.subscribe(refresh) ?? (() => {});
  const unsubscribeChat = core.services.chat.onRoomsChange(refresh);
  const timer = setInterval(refresh, 60_000);
  refresh();

  return {
    refresh,
    destroy: () => {
      clearInterval(timer);
      unsubscribe();
      unsubscribeSync();
      unsubscribeChat();
      tray.destroy();
    },
  };
}
