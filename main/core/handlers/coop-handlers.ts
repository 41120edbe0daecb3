import type { Handlers } from '../dispatch';
import type { CoreServices } from '../core-services';

export function coopHandlers(core: CoreServices): Pick<Handlers, 'coop.config'> {
  return {
    'coop.config': () => ({ config: core.coop.config, source: core.coop.source, problems: core.coop.problems }),
  };
}
