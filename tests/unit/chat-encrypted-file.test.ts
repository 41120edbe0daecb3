// Files in end-to-end encrypted rooms: the EncryptedFile object read and refused with its
// reason (shared/chat/encrypted-file.ts), and the bytes encrypted and decrypted in main
// (main/core/chat/encrypted-attachment.ts), checked against node:crypto's AES-256-CTR directly.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base64Url, checkEncryptedFile, encryptedFileJson, encryptedFileOf, unpaddedBase64 } from '../../shared/chat/encrypted-file';
import { mediaInfoOf } from '../../shared/chat/media';
import { decryptAttachment, encryptAttachment } from '../../main/core/chat/encrypted-attachment';
import { PlenaryError } from '../../shared/errors';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64').replace(/=+$/, '');
const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** An EncryptedFile as Element sends it. */
function elementFile(overrides: Record<string, unknown> = {}, keyOverrides: Record<string, unknown> = {}) {
  const key = randomBytes(32);
  const iv = Buffer.concat([randomBytes(8), Buffer.alloc(8)]);
  return {
    url: 'mxc://example.org/abcDEF123',
    key: { kty: 'oct', key_ops: ['encrypt', 'decrypt'], alg: 'A256CTR', k: b64url(key), ext: true, ...keyOverrides },
    iv: b64(iv),
    hashes: { sha256: b64(createHash('sha256').update('x').digest()) },
    v: 'v2',
    ...overrides,
  };
}

describe('reading an EncryptedFile', () => {
  it('accepts what Element sends (v2), and v1 as Element does', () => {
    const file = elementFile();
    expect(checkEncryptedFile(file)).toEqual({ ok: true, file: { url: file.url, version: 'v2', key: file.key.k, iv: file.iv, sha256: file.hashes.sha256 } });
    expect(checkEncryptedFile(elementFile({ v: 'v1' }))).toMatchObject({ ok: true, file: { version: 'v1' } });
    // Padded base64 is read too.
    expect(checkEncryptedFile(elementFile({ iv: `${elementFile().iv}==` }))).toMatchObject({ ok: true });
  });

  it.each([
    ['not an object', 'nope', 'not_object'],
    ['no content URI', elementFile({ url: undefined }), 'url'],
    ['an http URL', elementFile({ url: 'https://example.org/file' }), 'url'],
    ['no version (v0)', elementFile({ v: undefined }), 'version'],
    ['an unknown version', elementFile({ v: 'v3' }), 'version'],
    ['another algorithm', elementFile({}, { alg: 'A128CTR' }), 'algorithm'],
    ['another key type', elementFile({}, { kty: 'RSA' }), 'algorithm'],
    ['a 128-bit key', elementFile({}, { k: b64url(randomBytes(16)) }), 'key'],
    ['a key not for decrypting', elementFile({}, { key_ops: ['encrypt'] }), 'key'],
    ['no key', elementFile({ key: undefined }), 'key'],
    ['a 64-bit IV', elementFile({ iv: b64(randomBytes(8)) }), 'iv'],
    ['no hashes', elementFile({ hashes: undefined }), 'hash'],
    ['only another hash', elementFile({ hashes: { sha512: 'abc' } }), 'hash'],
    ['a short SHA-256', elementFile({ hashes: { sha256: b64(randomBytes(16)) } }), 'hash'],
  ])('refuses %s with its reason', (_what, value, problem) => {
    const check = checkEncryptedFile(value);
    expect(check).toMatchObject({ ok: false, problem });
    if (!check.ok) expect(check.detail.length).toBeGreaterThan(10);
  });

  it('finds a message’s file and thumbnail, and the timeline says an encrypted file is one', () => {
    const file = elementFile();
    const thumb = elementFile({ url: 'mxc://example.org/thumb' });
    const content = { msgtype: 'm.image', body: 'p.png', file, info: { mimetype: 'image/png', size: 10, w: 4, h: 3, thumbnail_file: thumb } };
    expect(encryptedFileOf(content, 'file')).toMatchObject({ ok: true, file: { url: file.url } });
    expect(encryptedFileOf(content, 'thumbnail')).toMatchObject({ ok: true, file: { url: 'mxc://example.org/thumb' } });
    expect(encryptedFileOf({ msgtype: 'm.file', url: 'mxc://a/b' }, 'file')).toBeNull();
    expect(mediaInfoOf(content)).toMatchObject({ msgtype: 'm.image', url: file.url, thumbnailUrl: 'mxc://example.org/thumb', encrypted: true, problem: null, width: 4 });
    expect(mediaInfoOf({ msgtype: 'm.file', body: 'x.pdf', file: elementFile({ v: 'v0' }) })).toMatchObject({ url: null, encrypted: true, problem: 'version' });
    expect(mediaInfoOf({ msgtype: 'm.file', body: 'x.pdf', url: 'mxc://a/b' })).toMatchObject({ url: 'mxc://a/b', encrypted: false, problem: null });
  });

  it('writes base64 as the spec does (unpadded; the key base64url)', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = randomBytes(n);
      expect(unpaddedBase64(bytes)).toBe(b64(bytes));
      expect(base64Url(bytes)).toBe(b64url(bytes));
    }
  });
});

describe('encrypting and decrypting the bytes', () => {
  it('encrypts as the spec says (v2, A256CTR, counter from zero, SHA-256 of the ciphertext), which plain AES-256-CTR decrypts', async () => {
    const plain = randomBytes(100_003);
    const sealed = await encryptAttachment(plain);
    expect(sealed.ciphertext.length).toBe(plain.length);
    expect(sealed.ciphertext.equals(plain)).toBe(false);
    const json = sealed.file('mxc://example.org/cipher') as ReturnType<typeof elementFile>;
    expect(json).toMatchObject({ url: 'mxc://example.org/cipher', v: 'v2', key: { kty: 'oct', alg: 'A256CTR', key_ops: ['encrypt', 'decrypt'], ext: true } });
    const iv = Buffer.from(json.iv, 'base64');
    expect(iv.subarray(8)).toEqual(Buffer.alloc(8));
    expect(json.hashes.sha256).toBe(b64(createHash('sha256').update(sealed.ciphertext).digest()));
    const key = Buffer.from(json.key.k, 'base64url');
    expect(key.length).toBe(32);
    const decipher = createDecipheriv('aes-256-ctr', key, iv);
    expect(Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).equals(plain)).toBe(true);
    // And main's own decryption, through the parsed object.
    const check = checkEncryptedFile(json);
    if (!check.ok) throw new Error(check.detail);
    expect((await decryptAttachment(sealed.ciphertext, check.file, 'test')).equals(plain)).toBe(true);
    // Two files never share a key or an IV.
    const other = (await encryptAttachment(plain)).file('mxc://example.org/c2') as ReturnType<typeof elementFile>;
    expect(other.key.k).not.toBe(json.key.k);
    expect(other.iv).not.toBe(json.iv);
  });

  it('decrypts what another implementation encrypted', async () => {
    const plain = randomBytes(5000);
    const key = randomBytes(32);
    const iv = Buffer.concat([randomBytes(8), Buffer.alloc(8)]);
    const cipher = createCipheriv('aes-256-ctr', key, iv);
    const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
    const json = encryptedFileJson({ url: 'mxc://a/b', key, iv, sha256: createHash('sha256').update(ciphertext).digest() });
    const check = checkEncryptedFile(json);
    if (!check.ok) throw new Error(check.detail);
    expect((await decryptAttachment(ciphertext, check.file, 'test')).equals(plain)).toBe(true);
  });

  it('refuses bytes whose SHA-256 is not the one the message names, before decrypting', async () => {
    const sealed = await encryptAttachment(Buffer.from('the real minutes'));
    const check = checkEncryptedFile(sealed.file('mxc://a/b'));
    if (!check.ok) throw new Error(check.detail);
    const changed = Buffer.from(sealed.ciphertext);
    changed[0] = changed[0]! ^ 1;
    const refused = await decryptAttachment(changed, check.file, 'The file could not be downloaded').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PlenaryError);
    expect(refused).toMatchObject({ code: 'file_damaged', params: { reason: 'tampered' } });
    expect((refused as Error).message).toMatch(/changed on the server/);
  });
});
