// Requests to the member's NextCloud with the app password (HTTP Basic), as NextCloud's
// clients send them: WebDAV under /remote.php/dav/files/<user>/ and OCS with the
// OCS-APIRequest header. Failures become CloudHttpError (status and the server's own words)
// or CloudNetworkError (no answer). The app password never appears in an error or a log line.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';

export class CloudHttpError extends Error {
  constructor(
    readonly status: number,
    /** Sabre's <s:message> or OCS's meta.message, when the server said. */
    readonly serverMessage: string,
    message: string,
  ) {
    super(message);
    this.name = 'CloudHttpError';
  }
}

export class CloudNetworkError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CloudNetworkError';
  }
}

export interface CloudAuth {
  loginName: string;
  appPassword: string;
}

export interface CloudRequest {
  server: string;
  method: string;
  /** Starts with "/"; already percent-encoded. */
  path: string;
  auth?: CloudAuth | undefined;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Streamed instead of body; contentLength is then required. */
  stream?: Readable;
  contentLength?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface CloudResponse {
  status: number;
  headers: IncomingMessage['headers'];
  text: string;
}

/** The server's explanation in a Sabre XML error or an OCS answer. */
export function serverMessageOf(text: string): string {
  const sabre = /<s:message>([\s\S]*?)<\/s:message>/.exec(text)?.[1];
  if (sabre) return sabre.trim().slice(0, 300);
  try {
    const ocs = (JSON.parse(text) as { ocs?: { meta?: { message?: unknown } }; message?: unknown }) ?? {};
    const message = ocs.ocs?.meta?.message ?? ocs.message;
    return typeof message === 'string' ? message.slice(0, 300) : '';
  } catch {
    return '';
  }
}

/** One request; resolves with any status (callers decide), rejects only when there is no answer. */
export function cloudRequest(request: CloudRequest): Promise<CloudResponse> {
  const url = new URL(request.server.replace(/\/+$/, '') + request.path);
  const headers: Record<string, string> = { ...request.headers };
  if (request.auth) headers.Authorization = `Basic ${Buffer.from(`${request.auth.loginName}:${request.auth.appPassword}`).toString('base64')}`;
  if (request.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(request.body));
  if (request.stream && request.contentLength !== undefined) headers['Content-Length'] = String(request.contentLength);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const what = `${request.method} ${url.pathname}`;
  return new Promise<CloudResponse>((resolve, reject) => {
    // A fresh connection per request: after a network change a kept-alive socket may be dead,
    // and an upload must never go out on one (it would fail half-way for no reason).
    let answered = false;
    const req = send(url, { method: request.method, headers, agent: false, timeout: request.timeoutMs ?? 30_000, ...(request.signal ? { signal: request.signal } : {}) }, (res) => {
      // A server may answer before it has read everything (413 for a file over its limit) and
      // close: the answer is what counts, not the write that failed after it.
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (error) => reject(new CloudNetworkError(`${what} failed: ${error.message}`, { cause: error })));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (!answered) reject(new CloudNetworkError(`${what} failed: ${error.code ?? error.message}`, { cause: error }));
    });
    if (request.stream) {
      request.stream.on('error', (error) => req.destroy(error));
      request.stream.pipe(req);
    } else req.end(request.body);
  });
}

/** Like cloudRequest, but a status outside 2xx is a CloudHttpError. */
export async function cloudOk(request: CloudRequest): Promise<CloudResponse> {
  const response = await cloudRequest(request);
  if (response.status < 200 || response.status >= 300) {
    const serverMessage = serverMessageOf(response.text);
    throw new CloudHttpError(response.status, serverMessage, `${request.method} ${request.path} answered ${response.status}${serverMessage ? `: ${serverMessage}` : ''}`);
  }
  return response;
}
