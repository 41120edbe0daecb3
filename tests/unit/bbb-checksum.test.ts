// BBB checksums: the worked example from the API docs (SHA-1) and vectors for the other
// three algorithms computed independently with Python's hashlib over the same string.
import { describe, expect, it } from 'vitest';
import { algorithmOfChecksum, bbbChecksum, encodeQuery, splitChecksum, verifyChecksum } from '../../main/core/meetings/bbb-checksum';
import { BbbClient } from '../../main/core/meetings/bbb-client';

const query = 'name=Test+Meeting&meetingID=abc123&attendeePW=111222&moderatorPW=333444';
const secret = '639259d4-9dd8-4b25-bf01-95f9567eaf4b';

const vectors = {
  // docs.bigbluebutton.org, development/api, "Usage" worked example.
  sha1: '1fcbb0c4fc1f039f73aa6d697d2db9ba7f803f17',
  sha256: 'da9185f7f333cfdfcd6eeac32dca3777510c4c436020d8b887ba5515bd1d189e',
  sha384: '891ac633df39d0a1b4f8d597f3e190833216c4b29c4fb51ea3ca72757eeb958d6e7b49a845cf29f5c6019c7d29d029d1',
  sha512: 'de73ad61d11a5c801b68d4bd6ec5248546085cefb0b25c85f3c46249ea93a3a4b120f92c0a8a58d7512cb77821884951a3b01245f3435dbbef49fff3cc3988b4',
} as const;

describe('BBB checksums', () => {
  it.each(Object.entries(vectors))('computes the %s vector', (algorithm, expected) => {
    expect(bbbChecksum('create', query, secret, algorithm as keyof typeof vectors)).toBe(expected);
  });

  it('encodes queries the way the docs example does (spaces as +)', () => {
    expect(encodeQuery([['name', 'Test Meeting'], ['meetingID', 'abc123'], ['attendeePW', '111222'], ['moderatorPW', '333444']])).toBe(query);
    expect(encodeQuery([['a', undefined], ['b', ''], ['c', 'x&y=z']])).toBe('c=x%26y%3Dz');
  });

  it('tells algorithms apart by length and verifies each', () => {
    for (const [algorithm, checksum] of Object.entries(vectors)) {
      expect(algorithmOfChecksum(checksum)).toBe(algorithm);
      expect(verifyChecksum('create', query, checksum, secret)).toBe(true);
      expect(verifyChecksum('create', query, checksum.toUpperCase(), secret)).toBe(true);
    }
    expect(algorithmOfChecksum('abc')).toBeNull();
    expect(algorithmOfChecksum('z'.repeat(40))).toBeNull();
  });

  it('rejects a wrong secret, call, query or a Scalelite-unsupported algorithm', () => {
    expect(verifyChecksum('create', query, vectors.sha1, 'other-secret')).toBe(false);
    expect(verifyChecksum('join', query, vectors.sha1, secret)).toBe(false);
    expect(verifyChecksum('create', `${query}&record=true`, vectors.sha1, secret)).toBe(false);
    expect(verifyChecksum('create', query, vectors.sha384, secret, ['sha1', 'sha256', 'sha512'])).toBe(false);
  });

  it('splits the checksum off a raw query without touching the rest', () => {
    expect(splitChecksum(`${query}&checksum=${vectors.sha1}`)).toEqual({ query, checksum: vectors.sha1 });
    expect(splitChecksum(`checksum=${vectors.sha1}&${query}`)).toEqual({ query, checksum: vectors.sha1 });
    expect(splitChecksum(query)).toEqual({ query, checksum: null });
  });

  it('signs client URLs with the configured algorithm', () => {
    for (const algorithm of ['sha1', 'sha256', 'sha384', 'sha512'] as const) {
      const client = new BbbClient({ apiUrl: 'https://bbb.example.coop/bigbluebutton/api', secret, algorithm });
      const url = client.url('create', [['name', 'Test Meeting'], ['meetingID', 'abc123'], ['attendeePW', '111222'], ['moderatorPW', '333444']]);
      expect(url).toBe(`https://bbb.example.coop/bigbluebutton/api/create?${query}&checksum=${vectors[algorithm]}`);
    }
  });
});
