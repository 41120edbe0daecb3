// Unique, time-sortable identifiers (ULID layout: 48-bit ms timestamp + 80 random bits,
// Crockford base32, 26 characters). Operations and entities created offline on different
// machines never collide, and ids sort roughly by creation time.
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const idPattern = /^[0-9A-HJKMNP-TV-Z]{26}$/;

// Web Crypto exists in Node, Electron and browsers; shared/ compiles without DOM or Node
// types, so declare just the one function used.
const webCrypto = (globalThis as unknown as { crypto: { getRandomValues(array: Uint8Array): Uint8Array } }).crypto;

function randomBytes(count: number): Uint8Array {
  return webCrypto.getRandomValues(new Uint8Array(count));
}

export function newId(now: number = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = alphabet[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  const random = randomBytes(16);
  let rest = '';
  for (let i = 0; i < 16; i++) rest += alphabet[random[i]! % 32];
  return time + rest;
}

export function isId(value: unknown): value is string {
  return typeof value === 'string' && idPattern.test(value);
}
