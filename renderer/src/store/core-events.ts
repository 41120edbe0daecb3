// Routes core events into the store. Each feature adds its events here.
import { usePlenary } from './index';
import type { SettingsView } from '../../../shared/settings';
import type { EventName } from '../../../shared/contract';
import type { MatrixStatusView } from '../../../shared/contract/matrix';
import type { MeetingReminder } from '../../../shared/meetings/types';
import type { ChatInviteView, ChatNotification, ChatRoomView } from '../../../shared/contract/chat';
import { showMentionNotification } from '../chat/web-notifications';
import type { GovernanceChanged } from '../../../shared/contract/governance';
import type { SyncStatusView } from '../../../shared/contract/sync';
import type { ForumStatusView } from '../../../shared/forum/types';
import { useForum } from '../forum/forum-store';
import { useCloud } from '../forum/cloud-store';
import type { CloudStatusView, CloudUploadProgress } from '../../../shared/cloud/types';

/**
 * Meetings change with every governance change (rooms, schedules and assemblies live
 * there), but nothing about them is urgent: they reload a moment later, once for a burst
 * of changes, so they never queue in front of the reads of a facilitator's action.
 */
const meetingsDelayMs = 300;
let meetingsTimer: ReturnType<typeof setTimeout> | null = null;
function reloadMeetingsSoon(): void {
  // Not loaded yet: no view shows meetings, and the one that does loads them itself.
  if (meetingsTimer !== null || usePlenary.getState().meetings === null) return;
  meetingsTimer = setTimeout(() => {
    meetingsTimer = null;
    void usePlenary.getState().loadMeetings();
  }, meetingsDelayMs);
}

type Subscribe = (listener: (event: string, payload: unknown) => void) => () => void;

const routes: Partial<Record<EventName, (payload: unknown) => void>> = {
  'settings.changed': (payload) => usePlenary.getState().setSettings(payload as SettingsView),
  'app.identity': (payload) => usePlenary.getState().setLocalActor((payload as { localActor: string }).localActor),
  'matrix.status': (payload) => usePlenary.getState().setMatrixStatus(payload as MatrixStatusView),
  'meetings.changed': () => reloadMeetingsSoon(),
  'meetings.reminder': (payload) => usePlenary.getState().showReminder(payload as MeetingReminder),
  'chat.rooms': (payload) => usePlenary.getState().setChatRooms(payload as ChatRoomView[]),
  'chat.invites': (payload) => usePlenary.getState().setChatInvites(payload as ChatInviteView[]),
  'chat.timeline': (payload) => usePlenary.getState().timelineChanged((payload as { roomId: string }).roomId),
  'chat.notification': (payload) => showMentionNotification(payload as ChatNotification),
  'chat.openRoom': (payload) => usePlenary.getState().navigate({ section: 'chat', params: [(payload as { roomId: string }).roomId] }),
  'sync.status': (payload) => usePlenary.getState().setSyncStatus(payload as SyncStatusView),
  'governance.changed': (payload) => usePlenary.getState().governanceChanged((payload as GovernanceChanged).circles),
  'forum.status': (payload) => useForum.getState().setStatus(payload as ForumStatusView),
  'forum.queue': () => useForum.getState().queueChanged(),
  'cloud.status': (payload) => useCloud.getState().setStatus(payload as CloudStatusView),
  'cloud.upload': (payload) => useCloud.getState().setProgress(payload as CloudUploadProgress),
  // The store was opened again (a restore, a recovery): everything on the page is stale.
  'data.reopened': () => window.location.reload(),
};

export function subscribeToCoreEvents(subscribe: Subscribe): () => void {
  return subscribe((event, payload) => routes[event as EventName]?.(payload));
}
