// Logs a kind of event once, then at most once a minute with how many were left out: a page
// or a program sending the bridge thousands of malformed requests gets its first one logged
// with the reason, not a log that fills the disk.
import type { Logger } from './log';

export interface RateLimitedLog {
  /** `key` groups occurrences (the same kind of refusal); the first of each window is written. */
  warn(key: string, message: string, fields?: Record<string, unknown>): void;
}

export function rateLimitedLog(log: Logger, options: { windowMs?: number; now?: () => number } = {}): RateLimitedLog {
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? (() => Date.now());
  const seen = new Map<string, { at: number; left: number }>();
  return {
    warn(key, message, fields) {
      const time = now();
      const entry = seen.get(key);
      if (entry && time - entry.at < windowMs) {
        entry.left++;
        return;
      }
      const left = entry?.left ?? 0;
      // Keys are kinds of events, a bounded set; forgetting old ones keeps it bounded anyway.
      if (seen.size > 1000) seen.clear();
      seen.set(key, { at: time, left: 0 });
      log.warn(message, left > 0 ? { ...fields, notLogged: left } : fields);
    },
  };
}

/** A Logger whose warnings go through rateLimitedLog, grouped by `keyOf`; other levels pass through. */
export function withLimitedWarnings(log: Logger, keyOf: (message: string, fields?: Record<string, unknown>) => string, options: { windowMs?: number; now?: () => number } = {}): Logger {
  const limited = rateLimitedLog(log, options);
  return {
    debug: (message, fields) => log.debug(message, fields),
    info: (message, fields) => log.info(message, fields),
    warn: (message, fields) => limited.warn(keyOf(message, fields), message, fields),
    error: (message, fields) => log.error(message, fields),
  };
}
