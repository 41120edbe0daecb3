// Mentions as native desktop notifications. Whether to notify (do-not-disturb, own
// messages, age) is decided in the core (main/core/chat/mentions.ts); this only shows it.
import { Notification } from 'electron';
import type { ChatNotification } from '../../shared/contract/chat';
import type { Notifier } from '../core/chat/notifier';
import type { Translate } from '../core/i18n/translator';

export class ElectronMentionNotifier implements Notifier {
  private options: { translate: Translate; onClick(roomId: string): void } | null = null;

  /** Called once the core exists (the translator reads the member's language setting). */
  attach(options: { translate: Translate; onClick(roomId: string): void }): void {
    this.options = options;
  }

  notify(notification: ChatNotification): void {
    const options = this.options;
    if (!options || !Notification.isSupported()) return;
    const invite = notification.kind === 'directInvite';
    const shown = new Notification({
      title: invite
        ? options.translate('chat:direct.inviteTitle', { sender: notification.senderName })
        : options.translate('chat:notification.title', { sender: notification.senderName, room: notification.roomName }),
      body: invite ? options.translate('chat:direct.inviteBody') : notification.body,
    });
    shown.on('click', () => options.onClick(notification.roomId));
    shown.show();
  }
}
