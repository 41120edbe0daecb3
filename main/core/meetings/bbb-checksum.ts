// BigBlueButton API checksums (docs.bigbluebutton.org, development/api, "Usage"):
//   checksum = hex(HASH(callName + queryString + sharedSecret))
// where queryString is exactly what is sent, without the checksum parameter. BBB accepts
// SHA-1, SHA-256, SHA-384 and SHA-512 and tells them apart by length; Scalelite accepts
// SHA-1, SHA-256 and SHA-512 only.
import { createHash, timingSafeEqual } from 'node:crypto';

export const checksumAlgorithms = ['sha1', 'sha256', 'sha384', 'sha512'] as const;
export type ChecksumAlgorithm = (typeof checksumAlgorithms)[number];

const hexLength: Record<ChecksumAlgorithm, number> = { sha1: 40, sha256: 64, sha384: 96, sha512: 128 };

export function bbbChecksum(call: string, query: string, secret: string, algorithm: ChecksumAlgorithm): string {
  return createHash(algorithm).update(call + query + secret, 'utf8').digest('hex');
}

/** Which algorithm a checksum was made with, from its length; null if none fits. */
export function algorithmOfChecksum(checksum: string): ChecksumAlgorithm | null {
  if (!/^[0-9a-f]+$/i.test(checksum)) return null;
  return checksumAlgorithms.find((a) => hexLength[a] === checksum.length) ?? null;
}

/** Checks a received checksum in constant time, as a server does. */
export function verifyChecksum(
  call: string,
  query: string,
  checksum: string,
  secret: string,
  accepted: readonly ChecksumAlgorithm[] = checksumAlgorithms,
): boolean {
  const algorithm = algorithmOfChecksum(checksum);
  if (!algorithm || !accepted.includes(algorithm)) return false;
  const expected = Buffer.from(bbbChecksum(call, query, secret, algorithm));
  const given = Buffer.from(checksum.toLowerCase());
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * The query string BBB checksums: form-encoded (spaces as "+", as in the docs' worked
 * example), parameters in the order given, empty values left out.
 */
export function encodeQuery(params: ReadonlyArray<readonly [string, string | number | boolean | undefined]>): string {
  const search = new URLSearchParams();
  for (const [key, value] of params) if (value !== undefined && value !== '') search.append(key, String(value));
  return search.toString();
}

/** Removes the checksum parameter from a raw query string, leaving the rest byte for byte. */
export function splitChecksum(rawQuery: string): { query: string; checksum: string | null } {
  const parts = rawQuery === '' ? [] : rawQuery.split('&');
  const index = parts.findIndex((p) => p.startsWith('checksum='));
  if (index < 0) return { query: rawQuery, checksum: null };
  const checksum = parts[index]!.slice('checksum='.length);
  parts.splice(index, 1);
  return { query: parts.join('&'), checksum };
}
