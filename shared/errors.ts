// The error shape every call returns on failure, across IPC and the browser bridge.
// `code` selects a translated sentence in the renderer (errors namespace); `message` is a
// precise English description for logs and developers; `field` names the offending input
// field when validation failed.

export const errorCodes = [
  'invalid_input',
  'unknown_channel',
  'malformed_request',
  'not_found',
  'forbidden',
  'conflict',
  'clock_skew',
  'offline',
  'remote_error',
  'rate_limited',
  'not_supported',
  // The local store: a change not saved because the disk is full, read-only or failing; the
  // store closed for recovery; a backup or export file that is damaged, too new or not Plenary's.
  'storage_full',
  'storage_read_only',
  'storage_failed',
  'store_unavailable',
  'file_damaged',
  'file_too_new',
  'file_not_plenary',
  'internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface PlenaryErrorData {
  code: ErrorCode;
  message: string;
  field?: string;
  /** Values for the translated sentence, e.g. { field: 'minutes' }. */
  params?: Record<string, string | number>;
}

export class PlenaryError extends Error implements PlenaryErrorData {
  readonly code: ErrorCode;
  readonly field?: string;
  readonly params?: Record<string, string | number>;

  constructor(code: ErrorCode, message: string, options: { field?: string; params?: Record<string, string | number>; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PlenaryError';
    this.code = code;
    if (options.field !== undefined) this.field = options.field;
    if (options.params !== undefined) this.params = options.params;
  }

  toJSON(): PlenaryErrorData {
    const data: PlenaryErrorData = { code: this.code, message: this.message };
    if (this.field !== undefined) data.field = this.field;
    if (this.params !== undefined) data.params = this.params;
    return data;
  }
}

export type CallOutcome<T> = { ok: true; value: T } | { ok: false; error: PlenaryErrorData };

export function isErrorData(value: unknown): value is PlenaryErrorData {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as PlenaryErrorData).code === 'string' &&
    typeof (value as PlenaryErrorData).message === 'string'
  );
}

/** The reason code a schema attached to a failed check (refine's `params.reason`), which the interface translates. */
export function schemaIssueReason(issue: unknown): string | undefined {
  const params = (issue as { code?: unknown; params?: { reason?: unknown } } | undefined)?.params;
  return typeof params?.reason === 'string' ? params.reason : undefined;
}
