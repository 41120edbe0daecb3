// A matrix-js-sdk logger that keeps only errors, for the SDK clients tests use as "the
// other member": its sync loop otherwise prints every step to the test output.
import type { Logger } from 'matrix-js-sdk/lib/logger';

const ignore = () => undefined;

export const quietSdkLogger: Logger = {
  trace: ignore,
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: (...msg: unknown[]) => console.error('[matrix-js-sdk]', ...msg),
  getChild: () => quietSdkLogger,
};
