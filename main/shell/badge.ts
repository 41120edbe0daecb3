// The unread chat count on the dock/taskbar badge (app.setBadgeCount: macOS, Linux Unity
// launchers) and in the tray tooltip. The numbers and words come from the core.
import { app, type Tray } from 'electron';
import type { Core } from '../core/app-core';
import { mainTranslator } from '../core/i18n/translator';
import { unreadTooltip } from '../core/chat/unread-badge';

/** Keeps the badge current; `tray` returns the tray icon once the shell has one. Returns a stop function. */
export function attachUnreadBadge(core: Core, tray: () => Tray | null): () => void {
  const translate = mainTranslator(core.services.settings);
  const apply = () => {
    const badge = core.services.chat.badge();
    app.setBadgeCount(badge.count);
    const icon = tray();
    if (icon && !icon.isDestroyed()) icon.setToolTip(unreadTooltip(badge, translate));
  };
  apply();
  return core.services.chat.onRoomsChange(apply);
}
