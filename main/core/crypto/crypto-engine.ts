// The device's end-to-end encryption: matrix-sdk-crypto (the Rust crypto Element uses),
// through its WebAssembly build, driven by the core's own /sync loop and requests.
//
// Its store is IndexedDB, which Node lacks: fake-indexeddb holds it in memory, and this
// engine snapshots it to one file (idb-snapshot.ts) a moment after each change and on
// close, and restores it before the OlmMachine opens. The store itself is encrypted with a
// passphrase the secret store keeps (keychain), so the file is unreadable without it.
import { createHash } from 'node:crypto';
import * as Rust from '@matrix-org/matrix-sdk-crypto-wasm';
import * as FakeIdb from 'fake-indexeddb';
import type { Logger } from '../log';
import { MatrixHttpError, type MatrixRawEvent } from '../matrix/matrix-connection';
import { seg } from '../matrix/matrix-http';
import {
  decodeSnapshot,
  deleteDatabases,
  encodeSnapshot,
  readSnapshotFile,
  removeSnapshotFile,
  restoreDatabases,
  snapshotDatabases,
  writeSnapshotFile,
  type IdbSnapshot,
} from './idb-snapshot';
import type { IdbFactory } from './idb-types';
import { pruneFinishedTransactions } from './idb-transactions';
import type { CrossSigningHost } from './cross-signing';
import type { VerificationHost } from './verification';
import { keyBundleRoomOf } from './history-sharing';
import type { ReplayGuard } from './replay-guard';
import {
  classifyDecryptionFailure,
  encryptedEventType,
  megolmAlgorithm,
  undecryptedKey,
  type HistoryVisibility,
  type RoomEncryptionSettings,
  type UnableToDecryptReason,
} from './room-encryption';

type Requester = <T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, options?: { body?: unknown; query?: Record<string, string> }) => Promise<T>;

export interface CryptoEngineOptions {
  userId: string;
  deviceId: string;
  /** The snapshot file of the store. */
  storePath: string;
  /** Encrypts the store's values (from the secret store). */
  passphrase: string;
  request: Requester;
  log: Logger;
  /** How long after a change the store is written to disk (ms). */
  saveDelayMs?: number;
  /** Refuses a ciphertext sent again under another event id (replay-guard.ts); none in benches of the engine alone. */
  replayGuard?: ReplayGuard;
}

export interface SyncCryptoInput {
  toDevice: unknown[];
  changed: string[];
  left: string[];
  oneTimeKeyCounts: Record<string, number>;
  /** Absent when the server did not say (then the machine does not assume none are left). */
  unusedFallbackKeyTypes: string[] | undefined;
}

export interface DecryptResult {
  event: MatrixRawEvent;
  decrypted: boolean;
  reason?: UnableToDecryptReason;
}

/**
 * How many decryptions of one batch are in flight at once. The machine allows concurrent
 * calls; overlapping them lets one event loop turn serve several store reads. More than
 * this only lengthens fake-indexeddb's queue of waiting transactions.
 */
export const decryptConcurrency = 16;

export interface DeviceKeysView {
  userId: string;
  deviceId: string;
  ed25519: string;
  curve25519: string;
}

let wasmReady: Promise<void> | null = null;
/** Stores being written and closed, by file: opening one waits for its close to end. */
const closing = new Map<string, Promise<void>>();

/** Resolves when every store being closed has been written (await before the process exits). */
export async function cryptoStoresSettled(): Promise<void> {
  await Promise.allSettled([...closing.values()]);
}

/** Notes that a store is being closed (synchronously, so an open right after waits for it). */
export function trackClosing(storePath: string, done: Promise<void>): void {
  const all: Promise<void> = Promise.allSettled([closing.get(storePath), done]).then(() => {
    if (closing.get(storePath) === all) closing.delete(storePath);
  });
  closing.set(storePath, all);
}

/** Loads the WebAssembly module once per process and gives it an IndexedDB. */
function loadRuntime(): Promise<void> {
  const scope = globalThis as unknown as Record<string, unknown>;
  if (scope.indexedDB === undefined) {
    // The classes too: the Rust store checks what it is given against them.
    for (const [name, value] of Object.entries(FakeIdb)) {
      if (name === 'default' || name === 'forceCloseDatabase') continue;
      Object.defineProperty(scope, name, { value, configurable: true, writable: true, enumerable: false });
    }
  }
  pruneFinishedTransactions();
  wasmReady ??= Rust.initAsync();
  return wasmReady;
}

function factory(): IdbFactory {
  return (globalThis as unknown as { indexedDB: IdbFactory }).indexedDB;
}

/** The database name prefix of one data folder's store (two cores in one process keep apart). */
export function storePrefix(storePath: string): string {
  return `plenary-crypto-${createHash('sha256').update(storePath).digest('hex').slice(0, 16)}`;
}

/** Renames a snapshot's databases to this prefix (a data folder may have moved). */
export function withPrefix(snapshot: IdbSnapshot, prefix: string): IdbSnapshot {
  const old = snapshot.meta.prefix;
  if (!old || old === prefix) return snapshot;
  return { ...snapshot, meta: { ...snapshot.meta, prefix }, databases: snapshot.databases.map((db) => ({ ...db, name: db.name.startsWith(old) ? prefix + db.name.slice(old.length) : db.name })) };
}

export class CryptoEngine {
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private saving: Promise<void> = Promise.resolve();
  private outgoing: Promise<void> | null = null;
  private outgoingAgain = false;
  private readonly roomQueues = new Map<string, Promise<unknown>>();
  private closed = false;
  private closing: Promise<void> | null = null;
  private readonly verifications: VerificationHost['known'] = new Map();
  private readonly keyListeners = new Set<(keys: { roomId: string; sessionId: string }[]) => void>();
  private readonly queriedListeners = new Set<(userIds: string[]) => void>();

  private constructor(
    private readonly options: CryptoEngineOptions,
    private readonly machine: Rust.OlmMachine,
    private readonly prefix: string,
  ) {
    machine.registerRoomKeyUpdatedCallback(async (infos) => {
      const keys = infos.map((info) => ({ roomId: info.roomId.toString(), sessionId: info.sessionId }));
      this.changed();
      for (const listener of this.keyListeners) {
        try {
          listener(keys);
        } catch (error) {
          options.log.error('a room key listener failed', { reason: error instanceof Error ? error.message : String(error) });
        }
      }
      return Promise.resolve();
    });
  }

  /** Restores the store from its file (when it is this device's) and opens the machine. */
  static async open(options: CryptoEngineOptions): Promise<CryptoEngine> {
    await loadRuntime();
    await closing.get(options.storePath);
    let prefix = storePrefix(options.storePath);
    await deleteDatabases(factory(), prefix);
    const bytes = readSnapshotFile(options.storePath);
    if (bytes) {
      try {
        const snapshot = withPrefix(decodeSnapshot(bytes), prefix);
        if (snapshot.meta.userId === options.userId && snapshot.meta.deviceId === options.deviceId) await restoreDatabases(factory(), snapshot);
        else options.log.warn('the crypto store belongs to another device; starting a new one', { storeDevice: snapshot.meta.deviceId ?? null, deviceId: options.deviceId });
      } catch (error) {
        options.log.error('the crypto store could not be read; starting a new one', { reason: error instanceof Error ? error.message : String(error) });
        await deleteDatabases(factory(), prefix);
      }
    }
    let machine: Rust.OlmMachine;
    try {
      machine = await Rust.OlmMachine.initialize(new Rust.UserId(options.userId), new Rust.DeviceId(options.deviceId), prefix, options.passphrase);
    } catch (error) {
      // The store cannot be opened (its passphrase was lost with the keychain, or it is
      // damaged): start an empty one rather than leave sync stuck. The server keeps this
      // device's old keys, so encrypting may then fail until the member signs in again.
      options.log.error('the crypto store could not be opened; starting an empty one', { reason: error instanceof Error ? error.message : String(error) });
      // Under a name of its own: the damaged one may still be held open.
      prefix = `${prefix}-${Date.now().toString(36)}`;
      machine = await Rust.OlmMachine.initialize(new Rust.UserId(options.userId), new Rust.DeviceId(options.deviceId), prefix, options.passphrase);
    }
    const engine = new CryptoEngine(options, machine, prefix);
    await engine.resumeBackup();
    engine.changed();
    return engine;
  }

  /** Deletes a data folder's store (signing out), whether or not an engine is open on it. */
  static async deleteStore(storePath: string): Promise<void> {
    removeSnapshotFile(storePath);
    if (wasmReady) await deleteDatabases(factory(), storePrefix(storePath));
  }

  keys(): DeviceKeysView {
    const identity = this.machine.identityKeys;
    return { userId: this.options.userId, deviceId: this.options.deviceId, ed25519: identity.ed25519.toBase64(), curve25519: identity.curve25519.toBase64() };
  }

  /** What verification (verification.ts) and cross-signing (cross-signing.ts) drive. */
  host(): VerificationHost & CrossSigningHost {
    return {
      machine: this.machine,
      userId: this.options.userId,
      deviceId: this.options.deviceId,
      request: this.options.request,
      known: this.verifications,
      send: async (request) => {
        await this.send(request);
        this.changed();
      },
      flush: () => this.processOutgoing(),
    };
  }

  onRoomKeys(listener: (keys: { roomId: string; sessionId: string }[]) => void): () => void {
    this.keyListeners.add(listener);
    return () => this.keyListeners.delete(listener);
  }

  /** Closed (quitting, signing out): its machine must not be asked anything more. */
  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Called with the users whose devices and identities the machine has just read from the
   * server (a /keys/query answered): only then do trust and cross-signing reads see a change
   * that /sync's device_lists announced.
   */
  onKeysQueried(listener: (userIds: string[]) => void): () => void {
    this.queriedListeners.add(listener);
    return () => this.queriedListeners.delete(listener);
  }

  /**
   * Feeds one /sync response's to-device events and device changes to the machine. Returns
   * the rooms whose room-key bundle details arrived, encrypted, in these events (MSC4268).
   */
  async receiveSync(input: SyncCryptoInput): Promise<string[]> {
    const lists = new Rust.DeviceLists(input.changed.map((id) => new Rust.UserId(id)), input.left.map((id) => new Rust.UserId(id)));
    const counts = new Map(Object.entries(input.oneTimeKeyCounts));
    const fallback = input.unusedFallbackKeyTypes ? new Set(input.unusedFallbackKeyTypes) : undefined;
    const processed = await this.machine.receiveSyncChanges(JSON.stringify(input.toDevice), lists, counts, fallback);
    this.changed();
    const bundleRooms: string[] = [];
    for (const event of processed) {
      // Only an Olm-encrypted bundle counts: the Rust crypto stores those (with their sender's device) itself.
      if (event.type !== Rust.ProcessedToDeviceEventType.Decrypted) continue;
      try {
        const room = keyBundleRoomOf(JSON.parse(event.rawEvent));
        if (room) bundleRooms.push(room);
      } catch {
        // Not JSON: nothing to take from it.
      }
    }
    return bundleRooms;
  }

  /**
   * Builds this device's room-key bundle for a room (MSC4268): the keys of every session
   * marked shared-history, with the others listed as withheld, encrypted as an attachment.
   * Null when there is nothing to share.
   */
  async buildKeyBundle(roomId: string): Promise<{ data: Uint8Array; encryptionInfo: string } | null> {
    const bundle = await this.machine.buildRoomKeyBundle(new Rust.RoomId(roomId));
    if (!bundle) return null;
    const encryptionInfo = bundle.mediaEncryptionInfo;
    if (!encryptionInfo) throw new Error('the room-key bundle came without its encryption details');
    return { data: bundle.encryptedData, encryptionInfo };
  }

  /**
   * Sends the details of an uploaded bundle (its content URI and key) to every device of
   * `userId`, Olm-encrypted: their devices are fetched afresh (we may share no room with
   * them yet) and Olm sessions opened where missing.
   */
  async shareKeyBundle(userId: string, roomId: string, url: string, encryptionInfo: string): Promise<number> {
    await this.send(this.machine.queryKeysForUsers([new Rust.UserId(userId)]));
    await this.machine.updateTrackedUsers([new Rust.UserId(userId)]);
    await this.processOutgoing();
    const claim = await this.machine.getMissingSessions([new Rust.UserId(userId)]);
    if (claim) await this.send(claim);
    // Only to devices the member's own cross-signing identity signed: the Rust crypto takes no
    // looser strategy for history (a device the member never signed gets nothing).
    const requests = await this.machine.shareRoomKeyBundleData(new Rust.UserId(userId), new Rust.RoomId(roomId), url, encryptionInfo, Rust.CollectStrategy.identityBasedStrategy());
    for (const request of requests) await this.send(request);
    this.changed();
    return requests.length;
  }

  /** Notes that this device joined a room after `inviter`'s invitation: a bundle from them is taken for a day. */
  async markKeyBundlePending(roomId: string, inviter: string): Promise<void> {
    await this.machine.storeRoomPendingKeyBundle(new Rust.RoomId(roomId), new Rust.UserId(inviter));
    this.changed();
  }

  /** Who this device waits for a key bundle from in a room, and since when; null when it waits for none. */
  async pendingKeyBundle(roomId: string): Promise<{ inviter: string; acceptedAt: number } | null> {
    const details = await this.machine.getPendingKeyBundleDetailsForRoom(new Rust.RoomId(roomId));
    if (!details) return null;
    return { inviter: details.inviterId.toString(), acceptedAt: details.inviteAcceptedAtMillis };
  }

  async clearKeyBundlePending(roomId: string): Promise<void> {
    await this.machine.clearRoomPendingKeyBundle(new Rust.RoomId(roomId));
    this.changed();
  }

  /**
   * Takes the room-key bundle the inviter sent for a room, if one came: only one from the
   * inviter (bundles from anyone else are never looked at), sent by a device the inviter's
   * cross-signing identity signed (the Rust crypto refuses others), and whose downloaded
   * bytes match the hash in its details (decrypting checks it). `'none'` when no bundle
   * from the inviter has come (yet); `'untrusted'` when one came but brought no key (its
   * sending device is not signed by the inviter's identity, or every key was known already).
   */
  async acceptKeyBundle(roomId: string, inviter: string, download: (url: string) => Promise<Uint8Array>): Promise<'imported' | 'untrusted' | 'none'> {
    // The inviter's cross-signing keys, fresh, so the sending device's signature can be checked.
    await this.send(this.machine.queryKeysForUsers([new Rust.UserId(inviter)]));
    const data = await this.machine.getReceivedRoomKeyBundleData(new Rust.RoomId(roomId), new Rust.UserId(inviter));
    if (!data) return 'none';
    const bytes = await download(data.url);
    // The Rust crypto drops a bundle from a device it does not trust without an error: the
    // count of room keys held tells whether any came in.
    const before = (await this.machine.roomKeyCounts()).total;
    await this.machine.receiveRoomKeyBundle(data, bytes);
    this.changed();
    return (await this.machine.roomKeyCounts()).total > before ? 'imported' : 'untrusted';
  }

  /** Records a room's m.room.encryption (the machine keeps it in its store). */
  async setRoomEncryption(roomId: string, settings: RoomEncryptionSettings): Promise<void> {
    if (settings.algorithm !== megolmAlgorithm) {
      this.options.log.warn('a room asks for an encryption algorithm Plenary does not know', { roomId, algorithm: settings.algorithm });
    }
    const room = new Rust.RoomSettings();
    room.algorithm = Rust.EncryptionAlgorithm.MegolmV1AesSha2;
    room.sessionRotationPeriodMs = settings.rotationPeriodMs;
    room.sessionRotationPeriodMessages = settings.rotationPeriodMessages;
    try {
      await this.machine.setRoomSettings(new Rust.RoomId(roomId), room);
    } catch (error) {
      // A downgrade (another algorithm, a shorter rotation) is refused by the machine, as it should be.
      this.options.log.warn('kept a room’s earlier encryption settings', { roomId, reason: error instanceof Error ? error.message : String(error) });
    }
    this.changed();
  }

  async roomEncryption(roomId: string): Promise<RoomEncryptionSettings | null> {
    const settings = await this.machine.getRoomSettings(new Rust.RoomId(roomId));
    if (!settings) return null;
    return { algorithm: megolmAlgorithm, rotationPeriodMs: settings.sessionRotationPeriodMs ?? null, rotationPeriodMessages: settings.sessionRotationPeriodMessages ?? null };
  }

  /**
   * Decrypts a room event. What cannot be decrypted comes back as it was, with why under
   * undecryptedKey in its content (the timeline explains it; the key may still come).
   */
  async decrypt(roomId: string, event: MatrixRawEvent): Promise<DecryptResult> {
    return (await this.decryptBatch(roomId, [event]))[0]!;
  }

  /**
   * Decrypts a page of a room's events (a /sync timeline, a back-filled page) together: the
   * results come in the events' order, one per event, clear events as they were; an event
   * that cannot be decrypted comes back with its reason and does not stop the others.
   */
  decryptBatch(roomId: string, events: readonly MatrixRawEvent[]): Promise<DecryptResult[]> {
    return this.decryptMany(events.map((event) => ({ roomId, event })));
  }

  /** decryptBatch for events of several rooms (a /sync response), in one pool. */
  async decryptMany(items: readonly { roomId: string; event: MatrixRawEvent }[]): Promise<DecryptResult[]> {
    const results: DecryptResult[] = new Array<DecryptResult>(items.length);
    const pending: number[] = [];
    items.forEach((item, i) => {
      if (item.event.type === encryptedEventType) pending.push(i);
      else results[i] = { event: item.event, decrypted: false };
    });
    if (pending.length === 0) return results;
    // Borrowed by each call (not moved), so one of each serves the whole batch.
    const rooms = new Map<string, Rust.RoomId>();
    const settings = new Rust.DecryptionSettings(Rust.TrustRequirement.Untrusted);
    try {
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < pending.length) {
          const i = pending[next++]!;
          const { roomId, event } = items[i]!;
          let room = rooms.get(roomId);
          if (!room) rooms.set(roomId, (room = new Rust.RoomId(roomId)));
          results[i] = await this.decryptOne(room, settings, event);
        }
      };
      await Promise.all(Array.from({ length: Math.min(decryptConcurrency, pending.length) }, worker));
    } finally {
      for (const room of rooms.values()) room.free();
      settings.free();
    }
    // Oldest first (the decryptions above finish in any order, and a back-filled page comes
    // newest first): of two events carrying one ciphertext, the earlier is the one kept, and
    // across batches the one this device decrypted first.
    const guard = this.options.replayGuard;
    if (guard) {
      const oldestFirst = [...pending].sort((a, b) => items[a]!.event.origin_server_ts - items[b]!.event.origin_server_ts || a - b);
      for (const i of oldestFirst) {
        const result = results[i]!;
        const { roomId, event } = items[i]!;
        const ciphertext = event.content?.ciphertext;
        if (!result.decrypted || typeof ciphertext !== 'string') continue;
        if (guard.claim(roomId, ciphertext, event.event_id) !== event.event_id) results[i] = this.refused(event, 'replayed');
      }
    }
    return results;
  }

  /** Never throws: a failure is a result with its reason (the batch's other calls still use the ids). */
  private async decryptOne(room: Rust.RoomId, settings: Rust.DecryptionSettings, event: MatrixRawEvent): Promise<DecryptResult> {
    try {
      const result = await this.machine.decryptRoomEvent(JSON.stringify(event), room, settings);
      let clear: { type?: unknown; content?: unknown };
      let senderDevice: string | null;
      let mismatchedSender: boolean;
      try {
        clear = JSON.parse(result.event) as { type?: unknown; content?: unknown };
        senderDevice = result.senderDevice?.toString() ?? null;
        const shield = result.shieldState(false);
        mismatchedSender = shield.code === Rust.ShieldStateCode.MismatchedSender;
        shield.free();
      } finally {
        result.free();
      }
      // The room key came from a device of another account than the event's sender: the
      // Rust crypto decrypts it and marks it red (Element shows it with a warning); Plenary,
      // which counts votes and operations by sender, refuses it.
      if (mismatchedSender) return this.refused(event, 'forged_sender');
      if (typeof clear.type !== 'string' || typeof clear.content !== 'object' || clear.content === null) throw new Error('the decrypted event has no type or content');
      const content = { ...(clear.content as Record<string, unknown>) };
      // The relation travels in the clear too; the encrypted content wins when both carry one.
      const clearRelation = event.content['m.relates_to'];
      if (content['m.relates_to'] === undefined && clearRelation !== undefined) content['m.relates_to'] = clearRelation;
      const { [undecryptedKey]: _reason, ...unsigned } = event.unsigned ?? {};
      void _reason;
      return {
        event: { ...event, type: clear.type, content, unsigned: { ...unsigned, 'coop.meet.plenary.encrypted': { sender_device: senderDevice } } },
        decrypted: true,
      };
    } catch (error) {
      const code = error instanceof Rust.MegolmDecryptionError ? error.code : null;
      const withheld = error instanceof Rust.MegolmDecryptionError ? (error.withheldCode ?? null) : null;
      return this.refused(event, classifyDecryptionFailure(code, withheld));
    }
  }

  /** The event as it came, with why it stays unread (the timeline explains the reason). */
  private refused(event: MatrixRawEvent, reason: UnableToDecryptReason): DecryptResult {
    return { event: { ...event, content: { ...(event.content ?? {}), [undecryptedKey]: reason } }, decrypted: false, reason };
  }

  /**
   * Encrypts one event's content for a room as Element would: tracks the recipients'
   * devices, opens Olm sessions where missing, shares the room key (rotated as the room's
   * settings and membership require) and encrypts. One room at a time, in order.
   */
  encrypt(roomId: string, type: string, content: Record<string, unknown>, recipients: readonly string[], visibility: HistoryVisibility): Promise<Record<string, unknown>> {
    const previous = this.roomQueues.get(roomId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.encryptNow(roomId, type, content, recipients, visibility));
    this.roomQueues.set(roomId, next);
    return next;
  }

  private async encryptNow(roomId: string, type: string, content: Record<string, unknown>, recipients: readonly string[], visibility: HistoryVisibility): Promise<Record<string, unknown>> {
    // wasm-bindgen ids are moved into the calls that take them: fresh ones for each call.
    const users = () => recipients.map((id) => new Rust.UserId(id));
    const stored = await this.roomEncryption(roomId);
    await this.machine.updateTrackedUsers(users());
    // Device lists of newly tracked users must be known before sharing.
    await this.processOutgoing();
    const claim = await this.machine.getMissingSessions(users());
    if (claim) await this.send(claim);
    const settings = new Rust.EncryptionSettings();
    settings.algorithm = Rust.EncryptionAlgorithm.MegolmV1AesSha2;
    settings.historyVisibility = rustVisibility(visibility);
    if (stored?.rotationPeriodMs) settings.rotationPeriod = BigInt(stored.rotationPeriodMs * 1000);
    if (stored?.rotationPeriodMessages) settings.rotationPeriodMessages = BigInt(stored.rotationPeriodMessages);
    settings.sharingStrategy = Rust.CollectStrategy.deviceBasedStrategy(false, false);
    const shares = await this.machine.shareRoomKey(new Rust.RoomId(roomId), users(), settings);
    for (const share of shares) await this.send(share);
    const encrypted = await this.machine.encryptRoomEvent(new Rust.RoomId(roomId), type, JSON.stringify(content));
    this.changed();
    return JSON.parse(encrypted) as Record<string, unknown>;
  }

  /**
   * Imports every room key of the server's current key backup, decrypted with the backup's
   * key (base64), and keeps that key for later. Returns how many keys were imported.
   */
  async restoreBackup(backupKeyBase64: string): Promise<{ imported: number; total: number; rooms: string[] }> {
    const key = Rust.BackupDecryptionKey.fromBase64(backupKeyBase64);
    const info = await this.options.request<{ version: string; algorithm: string; auth_data?: { public_key?: string } }>('GET', '/_matrix/client/v3/room_keys/version');
    if (info.auth_data?.public_key !== key.megolmV1PublicKey.publicKeyBase64) throw new Error('the recovery key opens another key backup than the server’s current one');
    const backup = await this.options.request<{ rooms?: Record<string, { sessions?: Record<string, { session_data?: { ephemeral: string; mac: string; ciphertext: string } }> }> }>(
      'GET',
      '/_matrix/client/v3/room_keys/keys',
      { query: { version: info.version } },
    );
    const keys = new Map<Rust.RoomId, Map<string, unknown>>();
    for (const [roomId, room] of Object.entries(backup.rooms ?? {})) {
      const sessions = new Map<string, unknown>();
      for (const [sessionId, session] of Object.entries(room.sessions ?? {})) {
        const data = session.session_data;
        if (!data) continue;
        try {
          sessions.set(sessionId, JSON.parse(key.decryptV1(data.ephemeral, data.mac, data.ciphertext)));
        } catch (error) {
          this.options.log.warn('a backed-up room key could not be decrypted', { roomId, reason: error instanceof Error ? error.message : String(error) });
        }
      }
      if (sessions.size > 0) keys.set(new Rust.RoomId(roomId), sessions);
    }
    const result = await this.machine.importBackedUpRoomKeys(keys, () => undefined, info.version);
    await this.machine.saveBackupDecryptionKey(Rust.BackupDecryptionKey.fromBase64(backupKeyBase64), info.version);
    // From now on this device's own room keys go to the same backup (as Element's do).
    await this.machine.enableBackupV1(info.auth_data.public_key, info.version);
    await this.save();
    void this.processOutgoing().catch((error: unknown) => this.options.log.warn('room keys could not be backed up yet', { reason: error instanceof Error ? error.message : String(error) }));
    return { imported: result.importedCount, total: result.totalCount, rooms: Object.keys(backup.rooms ?? {}) };
  }

  /** Keeps a new backup's key (made here, secure-backup.ts) and uploads room keys into that version. */
  async useBackup(key: Rust.BackupDecryptionKey, version: string): Promise<void> {
    const publicKey = key.megolmV1PublicKey.publicKeyBase64;
    await this.machine.saveBackupDecryptionKey(Rust.BackupDecryptionKey.fromBase64(key.toBase64()), version);
    await this.machine.enableBackupV1(publicKey, version);
    await this.save();
    void this.processOutgoing().catch((error: unknown) => this.options.log.warn('room keys could not be backed up yet', { reason: error instanceof Error ? error.message : String(error) }));
  }

  /** Backs up room keys again after a restart, when a backup was restored on this device. */
  private async resumeBackup(): Promise<void> {
    const keys = await this.machine.getBackupKeys();
    const key = keys.decryptionKey;
    const version = keys.backupVersion;
    if (key && version) await this.machine.enableBackupV1(key.megolmV1PublicKey.publicKeyBase64, version);
  }

  /** Sends what the machine has queued (key upload and queries, to-device, signatures) until it has nothing left. */
  processOutgoing(): Promise<void> {
    if (this.outgoing) {
      this.outgoingAgain = true;
      return this.outgoing;
    }
    this.outgoing = (async () => {
      try {
        do {
          this.outgoingAgain = false;
          const requests = await this.machine.outgoingRequests();
          for (const request of requests) await this.send(request);
          // Room keys not yet in the key backup (when one is enabled), a batch at a time.
          const backup = this.closed ? undefined : await this.machine.backupRoomKeys();
          if (backup) {
            await this.sendBackup(backup);
            this.outgoingAgain = true;
          }
        } while (this.outgoingAgain && !this.closed);
      } finally {
        this.outgoing = null;
      }
    })();
    return this.outgoing;
  }

  /** Uploads room keys to the backup; a backup replaced or deleted on the server stops it. */
  private async sendBackup(request: Rust.KeysBackupRequest): Promise<void> {
    try {
      await this.send(request);
    } catch (error) {
      if (error instanceof MatrixHttpError && (error.status === 404 || error.errcode === 'M_WRONG_ROOM_KEYS_VERSION')) {
        this.options.log.warn('the key backup changed on the server; stopped backing up room keys', { reason: error.message });
        await this.machine.disableBackup();
        return;
      }
      throw error;
    }
  }

  private async send(request: Rust.KeysUploadRequest | Rust.KeysQueryRequest | Rust.KeysClaimRequest | Rust.ToDeviceRequest | Rust.SignatureUploadRequest | Rust.RoomMessageRequest | Rust.KeysBackupRequest): Promise<void> {
    const request_ = this.options.request;
    const body = JSON.parse(request.body) as unknown;
    let response: unknown;
    if (request instanceof Rust.KeysUploadRequest) response = await request_('POST', '/_matrix/client/v3/keys/upload', { body });
    else if (request instanceof Rust.KeysQueryRequest) response = await request_('POST', '/_matrix/client/v3/keys/query', { body });
    else if (request instanceof Rust.KeysClaimRequest) response = await request_('POST', '/_matrix/client/v3/keys/claim', { body });
    else if (request instanceof Rust.SignatureUploadRequest) response = await request_('POST', '/_matrix/client/v3/keys/signatures/upload', { body });
    else if (request instanceof Rust.KeysBackupRequest) response = await request_('PUT', '/_matrix/client/v3/room_keys/keys', { body, query: { version: request.version } });
    else if (request instanceof Rust.ToDeviceRequest) response = await request_('PUT', `/_matrix/client/v3/sendToDevice/${seg(request.event_type)}/${seg(request.txn_id)}`, { body });
    else if (request instanceof Rust.RoomMessageRequest) response = await request_('PUT', `/_matrix/client/v3/rooms/${seg(request.room_id)}/send/${seg(request.event_type)}/${seg(request.txn_id)}`, { body });
    else {
      this.options.log.warn('an outgoing crypto request of an unknown kind was left unsent');
      return;
    }
    if (request.id !== undefined && !this.closed) await this.machine.markRequestAsSent(request.id, request.type, JSON.stringify(response ?? {}));
    if (request instanceof Rust.KeysQueryRequest && !this.closed) {
      const userIds = Object.keys((body as { device_keys?: Record<string, unknown> }).device_keys ?? {});
      for (const listener of this.queriedListeners) listener(userIds);
    }
    // One-time keys the server holds must never be uploaded twice: write at once.
    if (request instanceof Rust.KeysUploadRequest && !this.closed) await this.save();
    else this.changed();
  }

  /** Schedules writing the store to disk. */
  private changed(): void {
    if (this.closed || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      void this.save().catch((error: unknown) => this.options.log.error('the crypto store could not be written', { reason: error instanceof Error ? error.message : String(error) }));
    }, this.options.saveDelayMs ?? 1_000);
    this.saveTimer.unref?.();
  }

  /** Writes the store to its file now (after any write in progress). */
  save(): Promise<void> {
    const run = async () => {
      const snapshot = await snapshotDatabases(factory(), `${this.prefix}::`, { userId: this.options.userId, deviceId: this.options.deviceId, prefix: this.prefix });
      writeSnapshotFile(this.options.storePath, encodeSnapshot(snapshot));
    };
    this.saving = this.saving.catch(() => undefined).then(run);
    return this.saving;
  }

  /** Writes the store, closes the machine and frees the memory the store held. */
  close(): Promise<void> {
    this.closing ??= this.closeNow();
    return this.closing;
  }

  private async closeNow(): Promise<void> {
    if (this.closed) return;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    await this.outgoing?.catch(() => undefined);
    await Promise.allSettled([...this.roomQueues.values()]);
    await this.save().catch((error: unknown) => this.options.log.error('the crypto store could not be written on close', { reason: error instanceof Error ? error.message : String(error) }));
    this.closed = true;
    this.machine.close();
    await deleteDatabases(factory(), `${this.prefix}::`);
  }
}

function rustVisibility(visibility: HistoryVisibility): Rust.HistoryVisibility {
  switch (visibility) {
    case 'invited':
      return Rust.HistoryVisibility.Invited;
    case 'joined':
      return Rust.HistoryVisibility.Joined;
    case 'world_readable':
      return Rust.HistoryVisibility.WorldReadable;
    default:
      return Rust.HistoryVisibility.Shared;
  }
}
