// Whether the desktop app may keep secrets (the Matrix access token, a BBB secret) on disk,
// encrypted by the system keychain through Electron safeStorage, or must keep them in
// memory for this run only.
//
// On Linux, safeStorage silently falls back to the `basic_text` backend when it finds no
// keyring (libsecret or KWallet): "encrypted" then means encrypted with a password
// hard-coded in Chromium, which is plaintext in all but name. `unknown` is what it reports
// before the app is ready. In both cases, and whenever encryption is unavailable, nothing is
// written: the member stays signed in until Plenary quits and signs in again next start.
// Only backends known to be a real keychain are trusted, so a backend added by a later
// Electron stays in memory until someone has looked at it.

/** What `safeStorage.getSelectedStorageBackend()` returns (Linux only). */
export type SafeStorageBackend = 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown';

export interface SecretStorageFacts {
  /** `process.platform`. */
  platform: string;
  /** `safeStorage.isEncryptionAvailable()`. */
  encryptionAvailable: boolean;
  /** `safeStorage.getSelectedStorageBackend()` on Linux; null where it cannot be asked (the call is Linux only). */
  backend: SafeStorageBackend | string | null;
}

export type MemoryOnlyReason = 'encryption-unavailable' | 'basic-text' | 'unknown-backend';

export type SecretStorageDecision = { mode: 'encrypted' } | { mode: 'memory'; reason: MemoryOnlyReason };

const keychainBackends: ReadonlySet<string> = new Set<SafeStorageBackend>(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);

export function secretStorageDecision(facts: SecretStorageFacts): SecretStorageDecision {
  if (!facts.encryptionAvailable) return { mode: 'memory', reason: 'encryption-unavailable' };
  // macOS (Keychain) and Windows (DPAPI) have no weaker fallback: available means encrypted.
  // Linux (and any other Unix Electron may run on) has one, so the backend must be a keychain.
  if (facts.platform === 'darwin' || facts.platform === 'win32') return { mode: 'encrypted' };
  if (facts.backend === 'basic_text') return { mode: 'memory', reason: 'basic-text' };
  if (facts.backend !== null && keychainBackends.has(facts.backend)) return { mode: 'encrypted' };
  return { mode: 'memory', reason: 'unknown-backend' };
}
