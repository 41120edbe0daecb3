// Restoring room keys from the member's key backup with their recovery key, as Element's
// "Restore from backup": the recovery key opens secret storage (SSSS, the account data
// Element writes), which holds the backup's decryption key (m.megolm_backup.v1); with it the
// backed-up room keys are downloaded and imported, so messages sent before this device
// existed become readable. The recovery key is used once and never stored; the backup key
// is kept in the (encrypted) crypto store, as Element does.
import { decodeRecoveryKey } from 'matrix-js-sdk/lib/crypto-api/recovery-key.js';
import { calculateKeyCheck } from 'matrix-js-sdk/lib/secret-storage.js';
import decryptAESSecretStorageItem from 'matrix-js-sdk/lib/utils/decryptAESSecretStorageItem.js';
import { PlenaryError } from '../../../shared/errors';
import { MatrixHttpError } from '../matrix/matrix-connection';
import { seg } from '../matrix/matrix-http';

type Requester = <T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, options?: { body?: unknown; query?: Record<string, string> }) => Promise<T>;

const backupSecret = 'm.megolm_backup.v1';

function refused(message: string, reason: string): PlenaryError {
  return new PlenaryError('invalid_input', message, { field: 'recoveryKey', params: { reason } });
}

async function accountData<T>(request: Requester, userId: string, type: string): Promise<T | null> {
  try {
    return await request<T>('GET', `/_matrix/client/v3/user/${seg(userId)}/account_data/${seg(type)}`);
  } catch (error) {
    if (error instanceof MatrixHttpError && error.status === 404) return null;
    throw error;
  }
}

/** The backup decryption key (base64) that the recovery key opens in the account's secret storage. */
export async function backupKeyFromRecoveryKey(request: Requester, userId: string, recoveryKey: string): Promise<string> {
  let key: Uint8Array<ArrayBuffer>;
  try {
    key = new Uint8Array(decodeRecoveryKey(recoveryKey.trim()));
  } catch {
    throw refused('That is not a recovery key: check it was copied whole (48 characters in groups of four, as Element shows it)', 'malformed');
  }
  const defaultKey = await accountData<{ key?: unknown }>(request, userId, 'm.secret_storage.default_key');
  const keyId = typeof defaultKey?.key === 'string' ? defaultKey.key : null;
  if (!keyId) throw refused('This account has no secure backup set up (set it up in Element first)', 'no_backup');
  const info = await accountData<{ iv?: string; mac?: string }>(request, userId, `m.secret_storage.key.${keyId}`);
  if (info?.iv && info.mac) {
    const check = await calculateKeyCheck(key, info.iv);
    if (check.mac.replace(/=+$/, '') !== info.mac.replace(/=+$/, '')) throw refused('That recovery key does not open this account’s secure backup', 'wrong_key');
  }
  const stored = await accountData<{ encrypted?: Record<string, { iv: string; ciphertext: string; mac: string }> }>(request, userId, backupSecret);
  const item = stored?.encrypted?.[keyId];
  if (!item) throw refused('The secure backup holds no key backup (set it up in Element first)', 'no_backup');
  try {
    return await decryptAESSecretStorageItem(item, key, backupSecret);
  } catch {
    throw refused('That recovery key does not open this account’s secure backup', 'wrong_key');
  }
}
