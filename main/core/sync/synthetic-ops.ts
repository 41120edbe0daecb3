// Poll events sent by Element (not by Plenary) become governance operations so Plenary
// counts them like any ballot. Every replica must turn the same event into the same
// operation, so the operation's id and clock are derived from the event alone: its id
// from a hash of the event id, its clock from origin_server_ts (the timestamp MSC3381 uses
// to order responses and the end of a poll).
import { createHash } from 'node:crypto';

const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function base32(bytes: Uint8Array, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[bytes[i]! % 32];
  return out;
}

/** A 26-character id (ULID layout) for the operation derived from a Matrix event. */
export function syntheticOpId(eventId: string, timestamp: number): string {
  let time = '';
  let t = Math.max(0, Math.floor(timestamp));
  for (let i = 0; i < 10; i++) {
    time = alphabet[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  return time + base32(createHash('sha256').update(`op:${eventId}`).digest(), 16);
}

/** An HLC timestamp at the event's server time, with a node id that is the same everywhere. */
export function syntheticHlc(eventId: string, timestamp: number): string {
  const node = 'mx' + base32(createHash('sha256').update(`hlc:${eventId}`).digest(), 12);
  return `${String(Math.max(0, Math.floor(timestamp))).padStart(13, '0')}-000000-${node}`;
}

/** A stable id for an entity (a vote created in Element) derived from its event. */
export function syntheticEntityId(eventId: string, timestamp: number, kind: string): string {
  return syntheticOpId(`${kind}:${eventId}`, timestamp);
}
