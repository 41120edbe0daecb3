// Setting up secure backup from Plenary, as Element does for a member who has none:
// a new recovery key (a random secret storage key, shown once in the spec's encoding),
// secret storage (m.secret_storage.default_key and the key's description) holding the
// cross-signing private keys and the key backup's decryption key, and a new server-side
// key backup (m.megolm_backup.v1.curve25519-aes-sha2) signed by this device and the
// member's master key, into which this device then uploads its room keys.
//
// Order, so that a failure half-way leaves the account as usable as before: the backup
// version is created first (a new one is harmless until something points at it), then the
// secrets are stored under the new key id, then the key's description, and only last the
// default key that makes it the account's secret storage. A reset deletes the replaced
// backup version at the very end.
import * as Rust from '@matrix-org/matrix-sdk-crypto-wasm';
import { randomBytes } from 'node:crypto';
import { decodeRecoveryKey, encodeRecoveryKey } from 'matrix-js-sdk/lib/crypto-api/recovery-key.js';
import { PlenaryError } from '../../../shared/errors';
import type { SecureBackupView } from '../../../shared/contract/trust';
import { MatrixHttpError } from '../matrix/matrix-connection';
import { seg } from '../matrix/matrix-http';
import { bootstrapCrossSigning, type CrossSigningHost } from './cross-signing';
import { describeKey, encryptSecret, newKeyId } from './secret-storage';

type Requester = <T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, options?: { body?: unknown; query?: Record<string, string> }) => Promise<T>;

export const backupAlgorithm = 'm.megolm_backup.v1.curve25519-aes-sha2';
export const backupSecretName = 'm.megolm_backup.v1';
const crossSigningSecrets = { master: 'm.cross_signing.master', selfSigning: 'm.cross_signing.self_signing', userSigning: 'm.cross_signing.user_signing' } as const;

export interface SecureBackupHost extends CrossSigningHost {
  /** Keeps the backup's key in the store and starts uploading room keys into that version. */
  useBackup(key: Rust.BackupDecryptionKey, version: string): Promise<void>;
}

function refused(message: string, reason: string, field?: string): PlenaryError {
  return new PlenaryError('invalid_input', message, { ...(field ? { field } : {}), params: { reason } });
}

async function accountData<T>(request: Requester, userId: string, type: string): Promise<T | null> {
  try {
    return await request<T>('GET', `/_matrix/client/v3/user/${seg(userId)}/account_data/${seg(type)}`);
  } catch (error) {
    if (error instanceof MatrixHttpError && error.status === 404) return null;
    throw error;
  }
}

async function currentBackup(request: Requester): Promise<{ version: string; algorithm: string; auth_data?: { public_key?: string } } | null> {
  try {
    return await request('GET', '/_matrix/client/v3/room_keys/version');
  } catch (error) {
    if (error instanceof MatrixHttpError && error.status === 404) return null;
    throw error;
  }
}

/** A fresh recovery key in the spec's encoding (48 base58 characters in groups of four). */
export function newRecoveryKey(): string {
  const encoded = encodeRecoveryKey(randomBytes(32));
  if (!encoded) throw new Error('the recovery key could not be encoded');
  return encoded;
}

export async function secureBackupView(host: CrossSigningHost): Promise<SecureBackupView> {
  const backup = await currentBackup(host.request);
  const defaultKey = await accountData<{ key?: unknown }>(host.request, host.userId, 'm.secret_storage.default_key');
  const status = await host.machine.crossSigningStatus();
  const keys = await host.machine.getBackupKeys();
  const enabled = await host.machine.isBackupEnabled();
  return {
    serverBackup: backup ? { version: backup.version } : null,
    secretStorage: typeof defaultKey?.key === 'string' && defaultKey.key !== '',
    backingUpHere: backup !== null && enabled && keys.backupVersion === backup.version,
    crossSigningReady: status.hasMaster && status.hasSelfSigning && status.hasUserSigning,
  };
}

/** The object the server keeps as the backup's auth_data, signed by this device (and the master key once cross-signing is here). */
export async function signedAuthData(machine: Rust.OlmMachine, publicKey: string): Promise<{ public_key: string; signatures: Record<string, Record<string, string>> }> {
  // Canonical JSON of a one-member object is its plain JSON.
  const signatures = await machine.sign(JSON.stringify({ public_key: publicKey }));
  return { public_key: publicKey, signatures: JSON.parse(signatures.asJSON()) as Record<string, Record<string, string>> };
}

export interface SetUpInput {
  recoveryKey: string;
  reset: boolean;
  password?: string | undefined;
}

export async function setUpSecureBackup(host: SecureBackupHost, input: SetUpInput): Promise<SecureBackupView> {
  let secretKey: Uint8Array;
  try {
    secretKey = new Uint8Array(decodeRecoveryKey(input.recoveryKey.trim()));
  } catch {
    throw refused('That is not a recovery key: use the one Plenary just showed, whole', 'malformed', 'recoveryKey');
  }
  const previous = await currentBackup(host.request);
  if (previous && !input.reset) {
    throw refused('This account already has a key backup: restore from it with its recovery key, or reset the recovery key', 'backup_exists');
  }
  // The cross-signing keys go into secret storage, so this device must hold them.
  let status = await host.machine.crossSigningStatus();
  if (!(status.hasMaster && status.hasSelfSigning && status.hasUserSigning)) {
    // Made on another session: making new ones would undo every verification of the member,
    // which only an explicit reset may do.
    await host.send(host.machine.queryKeysForUsers([new Rust.UserId(host.userId)]));
    const identity = await host.machine.getIdentity(new Rust.UserId(host.userId));
    // Freed at once: it holds the store open (see cross-signing.ts).
    identity?.free();
    if (!input.reset && identity) {
      throw refused('Your cross-signing keys were made on another session: set up secure backup there, or reset the recovery key to replace them', 'identity_elsewhere');
    }
    await bootstrapCrossSigning(host, input.password ?? '');
    status = await host.machine.crossSigningStatus();
    if (!(status.hasMaster && status.hasSelfSigning && status.hasUserSigning)) throw new Error('cross-signing keys are missing after setting them up');
  }
  const exported = await host.machine.exportCrossSigningKeys();
  if (!exported?.masterKey || !exported.self_signing_key || !exported.userSigningKey) throw new Error('the cross-signing keys could not be exported');

  const backupKey = Rust.BackupDecryptionKey.createRandomKey();
  const publicKey = backupKey.megolmV1PublicKey.publicKeyBase64;
  const authData = await signedAuthData(host.machine, publicKey);
  const { version } = await host.request<{ version: string }>('POST', '/_matrix/client/v3/room_keys/version', { body: { algorithm: backupAlgorithm, auth_data: authData } });

  const keyId = newKeyId();
  const secrets: [string, string][] = [
    [backupSecretName, backupKey.toBase64()],
    [crossSigningSecrets.master, exported.masterKey],
    [crossSigningSecrets.selfSigning, exported.self_signing_key],
    [crossSigningSecrets.userSigning, exported.userSigningKey],
  ];
  for (const [name, value] of secrets) {
    // Only under the new key: the old recovery key (if any) no longer opens anything current.
    const body = { encrypted: { [keyId]: encryptSecret(value, secretKey, name) } };
    await host.request('PUT', `/_matrix/client/v3/user/${seg(host.userId)}/account_data/${seg(name)}`, { body });
  }
  await host.request('PUT', `/_matrix/client/v3/user/${seg(host.userId)}/account_data/${seg(`m.secret_storage.key.${keyId}`)}`, { body: describeKey(secretKey) });
  await host.request('PUT', `/_matrix/client/v3/user/${seg(host.userId)}/account_data/m.secret_storage.default_key`, { body: { key: keyId } });

  await host.useBackup(backupKey, version);
  if (previous && previous.version !== version) {
    try {
      await host.request('DELETE', `/_matrix/client/v3/room_keys/version/${seg(previous.version)}`);
    } catch (error) {
      if (!(error instanceof MatrixHttpError) || error.status !== 404) throw error;
    }
  }
  return secureBackupView(host);
}
