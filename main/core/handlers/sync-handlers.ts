import type { Handlers } from '../dispatch';
import type { CoreServices } from '../core-services';

export function syncHandlers(
  core: CoreServices,
): Pick<
  Handlers,
  | 'sync.status'
  | 'sync.now'
  | 'sync.quarantine'
  | 'sync.withdrawals'
  | 'sync.quarantineDropped'
  | 'sync.refusals'
  | 'sync.retryRefusal'
  | 'sync.dismissRefusal'
  | 'sync.notAccepted'
  | 'sync.acknowledgeNotAccepted'
  | 'sync.roomNotices'
  | 'sync.dismissRoomNotice'
> {
  return {
    'sync.status': () => core.sync.view(),
    'sync.now': () => core.sync.syncNow(),
    'sync.quarantine': ({ limit }) => core.sync.quarantined(limit),
    'sync.withdrawals': ({ limit }) => core.sync.withdrawals(limit),
    'sync.quarantineDropped': () => core.sync.quarantineDropped(),
    'sync.refusals': () => core.sync.refusalList(),
    'sync.retryRefusal': ({ id }) => core.sync.retryRefusal(id),
    'sync.dismissRefusal': ({ id }) => core.sync.dismissRefusal(id),
    'sync.notAccepted': () => core.sync.notAcceptedList(),
    'sync.acknowledgeNotAccepted': ({ opId }) => core.sync.acknowledgeNotAccepted(opId),
    'sync.roomNotices': () => core.sync.roomNoticeList(),
    'sync.dismissRoomNotice': ({ roomId }) => core.sync.dismissRoomNotice(roomId),
  };
}
