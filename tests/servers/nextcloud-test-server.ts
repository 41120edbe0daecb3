// A NextCloud test setup on 127.0.0.1: a real WebDAV server (WsgiDAV from PyPI, see
// tests/helpers/wsgidav.ts) behind a front that speaks what NextCloud adds, as published in
// its developer manual:
//   - GET /status.php;
//   - Login Flow v2: POST /index.php/login/v2 → { poll: { token, endpoint }, login }; the
//     login page in the browser (Log in, then Grant access) creates an app password; POST
//     <endpoint> with token= answers 404 until then, then once { server, loginName, appPassword };
//   - WebDAV at /remote.php/dav/files/<user>/… with Basic auth by app password, passed to
//     WsgiDAV; folders shared read-only are refused for writing with 403 as NextCloud's Sabre
//     layer does, and uploads over the server's limit with 413;
//   - OCS: POST /ocs/v2.php/apps/files_sharing/api/v1/shares (path, shareType=3) makes a
//     public link /s/<token> (with /download), DELETE /ocs/v2.php/core/apppassword revokes the
//     app password; both need the OCS-APIRequest header.
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startWsgidav, type WsgidavServer } from '../helpers/wsgidav';

export const davPrefix = '/remote.php/dav/files';

export interface NextcloudTestServerOptions {
  users?: string[];
  /** Who the browser is logged in as on the login page. */
  browserUser?: string;
  /** Uploads larger than this are refused with 413 (a web server's body limit). */
  maxUploadBytes?: number;
  /** Folders (relative to each user's home, like "Archive") shared with the member read-only. */
  readOnlyFolders?: string[];
}

interface LoginFlow {
  pollToken: string;
  flowToken: string;
  granted: { loginName: string; appPassword: string } | null;
  delivered: boolean;
}

interface Share {
  id: number;
  token: string;
  user: string;
  path: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function sabreError(res: ServerResponse, status: number, exception: string, message: string): void {
  res
    .writeHead(status, { 'Content-Type': 'application/xml; charset=utf-8' })
    .end(
      `<?xml version="1.0" encoding="utf-8"?>\n<d:error xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns"><s:exception>${exception}</s:exception><s:message>${escapeHtml(message)}</s:message></d:error>`,
    );
}

function ocs(res: ServerResponse, httpStatus: number, statuscode: number, message: string, data: unknown): void {
  res
    .writeHead(httpStatus, { 'Content-Type': 'application/json; charset=utf-8' })
    .end(JSON.stringify({ ocs: { meta: { status: statuscode < 300 ? 'ok' : 'failure', statuscode, message }, data } }));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function readParams(req: IncomingMessage): Promise<URLSearchParams> {
  const body = await readBody(req);
  if ((req.headers['content-type'] ?? '').includes('application/json')) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries((body ? JSON.parse(body) : {}) as Record<string, unknown>)) params.set(k, String(v));
    return params;
  }
  return new URLSearchParams(body);
}

export class NextcloudTestServer {
  readonly appPasswords = new Map<string, string>();
  readonly shares: Share[] = [];
  readonly requests: string[] = [];
  private readonly flows: LoginFlow[] = [];
  /** Cuts the next upload's connection after this many bytes (a network failure mid-upload). */
  breakNextUploadAfter: number | null = null;
  browserUser: string;
  private gate: Promise<void> | null = null;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly dav: WsgidavServer,
    readonly filesRoot: string,
    private readonly workDir: string,
    private readonly options: NextcloudTestServerOptions,
  ) {
    this.browserUser = options.browserUser ?? 'ana';
  }

  static async start(options: NextcloudTestServerOptions = {}): Promise<NextcloudTestServer> {
    const workDir = mkdtempSync(join(tmpdir(), 'plenary-nextcloud-'));
    const filesRoot = join(workDir, 'files');
    for (const user of options.users ?? ['ana', 'bruno']) {
      mkdirSync(join(filesRoot, user, 'Documents'), { recursive: true });
      for (const folder of options.readOnlyFolders ?? []) mkdirSync(join(filesRoot, user, folder), { recursive: true });
    }
    const dav = await startWsgidav(filesRoot, davPrefix, workDir);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const cloud = new NextcloudTestServer(server, `http://127.0.0.1:${port}`, dav, filesRoot, workDir, options);
    server.on('request', (req, res) => {
      cloud.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(String(error));
      });
    });
    return cloud;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.dav.stop();
    rmSync(this.workDir, { recursive: true, force: true });
  }

  /** A file's path on disk for a user's path ("Documents/a.pdf"). */
  filePath(user: string, path: string): string {
    return join(this.filesRoot, user, path);
  }

  fileExists(user: string, path: string): boolean {
    return existsSync(this.filePath(user, path));
  }

  fileSize(user: string, path: string): number {
    return statSync(this.filePath(user, path)).size;
  }

  private authUser(req: IncomingMessage): string | null {
    const header = req.headers.authorization ?? '';
    const match = /^Basic (.+)$/i.exec(header);
    if (!match) return null;
    const [user, password] = Buffer.from(match[1]!, 'base64').toString('utf8').split(/:(.*)/s) as [string, string];
    return this.appPasswords.get(password) === user ? user : null;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const path = url.pathname;
    this.requests.push(`${req.method} ${path}`);
    if (req.method === 'GET' && path === '/status.php') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(
        JSON.stringify({ installed: true, maintenance: false, needsDbUpgrade: false, version: '30.0.4.1', versionstring: '30.0.4', edition: '', productname: 'Nextcloud', extendedSupport: false }),
      );
      return;
    }
    // Addresses NextCloud writes into answers are built from the request's host, as NextCloud does without overwrite.cli.url.
    const base = `http://${req.headers.host ?? new URL(this.url).host}`;
    if (req.method === 'POST' && path === '/index.php/login/v2') return this.startFlow(base, res);
    if (req.method === 'POST' && path === '/index.php/login/v2/poll') return this.poll(base, await readParams(req), res);
    let match = /^\/index\.php\/login\/v2\/flow\/([A-Za-z0-9]+)$/.exec(path);
    if (match) return this.loginPage(match[1]!, req.method === 'POST' ? await readParams(req) : null, res);
    match = /^\/s\/([A-Za-z0-9]+)(\/download)?$/.exec(path);
    if (req.method === 'GET' && match) return this.publicLink(match[1]!, !!match[2], res);
    if (path.startsWith('/ocs/')) return this.ocsRequest(base, req, url, res);
    if (path.startsWith(`${davPrefix}/`)) return this.davRequest(req, url, res);
    res.writeHead(404, { 'Content-Type': 'text/html' }).end('<!doctype html><title>Not found</title><p>Page not found</p>');
  }

  private startFlow(base: string, res: ServerResponse): void {
    const flow: LoginFlow = { pollToken: randomBytes(32).toString('hex'), flowToken: randomBytes(24).toString('hex'), granted: null, delivered: false };
    this.flows.push(flow);
    res
      .writeHead(200, { 'Content-Type': 'application/json' })
      .end(JSON.stringify({ poll: { token: flow.pollToken, endpoint: `${base}/index.php/login/v2/poll` }, login: `${base}/index.php/login/v2/flow/${flow.flowToken}` }));
  }

  private poll(base: string, params: URLSearchParams, res: ServerResponse): void {
    const flow = this.flows.find((f) => f.pollToken === params.get('token'));
    if (!flow || !flow.granted || flow.delivered) {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end('[]');
      return;
    }
    flow.delivered = true;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ server: base, loginName: flow.granted.loginName, appPassword: flow.granted.appPassword }));
  }

  private loginPage(flowToken: string, form: URLSearchParams | null, res: ServerResponse): void {
    const flow = this.flows.find((f) => f.flowToken === flowToken);
    const page = (body: string, status = 200) =>
      void res
        .writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' })
        .end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Nextcloud</title></head><body><main>${body}</main></body></html>`);
    if (!flow) return page('<h1>Token expired</h1><p>Please start the login flow again.</p>', 404);
    if (form?.get('step') === 'grant') {
      const appPassword = randomBytes(36).toString('base64url');
      this.appPasswords.set(appPassword, this.browserUser);
      flow.granted = { loginName: this.browserUser, appPassword };
      return page('<h1>Account connected</h1><p>Your client should now be connected! You can close this window.</p>');
    }
    if (form?.get('step') === 'login') {
      return page(`<h1>Account access</h1><p>You are about to grant Plenary access to your Nextcloud account ${escapeHtml(this.browserUser)}.</p><form method="post"><input type="hidden" name="step" value="grant"><button type="submit">Grant access</button></form>`);
    }
    page('<h1>Connect to your account</h1><p>Please log in before granting Plenary access to your Nextcloud account.</p><form method="post"><input type="hidden" name="step" value="login"><button type="submit">Log in</button></form>');
  }

  private publicLink(token: string, download: boolean, res: ServerResponse): void {
    const share = this.shares.find((s) => s.token === token);
    if (!share) {
      res.writeHead(404, { 'Content-Type': 'text/html' }).end('<!doctype html><title>Not found</title><p>Share not found</p>');
      return;
    }
    if (!download) {
      const name = share.path.split('/').pop() ?? '';
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(`<!doctype html><html lang="en"><head><title>${escapeHtml(name)}</title></head><body><h1>${escapeHtml(name)}</h1><a href="/s/${token}/download">Download</a></body></html>`);
      return;
    }
    const upstream = httpRequest(`${this.dav.url}/${share.user}${share.path.split('/').map(encodeURIComponent).join('/')}`, { method: 'GET' }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, { 'Content-Type': answer.headers['content-type'] ?? 'application/octet-stream' });
      answer.pipe(res);
    });
    upstream.end();
  }

  private async ocsRequest(base: string, req: IncomingMessage, url: URL, res: ServerResponse): Promise<void> {
    if (req.headers['ocs-apirequest'] !== 'true') {
      res.writeHead(401, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message: 'CSRF check failed' }));
      return;
    }
    const user = this.authUser(req);
    if (!user) return ocs(res, 401, 997, 'Current user is not logged in', []);
    if (req.method === 'DELETE' && url.pathname === '/ocs/v2.php/core/apppassword') {
      const header = Buffer.from((req.headers.authorization ?? '').slice(6), 'base64').toString('utf8');
      this.appPasswords.delete(header.slice(header.indexOf(':') + 1));
      return ocs(res, 200, 200, 'OK', []);
    }
    if (req.method === 'POST' && url.pathname === '/ocs/v2.php/apps/files_sharing/api/v1/shares') {
      const params = await readParams(req);
      const path = params.get('path') ?? '';
      if (params.get('shareType') !== '3') return ocs(res, 400, 400, 'Unknown share type', []);
      const normal = `/${path.replace(/^\/+/, '')}`;
      if (!path || normal.split('/').includes('..') || !existsSync(this.filePath(user, normal))) return ocs(res, 404, 404, 'Wrong path, file/folder does not exist', []);
      const share: Share = { id: this.shares.length + 1, token: randomBytes(8).toString('hex'), user, path: normal };
      this.shares.push(share);
      const isFolder = statSync(this.filePath(user, normal)).isDirectory();
      return ocs(res, 200, 200, 'OK', {
        id: String(share.id),
        share_type: 3,
        uid_owner: user,
        displayname_owner: user,
        permissions: 17,
        stime: Math.floor(Date.now() / 1000),
        expiration: null,
        token: share.token,
        path: normal,
        item_type: isFolder ? 'folder' : 'file',
        mimetype: isFolder ? 'httpd/unix-directory' : 'application/octet-stream',
        file_target: `/${normal.split('/').pop()}`,
        share_with: null,
        url: `${base}/s/${share.token}`,
        name: '',
      });
    }
    ocs(res, 404, 998, 'Invalid query', []);
  }

  /** Holds uploads (PUT) until the returned function is called, so a test can look at an upload under way. */
  holdUploads(): () => void {
    let release: () => void = () => undefined;
    this.gate = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.gate = null;
      release();
    };
  }

  private async davRequest(req: IncomingMessage, url: URL, res: ServerResponse): Promise<void> {
    const user = this.authUser(req);
    if (!user) {
      res.setHeader('WWW-Authenticate', 'Basic realm="Nextcloud", charset="UTF-8"');
      return sabreError(res, 401, 'Sabre\\DAV\\Exception\\NotAuthenticated', 'No public access to this resource., No \'Authorization: Basic\' header found.');
    }
    const rest = url.pathname.slice(davPrefix.length);
    const owner = decodeURIComponent(rest.split('/')[1] ?? '');
    if (owner !== user) return sabreError(res, 403, 'Sabre\\DAV\\Exception\\Forbidden', 'Access denied');
    const method = req.method ?? 'GET';
    const writes = ['PUT', 'MKCOL', 'DELETE', 'MOVE', 'COPY', 'PROPPATCH'].includes(method);
    const destination = typeof req.headers.destination === 'string' ? new URL(req.headers.destination, this.url) : null;
    const readOnly = (path: string) => {
      const inHome = decodeURIComponent(path.slice(davPrefix.length + 1 + user.length + 1));
      return (this.options.readOnlyFolders ?? []).some((folder) => inHome === folder || inHome.startsWith(`${folder}/`));
    };
    if ((writes && method !== 'COPY' && readOnly(url.pathname)) || (destination && readOnly(destination.pathname))) {
      req.resume();
      return sabreError(res, 403, 'Sabre\\DAV\\Exception\\Forbidden', 'Could not create file, permission denied');
    }
    const length = Number(req.headers['content-length'] ?? NaN);
    if (method === 'PUT' && this.options.maxUploadBytes !== undefined && Number.isFinite(length) && length > this.options.maxUploadBytes) {
      // As PHP does: the body is read (and dropped), then the answer goes.
      const limit = this.options.maxUploadBytes;
      req.on('end', () => sabreError(res, 413, 'Sabre\\DAV\\Exception\\RequestEntityTooLarge', `The file is larger than ${limit} bytes, the limit of this server`));
      req.resume();
      return;
    }
    if (method === 'PUT' && this.gate) await this.gate;
    const headers = { ...req.headers };
    delete headers.authorization;
    delete headers.host;
    if (destination) headers.destination = `${this.dav.url}${destination.pathname}`;
    const upstream = httpRequest(`${this.dav.url}${rest}${url.search}`, { method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    if (method === 'PUT' && this.breakNextUploadAfter !== null) {
      const limit = this.breakNextUploadAfter;
      this.breakNextUploadAfter = null;
      let seen = 0;
      req.on('data', (chunk: Buffer) => {
        seen += chunk.length;
        if (seen > limit) {
          upstream.destroy();
          req.socket.destroy();
        }
      });
    }
    req.pipe(upstream);
  }
}
