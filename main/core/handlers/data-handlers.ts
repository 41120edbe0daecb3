import type { Handlers } from '../dispatch';
import type { DataCallName } from '../core-host';
import type { DataService } from '../store/data-service';

/** The data.* calls: answered whether the store is open or closed for recovery. */
export function dataHandlers(data: DataService): Pick<Handlers, DataCallName> {
  return {
    'data.status': () => data.status(),
    'data.recover': ({ choice }) => data.recover(choice),
    'data.overview': () => data.overview(),
    'data.backupNow': () => data.backupNow(),
    'data.restore': ({ backupId }) => data.restore(backupId),
    'data.exportBegin': () => data.exportBegin(),
    'data.exportChunk': ({ exportId, index }) => data.exportChunk(exportId, index),
    'data.exportEnd': ({ exportId }) => data.exportEnd(exportId),
    'data.importBegin': ({ sizeBytes }) => data.importBegin(sizeBytes),
    'data.importChunk': ({ importId, index, data: chunk }) => data.importChunk(importId, index, chunk),
    'data.importEnd': ({ importId }) => data.importEnd(importId),
  };
}
