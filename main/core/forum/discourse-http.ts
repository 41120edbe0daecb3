// Plain fetch requests to a Discourse forum's JSON API, as the member (User-Api-Key and
// User-Api-Client-Id headers; Discourse's "User API keys specification", meta topic 48536).
// Failures become ForumHttpError (the status, Discourse's `errors` sentences, its
// `error_type` and, for 429, how long to wait) or ForumNetworkError (no answer). The key never
// appears in an error or a log line.
import { retryAfterMs } from '../matrix/matrix-http';

export class ForumHttpError extends Error {
  constructor(
    readonly status: number,
    /** Discourse's own sentences ("Body is too short (minimum is 20 characters)"). */
    readonly errors: string[],
    /** rate_limit, invalid_access, not_found, … when Discourse says. */
    readonly errorType: string | null,
    readonly retryAfterSeconds: number | null,
    message: string,
  ) {
    super(message);
    this.name = 'ForumHttpError';
  }
}

export class ForumNetworkError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ForumNetworkError';
  }
}

export interface ForumRequest {
  site: string;
  method: 'GET' | 'POST';
  /** Starts with "/": "/categories.json". */
  path: string;
  query?: [string, string][];
  /** Sent as JSON. */
  body?: Record<string, unknown>;
  /** Sent as application/x-www-form-urlencoded (what Discourse's own client sends to /topics/timings). */
  form?: [string, string][];
  key?: string | undefined;
  clientId?: string | undefined;
  timeoutMs?: number;
  signal?: AbortSignal | undefined;
  fetch?: typeof fetch;
}

export function forumUrl(site: string, path: string, query: [string, string][] = []): string {
  const url = new URL(site.replace(/\/+$/, '') + path);
  for (const [name, value] of query) url.searchParams.append(name, value);
  return url.toString();
}

function networkReason(cause: unknown): string {
  const inner = (cause as { cause?: { code?: string } })?.cause;
  if (inner?.code) return inner.code;
  if (cause instanceof Error) return cause.name === 'TimeoutError' ? 'timed out' : cause.message;
  return String(cause);
}

export async function forumRequest<T>(request: ForumRequest): Promise<T> {
  const url = forumUrl(request.site, request.path, request.query);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (request.key) headers['User-Api-Key'] = request.key;
  if (request.clientId) headers['User-Api-Client-Id'] = request.clientId;
  let payload: string | undefined;
  if (request.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(request.body);
  } else if (request.form !== undefined) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    payload = new URLSearchParams(request.form).toString();
  }
  const timeout = AbortSignal.timeout(request.timeoutMs ?? 30_000);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  const what = `${request.method} ${request.path}`;
  let response: Response;
  let text: string;
  try {
    response = await (request.fetch ?? fetch)(url, { method: request.method, headers, body: payload, signal, redirect: 'manual' });
    text = await response.text();
  } catch (cause) {
    throw new ForumNetworkError(`${what} failed: ${networkReason(cause)}`, { cause });
  }
  let body: unknown;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const record = typeof body === 'object' && body !== null ? (body as { errors?: unknown; error_type?: unknown }) : {};
    const errors = Array.isArray(record.errors) ? record.errors.filter((e): e is string => typeof e === 'string').map((e) => e.slice(0, 500)) : [];
    const errorType = typeof record.error_type === 'string' ? record.error_type : null;
    const waitMs = response.status === 429 ? retryAfterMs(null, response.headers.get('retry-after'), Date.now()) : undefined;
    const wait = waitMs === undefined ? (response.status === 429 ? 60 : null) : Math.ceil(waitMs / 1000);
    throw new ForumHttpError(response.status, errors, errorType, wait, `${what} answered ${response.status}${errors.length > 0 ? `: ${errors.join(' ')}` : ''}`);
  }
  if (body === undefined) throw new ForumHttpError(response.status, [], 'not_json', null, `${what} answered with something other than JSON`);
  return (body ?? {}) as T;
}
