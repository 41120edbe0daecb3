// matrix-js-sdk logs every HTTP request at debug level; tests only want its warnings.
// Its logger is a loglevel instance at runtime, though the type hides setLevel.
import { logger } from 'matrix-js-sdk/lib/logger';

(logger as unknown as { setLevel(level: string): void }).setLevel('warn');
