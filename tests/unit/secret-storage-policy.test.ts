// Whether the desktop app may write secrets to disk encrypted, or keeps them in memory for
// the run: every platform, every backend safeStorage can report, and encryption missing.
import { describe, expect, it } from 'vitest';
import { secretStorageDecision } from '../../main/core/policy/secret-storage-policy';

describe('secret storage policy', () => {
  it('trusts the macOS Keychain and Windows DPAPI when encryption is available', () => {
    expect(secretStorageDecision({ platform: 'darwin', encryptionAvailable: true, backend: null })).toEqual({ mode: 'encrypted' });
    expect(secretStorageDecision({ platform: 'win32', encryptionAvailable: true, backend: null })).toEqual({ mode: 'encrypted' });
  });

  it('keeps secrets in memory on any platform when encryption is unavailable', () => {
    for (const platform of ['darwin', 'win32', 'linux']) {
      expect(secretStorageDecision({ platform, encryptionAvailable: false, backend: platform === 'linux' ? 'gnome_libsecret' : null })).toEqual({
        mode: 'memory',
        reason: 'encryption-unavailable',
      });
    }
  });

  it('trusts a real Linux keyring: libsecret and every KWallet', () => {
    for (const backend of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']) {
      expect(secretStorageDecision({ platform: 'linux', encryptionAvailable: true, backend })).toEqual({ mode: 'encrypted' });
    }
  });

  it('refuses the basic_text fallback, whose key is hard-coded', () => {
    expect(secretStorageDecision({ platform: 'linux', encryptionAvailable: true, backend: 'basic_text' })).toEqual({ mode: 'memory', reason: 'basic-text' });
  });

  it('refuses an unknown backend (asked before ready), one it could not ask, and one a later Electron adds', () => {
    expect(secretStorageDecision({ platform: 'linux', encryptionAvailable: true, backend: 'unknown' })).toEqual({ mode: 'memory', reason: 'unknown-backend' });
    expect(secretStorageDecision({ platform: 'linux', encryptionAvailable: true, backend: null })).toEqual({ mode: 'memory', reason: 'unknown-backend' });
    expect(secretStorageDecision({ platform: 'linux', encryptionAvailable: true, backend: 'kwallet7' })).toEqual({ mode: 'memory', reason: 'unknown-backend' });
  });

  it('treats other Unixes like Linux: without a known keyring, memory', () => {
    expect(secretStorageDecision({ platform: 'freebsd', encryptionAvailable: true, backend: null })).toEqual({ mode: 'memory', reason: 'unknown-backend' });
    expect(secretStorageDecision({ platform: 'freebsd', encryptionAvailable: true, backend: 'gnome_libsecret' })).toEqual({ mode: 'encrypted' });
  });
});
