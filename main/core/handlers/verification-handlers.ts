import type { Handlers } from '../dispatch';
import type { CoreServices } from '../core-services';

export function verificationHandlers(
  core: CoreServices,
): Pick<Handlers, 'verification.list' | 'verification.request' | 'verification.act' | 'verification.crossSigning' | 'verification.setUpCrossSigning' | 'verification.deviceVerified'> {
  const { crypto } = core;
  return {
    'verification.list': () => crypto.verifications(),
    'verification.request': ({ deviceId }) => crypto.requestVerification(deviceId),
    'verification.act': ({ flowId, action }) => crypto.verificationAction(flowId, action),
    'verification.crossSigning': () => crypto.crossSigning(),
    'verification.setUpCrossSigning': ({ password }) => crypto.bootstrapCrossSigning(password),
    'verification.deviceVerified': async ({ deviceId }) => {
      const userId = core.matrix.session()?.userId;
      return { verified: userId ? await crypto.deviceVerified(userId, deviceId) : false };
    },
  };
}
