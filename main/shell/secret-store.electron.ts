// Secrets for the desktop app: the secrets file (core/secrets/sealed-file-store.ts) with
// each value encrypted by Electron safeStorage (Keychain, DPAPI, libsecret or KWallet) —
// or, when this computer has no keychain safeStorage can really use (Linux's basic_text
// fallback, or no encryption at all), kept in memory until Plenary quits
// (core/policy/secret-storage-policy.ts). Build it after app 'ready': before, safeStorage
// reports no backend and the store would stay in memory.
import { safeStorage } from 'electron';
import { createLogger, type Logger } from '../core/log';
import { secretStorageDecision } from '../core/policy/secret-storage-policy';
import { SealedFileStore, type SealedFileStoreOptions, type Sealer } from '../core/secrets/sealed-file-store';

const safeStorageSealer: Sealer = {
  seal: (plain) => safeStorage.encryptString(plain).toString('base64'),
  unseal: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
};

export class ElectronSecretStore extends SealedFileStore {
  constructor(file: string, log: Logger = createLogger('secrets'), platform: string = process.platform) {
    super(storeOptions(file, log, platform));
  }
}

function storeOptions(file: string, log: Logger, platform: string): SealedFileStoreOptions {
  const encryptionAvailable = safeStorage.isEncryptionAvailable();
  const decision = secretStorageDecision({
    platform,
    encryptionAvailable,
    // Linux only (elsewhere Electron has no such call), and only worth asking when there is encryption.
    backend: platform === 'linux' && encryptionAvailable ? safeStorage.getSelectedStorageBackend() : null,
  });
  if (decision.mode === 'encrypted') return { file, log, persistence: 'encrypted', sealer: safeStorageSealer };
  log.warn('no usable keychain: secrets are kept in memory until Plenary quits', { reason: decision.reason });
  return { file, log, persistence: 'memory' };
}
