// How a mention reaches the member. The Electron shell shows a native notification
// (main/shell/mention-notifier.ts); the browser bridge forwards it as a chat.notification
// event that the page shows with the Web Notification API when the member allowed it.
import type { ChatNotification } from '../../../shared/contract/chat';
import type { EventBus } from '../events';

export interface Notifier {
  notify(notification: ChatNotification): void;
}

export function eventNotifier(events: EventBus): Notifier {
  return { notify: (notification) => events.emit('chat.notification', notification) };
}
