// The unread chat count on the dock/taskbar badge (app.setBadgeCount: macOS, Linux Unity
// launchers). The tray tooltip carries the same count, composed with the tray's own state
// in policy/tray-menu.ts (trayTooltip), so one never overwrites the other. Windows has no
// badge count: its taskbar overlay icon needs a window and an image per count, which is
// left for later; Windows members see the count in the tray tooltip.
import { app } from 'electron';
import type { Core } from '../core/app-core';

/** Keeps the badge current. Returns a stop function. */
export function attachUnreadBadge(core: Core): () => void {
  const apply = () => {
    app.setBadgeCount(core.services.chat.badge().count);
  };
  apply();
  return core.services.chat.onRoomsChange(apply);
}
