// The Element-like peer's own encrypted attachments (Matrix spec, "Sending encrypted
// attachments"), written with node:crypto alone and sharing no code with main/: AES-256-CTR with
// a random key and an IV whose low 64 bits are zero, the SHA-256 of the ciphertext, the key as
// a JWK — what matrix-encrypt-attachment does in Element Web.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export interface PeerEncryptedFile {
  url: string;
  key: { kty: 'oct'; key_ops: string[]; alg: 'A256CTR'; k: string; ext: true };
  iv: string;
  hashes: { sha256: string };
  v: 'v2';
}

const unpadded = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');

export function peerEncrypt(plain: Buffer): { ciphertext: Buffer; file(url: string): PeerEncryptedFile } {
  const key = randomBytes(32);
  const iv = Buffer.concat([randomBytes(8), Buffer.alloc(8)]);
  const cipher = createCipheriv('aes-256-ctr', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  const sha256 = unpadded(createHash('sha256').update(ciphertext).digest());
  return {
    ciphertext,
    file: (url) => ({ url, key: { kty: 'oct', key_ops: ['encrypt', 'decrypt'], alg: 'A256CTR', k: key.toString('base64url'), ext: true }, iv: unpadded(iv), hashes: { sha256 }, v: 'v2' }),
  };
}

/** Checks the ciphertext's SHA-256, then decrypts (the counter never wraps in a test-sized file). */
export function peerDecrypt(ciphertext: Buffer, file: PeerEncryptedFile): Buffer {
  if (file.v !== 'v2' || file.key.alg !== 'A256CTR') throw new Error(`unexpected EncryptedFile ${JSON.stringify({ v: file.v, alg: file.key.alg })}`);
  const actual = unpadded(createHash('sha256').update(ciphertext).digest());
  if (actual !== file.hashes.sha256.replace(/=+$/, '')) throw new Error('the SHA-256 of the ciphertext does not match');
  const decipher = createDecipheriv('aes-256-ctr', Buffer.from(file.key.k, 'base64url'), Buffer.from(file.iv, 'base64'));
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
