// End-to-end encryption for the core's one Matrix connection. It is the first thing each
// /sync response meets (matrix-connection-service.ts puts it before every consumer): it
// hands the machine the to-device events and device changes, records which rooms are
// encrypted, and replaces each m.room.encrypted timeline event by its decrypted form, so
// chat and governance read encrypted rooms exactly as clear ones. Events sent to an
// encrypted room are encrypted here on their way out (reactions stay clear, as Element
// sends them). An event that could not be decrypted stays m.room.encrypted with why; when
// its room key arrives later, it is decrypted and handed to the consumers again.
import { randomBytes } from 'node:crypto';
import * as Rust from '@matrix-org/matrix-sdk-crypto-wasm';
import { join } from 'node:path';
import type { Db } from '../store/database';
import type { Logger } from '../log';
import type { SecretStore } from '../secrets/secret-store';
import { MatrixHttpError, type MatrixRawEvent, type MatrixSession, type SyncConsumer, type SyncResponse } from '../matrix/matrix-connection';
import { seg } from '../matrix/matrix-http';
import type { EncryptionView } from '../../../shared/contract/matrix';
import { PlenaryError } from '../../../shared/errors';
import { backupKeyFromRecoveryKey } from './key-backup';
import { inviterOf, joinedAfterOurInvite, keyBundleWindowOpen, ownJoinAfterInvite, sharesHistory } from './history-sharing';
import { authenticatedMediaPath } from '../../../shared/chat/media';
import { act, advanceVerifications, requestVerification, verificationViews, type VerificationView } from './verification';
import { bootstrapCrossSigning, crossSigningView, type CrossSigningView } from './cross-signing';
import type { VerificationAction } from '../../../shared/crypto/verification-state';
import { CryptoEngine, trackClosing, type DeviceKeysView } from './crypto-engine';
import { newRecoveryKey, secureBackupView, setUpSecureBackup, type SetUpInput } from './secure-backup';
import { acceptIdentityChange, roomTrust } from './room-trust';
import { MegolmReplayGuard } from './replay-guard';
import type { RoomTrustView, SecureBackupView } from '../../../shared/contract/trust';
import {
  encryptedEventType,
  encryptsEventType,
  keyRecipients,
  parseEncryptionContent,
  parseHistoryVisibility,
  undecryptedKey,
  type HistoryVisibility,
} from './room-encryption';

export const cryptoPassphraseSecret = 'matrix.cryptoStorePassphrase';
export const cryptoStoreFile = 'matrix-crypto.store';

type Requester = <T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, options?: { body?: unknown; query?: Record<string, string> }) => Promise<T>;

export interface CryptoServiceDeps {
  dataDir: string;
  db: Db;
  secrets: SecretStore;
  log: Logger;
  session(): MatrixSession | null;
  request: Requester;
  /** Hands events decrypted late (their key came after them) to every other consumer. */
  replay?(response: SyncResponse): Promise<void>;
  /** Another of the member's sessions asks to verify this one (once per request). */
  onVerificationRequest?(view: VerificationView): void;
  /** Authenticated raw requests (room-key bundles are uploaded and downloaded as media). */
  fetchRaw?(method: 'GET' | 'POST', path: string, init?: { query?: Record<string, string>; headers?: Record<string, string>; body?: Uint8Array<ArrayBuffer>; signal?: AbortSignal }): Promise<Response>;
  /** A room's earlier keys arrived after its history was read (a late room-key bundle): read it again. */
  onHistoryKeys?(roomId: string): void;
  now?(): number;
  /** The member's verifications moved on (sent only when their views differ from the last ones sent). */
  onVerificationsChanged?(views: VerificationView[]): void;
  /** Someone's devices or identity changed (a room's shield may have): as /sync announces it, and again once read from the server. */
  onDevicesChanged?(userIds: string[]): void;
  saveDelayMs?: number;
}

export type CryptoStatusView = EncryptionView;

interface SyncExtras {
  to_device?: { events?: unknown[] };
  device_lists?: { changed?: string[]; left?: string[] };
  device_one_time_keys_count?: Record<string, number>;
  device_unused_fallback_key_types?: string[];
}

export class CryptoService implements SyncConsumer {
  readonly name = 'encryption';
  private engine: Promise<CryptoEngine> | null = null;
  private engineKey: string | null = null;
  /** Rooms known to be clear this run (encrypted ones are kept by the machine). */
  private readonly clearRooms = new Set<string>();
  private readonly recipients = new Map<string, Promise<{ users: string[]; visibility: HistoryVisibility }>>();
  private pendingKeys: { roomId: string; sessionId: string }[] = [];
  private redecrypting: Promise<void> = Promise.resolve();
  private forgetting: Promise<void> = Promise.resolve();
  /** Who invited this member to rooms it has not joined yet (from /sync's invitations), by room. */
  private readonly inviters = new Map<string, string>();
  /** History shares in progress (inviter side), by room and member: one at a time each. */
  private readonly sharing = new Map<string, Promise<void>>();
  /** Plenary is quitting: no engine opens again (a sync round may still be ending). */
  private quitting = false;
  /** How long the last start took (ms): store restored and machine open. */
  lastOpenMs: number | null = null;

  private readonly replayGuard: MegolmReplayGuard;

  constructor(private readonly deps: CryptoServiceDeps) {
    this.replayGuard = new MegolmReplayGuard(deps.db);
  }

  get storePath(): string {
    return join(this.deps.dataDir, cryptoStoreFile);
  }

  /** The engine of the signed-in device, opened (or reopened for another device) on first use. */
  ready(): Promise<CryptoEngine> | null {
    const session = this.deps.session();
    if (!session || this.quitting) return null;
    const key = `${session.userId}|${session.deviceId}`;
    if (this.engine && this.engineKey === key) return this.engine;
    const previous = this.engine;
    this.engineKey = key;
    this.clearRooms.clear();
    this.recipients.clear();
    this.engine = (async () => {
      if (previous) await (await previous.catch(() => null))?.close();
      await this.forgetting;
      const started = performance.now();
      const engine = await CryptoEngine.open({
        userId: session.userId,
        deviceId: session.deviceId,
        storePath: this.storePath,
        passphrase: this.passphrase(),
        request: this.deps.request,
        log: this.deps.log,
        replayGuard: this.replayGuard,
        ...(this.deps.saveDelayMs !== undefined ? { saveDelayMs: this.deps.saveDelayMs } : {}),
      });
      this.lastOpenMs = performance.now() - started;
      engine.onRoomKeys((keys) => this.pendingKeys.push(...keys));
      engine.onKeysQueried((userIds) => this.deps.onDevicesChanged?.(userIds));
      this.deps.log.info('end-to-end encryption ready', { deviceId: session.deviceId, ms: Math.round(this.lastOpenMs) });
      return engine;
    })();
    this.engine.catch((error: unknown) => {
      this.deps.log.error('end-to-end encryption could not start', { reason: error instanceof Error ? error.message : String(error) });
      this.engine = null;
      this.engineKey = null;
    });
    return this.engine;
  }

  private passphrase(): string {
    let value = this.deps.secrets.get(cryptoPassphraseSecret);
    if (!value) {
      value = randomBytes(32).toString('base64');
      this.deps.secrets.set(cryptoPassphraseSecret, value);
    }
    return value;
  }

  async status(): Promise<CryptoStatusView | null> {
    const engine = await this.ready();
    if (!engine) return null;
    const keys: DeviceKeysView = engine.keys();
    return { deviceId: keys.deviceId, ed25519: keys.ed25519, curve25519: keys.curve25519 };
  }

  async onSync(response: SyncResponse): Promise<void> {
    // Encryption that cannot start must not stop sync: encrypted events then stay unreadable.
    const engine = await this.ready()?.catch(() => null);
    if (!engine) return;
    const extras = response as SyncResponse & SyncExtras;
    const bundleRooms = await engine.receiveSync({
      toDevice: extras.to_device?.events ?? [],
      changed: extras.device_lists?.changed ?? [],
      left: extras.device_lists?.left ?? [],
      oneTimeKeyCounts: extras.device_one_time_keys_count ?? {},
      unusedFallbackKeyTypes: extras.device_unused_fallback_key_types,
    });
    const changed = extras.device_lists?.changed ?? [];
    if (changed.length > 0) this.deps.onDevicesChanged?.(changed);
    await this.noteInvitations(response);
    // Room-key bundles first (MSC4268): a room just joined gets its earlier keys before its history is read.
    await this.takeKeyBundles(engine, response, bundleRooms);
    const rooms = Object.entries(response.rooms?.join ?? {});
    for (const [roomId, room] of rooms) {
      for (const event of [...(room.state?.events ?? []), ...(room.timeline?.events ?? [])]) await this.noteState(engine, roomId, event);
      this.shareWithJoined(roomId, room.timeline?.events ?? []);
    }
    // Every room's encrypted timeline events of this response, decrypted together and put back in place.
    const places: { timeline: MatrixRawEvent[]; index: number }[] = [];
    const items: { roomId: string; event: MatrixRawEvent }[] = [];
    for (const [roomId, room] of rooms) {
      const timeline = room.timeline?.events ?? [];
      timeline.forEach((event, index) => {
        if (event.type !== encryptedEventType) return;
        places.push({ timeline, index });
        items.push({ roomId, event });
      });
    }
    if (items.length > 0) {
      const results = await engine.decryptMany(items);
      results.forEach((result, i) => {
        const place = places[i]!;
        place.timeline[place.index] = result.event;
      });
    }
    this.announceRequests(engine);
    await advanceVerifications(engine.host()).catch((error: unknown) => this.deps.log.warn('a verification could not move on', { reason: error instanceof Error ? error.message : String(error) }));
    this.announceVerificationChanges(engine);
    void engine
      .processOutgoing()
      // What this device sent (an acceptance, its keys) moves its own flows on too.
      .then(() => this.announceVerificationChanges(engine))
      .catch((error: unknown) => this.deps.log.warn('encryption requests failed; retried after the next sync', { reason: error instanceof Error ? error.message : String(error) }));
    if (this.pendingKeys.length > 0) this.scheduleRedecrypt();
  }

  private readonly announced = new Set<string>();

  private async noteInvitations(response: SyncResponse): Promise<void> {
    const self = this.deps.session()?.userId;
    if (!self) return;
    const invites = (response.rooms as { invite?: Record<string, { invite_state?: { events?: unknown[] } }> } | undefined)?.invite ?? {};
    for (const [roomId, invite] of Object.entries(invites)) {
      const inviter = inviterOf(invite.invite_state?.events ?? [], self);
      if (inviter) this.inviters.set(roomId, inviter);
    }
  }

  /**
   * The invitee's side of MSC4268. A room this member just joined after an invitation is
   * marked as waiting for its inviter's bundle; a room waiting for one whose bundle details
   * came (now or before) takes it, before the room's events are decrypted and read. A bundle
   * from anyone but the inviter is never taken, nor one more than a day after joining.
   */
  private async takeKeyBundles(engine: CryptoEngine, response: SyncResponse, bundleRooms: string[]): Promise<void> {
    const self = this.deps.session()?.userId;
    if (!self) return;
    const candidates = new Set(bundleRooms);
    const justJoined = new Set<string>();
    for (const [roomId, room] of Object.entries(response.rooms?.join ?? {})) {
      const joined = ownJoinAfterInvite([...(room.state?.events ?? []), ...(room.timeline?.events ?? [])], self);
      if (!joined) continue;
      const inviter = this.inviters.get(roomId) ?? joined.inviter;
      this.inviters.delete(roomId);
      if (!inviter || inviter === self) continue;
      await engine.markKeyBundlePending(roomId, inviter);
      candidates.add(roomId);
      justJoined.add(roomId);
    }
    for (const roomId of candidates) {
      const pending = await engine.pendingKeyBundle(roomId);
      if (!pending) continue;
      if (!keyBundleWindowOpen(pending.acceptedAt, this.now())) {
        this.deps.log.info('a room-key bundle came more than a day after joining; not taken', { roomId });
        await engine.clearKeyBundlePending(roomId);
        continue;
      }
      const outcome = await this.acceptKeyBundle(roomId, pending.inviter).catch((error: unknown) => {
        this.deps.log.warn('the room-key bundle could not be taken', { roomId, inviter: pending.inviter, reason: error instanceof Error ? error.message : String(error) });
        return 'failed' as const;
      });
      // A room joined in this very round is read after this, with its keys. One joined
      // earlier had its history read without them: it is read again.
      if (outcome === 'imported' && !justJoined.has(roomId)) this.deps.onHistoryKeys?.(roomId);
    }
  }

  private now(): number {
    return this.deps.now ? this.deps.now() : Date.now();
  }

  /**
   * Takes the inviter's room-key bundle for a room (see CryptoEngine.acceptKeyBundle).
   * Whatever the outcome but 'none', the room stops waiting: a bundle that does not match its
   * hash, or cannot be read, is not tried again. `download` replaces fetching (tests).
   */
  async acceptKeyBundle(roomId: string, inviter: string, download?: (url: string) => Promise<Uint8Array>): Promise<'imported' | 'untrusted' | 'none'> {
    const engine = await this.engineOrRefuse();
    let outcome: 'imported' | 'untrusted' | 'none';
    try {
      outcome = await engine.acceptKeyBundle(roomId, inviter, download ?? ((url) => this.downloadBundle(url)));
    } catch (error) {
      await engine.clearKeyBundlePending(roomId);
      throw error;
    }
    if (outcome === 'imported') {
      await engine.clearKeyBundlePending(roomId);
      this.deps.log.info('took the room-key bundle of the member who invited us', { roomId, inviter });
    }
    if (outcome === 'untrusted') {
      // Not tried again: the same bundle would be dropped the same way.
      await engine.clearKeyBundlePending(roomId);
      this.deps.log.warn('the room-key bundle of the member who invited us brought no keys (sent from a device their cross-signing did not sign, or nothing new)', { roomId, inviter });
    }
    return outcome;
  }

  /** Who this device waits for a room-key bundle from in a room (joined after their invitation), if anyone. */
  async pendingKeyBundle(roomId: string): Promise<{ inviter: string; acceptedAt: number } | null> {
    return (await this.engineOrRefuse()).pendingKeyBundle(roomId);
  }

  private async downloadBundle(url: string): Promise<Uint8Array> {
    const target = authenticatedMediaPath(url, 'download');
    if (!target || !this.deps.fetchRaw) throw new Error(`the room-key bundle's address cannot be fetched: ${url}`);
    const response = await this.deps.fetchRaw('GET', target.path, { query: target.query, signal: AbortSignal.timeout(120_000) });
    if (!response.ok) throw new Error(`the room-key bundle could not be downloaded (${response.status})`);
    return new Uint8Array(await response.arrayBuffer());
  }

  /**
   * The inviter's side of MSC4268, run for a member about to be invited (and again when
   * they join, for devices they signed in on after the invitation): in an encrypted room
   * whose history new members may read, build this device's bundle of the room's
   * shared-history keys, upload it encrypted as media, and send its details, Olm-encrypted,
   * to the member's devices. Returns how many devices were sent it (0: nothing to share).
   */
  async shareRoomHistory(roomId: string, userId: string): Promise<number> {
    const engine = await this.ready();
    if (!engine || !(await this.isEncrypted(roomId))) return 0;
    const { visibility } = await this.recipientsOf(roomId);
    if (!sharesHistory(visibility)) {
      this.deps.log.info('room history is not shared with new members here; no room-key bundle', { roomId, visibility });
      return 0;
    }
    const bundle = await engine.buildKeyBundle(roomId);
    if (!bundle) return 0;
    if (!this.deps.fetchRaw) throw new Error('media upload is not available to share room keys');
    const response = await this.deps.fetchRaw('POST', '/_matrix/media/v3/upload', {
      query: { filename: 'room-key-bundle' },
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(bundle.data.byteLength) },
      body: new Uint8Array(bundle.data),
    });
    if (!response.ok) throw new Error(`the room-key bundle could not be uploaded (${response.status})`);
    const { content_uri: url } = (await response.json()) as { content_uri?: unknown };
    if (typeof url !== 'string') throw new Error('the server did not name the uploaded room-key bundle');
    const devices = await engine.shareKeyBundle(userId, roomId, url, bundle.encryptionInfo);
    if (devices > 0) this.deps.log.info('shared the room’s key history with an invited member', { roomId, userId, requests: devices });
    // History goes only to devices their owner's cross-signing signed (the Rust crypto's rule).
    else this.deps.log.info('no device of the invited member can take the room’s key history yet (none signed by their cross-signing)', { roomId, userId });
    return devices;
  }

  /** Members this device invited who joined now: their devices may be newer than the invitation. */
  private shareWithJoined(roomId: string, events: MatrixRawEvent[]): void {
    const self = this.deps.session()?.userId;
    if (!self) return;
    for (const userId of joinedAfterOurInvite(events, self)) {
      const key = `${roomId}|${userId}`;
      if (this.sharing.has(key)) continue;
      const run = this.shareRoomHistory(roomId, userId)
        .then(() => undefined)
        .catch((error: unknown) => this.deps.log.warn('room history could not be shared with a member who joined', { roomId, userId, reason: error instanceof Error ? error.message : String(error) }))
        .finally(() => this.sharing.delete(key));
      this.sharing.set(key, run);
    }
  }

  private lastVerifications = '[]';

  private announceVerificationChanges(engine: CryptoEngine): void {
    // Also called once the requests went out, by which time the member may have signed out.
    if (!this.deps.onVerificationsChanged || this.quitting || engine.isClosed) return;
    const views = verificationViews(engine.host());
    const serialized = JSON.stringify(views);
    if (serialized === this.lastVerifications) return;
    this.lastVerifications = serialized;
    this.deps.onVerificationsChanged(views);
  }

  private announceRequests(engine: CryptoEngine): void {
    if (!this.deps.onVerificationRequest) return;
    for (const view of verificationViews(engine.host())) {
      if (view.stage !== 'incoming' || this.announced.has(view.flowId)) continue;
      this.announced.add(view.flowId);
      this.deps.onVerificationRequest(view);
    }
  }

  private async noteState(engine: CryptoEngine, roomId: string, event: MatrixRawEvent): Promise<void> {
    if (event.state_key === undefined) return;
    if (event.type === 'm.room.encryption' && event.state_key === '') {
      const settings = parseEncryptionContent(event.content);
      if (settings) {
        await engine.setRoomEncryption(roomId, settings);
        this.clearRooms.delete(roomId);
      }
    }
    if (event.type === 'm.room.member' || event.type === 'm.room.history_visibility') this.recipients.delete(roomId);
  }

  /** Whether events sent to this room are encrypted. */
  async isEncrypted(roomId: string): Promise<boolean> {
    const engine = await this.ready();
    if (!engine) return false;
    if (await engine.roomEncryption(roomId)) return true;
    if (this.clearRooms.has(roomId)) return false;
    // A room whose state this store never saw (joined before this device had encryption).
    try {
      const content = await this.deps.request<Record<string, unknown>>('GET', `/_matrix/client/v3/rooms/${seg(roomId)}/state/m.room.encryption/`);
      const settings = parseEncryptionContent(content);
      if (settings) {
        await engine.setRoomEncryption(roomId, settings);
        return true;
      }
    } catch (error) {
      if (!(error instanceof MatrixHttpError) || error.status !== 404) throw error;
    }
    this.clearRooms.add(roomId);
    return false;
  }

  /** The type and content to send: encrypted in an encrypted room, as they are otherwise. */
  async outgoing(roomId: string, type: string, content: Record<string, unknown>): Promise<{ type: string; content: Record<string, unknown> }> {
    if (!encryptsEventType(type) || !(await this.isEncrypted(roomId))) return { type, content };
    const engine = (await this.ready())!;
    const { users, visibility } = await this.recipientsOf(roomId);
    const encrypted = await engine.encrypt(roomId, type, content, users, visibility);
    return { type: encryptedEventType, content: encrypted };
  }

  private recipientsOf(roomId: string): Promise<{ users: string[]; visibility: HistoryVisibility }> {
    let known = this.recipients.get(roomId);
    if (!known) {
      known = (async () => {
        const members = await this.deps.request<{ chunk?: MatrixRawEvent[] }>('GET', `/_matrix/client/v3/rooms/${seg(roomId)}/members`, { query: { not_membership: 'leave' } });
        let visibility: HistoryVisibility = 'shared';
        try {
          visibility = parseHistoryVisibility(await this.deps.request('GET', `/_matrix/client/v3/rooms/${seg(roomId)}/state/m.room.history_visibility/`));
        } catch (error) {
          if (!(error instanceof MatrixHttpError) || error.status !== 404) throw error;
        }
        const list = (members.chunk ?? []).map((event) => ({ userId: String(event.state_key ?? ''), membership: String(event.content?.membership ?? '') }));
        return { users: keyRecipients(list, visibility), visibility };
      })();
      this.recipients.set(roomId, known);
      known.catch(() => this.recipients.delete(roomId));
    }
    return known;
  }

  /**
   * Restores room keys from the member's key backup with their recovery key (key-backup.ts),
   * then reads again what those keys open.
   */
  async restoreFromBackup(recoveryKey: string): Promise<{ imported: number; total: number }> {
    const engine = await this.ready();
    const session = this.deps.session();
    if (!engine || !session) throw new PlenaryError('forbidden', 'Sign in to a coop server first', { params: { reason: 'signed_out' } });
    const backupKey = await backupKeyFromRecoveryKey(this.deps.request, session.userId, recoveryKey);
    const { rooms, ...result } = await engine.restoreBackup(backupKey);
    this.deps.log.info('restored room keys from the key backup', result);
    this.scheduleRedecrypt();
    await this.redecrypting;
    // Circle rooms' governance history read before these keys were here folds now.
    if (result.imported > 0) for (const roomId of rooms) this.deps.onHistoryKeys?.(roomId);
    return result;
  }

  private async engineOrRefuse(): Promise<CryptoEngine> {
    const engine = await this.ready();
    if (!engine) throw new PlenaryError('forbidden', 'Sign in to a coop server first', { params: { reason: 'signed_out' } });
    return engine;
  }

  /** The member's verifications of this device with their other devices (Settings › Security). */
  async verifications(): Promise<VerificationView[]> {
    const engine = await this.engineOrRefuse();
    return verificationViews(engine.host());
  }

  /** Asks another of the member's devices to verify this one by emoji. */
  async requestVerification(deviceId: string): Promise<VerificationView> {
    return requestVerification((await this.engineOrRefuse()).host(), deviceId);
  }

  /** The member's answer to a verification: accept it, the emoji match or not, or cancel. */
  async verificationAction(flowId: string, action: VerificationAction): Promise<VerificationView> {
    const view = await act((await this.engineOrRefuse()).host(), flowId, action);
    this.deps.log.info('verification step', { flowId, action, stage: view.stage });
    return view;
  }

  /** Whether cross-signing is set up and this device signed by it; and whether the other device is verified. */
  async crossSigning(): Promise<CrossSigningView> {
    return crossSigningView((await this.engineOrRefuse()).host());
  }

  /** Sets up cross-signing with the member's password (used once, never kept). */
  async bootstrapCrossSigning(password: string): Promise<CrossSigningView> {
    const view = await bootstrapCrossSigning((await this.engineOrRefuse()).host(), password);
    this.deps.log.info('cross-signing set up', { ...view });
    return view;
  }

  /**
   * At a password sign-in, in a coop whose circle rooms are encrypted: when the account has
   * no cross-signing identity yet, sets one up with the password just typed (used once, never
   * kept), as Element does for a new account. Sharing a room's history with members invited
   * later needs it on both sides (MSC4268). An identity the member already has (made in
   * Element) is never replaced: verifying Plenary from Element signs this device instead.
   */
  async crossSignIfAbsent(password: string): Promise<boolean> {
    const engine = await this.ready();
    if (!engine) return false;
    const host = engine.host();
    // This device's keys go up first (once): bootstrapping then has none of its own to upload.
    await host.flush();
    await host.send(host.machine.queryKeysForUsers([new Rust.UserId(host.userId)]));
    const identity = await host.machine.getIdentity(new Rust.UserId(host.userId));
    // Freed at once: it holds the store open (see cross-signing.ts).
    identity?.free();
    if (identity) return false;
    const view = await bootstrapCrossSigning(host, password);
    this.deps.log.info('cross-signing set up at sign-in (the account had none)', { ...view });
    return true;
  }

  /** Whether the account has a key backup and secret storage, and whether this device backs up into it. */
  async secureBackup(): Promise<SecureBackupView> {
    return secureBackupView((await this.engineOrRefuse()).host());
  }

  /** A new recovery key to show the member once (nothing is stored until they set up with it). */
  newRecoveryKey(): { recoveryKey: string } {
    return { recoveryKey: newRecoveryKey() };
  }

  /** Sets up (or resets) secure backup with a recovery key the member confirmed they stored. */
  async setUpSecureBackup(input: SetUpInput): Promise<SecureBackupView> {
    const engine = await this.engineOrRefuse();
    const view = await setUpSecureBackup({ ...engine.host(), useBackup: (key, version) => engine.useBackup(key, version) }, input);
    this.deps.log.info(input.reset ? 'secure backup reset' : 'secure backup set up', { version: view.serverBackup?.version ?? null });
    return view;
  }

  /** Whether a room's members' devices are verified (its shield and member list). */
  async roomTrust(roomId: string, userIds: readonly string[]): Promise<RoomTrustView> {
    const engine = await this.engineOrRefuse();
    return roomTrust(engine.host(), roomId, await this.isEncrypted(roomId), userIds);
  }

  /** The member accepts that a verified person's identity changed (the warning goes). */
  async acceptIdentityChange(userId: string): Promise<void> {
    await acceptIdentityChange((await this.engineOrRefuse()).host(), userId);
  }

  /** Whether one of the member's (or someone's) devices is verified for this device. */
  async deviceVerified(userId: string, deviceId: string): Promise<boolean> {
    const engine = await this.engineOrRefuse();
    const device = await engine.host().machine.getDevice(new Rust.UserId(userId), new Rust.DeviceId(deviceId));
    const verified = device?.isVerified() ?? false;
    device?.free();
    return verified;
  }

  /** Decrypts events read outside /sync (back-filled history). */
  async decryptEvents(roomId: string, events: MatrixRawEvent[]): Promise<MatrixRawEvent[]> {
    if (!events.some((event) => event.type === encryptedEventType)) return events;
    const engine = await this.ready();
    if (!engine) return events;
    return (await engine.decryptBatch(roomId, events)).map((result) => result.event);
  }

  private scheduleRedecrypt(): void {
    this.redecrypting = this.redecrypting.then(() => this.redecrypt()).catch((error: unknown) => {
      this.deps.log.warn('events whose keys arrived could not be read again', { reason: error instanceof Error ? error.message : String(error) });
    });
  }

  /** Decrypts the kept events whose room keys just arrived and hands them on as if they came now. */
  private async redecrypt(): Promise<void> {
    const keys = this.pendingKeys.splice(0);
    const engine = await this.ready();
    if (!engine || keys.length === 0 || !this.deps.replay) return;
    const find = this.deps.db.prepare(
      `SELECT event_id, room_id, sender, ts, content FROM chat_events WHERE type = 'm.room.encrypted' AND room_id = ? AND json_extract(content, '$.session_id') = ? ORDER BY pos`,
    );
    const items: { roomId: string; event: MatrixRawEvent }[] = [];
    for (const { roomId, sessionId } of keys) {
      const rows = find.all(roomId, sessionId) as { event_id: string; room_id: string; sender: string; ts: number; content: string }[];
      for (const row of rows) {
        const { [undecryptedKey]: _reason, ...content } = JSON.parse(row.content) as Record<string, unknown>;
        void _reason;
        items.push({ roomId, event: { event_id: row.event_id, room_id: roomId, type: encryptedEventType, sender: row.sender, origin_server_ts: row.ts, content } });
      }
    }
    const join: Record<string, { timeline: { events: MatrixRawEvent[] } }> = {};
    let count = 0;
    const results = items.length > 0 ? await engine.decryptMany(items) : [];
    results.forEach((result, i) => {
      if (!result.decrypted) return;
      (join[items[i]!.roomId] ??= { timeline: { events: [] } }).timeline.events.push(result.event);
      count++;
    });
    if (count === 0) return;
    this.deps.log.info('read events whose keys arrived after them', { events: count });
    await this.deps.replay({ next_batch: '', rooms: { join } });
  }

  /** Writes the store and closes the machine (quitting). */
  close(): Promise<void> {
    this.quitting = true;
    return this.closeEngine();
  }

  private closeEngine(): Promise<void> {
    const engine = this.engine;
    this.engine = null;
    this.engineKey = null;
    const done = (async () => {
      await (await engine?.catch(() => null))?.close();
    })();
    trackClosing(this.storePath, done);
    return done;
  }

  /** Signing out: the device's keys and room keys go with it. */
  forget(): Promise<void> {
    const closed = this.closeEngine();
    this.forgetting = (async () => {
      await closed;
      await CryptoEngine.deleteStore(this.storePath);
      this.replayGuard.forget();
      this.deps.secrets.delete(cryptoPassphraseSecret);
    })();
    trackClosing(this.storePath, this.forgetting);
    return this.forgetting;
  }
}
