// Secret storage (SSSS) as the Matrix specification defines it (m.secret_storage.v1.aes-hmac-sha2):
// each secret is encrypted with AES-256-CTR and authenticated with HMAC-SHA-256, both keys
// derived from the member's recovery key by HKDF-SHA-256 (32 zero bytes of salt, the
// secret's name as info). The key's description carries a check (32 zero bytes encrypted
// under the name "") so a client can tell a wrong recovery key from a right one. Element
// reads what this writes; this reads what Element writes (tests check both ways).
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

export const secretStorageAlgorithm = 'm.secret_storage.v1.aes-hmac-sha2';

export interface EncryptedSecret {
  iv: string;
  ciphertext: string;
  mac: string;
}

export interface SecretStorageKeyDescription {
  algorithm: typeof secretStorageAlgorithm;
  iv: string;
  mac: string;
  name?: string;
}

function derive(key: Uint8Array, name: string): { aes: Buffer; hmac: Buffer } {
  const bytes = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(32), Buffer.from(name, 'utf8'), 64));
  return { aes: bytes.subarray(0, 32), hmac: bytes.subarray(32, 64) };
}

/** Encrypts one secret under a secret storage key (32 bytes). `iv` is for tests only. */
export function encryptSecret(plaintext: string, key: Uint8Array, name: string, iv?: Uint8Array): EncryptedSecret {
  if (key.length !== 32) throw new Error('a secret storage key is 32 bytes');
  const ivBytes = Buffer.from(iv ?? randomBytes(16));
  // A new iv has bit 63 cleared (as the specification asks, so the counter cannot wrap).
  if (!iv) ivBytes[8] = ivBytes[8]! & 0x7f;
  const { aes, hmac } = derive(key, name);
  const cipher = createCipheriv('aes-256-ctr', aes, ivBytes);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const mac = createHmac('sha256', hmac).update(ciphertext).digest();
  return { iv: ivBytes.toString('base64'), ciphertext: ciphertext.toString('base64'), mac: mac.toString('base64') };
}

/** Decrypts one secret; throws when the key (or the name) is not the one it was stored with. */
export function decryptSecret(item: EncryptedSecret, key: Uint8Array, name: string): string {
  const { aes, hmac } = derive(key, name);
  const ciphertext = Buffer.from(item.ciphertext, 'base64');
  const expected = createHmac('sha256', hmac).update(ciphertext).digest();
  const given = Buffer.from(item.mac, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error('bad MAC: another key or another secret');
  const decipher = createDecipheriv('aes-256-ctr', aes, Buffer.from(item.iv, 'base64'));
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
}

/** The description of a new secret storage key, with its check (iv and mac of 32 zero bytes). */
export function describeKey(key: Uint8Array, iv?: Uint8Array): SecretStorageKeyDescription {
  const { iv: checkIv, mac } = encryptSecret('\0'.repeat(32), key, '', iv);
  return { algorithm: secretStorageAlgorithm, iv: checkIv, mac };
}

/** Whether a recovery key opens a key description (its check matches). */
export function keyMatches(key: Uint8Array, description: { iv?: unknown; mac?: unknown }): boolean {
  if (typeof description.iv !== 'string' || typeof description.mac !== 'string') return true;
  const check = encryptSecret('\0'.repeat(32), key, '', Buffer.from(description.iv, 'base64'));
  return check.mac.replace(/=+$/, '') === description.mac.replace(/=+$/, '');
}

/** A new key id as Element makes them (random, URL-safe). */
export function newKeyId(): string {
  return randomBytes(24).toString('base64url');
}
