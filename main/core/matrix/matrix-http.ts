// Plain fetch-based Matrix client-server API requests: JSON in and out, an optional
// access token, a timeout, and failures mapped to MatrixHttpError (with Matrix's errcode
// and the rate-limit hint) or MatrixNetworkError (the server could not be reached).
import { MatrixHttpError, MatrixNetworkError } from './matrix-connection';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface MatrixRequestOptions {
  baseUrl: string;
  method: HttpMethod;
  /** Starts with /_matrix/ (or /.well-known/ for discovery). */
  path: string;
  accessToken?: string | undefined;
  body?: unknown;
  query?: Record<string, string> | undefined;
  /** Whole-request deadline. Long-polling /sync passes its poll timeout plus a margin. */
  timeoutMs?: number;
  /** Cancels the request; the caller then sees the abort, not a network error. */
  signal?: AbortSignal | undefined;
}

export const defaultRequestTimeoutMs = 30_000;

/** The URL of a request, with the path's segments left as the caller encoded them. */
export function matrixUrl(baseUrl: string, path: string, query?: Record<string, string>): string {
  const url = new URL(baseUrl.replace(/\/+$/, '') + path);
  for (const [key, value] of Object.entries(query ?? {})) url.searchParams.set(key, value);
  return url.toString();
}

/**
 * How long a 429 asks us to wait: `retry_after_ms` in the body (Matrix), else the
 * Retry-After header in seconds or as an HTTP date (RFC 9110 section 10.2.3).
 */
export function retryAfterMs(body: unknown, header: string | null, now: number): number | undefined {
  const fromBody = (body as { retry_after_ms?: unknown } | null)?.retry_after_ms;
  if (typeof fromBody === 'number' && Number.isFinite(fromBody) && fromBody >= 0) return fromBody;
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  if (Number.isFinite(date)) return Math.max(0, date - now);
  return undefined;
}

/** Turns a failed response into the error the rest of the core handles. */
export function httpError(status: number, body: unknown, text: string, retryAfterHeader: string | null, now: number): MatrixHttpError {
  const record = typeof body === 'object' && body !== null ? (body as { errcode?: unknown; error?: unknown }) : {};
  const errcode = typeof record.errcode === 'string' ? record.errcode : `HTTP_${status}`;
  const message = typeof record.error === 'string' ? record.error : text.slice(0, 200) || `HTTP ${status}`;
  const error = new MatrixHttpError(status, errcode, message, status === 429 ? retryAfterMs(body, retryAfterHeader, now) : retryAfterMs(null, retryAfterHeader, now));
  // User-interactive auth: the session to answer with (cross-signing asks for the password).
  const session = (record as { session?: unknown }).session;
  if (status === 401 && typeof session === 'string') Object.assign(error, { uiaSession: session });
  return error;
}

function describeNetworkFailure(cause: unknown): string {
  const inner = (cause as { cause?: { code?: string; message?: string } })?.cause;
  if (inner?.code) return inner.code;
  if (cause instanceof Error) return cause.name === 'TimeoutError' ? 'timed out' : cause.message;
  return String(cause);
}

export async function matrixRequest<T>(options: MatrixRequestOptions): Promise<T> {
  const url = matrixUrl(options.baseUrl, options.path, options.query);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.accessToken) headers.Authorization = `Bearer ${options.accessToken}`;
  let payload: string | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(options.body);
  }
  const timeout = AbortSignal.timeout(options.timeoutMs ?? defaultRequestTimeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { method: options.method, headers, body: payload, signal });
    text = await response.text();
  } catch (cause) {
    // A caller's own abort is not a network failure; let it see the abort.
    if (options.signal?.aborted) throw options.signal.reason ?? cause;
    throw new MatrixNetworkError(`${options.method} ${new URL(url).pathname} failed: ${describeNetworkFailure(cause)}`, { cause });
  }
  let body: unknown = null;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (!response.ok) throw httpError(response.status, body, text, response.headers.get('retry-after'), Date.now());
  if (body === null && text !== '') {
    throw new MatrixHttpError(response.status, 'M_NOT_JSON', `${options.method} ${new URL(url).pathname} answered with something other than JSON`);
  }
  return (body ?? {}) as T;
}

/** Percent-encodes one path segment (room ids, event ids, user ids, txn ids). */
export function seg(value: string): string {
  return encodeURIComponent(value);
}
