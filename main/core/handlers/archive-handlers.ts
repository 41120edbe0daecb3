import type { Handlers } from '../dispatch';
import type { CoreServices } from '../core-services';
import { ArchiveSearch } from '../archive/archive-search';

type ArchiveCall = Extract<keyof Handlers, `archive.${string}`>;

export function archiveHandlers(core: CoreServices): Pick<Handlers, ArchiveCall> {
  const archive = new ArchiveSearch(core.db, () => core.clock.now());
  return {
    'archive.search': (input) => archive.search(input),
  };
}
