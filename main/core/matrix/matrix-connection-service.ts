// The core's Matrix connection: sign-in (password, SSO through the system browser), the
// session and its token, authenticated requests, and the single /sync loop that feeds
// every SyncConsumer (chat, governance sync). See matrix-connection.ts for the contract.
import { PlenaryError } from '../../../shared/errors';
import type { EncryptionView, MatrixStatusView, SsoState } from '../../../shared/contract/matrix';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Db } from '../store/database';
import type { SecretStore } from '../secrets/secret-store';
import type { Translate } from '../i18n/translator';
import {
  MatrixHttpError,
  MatrixNetworkError,
  type ConnectionStatus,
  type MatrixConnection,
  type MatrixRawEvent,
  type MatrixSession,
  type SyncConsumer,
  type SyncResponse,
} from './matrix-connection';
import { matrixRequest, matrixUrl, seg, type HttpMethod } from './matrix-http';
import { parseSignInTarget } from './homeserver-discovery';
import { SessionStore } from './session-store';
import { SyncLoop, type SkippedSyncItem } from './sync-loop';
import { SsoCancelledError, startLoopbackListener, type LoopbackListener } from './sso-loopback';

export interface MatrixServiceOptions {
  db: Db;
  secrets: SecretStore;
  log: Logger;
  clock: Clock;
  translate: Translate;
  /** Opens a URL in the system browser (Electron's shell.openExternal). Absent in the browser bridge, where the page opens it. */
  openSystemBrowser?: ((url: string) => Promise<void>) | undefined;
  /** How long the server may hold /sync open (ms). */
  pollTimeoutMs?: number;
  /** Events per room in each /sync timeline; older ones are back-filled with /messages. */
  timelineLimit?: number;
  ssoTimeoutMs?: number;
  deviceDisplayName?: string;
}

export interface SessionChange {
  previous: MatrixSession | null;
  next: MatrixSession | null;
}

interface LoginResponse {
  user_id: string;
  access_token: string;
  device_id: string;
}

/** The /sync filter: every event type (governance uses custom ones), members loaded lazily, no presence. */
export function syncFilter(timelineLimit: number): Record<string, unknown> {
  return {
    presence: { not_types: ['*'] },
    room: {
      state: { lazy_load_members: true },
      timeline: { limit: timelineLimit, lazy_load_members: true },
    },
  };
}

/**
 * End-to-end encryption (crypto/crypto-service.ts): it reads each /sync response before
 * every consumer (decrypting in place), and encrypts what is sent to encrypted rooms.
 */
export interface CryptoLayer extends SyncConsumer {
  outgoing(roomId: string, type: string, content: Record<string, unknown>): Promise<{ type: string; content: Record<string, unknown> }>;
  decryptEvents(roomId: string, events: MatrixRawEvent[]): Promise<MatrixRawEvent[]>;
  isEncrypted(roomId: string): Promise<boolean>;
  status(): Promise<EncryptionView | null>;
  restoreFromBackup(recoveryKey: string): Promise<{ imported: number; total: number }>;
  /** Shares an encrypted room's key history with a member being invited (MSC4268); how many devices got it. */
  shareRoomHistory?(roomId: string, userId: string): Promise<number>;
  /** Sets up cross-signing with the sign-in password when the account has none. */
  crossSignIfAbsent?(password: string): Promise<boolean>;
}

export class MatrixConnectionService implements MatrixConnection {
  private crypto: CryptoLayer | null = null;
  private encryptNew = false;
  private readonly store: SessionStore;
  private readonly loop: SyncLoop;
  private readonly consumers: SyncConsumer[] = [];
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>();
  private readonly viewListeners = new Set<(view: MatrixStatusView) => void>();
  private readonly sessionListeners = new Set<(change: SessionChange) => void>();
  private readonly skippedListeners = new Set<(item: SkippedSyncItem) => void>();
  private current: ConnectionStatus = { status: 'signed-out' };
  private paused = false;
  private sso: SsoState = { state: 'idle' };
  private ssoListener: LoopbackListener | null = null;
  private readonly filter: string;

  constructor(private readonly options: MatrixServiceOptions) {
    this.store = new SessionStore(options.db, options.secrets);
    this.filter = JSON.stringify(syncFilter(options.timelineLimit ?? 30));
    this.loop = new SyncLoop({
      fetchSync: ({ since, timeoutMs, signal }) => this.fetchSync(since, timeoutMs, signal),
      loadSince: () => this.store.syncSince(),
      saveSince: (since) => this.store.saveSyncSince(since),
      consumers: () => (this.crypto ? [this.crypto, ...this.consumers] : [...this.consumers]),
      setStatus: (status) => this.setStatus(status),
      onSessionRejected: () => this.sessionRejected(),
      now: () => options.clock.now(),
      log: options.log,
      pollTimeoutMs: options.pollTimeoutMs ?? 30_000,
      onSkipped: (item) => {
        for (const listener of this.skippedListeners) listener(item);
      },
    });
  }

  // --- MatrixConnection -------------------------------------------------------------

  session(): MatrixSession | null {
    return this.store.session();
  }

  status(): ConnectionStatus {
    return this.current;
  }

  async request<T>(method: HttpMethod, path: string, options: { body?: unknown; query?: Record<string, string>; timeoutMs?: number; signal?: AbortSignal } = {}): Promise<T> {
    const session = this.store.session();
    const accessToken = this.store.accessToken();
    if (!session || !accessToken) throw new MatrixHttpError(401, 'M_MISSING_TOKEN', 'Not signed in to a Matrix homeserver');
    try {
      const result = await matrixRequest<T>({ baseUrl: session.homeserverUrl, method, path, accessToken, ...options });
      // A request got through while the loop waits out a back-off: the network is back.
      if (this.current.status === 'offline' && !this.paused) this.loop.wake();
      return result;
    } catch (error) {
      if (error instanceof MatrixHttpError && error.status === 401 && error.errcode === 'M_UNKNOWN_TOKEN') this.sessionRejected();
      throw error;
    }
  }

  /**
   * An authenticated request whose body or answer is not JSON (media upload and download):
   * the raw Response, whatever its status. The access token stays here.
   */
  async fetchRaw(method: HttpMethod, path: string, init: { query?: Record<string, string>; headers?: Record<string, string>; body?: RequestInit['body']; signal?: AbortSignal } = {}): Promise<Response> {
    const session = this.store.session();
    const accessToken = this.store.accessToken();
    if (!session || !accessToken) throw new MatrixHttpError(401, 'M_MISSING_TOKEN', 'Not signed in to a Matrix homeserver');
    const url = matrixUrl(session.homeserverUrl, path, init.query);
    try {
      const response = await fetch(url, { method, headers: { ...init.headers, Authorization: `Bearer ${accessToken}` }, body: init.body ?? null, signal: init.signal ?? null, ...(init.body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);
      if (response.status === 401) {
        const body = (await response.clone().json().catch(() => null)) as { errcode?: unknown } | null;
        if (body?.errcode === 'M_UNKNOWN_TOKEN') this.sessionRejected();
      }
      return response;
    } catch (cause) {
      if (init.signal?.aborted) throw init.signal.reason ?? cause;
      throw new MatrixNetworkError(`${method} ${path} failed: ${cause instanceof Error ? ((cause.cause as { code?: string } | undefined)?.code ?? cause.message) : String(cause)}`, { cause });
    }
  }

  async sendEvent(roomId: string, type: string, content: Record<string, unknown>, txnId: string): Promise<{ event_id: string }> {
    // In an encrypted room the event goes as m.room.encrypted; a retry with the same txnId is still one event.
    const wire = this.crypto ? await this.crypto.outgoing(roomId, type, content) : { type, content };
    return this.request('PUT', `/_matrix/client/v3/rooms/${seg(roomId)}/send/${seg(wire.type)}/${seg(txnId)}`, { body: wire.content, timeoutMs: 60_000 });
  }

  /** Decrypts events read outside /sync (back-filled history); clear ones come back as they are. */
  decryptEvents(roomId: string, events: MatrixRawEvent[]): Promise<MatrixRawEvent[]> {
    return this.crypto ? this.crypto.decryptEvents(roomId, events) : Promise.resolve(events);
  }

  /** This device's encryption keys (Settings › Security). */
  encryptionStatus(): Promise<EncryptionView | null> {
    return this.crypto ? this.crypto.status() : Promise.resolve(null);
  }

  /** Restores room keys from the member's key backup with their recovery key. */
  restoreKeys(recoveryKey: string): Promise<{ imported: number; total: number }> {
    if (!this.crypto) return Promise.reject(new PlenaryError('not_supported', 'End-to-end encryption is not available'));
    return this.crypto.restoreFromBackup(recoveryKey);
  }

  /** Shares an encrypted room's key history with a member being invited (MSC4268 room-key bundle). */
  shareRoomHistory(roomId: string, userId: string): Promise<number> {
    return this.crypto?.shareRoomHistory ? this.crypto.shareRoomHistory(roomId, userId) : Promise.resolve(0);
  }

  /** Runs `fn` between /sync rounds (never alongside a consumer reading one). */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.loop.runExclusive(fn);
  }

  /** Whether what is sent to this room goes encrypted. */
  isRoomEncrypted(roomId: string): Promise<boolean> {
    return this.crypto ? this.crypto.isEncrypted(roomId) : Promise.resolve(false);
  }

  /** Whether circle rooms Plenary creates are encrypted (coop.json's matrix.encryptCircleRooms). */
  encryptsNewRooms(): boolean {
    return this.encryptNew;
  }

  setEncryptNewRooms(on: boolean): void {
    this.encryptNew = on;
  }

  /** Puts end-to-end encryption in front of every consumer and on every event sent. */
  setCrypto(layer: CryptoLayer): void {
    this.crypto = layer;
  }

  /**
   * Hands events decrypted late (their room key came after them) to every consumer, in turn
   * with the /sync rounds. A consumer failing on them is logged: they are read again when
   * the key or the event comes again.
   */
  replay(response: SyncResponse): Promise<void> {
    return this.loop.runExclusive(async () => {
      for (const consumer of this.consumers) {
        try {
          await consumer.onSync(response, { initial: false });
        } catch (error) {
          this.options.log.warn('a consumer failed on events decrypted late', { consumer: consumer.name ?? null, reason: error instanceof Error ? error.message : String(error) });
        }
      }
    });
  }

  addConsumer(consumer: SyncConsumer): () => void {
    this.consumers.push(consumer);
    return () => {
      const index = this.consumers.indexOf(consumer);
      if (index >= 0) this.consumers.splice(index, 1);
    };
  }

  /** What a consumer kept failing on and sync went on without (see sync-loop.ts). */
  onSkipped(listener: (item: SkippedSyncItem) => void): () => void {
    this.skippedListeners.add(listener);
    return () => this.skippedListeners.delete(listener);
  }

  onStatusChange(listener: (status: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  async syncNow(): Promise<void> {
    if (!this.store.session() || !this.store.accessToken()) throw new MatrixHttpError(401, 'M_MISSING_TOKEN', 'Not signed in to a Matrix homeserver');
    await this.loop.syncNow();
  }

  // --- Session management -----------------------------------------------------------

  /** What the renderer sees: never the token. */
  view(): MatrixStatusView {
    return {
      session: this.store.session(),
      connection: this.current,
      paused: this.paused,
      sso: this.sso,
      elementUrl: this.store.elementUrl(),
      tokenStorage: this.options.secrets.persistence,
    };
  }

  onViewChange(listener: (view: MatrixStatusView) => void): () => void {
    this.viewListeners.add(listener);
    return () => this.viewListeners.delete(listener);
  }

  /** Called when the signed-in account changes or signs out; caches of the old account are wiped here. */
  onSessionChange(listener: (change: SessionChange) => void): () => void {
    this.sessionListeners.add(listener);
    return () => this.sessionListeners.delete(listener);
  }

  /** Resumes a stored session at startup. */
  start(): void {
    const session = this.store.session();
    if (!session) return;
    if (!this.store.accessToken()) {
      // Without a keychain the token lived only until Plenary closed: say so, rather than
      // suggest the server ended the session. The chat cache is kept for the same account.
      if (this.options.secrets.persistence === 'memory') {
        this.setStatus({ status: 'error', code: 'token_not_kept', message: 'This computer has no keychain Plenary can use, so the sign-in was not kept; sign in again' });
      } else {
        this.setStatus({ status: 'error', code: 'session_expired', message: 'The stored access token is missing; sign in again' });
      }
      return;
    }
    this.setStatus({ status: 'connecting' });
    this.loop.start();
  }

  async signInWithPassword(input: { homeserverUrl: string; user: string; password: string }): Promise<MatrixStatusView> {
    const homeserverUrl = this.checkHomeserverUrl(input.homeserverUrl);
    // A full Matrix ID is sent as typed; the homeserver resolves a localpart against itself.
    const login = await this.login(homeserverUrl, {
      type: 'm.login.password',
      identifier: { type: 'm.id.user', user: input.user },
      password: input.password,
    });
    // Encrypted circle rooms share their history with members invited later only between
    // cross-signed devices: an account without cross-signing gets it now, as in Element, and
    // before the first /sync, so this device is signed before it joins any circle room.
    const crossSign = this.encryptNew && this.crypto?.crossSignIfAbsent ? this.crypto.crossSignIfAbsent.bind(this.crypto) : null;
    await this.completeLogin(homeserverUrl, login, async () => {
      await crossSign?.(input.password).catch((error: unknown) =>
        this.options.log.warn('cross-signing could not be set up at sign-in; set it up in Settings › Security', { reason: error instanceof Error ? error.message : String(error) }),
      );
    });
    return this.view();
  }

  async startSso(input: { homeserverUrl: string; identityProviderId?: string | undefined }): Promise<{ url: string; openedExternally: boolean }> {
    const homeserverUrl = this.checkHomeserverUrl(input.homeserverUrl);
    this.closeSsoListener();
    const { translate } = this.options;
    const listener = await startLoopbackListener({
      timeoutMs: this.options.ssoTimeoutMs ?? 5 * 60_000,
      page: (outcome) => ({
        lang: translate('chat:ssoPage.lang'),
        title: translate(outcome === 'done' ? 'chat:ssoPage.doneTitle' : 'chat:ssoPage.failedTitle'),
        message: translate(outcome === 'done' ? 'chat:ssoPage.doneMessage' : 'chat:ssoPage.failedMessage'),
      }),
    });
    this.ssoListener = listener;
    const idp = input.identityProviderId ? `/${seg(input.identityProviderId)}` : '';
    const url = `${homeserverUrl}/_matrix/client/v3/login/sso/redirect${idp}?redirectUrl=${encodeURIComponent(listener.redirectUrl)}`;
    this.setSso({ state: 'waiting', url, startedAt: this.options.clock.now() });
    void listener.loginToken.then(
      async (token) => {
        if (this.ssoListener !== listener) return;
        this.ssoListener = null;
        try {
          const login = await this.login(homeserverUrl, { type: 'm.login.token', token });
          await this.completeLogin(homeserverUrl, login);
          this.setSso({ state: 'idle' });
        } catch (error) {
          this.options.log.warn('SSO login token was refused', { reason: error instanceof Error ? error.message : String(error) });
          this.setSso({ state: 'failed', reason: error instanceof PlenaryError ? String(error.params?.reason ?? error.code) : 'token_refused' });
        }
      },
      (error: unknown) => {
        if (this.ssoListener !== listener) return;
        this.ssoListener = null;
        this.setSso(error instanceof SsoCancelledError && error.reason === 'cancelled' ? { state: 'idle' } : { state: 'failed', reason: 'timeout' });
      },
    );
    if (!this.options.openSystemBrowser) return { url, openedExternally: false };
    try {
      await this.options.openSystemBrowser(url);
    } catch (error) {
      this.closeSsoListener();
      this.setSso({ state: 'failed', reason: 'browser' });
      throw new PlenaryError('internal', `Could not open the system browser: ${error instanceof Error ? error.message : String(error)}`, {
        params: { reason: 'browser' },
      });
    }
    return { url, openedExternally: true };
  }

  cancelSso(): MatrixStatusView {
    this.closeSsoListener();
    this.setSso({ state: 'idle' });
    return this.view();
  }

  /** Logs the device out on the server when reachable, then forgets the token and the local chat cache. */
  async signOut(): Promise<MatrixStatusView> {
    this.closeSsoListener();
    const previous = this.store.session();
    await this.loop.stop();
    if (previous && this.store.accessToken()) {
      try {
        await matrixRequest({ baseUrl: previous.homeserverUrl, method: 'POST', path: '/_matrix/client/v3/logout', accessToken: this.store.accessToken(), body: {}, timeoutMs: 5_000 });
      } catch (error) {
        // Offline or already invalid: the local session goes anyway; the server expires it later.
        this.options.log.info('logout request failed; signing out locally', { reason: error instanceof Error ? error.message : String(error) });
      }
    }
    this.store.clear();
    this.paused = false;
    this.sso = { state: 'idle' };
    this.setStatus({ status: 'signed-out' });
    this.notifySession({ previous, next: null });
    return this.view();
  }

  /** Resumes syncing after disconnect(), or retries now after a failure. */
  connect(): MatrixStatusView {
    if (!this.store.session() || !this.store.accessToken()) {
      throw new PlenaryError('forbidden', 'Sign in to a coop server first', { params: { reason: 'signed_out' } });
    }
    this.paused = false;
    if (this.loop.isRunning()) this.loop.wake();
    else {
      this.setStatus({ status: 'connecting' });
      this.loop.start();
    }
    return this.view();
  }

  /** Pauses syncing (works offline on purpose); the session stays. */
  async disconnect(): Promise<MatrixStatusView> {
    if (!this.store.session()) return this.view();
    this.paused = true;
    await this.loop.stop();
    this.setStatus({ status: 'offline', since: this.options.clock.now(), reason: 'paused' });
    return this.view();
  }

  setElementUrl(url: string): MatrixStatusView {
    this.store.setElementUrl(url);
    const view = this.view();
    for (const listener of this.viewListeners) listener(view);
    return view;
  }

  async close(): Promise<void> {
    this.closeSsoListener();
    await this.loop.stop();
  }

  // --- Internals --------------------------------------------------------------------

  private checkHomeserverUrl(raw: string): string {
    const target = parseSignInTarget(raw);
    if (target.kind !== 'url') throw new PlenaryError('invalid_input', 'homeserverUrl must be an http(s) address', { field: 'homeserverUrl' });
    return target.url;
  }

  private async login(homeserverUrl: string, body: Record<string, unknown>): Promise<LoginResponse> {
    try {
      return await matrixRequest<LoginResponse>({
        baseUrl: homeserverUrl,
        method: 'POST',
        path: '/_matrix/client/v3/login',
        body: { ...body, initial_device_display_name: this.options.deviceDisplayName ?? 'Plenary' },
      });
    } catch (error) {
      throw loginError(error);
    }
  }

  private async completeLogin(homeserverUrl: string, login: LoginResponse, beforeSync?: () => Promise<void>): Promise<void> {
    const previous = this.store.session();
    const previousToken = this.store.accessToken();
    await this.loop.stop();
    // The address discovery found is kept even if the login answer suggests another
    // (well_known): the member chose this one, and a proxy in front of it keeps working.
    const next: MatrixSession = { homeserverUrl, userId: login.user_id, deviceId: login.device_id };
    if (previous && previousToken && previousToken !== login.access_token) {
      // The old device is replaced; log it out so it does not linger in the member's device list.
      void matrixRequest({ baseUrl: previous.homeserverUrl, method: 'POST', path: '/_matrix/client/v3/logout', accessToken: previousToken, body: {}, timeoutMs: 5_000 }).catch(
        () => undefined,
      );
    }
    this.store.save(next, login.access_token, this.options.clock.now());
    this.paused = false;
    this.notifySession({ previous, next });
    this.setStatus({ status: 'connecting' });
    await beforeSync?.();
    this.loop.start();
  }

  private fetchSync(since: string | null, timeoutMs: number, signal: AbortSignal): Promise<SyncResponse> {
    const query: Record<string, string> = { filter: this.filter, timeout: String(timeoutMs), set_presence: 'offline' };
    if (since) query.since = since;
    return this.request<SyncResponse>('GET', '/_matrix/client/v3/sync', { query, timeoutMs: timeoutMs + 20_000, signal });
  }

  private sessionRejected(): void {
    if (this.current.status === 'error' && this.current.code === 'session_expired') return;
    void this.loop.stop();
    this.setStatus({ status: 'error', code: 'session_expired', message: 'The homeserver no longer accepts this session; sign in again' });
  }

  private closeSsoListener(): void {
    const listener = this.ssoListener;
    this.ssoListener = null;
    listener?.close();
  }

  private setSso(sso: SsoState): void {
    this.sso = sso;
    const view = this.view();
    for (const listener of this.viewListeners) listener(view);
  }

  private setStatus(status: ConnectionStatus): void {
    this.current = status;
    for (const listener of this.statusListeners) {
      try {
        listener(status);
      } catch (error) {
        this.options.log.error('a connection status listener failed', { reason: error instanceof Error ? error.message : String(error) });
      }
    }
    const view = this.view();
    for (const listener of this.viewListeners) listener(view);
  }

  private notifySession(change: SessionChange): void {
    for (const listener of this.sessionListeners) listener(change);
  }
}

/** Login failures in words the Settings page can translate (params.reason). */
export function loginError(error: unknown): PlenaryError {
  if (error instanceof MatrixHttpError) {
    if (error.errcode === 'M_FORBIDDEN') {
      return new PlenaryError('forbidden', 'The homeserver refused that user name or password', { params: { reason: 'wrong_password' }, cause: error });
    }
    if (error.errcode === 'M_USER_DEACTIVATED') {
      return new PlenaryError('forbidden', 'This account has been deactivated on the homeserver', { params: { reason: 'deactivated' }, cause: error });
    }
    if (error.status === 429) {
      return new PlenaryError('rate_limited', 'Too many sign-in attempts; wait a moment and try again', {
        params: { reason: 'rate_limited', seconds: Math.ceil((error.retryAfterMs ?? 0) / 1000) },
        cause: error,
      });
    }
    return new PlenaryError('remote_error', `The homeserver refused the sign-in: ${error.errcode} ${error.message}`, {
      params: { reason: 'refused', detail: `${error.errcode}: ${error.message}` },
      cause: error,
    });
  }
  if (error instanceof MatrixNetworkError) {
    return new PlenaryError('offline', `The homeserver could not be reached: ${error.message}`, { params: { reason: 'unreachable' }, cause: error });
  }
  return error instanceof Error ? new PlenaryError('internal', error.message, { cause: error }) : new PlenaryError('internal', String(error));
}
