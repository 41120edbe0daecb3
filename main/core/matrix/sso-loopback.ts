// SSO through the system browser (RFC 8252 style loopback redirect): a short-lived HTTP
// listener on 127.0.0.1 receives the homeserver's redirect with `loginToken`, which main
// then exchanges for an access token with m.login.token. The callback path carries a
// random nonce so another local program cannot inject a token of its own.
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';

export interface SsoCallbackPage {
  title: string;
  message: string;
  lang: string;
}

export interface LoopbackListener {
  /** The redirectUrl to hand to /login/sso/redirect. */
  redirectUrl: string;
  /** Resolves with the loginToken; rejects on timeout or close(). */
  loginToken: Promise<string>;
  close(): void;
}

export class SsoCancelledError extends Error {
  constructor(readonly reason: 'cancelled' | 'timeout') {
    super(reason === 'timeout' ? 'Single sign-on took too long; start it again' : 'Single sign-on was cancelled');
    this.name = 'SsoCancelledError';
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function callbackPageHtml(page: SsoCallbackPage): string {
  return (
    `<!doctype html><html lang="${escapeHtml(page.lang)}"><head><meta charset="utf-8"><title>${escapeHtml(page.title)}</title></head>` +
    `<body><h1>${escapeHtml(page.title)}</h1><p>${escapeHtml(page.message)}</p></body></html>`
  );
}

export async function startLoopbackListener(options: {
  timeoutMs: number;
  page: (outcome: 'done' | 'failed') => SsoCallbackPage;
  /**
   * Other redirect flows (the forum's User API key) reuse the listener: a fixed port and path
   * when the server only accepts redirects it was told about, and the query parameter that
   * carries the result. Defaults: any free port, /sso-callback/<nonce>, loginToken.
   */
  port?: number;
  callbackPath?: string;
  param?: string;
}): Promise<LoopbackListener> {
  const nonce = randomBytes(16).toString('base64url');
  const callbackPath = options.callbackPath ?? `/sso-callback/${nonce}`;
  const param = options.param ?? 'loginToken';
  let settle: { resolve: (token: string) => void; reject: (error: Error) => void } | null = null;
  const loginToken = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  // Unobserved rejections (closing before anyone awaited) must not crash the process.
  loginToken.catch(() => undefined);
  let server: Server | null = null;
  let timer: NodeJS.Timeout | null = null;

  const close = (error?: Error) => {
    if (timer) clearTimeout(timer);
    timer = null;
    server?.close();
    server?.closeAllConnections();
    server = null;
    if (settle && error) settle.reject(error);
    settle = null;
  };

  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== callbackPath) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end();
      return;
    }
    const token = url.searchParams.get(param);
    const headers = { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': "default-src 'none'", 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' };
    if (!token) {
      res.writeHead(400, headers).end(callbackPageHtml(options.page('failed')));
      return;
    }
    res.writeHead(200, headers).end(callbackPageHtml(options.page('done')), () => {
      const pending = settle;
      settle = null;
      close();
      pending?.resolve(token);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server!.once('error', reject);
    server!.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  timer = setTimeout(() => close(new SsoCancelledError('timeout')), options.timeoutMs);
  timer.unref();
  return {
    redirectUrl: `http://127.0.0.1:${port}${callbackPath}`,
    loginToken,
    close: () => close(new SsoCancelledError('cancelled')),
  };
}
