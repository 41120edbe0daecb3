// An Element-like member with end-to-end encryption, in a process of its own: matrix-js-sdk's
// MatrixClient with its Rust crypto (initRustCrypto, the store in fake-indexeddb), as Element
// Web runs it. It shares no code with main/. Run with tsx; it reads one JSON command per line
// on stdin and answers one JSON line per command on stdout ({ id, ok, value | error }).
//
// Commands: start { baseUrl, userId, accessToken, deviceId }, createRoom { name, invite,
// encrypted }, join { roomId }, send { roomId, type, content }, waitFor { roomId, type?,
// body?, relType? } (resolves with the decrypted event), setupBackup (secure backup with a
// recovery key), waitBackedUp { count }, keys, deviceOf { userId }, stop.
// Verification (as Element's "Verify session"): requestVerification { userId, deviceId },
// incomingVerification (waits for a request from another device), acceptVerification,
// startSas, sasEmoji (waits for the 7 emoji: [symbol, name]), confirmSas { match },
// cancelVerification, waitVerification { phase: 'done' | 'cancelled' }, all by { flowId };
// deviceVerified { userId, deviceId }.
// Encrypted files (tests/helpers/element-attachments.ts, node:crypto, none of main/'s code):
// upload { data }, sendEncryptedFile { roomId, name, msgtype, mimetype, data, info? },
// openEncryptedFile { roomId, body } (downloads, checks the SHA-256, decrypts).
// With a recovery key someone else set up (as Element's "Verify with recovery key"):
// verifyWithRecoveryKey { recoveryKey } (cross-signing keys read from secret storage, this
// device signed with them), restoreWithRecoveryKey { recoveryKey } (backup key from secret
// storage, room keys restored from the key backup); resetCrossSigning { password }.
import 'fake-indexeddb/auto';
import { createInterface } from 'node:readline';
import { ClientEvent, createClient, MatrixEventEvent, SyncState, type MatrixClient, type MatrixEvent } from 'matrix-js-sdk';
import { CryptoEvent, VerificationPhase, VerificationRequestEvent, VerifierEvent, type ShowSasCallbacks, type VerificationRequest } from 'matrix-js-sdk/lib/crypto-api/index.js';
import type { Logger } from 'matrix-js-sdk/lib/logger';
import { peerDecrypt, peerEncrypt, sha256Hex, type PeerEncryptedFile } from './element-attachments';
import { decodeRecoveryKey } from 'matrix-js-sdk/lib/crypto-api/recovery-key.js';

// Only errors, and on stderr: stdout carries the answers.
const ignore = () => undefined;
const quiet: Logger = { trace: ignore, debug: ignore, info: ignore, warn: ignore, error: (...msg: unknown[]) => console.error('[peer]', ...msg), getChild: () => quiet };
let client: MatrixClient | null = null;
/** The secret storage key this member set up (its "recovery key"), for the crypto to read secrets back. */
let secretStorageKey: { keyId: string | null; key: Uint8Array } | null = null;

const requests = new Map<string, VerificationRequest>();
const incoming: VerificationRequest[] = [];
const sasShown = new Map<string, ShowSasCallbacks>();

/** Follows a request: when its emoji flow starts (from either side), runs it and keeps the emoji when shown. */
function track(request: VerificationRequest): VerificationRequest {
  const flowId = request.transactionId!;
  requests.set(flowId, request);
  let verifying = false;
  const watch = () => {
    const verifier = request.verifier;
    if (!verifier || verifying) return;
    verifying = true;
    verifier.on(VerifierEvent.ShowSas, (sas) => sasShown.set(flowId, sas));
    const shown = verifier.getShowSasCallbacks();
    if (shown) sasShown.set(flowId, shown);
    verifier.verify().catch(() => undefined);
  };
  request.on(VerificationRequestEvent.Change, watch);
  watch();
  return request;
}

async function until<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function requestOf(input: Record<string, unknown>): VerificationRequest {
  const request = requests.get(String(input.flowId));
  if (!request) throw new Error(`no verification ${String(input.flowId)}`);
  return request;
}

function need(): MatrixClient {
  if (!client) throw new Error('start first');
  return client;
}

function view(event: MatrixEvent): Record<string, unknown> {
  return { eventId: event.getId(), type: event.getType(), sender: event.getSender(), content: event.getContent(), encrypted: event.isEncrypted(), failed: event.isDecryptionFailure() };
}

async function decrypted(event: MatrixEvent): Promise<MatrixEvent> {
  if (event.isBeingDecrypted() || event.shouldAttemptDecryption()) {
    await new Promise<void>((resolve) => {
      if (!event.isBeingDecrypted() && !event.shouldAttemptDecryption()) return resolve();
      event.once(MatrixEventEvent.Decrypted, () => resolve());
    });
  }
  return event;
}

async function waitFor(input: { roomId: string; type?: string; body?: string; relType?: string; timeoutMs?: number }): Promise<Record<string, unknown>> {
  const c = need();
  const deadline = Date.now() + (input.timeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    const room = c.getRoom(input.roomId);
    for (const event of room?.getLiveTimeline().getEvents() ?? []) {
      await decrypted(event).catch(() => undefined);
      if (input.type && event.getType() !== input.type) continue;
      if (input.body !== undefined && event.getContent().body !== input.body) continue;
      if (input.relType && event.getRelation()?.rel_type !== input.relType) continue;
      if (!input.type && input.body === undefined) continue;
      return view(event);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`never saw ${JSON.stringify(input)}; timeline: ${JSON.stringify(c.getRoom(input.roomId)?.getLiveTimeline().getEvents().map((e) => [e.getType(), e.getContent().body]))}`);
}

/** Ready to send as Element would be: the room synced, and its encryption known to the crypto. */
async function roomReady(c: MatrixClient, roomId: string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    const room = c.getRoom(roomId);
    const encrypted = room?.currentState.getStateEvents('m.room.encryption', '') ?? null;
    if (room?.getMyMembership() === 'join' && (!encrypted || (await c.getCrypto()!.isEncryptionEnabledInRoom(roomId)))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the room ${roomId} never became ready to send in`);
}

const commands: Record<string, (input: Record<string, unknown>) => Promise<unknown>> = {
  async start(input) {
    const c = createClient({ baseUrl: String(input.baseUrl), accessToken: String(input.accessToken), userId: String(input.userId), deviceId: String(input.deviceId),
      logger: quiet,
      cryptoCallbacks: {
        getSecretStorageKey: ({ keys }) => {
          const keyId = Object.keys(keys)[0]!;
          return Promise.resolve(secretStorageKey ? [secretStorageKey.keyId ?? keyId, new Uint8Array(secretStorageKey.key)] : null);
        },
        cacheSecretStorageKey: (keyId, _info, key) => {
          secretStorageKey = { keyId, key };
        },
      },
    });
    await c.initRustCrypto({ useIndexedDB: true });
    c.on(CryptoEvent.VerificationRequestReceived, (request) => incoming.push(track(request)));
    const prepared = new Promise<void>((resolve, reject) => {
      c.on(ClientEvent.Sync, (state) => {
        if (state === SyncState.Prepared) resolve();
        if (state === SyncState.Error) reject(new Error('sync failed'));
      });
    });
    await c.startClient({ initialSyncLimit: 50 });
    await prepared;
    client = c;
    return { deviceId: c.getDeviceId() };
  },
  async createRoom(input) {
    const c = need();
    const { room_id } = await c.createRoom({
      name: String(input.name ?? 'Room'),
      invite: (input.invite as string[] | undefined) ?? [],
      ...(input.encrypted ? { initial_state: [{ type: 'm.room.encryption', state_key: '', content: { algorithm: 'm.megolm.v1.aes-sha2' } }] } : {}),
    });
    // As Element: nothing is sent in the room before its encryption is known.
    for (let i = 0; i < 150 && input.encrypted && !(await c.getCrypto()!.isEncryptionEnabledInRoom(room_id)); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    return { roomId: room_id };
  },
  async join(input) {
    const c = need();
    const roomId = String(input.roomId);
    await c.joinRoom(roomId);
    await roomReady(c, roomId);
    return {};
  },
  async send(input) {
    const c = need();
    const roomId = String(input.roomId);
    await roomReady(c, roomId);
    const { event_id } = await c.sendEvent(roomId, String(input.type ?? 'm.room.message') as never, input.content as never);
    const raw = await c.http.authedRequest<{ type: string }>('GET' as never, `/rooms/${encodeURIComponent(roomId)}/event/${encodeURIComponent(event_id)}`);
    return { eventId: event_id, wireType: raw.type };
  },
  waitFor: (input) => waitFor(input as never),
  /**
   * Many text messages, one after another as a member types them (benches): `${prefix} ${n}`
   * for n = 1..count, after the listed members are seen joined, so each of their devices
   * gets the room keys as Element would share them.
   */
  async sendMany(input) {
    const c = need();
    const roomId = String(input.roomId);
    await roomReady(c, roomId);
    for (const userId of (input.joined as string[] | undefined) ?? []) {
      await until(`${userId} joined ${roomId}`, () => c.getRoom(roomId)?.getMember(userId)?.membership === 'join', 60_000);
    }
    const count = Number(input.count);
    for (let n = 1; n <= count; n++) await c.sendEvent(roomId, 'm.room.message' as never, { msgtype: 'm.text', body: `${String(input.prefix)} ${n}` } as never);
    return { sent: count };
  },
  /** Element's "Never send encrypted messages to unverified sessions" (Settings › Security & Privacy). */
  async blacklistUnverified(input) {
    need().getCrypto()!.globalBlacklistUnverifiedDevices = input.on === true;
    return {};
  },
  /** Sets up secure backup as Element's "Set up secure backup": a recovery key, and key backup. */
  async setupBackup() {
    const crypto = need().getCrypto()!;
    const recovery = await crypto.createRecoveryKeyFromPassphrase();
    secretStorageKey = { keyId: null, key: recovery.privateKey };
    await crypto.bootstrapSecretStorage({ createSecretStorageKey: () => Promise.resolve(recovery), setupNewKeyBackup: true });
    return { recoveryKey: recovery.encodedPrivateKey };
  },
  async verifyWithRecoveryKey(input) {
    const c = need();
    const crypto = c.getCrypto()!;
    secretStorageKey = { keyId: null, key: decodeRecoveryKey(String(input.recoveryKey)) };
    // Finds the private keys in secret storage, imports them and signs this device.
    await crypto.bootstrapCrossSigning({});
    await crypto.crossSignDevice(c.getDeviceId()!);
    const own = await crypto.getDeviceVerificationStatus(c.getUserId()!, c.getDeviceId()!);
    return { ready: await crypto.isCrossSigningReady(), signed: own?.crossSigningVerified ?? false };
  },
  /** Element's "Reset identity": new cross-signing keys (the account password answers the server). */
  async resetCrossSigning(input) {
    const c = need();
    await c.getCrypto()!.bootstrapCrossSigning({
      setupNewCrossSigning: true,
      authUploadDeviceSigningKeys: async (makeRequest) => {
        await makeRequest({ type: 'm.login.password', identifier: { type: 'm.id.user', user: c.getUserId()! }, password: String(input.password) } as never);
      },
    });
    return {};
  },
  async restoreWithRecoveryKey(input) {
    const crypto = need().getCrypto()!;
    secretStorageKey = { keyId: null, key: decodeRecoveryKey(String(input.recoveryKey)) };
    await crypto.loadSessionBackupPrivateKeyFromSecretStorage();
    const result = await crypto.restoreKeyBackup();
    return { imported: result.imported, total: result.total };
  },
  /** Resolves once the server's key backup holds at least `count` room keys. */
  async waitBackedUp(input) {
    const c = need();
    // matrix-js-sdk backs up a room key when one arrives; the keys of its own messages wait
    // for the next one. Start its backup loop now, as the next key would.
    await (c.getCrypto() as unknown as { backupManager: { maybeUploadKey(): Promise<void> } }).backupManager.maybeUploadKey();
    for (let i = 0; i < 300; i++) {
      const info = await c.getCrypto()!.getKeyBackupInfo();
      if (info?.version) {
        const keys = await c.http.authedRequest<{ rooms?: Record<string, { sessions?: Record<string, unknown> }> }>('GET' as never, '/room_keys/keys', { version: info.version });
        const total = Object.values(keys.rooms ?? {}).reduce((sum, room) => sum + Object.keys(room.sessions ?? {}).length, 0);
        if (total >= Number(input.count ?? 1)) return { total };
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const crypto = c.getCrypto()!;
    throw new Error(`the key backup never held the room keys (server backup ${JSON.stringify(await crypto.getKeyBackupInfo())}, active ${await crypto.getActiveSessionBackupVersion()})`);
  },
  async keys() {
    const c = need();
    const crypto = c.getCrypto()!;
    const keys = await crypto.getOwnDeviceKeys();
    return { deviceId: c.getDeviceId(), ed25519: keys.ed25519, curve25519: keys.curve25519 };
  },
  async deviceOf(input) {
    const c = need();
    const devices = await c.getCrypto()!.getUserDeviceInfo([String(input.userId)], true);
    return [...(devices.get(String(input.userId))?.values() ?? [])].map((d) => ({ deviceId: d.deviceId, ed25519: d.getFingerprint() }));
  },
  async requestVerification(input) {
    const request = track(await need().getCrypto()!.requestDeviceVerification(String(input.userId), String(input.deviceId)));
    return { flowId: request.transactionId };
  },
  async incomingVerification() {
    const request = await until('a verification request', () => incoming.shift());
    return { flowId: request.transactionId, otherDeviceId: request.otherDeviceId ?? null };
  },
  async acceptVerification(input) {
    await requestOf(input).accept();
    return {};
  },
  async startSas(input) {
    const request = requestOf(input);
    await until('the request to be ready', () => request.phase === VerificationPhase.Ready).catch((error: unknown) => {
      throw new Error(`${String(error)} (its phase is ${request.phase}, cancelled with ${request.cancellationCode ?? 'nothing'})`);
    });
    await request.startVerification('m.sas.v1');
    return {};
  },
  async sasEmoji(input) {
    const shown = await until('the emoji', () => sasShown.get(String(input.flowId)));
    return { emoji: shown.sas.emoji ?? [] };
  },
  async confirmSas(input) {
    const shown = await until('the emoji', () => sasShown.get(String(input.flowId)));
    if (input.match === true) await shown.confirm();
    else shown.mismatch();
    return {};
  },
  async cancelVerification(input) {
    await requestOf(input).cancel();
    return {};
  },
  async waitVerification(input) {
    const request = requestOf(input);
    const phase = input.phase === 'cancelled' ? VerificationPhase.Cancelled : VerificationPhase.Done;
    await until(`the verification to be ${String(input.phase)} (now ${request.phase})`, () => request.phase === phase);
    return { phase: request.phase, cancelCode: request.cancellationCode ?? null };
  },
  async deviceVerified(input) {
    const status = await need().getCrypto()!.getDeviceVerificationStatus(String(input.userId), String(input.deviceId));
    return { verified: status?.isVerified() ?? false, local: status?.localVerified ?? false };
  },
  /** Raw bytes to the media repository (application/octet-stream, no name), as an encrypted upload. */
  async upload(input) {
    const c = need();
    const { content_uri } = await c.uploadContent(new Uint8Array(Buffer.from(String(input.data), 'base64')), { type: 'application/octet-stream', includeFilename: false });
    return { url: content_uri };
  },
  /** A file or image sent as Element sends one in an encrypted room: encrypted here, with its own code. */
  async sendEncryptedFile(input) {
    const c = need();
    const roomId = String(input.roomId);
    await roomReady(c, roomId);
    const plain = Buffer.from(String(input.data), 'base64');
    const sealed = peerEncrypt(plain);
    const { content_uri } = await c.uploadContent(new Uint8Array(sealed.ciphertext), { type: 'application/octet-stream', includeFilename: false });
    const content = { msgtype: String(input.msgtype ?? 'm.file'), body: String(input.name), filename: String(input.name), file: sealed.file(content_uri), info: { mimetype: String(input.mimetype), size: plain.length, ...((input.info as object | undefined) ?? {}) } };
    const { event_id } = await c.sendEvent(roomId, 'm.room.message' as never, content as never);
    return { eventId: event_id, url: content_uri, file: content.file, ciphertextSha256: sha256Hex(sealed.ciphertext) };
  },
  /** Downloads (authenticated media) and decrypts a file Plenary sent, with the peer's own code. */
  async openEncryptedFile(input) {
    const c = need();
    const event = await waitFor({ roomId: String(input.roomId), body: String(input.body) });
    const content = event.content as { file?: PeerEncryptedFile; url?: string; info?: { thumbnail_file?: PeerEncryptedFile } };
    if (!content.file) throw new Error(`the message names no encrypted file: ${JSON.stringify(content)}`);
    const fetchPlain = async (file: PeerEncryptedFile) => {
      const [server, mediaId] = file.url.slice('mxc://'.length).split('/');
      const response = await fetch(`${c.baseUrl}/_matrix/client/v1/media/download/${encodeURIComponent(server!)}/${mediaId}`, { headers: { Authorization: `Bearer ${c.getAccessToken()}` } });
      if (!response.ok) throw new Error(`download answered ${response.status}`);
      const ciphertext = Buffer.from(await response.arrayBuffer());
      return { ciphertext, plain: peerDecrypt(ciphertext, file) };
    };
    const main = await fetchPlain(content.file);
    const thumb = content.info?.thumbnail_file ? await fetchPlain(content.info.thumbnail_file) : null;
    return {
      eventId: event.eventId,
      encrypted: event.encrypted,
      content,
      sha256: sha256Hex(main.plain),
      ciphertext: main.ciphertext.toString('base64'),
      thumbnail: thumb ? { sha256: sha256Hex(thumb.plain), head: thumb.plain.subarray(0, 8).toString('hex') } : null,
    };
  },
  async stop() {
    client?.stopClient();
    setTimeout(() => process.exit(0), 50);
    return {};
  },
};

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  let message: { id: number; cmd: string; input?: Record<string, unknown> };
  try {
    message = JSON.parse(line) as typeof message;
  } catch {
    return;
  }
  const run = commands[message.cmd];
  void (run ? run(message.input ?? {}) : Promise.reject(new Error(`unknown command ${message.cmd}`))).then(
    (value) => process.stdout.write(JSON.stringify({ id: message.id, ok: true, value }) + '\n'),
    (error: unknown) => process.stdout.write(JSON.stringify({ id: message.id, ok: false, error: error instanceof Error ? `${error.message}\n${error.stack}` : String(error) }) + '\n'),
  );
});
lines.on('close', () => process.exit(0));
