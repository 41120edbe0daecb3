// The browser bridge serves the member's only copy of their data to a page; one request
// whose handling fails in an unexpected way (a promise nobody awaited, rejected) must not
// end the process. Node ends it on an unhandled rejection unless something listens for
// them: this listens, logs the reason (rate-limited) and keeps serving. Synchronous
// exceptions are not caught here: after one, the process state is unknown, and the handlers
// are written not to throw.
import type { Logger } from '../core/log';
import { rateLimitedLog } from '../core/rate-limited-log';

export function installProcessGuard(log: Logger): () => void {
  const limited = rateLimitedLog(log);
  const onRejection = (reason: unknown) => {
    const message = reason instanceof Error ? reason.message : String(reason);
    limited.warn(`rejection:${message.slice(0, 80)}`, 'caught an unexpected failure; the bridge keeps running', {
      reason: message.slice(0, 500),
      stack: reason instanceof Error ? reason.stack?.split('\n').slice(0, 6).join('\n') : undefined,
    });
  };
  process.on('unhandledRejection', onRejection);
  return () => process.off('unhandledRejection', onRejection);
}
