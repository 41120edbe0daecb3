// The bytes of files in end-to-end encrypted rooms (Matrix spec, "Sending encrypted
// attachments"): AES-CTR-256 with a fresh random 256-bit key and a 128-bit IV whose low 64 bits
// (the counter) start at zero, and the SHA-256 of the ciphertext, which is what the server
// keeps. Decryption checks that SHA-256 first: bytes the server changed are never decrypted,
// shown or saved. Node's WebCrypto (AES-CTR with a 64-bit counter, as Element's) does the work.
import { createHash, randomBytes, timingSafeEqual, webcrypto } from 'node:crypto';
import { PlenaryError } from '../../../shared/errors';
import { encryptedFileJson, type EncryptedFileRef } from '../../../shared/chat/encrypted-file';

const { subtle } = webcrypto;

export interface EncryptedAttachment {
  ciphertext: Buffer;
  /** Completes the EncryptedFile object once the server named the ciphertext's content URI. */
  file(url: string): Record<string, unknown>;
}

/** Encrypts a file (or thumbnail) for an encrypted room: the ciphertext to upload and its EncryptedFile. */
export async function encryptAttachment(plaintext: Uint8Array): Promise<EncryptedAttachment> {
  const key = randomBytes(32);
  const iv = Buffer.alloc(16);
  // The high 64 bits are the nonce; the low 64 bits the counter, starting at zero (v2).
  randomBytes(8).copy(iv, 0);
  const cryptoKey = await subtle.importKey('raw', key, { name: 'AES-CTR' }, false, ['encrypt']);
  const ciphertext = Buffer.from(await subtle.encrypt({ name: 'AES-CTR', counter: iv, length: 64 }, cryptoKey, plaintext));
  const sha256 = createHash('sha256').update(ciphertext).digest();
  return { ciphertext, file: (url) => encryptedFileJson({ url, key, iv, sha256 }) };
}

/** Base64 (standard or URL alphabet, padded or not) to bytes. */
function bytesOf(base64: string): Buffer {
  return Buffer.from(base64.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/**
 * The plaintext of an encrypted file's bytes, after checking they are those the message
 * describes (its SHA-256). A mismatch means the server (or someone on the way) changed them:
 * refused, nothing decrypted.
 */
export async function decryptAttachment(ciphertext: Uint8Array, file: EncryptedFileRef, what: string): Promise<Buffer> {
  const actual = createHash('sha256').update(ciphertext).digest();
  const expected = bytesOf(file.sha256);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    throw new PlenaryError('file_damaged', `${what}: the file was changed on the server — its bytes are not those the message's sender encrypted (SHA-256 mismatch); nothing was shown or saved`, {
      params: { reason: 'tampered' },
    });
  }
  const key = bytesOf(file.key);
  const iv = bytesOf(file.iv);
  if (key.length !== 32 || iv.length !== 16) {
    throw new PlenaryError('invalid_input', `${what}: the encrypted file's key or IV has the wrong length`, { params: { reason: 'bad_encrypted_file', problem: key.length !== 32 ? 'key' : 'iv' } });
  }
  const cryptoKey = await subtle.importKey('raw', key, { name: 'AES-CTR' }, false, ['decrypt']);
  // v2 and v1 alike: a 64-bit counter (as Element's decryptAttachment).
  return Buffer.from(await subtle.decrypt({ name: 'AES-CTR', counter: iv, length: 64 }, cryptoKey, ciphertext));
}
