// Files and images in end-to-end encrypted rooms: the Matrix spec's EncryptedFile (client-server
// API, "Sending encrypted attachments"). The file is encrypted with AES-CTR-256 under a random
// key, uploaded as ciphertext, and the event (itself Megolm-encrypted) carries `file` — the
// content URI, the key as a JWK, the IV and the ciphertext's SHA-256 — instead of `url`.
//
// This module only reads and checks the object; the bytes are encrypted and decrypted in main
// (main/core/chat/encrypted-attachment.ts). Version "v2" is what the spec and Element send
// today; "v1" (Element's older files, a 64-bit counter as well) is accepted as Element accepts
// it. Anything else — another algorithm, a key that is not 256 bits, an IV that is not 128
// bits, no SHA-256 — is refused with the reason, and nothing is fetched for it.
import { parseMxc } from './media';

export type EncryptedFileProblem = 'not_object' | 'url' | 'version' | 'algorithm' | 'key' | 'iv' | 'hash';

export interface EncryptedFileRef {
  /** The ciphertext's content URI (mxc://). */
  url: string;
  /** "v2" (or Element's older "v1"): both decrypt with a 64-bit counter. */
  version: 'v1' | 'v2';
  /** The JWK's `k`: the 256-bit AES key, base64url. */
  key: string;
  /** The 128-bit IV, base64 (padded or not). */
  iv: string;
  /** The SHA-256 of the ciphertext, base64 (padded or not). */
  sha256: string;
}

export type EncryptedFileCheck = { ok: true; file: EncryptedFileRef } | { ok: false; problem: EncryptedFileProblem; detail: string };

// Exact lengths: 32 bytes are 43 base64 characters unpadded (44 with "="), 16 bytes 22 (24 with "==").
const key256 = /^[A-Za-z0-9_-]{43}=?$/;
const iv128 = /^[A-Za-z0-9+/]{21}[AQgw](==)?$/;
const sha256Base64 = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=?$/;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function refuse(problem: EncryptedFileProblem, detail: string): EncryptedFileCheck {
  return { ok: false, problem, detail };
}

/** Checks an EncryptedFile object (an event's `file` or `info.thumbnail_file`). */
export function checkEncryptedFile(value: unknown): EncryptedFileCheck {
  if (!isObject(value)) return refuse('not_object', 'the encrypted file description is not an object');
  const url = value.url;
  if (typeof url !== 'string' || !parseMxc(url)) return refuse('url', 'the encrypted file has no valid content URI (mxc://server/id)');
  const version = value.v;
  if (version !== 'v2' && version !== 'v1') {
    return refuse('version', `the encrypted file is of version ${typeof version === 'string' ? `"${version.slice(0, 20)}"` : 'none'}; Plenary reads versions v2 and v1`);
  }
  const key = value.key;
  if (!isObject(key)) return refuse('key', 'the encrypted file has no key');
  if (key.alg !== 'A256CTR' || (key.kty !== undefined && key.kty !== 'oct')) {
    return refuse('algorithm', `the file is encrypted with ${typeof key.alg === 'string' ? `"${key.alg.slice(0, 20)}"` : 'no named algorithm'}; Matrix files use AES-CTR-256 (A256CTR)`);
  }
  if (typeof key.k !== 'string' || !key256.test(key.k)) return refuse('key', 'the encrypted file’s key is not a 256-bit key');
  if (Array.isArray(key.key_ops) && !key.key_ops.includes('decrypt')) return refuse('key', 'the encrypted file’s key may not be used to decrypt (key_ops)');
  if (typeof value.iv !== 'string' || !iv128.test(value.iv)) return refuse('iv', 'the encrypted file’s IV is not 128 bits');
  const hashes = value.hashes;
  const sha256 = isObject(hashes) ? hashes.sha256 : undefined;
  if (typeof sha256 !== 'string') return refuse('hash', 'the encrypted file names no SHA-256 of its content, so it cannot be checked');
  if (!sha256Base64.test(sha256)) return refuse('hash', 'the encrypted file’s SHA-256 is not 32 bytes of base64');
  return { ok: true, file: { url, version, key: key.k.replace(/=+$/, ''), iv: value.iv, sha256: sha256.replace(/=+$/, '') } };
}

/** The EncryptedFile of a message's file (`file`) or thumbnail (`info.thumbnail_file`); null when the message names none. */
export function encryptedFileOf(content: Record<string, unknown>, which: 'file' | 'thumbnail'): EncryptedFileCheck | null {
  if (which === 'file') return 'file' in content && content.file !== undefined ? checkEncryptedFile(content.file) : null;
  const info = isObject(content.info) ? content.info : null;
  return info && info.thumbnail_file !== undefined ? checkEncryptedFile(info.thumbnail_file) : null;
}

/** Unpadded base64 (the spec's encoding for iv and hashes). */
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
export function unpaddedBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, bytes.length - i + 1);
    for (let c = 0; c < chars; c++) out += alphabet[(n >> (18 - 6 * c)) & 63];
  }
  return out;
}

/** Base64url without padding (the JWK's `k`). */
export function base64Url(bytes: Uint8Array): string {
  return unpaddedBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_');
}

/** The EncryptedFile object Plenary sends (v2, the key usable to encrypt and decrypt, as the spec says). */
export function encryptedFileJson(input: { url: string; key: Uint8Array; iv: Uint8Array; sha256: Uint8Array }): Record<string, unknown> {
  return {
    url: input.url,
    key: { kty: 'oct', key_ops: ['encrypt', 'decrypt'], alg: 'A256CTR', k: base64Url(input.key), ext: true },
    iv: unpaddedBase64(input.iv),
    hashes: { sha256: unpaddedBase64(input.sha256) },
    v: 'v2',
  };
}
