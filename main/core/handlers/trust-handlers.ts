import type { Handlers } from '../dispatch';
import type { CoreServices } from '../core-services';

export function trustHandlers(
  core: CoreServices,
): Pick<Handlers, 'secureBackup.status' | 'secureBackup.newRecoveryKey' | 'secureBackup.setUp' | 'trust.room' | 'trust.acceptIdentityChange'> {
  const { crypto } = core;
  return {
    'secureBackup.status': () => crypto.secureBackup(),
    'secureBackup.newRecoveryKey': () => crypto.newRecoveryKey(),
    'secureBackup.setUp': ({ recoveryKey, reset, password }) => crypto.setUpSecureBackup({ recoveryKey, reset, password }),
    'trust.room': async ({ roomId }) => {
      // The room's joined members (refreshed from the server when online; the room must be known).
      const members = await core.chat.members(roomId);
      return crypto.roomTrust(roomId, members.map((member) => member.userId));
    },
    'trust.acceptIdentityChange': async ({ userId }) => {
      await crypto.acceptIdentityChange(userId);
      return { ok: true as const };
    },
  };
}
