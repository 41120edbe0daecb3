// Secret storage written by Plenary is read by matrix-js-sdk (as Element reads it), and
// what matrix-js-sdk writes is read by Plenary; a wrong key or name is refused.
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { calculateKeyCheck } from 'matrix-js-sdk/lib/secret-storage.js';
import decryptAESSecretStorageItem from 'matrix-js-sdk/lib/utils/decryptAESSecretStorageItem.js';
import encryptAESSecretStorageItem from 'matrix-js-sdk/lib/utils/encryptAESSecretStorageItem.js';
import { decodeRecoveryKey } from 'matrix-js-sdk/lib/crypto-api/recovery-key.js';
import { decryptSecret, describeKey, encryptSecret, keyMatches, newKeyId, secretStorageAlgorithm } from '../../main/core/crypto/secret-storage';
import { newRecoveryKey } from '../../main/core/crypto/secure-backup';

describe('secret storage (m.secret_storage.v1.aes-hmac-sha2)', () => {
  it('writes secrets matrix-js-sdk reads, and reads what it writes', async () => {
    const key = new Uint8Array(randomBytes(32));
    const item = encryptSecret('the backup key', key, 'm.megolm_backup.v1');
    expect(await decryptAESSecretStorageItem(item, key, 'm.megolm_backup.v1')).toBe('the backup key');
    const theirs = await encryptAESSecretStorageItem('a cross-signing seed', key, 'm.cross_signing.master');
    expect(decryptSecret(theirs, key, 'm.cross_signing.master')).toBe('a cross-signing seed');
  });

  it('clears bit 63 of a new iv, as the specification asks', () => {
    for (let i = 0; i < 20; i++) {
      const iv = Buffer.from(encryptSecret('x', new Uint8Array(32), 'n').iv, 'base64');
      expect(iv.length).toBe(16);
      expect(iv[8]! & 0x80).toBe(0);
    }
  });

  it('refuses another key or another secret’s name', () => {
    const key = new Uint8Array(randomBytes(32));
    const item = encryptSecret('secret', key, 'm.megolm_backup.v1');
    expect(() => decryptSecret(item, new Uint8Array(randomBytes(32)), 'm.megolm_backup.v1')).toThrow(/MAC/);
    expect(() => decryptSecret(item, key, 'm.cross_signing.master')).toThrow(/MAC/);
    expect(() => encryptSecret('x', new Uint8Array(16), 'n')).toThrow(/32 bytes/);
  });

  it('describes a key with the check matrix-js-sdk computes', async () => {
    const key = new Uint8Array(randomBytes(32));
    const description = describeKey(key);
    expect(description.algorithm).toBe(secretStorageAlgorithm);
    const check = await calculateKeyCheck(key, description.iv);
    expect(check.mac.replace(/=+$/, '')).toBe(description.mac.replace(/=+$/, ''));
    expect(keyMatches(key, description)).toBe(true);
    expect(keyMatches(new Uint8Array(randomBytes(32)), description)).toBe(false);
    expect(newKeyId()).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('makes recovery keys in the spec’s encoding, each new', () => {
    const a = newRecoveryKey();
    expect(a).toMatch(/^([1-9A-HJ-NP-Za-km-z]{4} ){11}[1-9A-HJ-NP-Za-km-z]{4}$/);
    expect(decodeRecoveryKey(a)).toHaveLength(32);
    expect(newRecoveryKey()).not.toBe(a);
  });
});
