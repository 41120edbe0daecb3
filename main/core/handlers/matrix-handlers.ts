import type { Handlers } from '../dispatch';
import type { CoreServices } from '../core-services';
import { discoverHomeserver } from '../matrix/homeserver-discovery';

export function matrixHandlers(
  core: CoreServices,
): Pick<
  Handlers,
  | 'matrix.status'
  | 'matrix.discover'
  | 'matrix.signInWithPassword'
  | 'matrix.startSso'
  | 'matrix.cancelSso'
  | 'matrix.signOut'
  | 'matrix.connect'
  | 'matrix.disconnect'
  | 'matrix.setElementUrl'
  | 'matrix.encryption'
  | 'matrix.restoreKeys'
> {
  const { matrix } = core;
  return {
    'matrix.status': () => matrix.view(),
    'matrix.discover': ({ input }) => discoverHomeserver(input),
    'matrix.signInWithPassword': (input) => matrix.signInWithPassword(input),
    'matrix.startSso': (input) => matrix.startSso(input),
    'matrix.cancelSso': () => matrix.cancelSso(),
    'matrix.signOut': () => matrix.signOut(),
    'matrix.connect': () => matrix.connect(),
    'matrix.disconnect': () => matrix.disconnect(),
    'matrix.setElementUrl': ({ url }) => matrix.setElementUrl(url),
    'matrix.encryption': () => matrix.encryptionStatus(),
    'matrix.restoreKeys': ({ recoveryKey }) => matrix.restoreKeys(recoveryKey),
  };
}
