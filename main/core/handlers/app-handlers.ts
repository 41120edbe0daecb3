import type { Handlers } from '../dispatch';
import type { CoreServices } from '../core-services';

export function appHandlers(core: CoreServices): Pick<Handlers, 'app.info' | 'settings.get' | 'settings.set'> {
  return {
    'app.info': () => ({
      version: core.version,
      runtime: core.runtime,
      platform: core.platform,
      localActor: core.localActor,
    }),
    'settings.get': () => core.settings.view(),
    'settings.set': (change) => core.settings.write(change),
  };
}
