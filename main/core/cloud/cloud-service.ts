// The member's NextCloud: sign-in with Login Flow v2 (the app password comes back through
// polling once the member grants access in the browser, and is kept in main's secret store
// like the Matrix token), browsing folders over WebDAV, uploading a file with progress,
// public share links through the OCS sharing API, and saving files (exported minutes).
//
// Uploads are all-or-nothing: the file goes to a hidden temporary name in the folder and is
// moved to its real name only once complete; a failed upload deletes the temporary file, so
// nothing half-written is ever left under the real name.
import { createReadStream, statSync } from 'node:fs';
import { Transform } from 'node:stream';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Db } from '../store/database';
import type { SecretStore } from '../secrets/secret-store';
import { Transfers } from '../store/transfers';
import { PlenaryError } from '../../../shared/errors';
import { coopConfigSchema } from '../../../shared/coop-config';
import type { CloudEntry, CloudListing, CloudStatusView, CloudUploadProgress } from '../../../shared/cloud/types';
import { IntegrationAccounts, secretNames } from '../forum/integration-accounts';
import { CloudHttpError, CloudNetworkError, cloudOk, cloudRequest, serverMessageOf, type CloudAuth, type CloudRequest } from './cloud-http';
import { davPath, parseListing, propfindBody } from './webdav';

const addressSchema = coopConfigSchema.shape.nextcloud.unwrap().shape.url;

export type CloudReason =
  | 'cloud_not_configured'
  | 'cloud_address_invalid'
  | 'cloud_unreachable'
  | 'not_nextcloud'
  | 'cloud_signed_out'
  | 'cloud_password_revoked'
  | 'cloud_read_only'
  | 'cloud_too_large'
  | 'cloud_quota'
  | 'cloud_not_found'
  | 'cloud_error'
  | 'cloud_browser'
  | 'cloud_bad_name'
  | 'cloud_upload_failed';

export function cloudProblem(code: ConstructorParameters<typeof PlenaryError>[0], reason: CloudReason, message: string, params: Record<string, string | number> = {}, field?: string): PlenaryError {
  return new PlenaryError(code, message, { params: { reason, ...params }, ...(field ? { field } : {}) });
}

/** A failed request as an error the member can act on; `where` names the folder or file. */
export function cloudError(error: unknown, server: string, where: string): PlenaryError {
  if (error instanceof PlenaryError) return error;
  if (error instanceof CloudNetworkError) return cloudProblem('offline', 'cloud_unreachable', `NextCloud at ${server} could not be reached: ${error.message}`, { address: server });
  if (error instanceof CloudHttpError) {
    const detail = error.serverMessage || error.message;
    switch (error.status) {
      case 401:
        return cloudProblem('forbidden', 'cloud_password_revoked', 'NextCloud no longer accepts Plenary\'s app password; sign in again in Settings › Files', { detail });
      case 403:
        return cloudProblem('forbidden', 'cloud_read_only', `You may not write to ${where} on NextCloud: ${detail}`, { path: where, detail });
      case 404:
      case 409:
        return cloudProblem('not_found', 'cloud_not_found', `${where} does not exist on NextCloud`, { path: where, detail });
      case 413:
        return cloudProblem('invalid_input', 'cloud_too_large', `The file is larger than NextCloud accepts: ${detail}`, { detail });
      case 507:
        return cloudProblem('invalid_input', 'cloud_quota', `Your NextCloud storage is full: ${detail}`, { detail });
      default:
        return cloudProblem('remote_error', 'cloud_error', `NextCloud answered ${error.status}: ${detail}`, { status: error.status, detail });
    }
  }
  const detail = error instanceof Error ? error.message : String(error);
  return cloudProblem('internal', 'cloud_error', detail, { detail });
}

export interface CloudServiceOptions {
  db: Db;
  secrets: SecretStore;
  clock: Clock;
  log: Logger;
  coopAddress: string | null;
  openSystemBrowser?: ((url: string) => Promise<void>) | undefined;
  /** Where uploads from the page are assembled before they go to NextCloud. */
  transfersDir: string;
  /** How often Login Flow v2 is polled, and how long before it is given up (NextCloud: 20 minutes). */
  pollIntervalMs?: number;
  signInTimeoutMs?: number;
  onStatus(view: CloudStatusView): void;
  onProgress(progress: CloudUploadProgress): void;
}

interface PendingUpload {
  folder: string;
  name: string;
  sizeBytes: number;
}

/** A file or folder name NextCloud accepts: no slashes, not "." or "..", no control characters. */
export function checkName(name: string): string {
  const trimmed = name.trim();
  // eslint-disable-next-line no-control-regex
  if (trimmed === '' || trimmed === '.' || trimmed === '..' || /[/\\\u0000-\u001f]/.test(trimmed) || trimmed.length > 250) {
    throw cloudProblem('invalid_input', 'cloud_bad_name', `"${trimmed.slice(0, 80)}" cannot be a file name on NextCloud (no slashes, not empty, at most 250 characters)`, {}, 'name');
  }
  return trimmed;
}

export function normalFolder(path: string): string {
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw cloudProblem('invalid_input', 'cloud_bad_name', 'A folder path cannot contain ".."', {}, 'path');
  return `/${segments.join('/')}`;
}

const joinPath = (folder: string, name: string) => `${folder === '/' ? '' : folder}/${name}`;

/** "budget.ods" → "budget (2).ods". */
export function numberedName(name: string, n: number): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
}

export class CloudService {
  private readonly accounts: IntegrationAccounts;
  private readonly transfers: Transfers;
  private readonly uploads = new Map<string, PendingUpload>();
  private pending: { url: string; startedAt: number; cancel: () => void } | null = null;
  private signInProblem: string | null = null;
  private closed = false;

  constructor(private readonly options: CloudServiceOptions) {
    this.accounts = new IntegrationAccounts(options.db);
    this.transfers = new Transfers(options.transfersDir);
    this.transfers.clear();
  }

  close(): void {
    this.closed = true;
    this.pending?.cancel();
    this.pending = null;
  }

  address(): string | null {
    const own = this.accounts.read('nextcloud').address;
    return own !== '' ? own : this.options.coopAddress;
  }

  view(): CloudStatusView {
    const account = this.accounts.read('nextcloud');
    const signedIn = !!this.options.secrets.get(secretNames.nextcloudPassword) && account.signedInUrl !== null && account.username !== null;
    return {
      address: this.address(),
      memberAddress: account.address,
      coopAddress: this.options.coopAddress,
      account: signedIn ? { loginName: account.username!, server: account.signedInUrl!, since: account.signedInAt ?? 0 } : null,
      expired: signedIn && account.expiredAt !== null,
      pending: this.pending ? { url: this.pending.url, startedAt: this.pending.startedAt } : null,
      signInProblem: this.signInProblem,
      passwordStorage: this.options.secrets.persistence,
    };
  }

  setAddress(raw: string): CloudStatusView {
    let address = '';
    if (raw.trim() !== '') {
      const parsed = addressSchema.safeParse(raw);
      if (!parsed.success) {
        const detail = parsed.error.issues[0]?.message ?? 'is not a server address';
        throw cloudProblem('invalid_input', 'cloud_address_invalid', `NextCloud address: ${detail}`, { detail }, 'address');
      }
      address = parsed.data;
    }
    this.accounts.write('nextcloud', { address });
    this.emit();
    return this.view();
  }

  /** Login Flow v2: asks the server for a login page, opens it, and polls until the member grants access. */
  async signIn(): Promise<{ url: string; openedExternally: boolean }> {
    const server = this.address();
    if (!server) throw cloudProblem('invalid_input', 'cloud_not_configured', 'No NextCloud address is set: enter it in Settings › Files', {}, 'address');
    await this.checkServer(server);
    let flow: { login: string; poll: { token: string; endpoint: string } };
    try {
      const response = await cloudOk({ server, method: 'POST', path: '/index.php/login/v2', headers: { 'User-Agent': 'Plenary', Accept: 'application/json' } });
      flow = JSON.parse(response.text) as typeof flow;
    } catch (error) {
      throw cloudError(error, server, server);
    }
    // The token is only ever sent back to the server the member chose.
    if (typeof flow.login !== 'string' || typeof flow.poll?.token !== 'string' || new URL(flow.poll.endpoint).origin !== new URL(server).origin) {
      throw cloudProblem('remote_error', 'not_nextcloud', `${server} did not start a NextCloud login`, { address: server }, 'address');
    }
    this.pending?.cancel();
    this.signInProblem = null;
    let timer: NodeJS.Timeout | null = null;
    let cancelled = false;
    const startedAt = this.options.clock.now();
    const pending = {
      url: flow.login,
      startedAt,
      cancel: () => {
        cancelled = true;
        if (timer) clearTimeout(timer);
      },
    };
    this.pending = pending;
    const deadline = startedAt + (this.options.signInTimeoutMs ?? 20 * 60_000);
    const poll = async () => {
      if (cancelled || this.closed) return;
      try {
        const path = new URL(flow.poll.endpoint).pathname;
        const response = await cloudRequest({ server, method: 'POST', path, body: new URLSearchParams({ token: flow.poll.token }).toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
        if (cancelled || this.closed) return;
        if (response.status === 200) {
          const answer = JSON.parse(response.text) as { loginName?: unknown; appPassword?: unknown };
          if (typeof answer.loginName === 'string' && typeof answer.appPassword === 'string') {
            this.completeSignIn(server, answer.loginName, answer.appPassword);
            return;
          }
        }
      } catch (error) {
        this.options.log.info('NextCloud login poll failed; trying again', { reason: error instanceof Error ? error.message : String(error) });
      }
      if (this.options.clock.now() > deadline) {
        this.pending = null;
        this.signInProblem = 'timeout';
        this.emit();
        return;
      }
      timer = setTimeout(() => void poll(), this.options.pollIntervalMs ?? 2_000);
      timer.unref();
    };
    timer = setTimeout(() => void poll(), this.options.pollIntervalMs ?? 2_000);
    timer.unref();
    this.emit();
    if (!this.options.openSystemBrowser) return { url: flow.login, openedExternally: false };
    try {
      await this.options.openSystemBrowser(flow.login);
    } catch (error) {
      this.cancelSignIn();
      throw cloudProblem('internal', 'cloud_browser', `Could not open the system browser: ${error instanceof Error ? error.message : String(error)}`);
    }
    return { url: flow.login, openedExternally: true };
  }

  cancelSignIn(): CloudStatusView {
    this.pending?.cancel();
    this.pending = null;
    this.emit();
    return this.view();
  }

  /** Revokes the app password on NextCloud when it answers; forgets it here either way. */
  async signOut(): Promise<{ status: CloudStatusView; revokedOnServer: boolean }> {
    const session = this.sessionOrNull();
    let revokedOnServer = false;
    if (session) {
      try {
        const response = await cloudRequest({ ...session.base, method: 'DELETE', path: '/ocs/v2.php/core/apppassword', headers: { 'OCS-APIRequest': 'true', Accept: 'application/json' }, timeoutMs: 10_000 });
        revokedOnServer = response.status === 200 || response.status === 401;
      } catch (error) {
        this.options.log.info('could not revoke the NextCloud app password on the server; forgetting it here', { reason: error instanceof Error ? error.message : String(error) });
      }
    }
    this.options.secrets.delete(secretNames.nextcloudPassword);
    this.accounts.write('nextcloud', { signedInUrl: null, username: null, signedInAt: null, expiredAt: null });
    this.emit();
    return { status: this.view(), revokedOnServer };
  }

  async browse(path: string): Promise<CloudListing> {
    const session = this.session();
    const folder = normalFolder(path);
    const response = await this.call(session, { method: 'PROPFIND', path: davPath(session.user, folder), headers: { Depth: '1', 'Content-Type': 'application/xml; charset=utf-8' }, body: propfindBody }, folder);
    return { path: folder, entries: parseListing(response.text, session.user, folder) };
  }

  uploadStart(input: { folder: string; name: string; sizeBytes: number }): { uploadId: string; chunkBytes: number } {
    this.session();
    const started = this.transfers.beginImport(input.sizeBytes);
    this.uploads.set(started.importId, { folder: normalFolder(input.folder), name: checkName(input.name), sizeBytes: input.sizeBytes });
    return { uploadId: started.importId, chunkBytes: started.chunkBytes };
  }

  uploadChunk(uploadId: string, index: number, data: string): { received: number } {
    return { received: this.transfers.importChunk(uploadId, index, data) };
  }

  uploadCancel(uploadId: string): void {
    this.uploads.delete(uploadId);
    this.transfers.endImport(uploadId);
  }

  /** Sends an upload the page finished handing over to NextCloud, reporting progress; all or nothing. */
  async uploadFinish(uploadId: string): Promise<CloudEntry> {
    const upload = this.uploads.get(uploadId);
    if (!upload) throw new PlenaryError('not_found', `No upload ${uploadId} is open; start it again`, { field: 'uploadId' });
    const session = this.session();
    const file = this.transfers.importedFile(uploadId);
    const temp = joinPath(upload.folder, `.${upload.name}.plenary-${uploadId.slice(0, 8)}.part`);
    try {
      let sent = 0;
      let reported = 0;
      const total = statSync(file).size;
      const counter = new Transform({
        transform: (chunk: Buffer, _encoding, done) => {
          sent += chunk.length;
          // About a hundred progress events per upload at most.
          if (sent === total || sent - reported >= Math.max(64 * 1024, total / 100)) {
            reported = sent;
            this.options.onProgress({ uploadId, sent, total });
          }
          done(null, chunk);
        },
      });
      this.options.onProgress({ uploadId, sent: 0, total });
      try {
        await this.call(session, { method: 'PUT', path: davPath(session.user, temp), stream: createReadStream(file).pipe(counter), contentLength: total, timeoutMs: 10 * 60_000 }, upload.folder);
      } catch (error) {
        // Nothing half-written stays behind: the temporary file goes (when the server answers).
        await cloudRequest({ ...session.base, method: 'DELETE', path: davPath(session.user, temp), timeoutMs: 10_000 }).catch(() => undefined);
        throw error;
      }
      const name = await this.moveToFreeName(session, temp, upload.folder, upload.name);
      this.options.log.info('uploaded a file to NextCloud', { folder: upload.folder, bytes: total });
      return { name, path: joinPath(upload.folder, name), kind: 'file', sizeBytes: total, modifiedAt: this.options.clock.now() };
    } finally {
      this.uploads.delete(uploadId);
      this.transfers.endImport(uploadId);
    }
  }

  /** A public link to the file (OCS share type 3) and what to show for it. */
  async share(path: string): Promise<{ url: string; name: string; sizeBytes: number }> {
    const session = this.session();
    const file = normalFolder(path);
    const stat = await this.call(session, { method: 'PROPFIND', path: davPath(session.user, file), headers: { Depth: '0', 'Content-Type': 'application/xml; charset=utf-8' }, body: propfindBody }, file);
    const parent = file.slice(0, file.lastIndexOf('/')) || '/';
    // A Depth: 0 answer lists only the file itself; read it as the parent's listing would.
    const entry = parseListing(stat.text, session.user, parent).find((e) => e.path === file);
    const response = await this.call(
      session,
      { method: 'POST', path: '/ocs/v2.php/apps/files_sharing/api/v1/shares?format=json', headers: { 'OCS-APIRequest': 'true', Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ path: file, shareType: '3' }).toString() },
      file,
    );
    const url = (JSON.parse(response.text) as { ocs?: { data?: { url?: unknown } } }).ocs?.data?.url;
    if (typeof url !== 'string' || !/^https?:\/\//.test(url)) throw cloudProblem('remote_error', 'cloud_error', 'NextCloud did not return a share link', { detail: serverMessageOf(response.text) });
    return { url, name: entry?.name ?? file.split('/').pop() ?? file, sizeBytes: entry?.sizeBytes ?? 0 };
  }

  /** Writes a small text file into a folder under a name not taken yet; returns where it went. */
  async saveText(folder: string, name: string, text: string, mimeType: string): Promise<CloudEntry> {
    const session = this.session();
    const target = normalFolder(folder);
    const listing = await this.browse(target);
    const taken = new Set(listing.entries.map((e) => e.name));
    let chosen = checkName(name);
    for (let n = 2; taken.has(chosen); n++) chosen = numberedName(name, n);
    const path = joinPath(target, chosen);
    await this.call(session, { method: 'PUT', path: davPath(session.user, path), headers: { 'Content-Type': mimeType }, body: text }, target);
    return { name: chosen, path, kind: 'file', sizeBytes: Buffer.byteLength(text), modifiedAt: this.options.clock.now() };
  }

  // --- Internals --------------------------------------------------------------------

  private completeSignIn(server: string, loginName: string, appPassword: string): void {
    this.options.secrets.set(secretNames.nextcloudPassword, appPassword);
    this.accounts.write('nextcloud', { signedInUrl: server, username: loginName, signedInAt: this.options.clock.now(), expiredAt: null });
    this.pending = null;
    this.signInProblem = null;
    this.options.log.info('signed in to NextCloud', { server, loginName });
    this.emit();
  }

  private sessionOrNull(): { user: string; base: Pick<CloudRequest, 'server' | 'auth'> } | null {
    const password = this.options.secrets.get(secretNames.nextcloudPassword);
    const account = this.accounts.read('nextcloud');
    if (!password || !account.signedInUrl || !account.username) return null;
    const auth: CloudAuth = { loginName: account.username, appPassword: password };
    return { user: account.username, base: { server: account.signedInUrl, auth } };
  }

  private session(): { user: string; base: Pick<CloudRequest, 'server' | 'auth'> } {
    const session = this.sessionOrNull();
    if (!session) throw cloudProblem('forbidden', 'cloud_signed_out', 'Sign in to NextCloud first (Settings › Files)');
    if (this.accounts.read('nextcloud').expiredAt !== null) {
      throw cloudProblem('forbidden', 'cloud_password_revoked', "NextCloud no longer accepts Plenary's app password; sign in again in Settings › Files");
    }
    return session;
  }

  private async call(session: { base: Pick<CloudRequest, 'server' | 'auth'> }, request: Omit<CloudRequest, 'server' | 'auth'>, where: string) {
    try {
      return await cloudOk({ ...session.base, ...request });
    } catch (error) {
      if (error instanceof CloudHttpError && error.status === 401) {
        this.accounts.write('nextcloud', { expiredAt: this.options.clock.now() });
        this.emit();
      }
      throw cloudError(error, session.base.server!, where);
    }
  }

  private async moveToFreeName(session: { user: string; base: Pick<CloudRequest, 'server' | 'auth'> }, temp: string, folder: string, name: string): Promise<string> {
    for (let n = 1; n <= 50; n++) {
      const candidate = n === 1 ? name : numberedName(name, n);
      const destination = `${session.base.server}${davPath(session.user, joinPath(folder, candidate))}`;
      const response = await cloudRequest({ ...session.base, method: 'MOVE', path: davPath(session.user, temp), headers: { Destination: destination, Overwrite: 'F' } });
      if (response.status >= 200 && response.status < 300) return candidate;
      if (response.status !== 412) {
        await cloudRequest({ ...session.base, method: 'DELETE', path: davPath(session.user, temp) }).catch(() => undefined);
        throw cloudError(new CloudHttpError(response.status, serverMessageOf(response.text), `MOVE answered ${response.status}`), session.base.server!, folder);
      }
    }
    throw cloudProblem('conflict', 'cloud_upload_failed', `Too many files named like ${name} in ${folder}`, { path: folder });
  }

  private async checkServer(server: string): Promise<void> {
    try {
      const response = await cloudRequest({ server, method: 'GET', path: '/status.php', headers: { Accept: 'application/json' }, timeoutMs: 15_000 });
      const status = response.status === 200 ? (JSON.parse(response.text) as { installed?: unknown }) : null;
      if (status?.installed !== true) throw new Error('not NextCloud');
    } catch (error) {
      if (error instanceof CloudNetworkError) throw new PlenaryError('offline', cloudError(error, server, server).message, { params: { reason: 'cloud_unreachable', address: server }, field: 'address' });
      throw cloudProblem('remote_error', 'not_nextcloud', `${server} does not answer like a NextCloud server; check the address in Settings › Files`, { address: server }, 'address');
    }
  }

  private emit(): void {
    this.options.onStatus(this.view());
  }
}
