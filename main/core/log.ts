// A small structured logger. Main and the bridge log one line per notable event
// (rejected input, refused connection, sync failures) so an operator can see why.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface LogRecord {
  level: LogLevel;
  scope: string;
  message: string;
  fields?: Record<string, unknown>;
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(scope: string, sink: (record: LogRecord) => void = consoleSink): Logger {
  const emit = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) =>
    sink(fields === undefined ? { level, scope, message } : { level, scope, message, fields });
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

const minLevel: LogLevel = (process.env.PLENARY_LOG_LEVEL as LogLevel | undefined) ?? 'info';

export function consoleSink(record: LogRecord): void {
  if (order[record.level] < order[minLevel]) return;
  const fields = record.fields ? ' ' + JSON.stringify(record.fields) : '';
  process.stderr.write(`[${record.level}] ${record.scope}: ${record.message}${fields}\n`);
}

/** Collects records in memory; tests use it to check that a rejection was logged. */
export function memorySink(): { records: LogRecord[]; sink: (record: LogRecord) => void } {
  const records: LogRecord[] = [];
  return { records, sink: (record) => records.push(record) };
}
