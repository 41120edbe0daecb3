// Pure decisions about encrypted rooms: which events are sent encrypted, the settings a
// room's m.room.encryption and history visibility give its room keys, who receives them,
// and why an event could not be decrypted (in words the timeline can explain).

/** The only algorithm Element (and the Rust crypto) encrypts room events with. */
export const megolmAlgorithm = 'm.megolm.v1.aes-sha2';
export const encryptedEventType = 'm.room.encrypted';

/**
 * Whether an event of this type is encrypted in an encrypted room. As in matrix-js-sdk
 * (what Element Web sends): everything but reactions, whose relation is in the clear anyway
 * and which servers bundle and push rules ignore only when clear; state events and
 * redactions are never encrypted (they go through other endpoints).
 */
export function encryptsEventType(type: string): boolean {
  return type !== 'm.reaction' && type !== encryptedEventType;
}

export interface RoomEncryptionSettings {
  algorithm: string;
  /** Rotate the room key after this long (ms), from the room's rotation_period_ms. */
  rotationPeriodMs: number | null;
  /** Rotate the room key after this many messages, from rotation_period_msgs. */
  rotationPeriodMessages: number | null;
}

/** The settings an m.room.encryption state event's content gives; null when it names no usable algorithm. */
export function parseEncryptionContent(content: unknown): RoomEncryptionSettings | null {
  if (typeof content !== 'object' || content === null) return null;
  const record = content as Record<string, unknown>;
  if (typeof record.algorithm !== 'string') return null;
  const positive = (value: unknown) => (typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : null);
  return { algorithm: record.algorithm, rotationPeriodMs: positive(record.rotation_period_ms), rotationPeriodMessages: positive(record.rotation_period_msgs) };
}

export type HistoryVisibility = 'invited' | 'joined' | 'shared' | 'world_readable';

export function parseHistoryVisibility(content: unknown): HistoryVisibility {
  const value = typeof content === 'object' && content !== null ? (content as { history_visibility?: unknown }).history_visibility : undefined;
  return value === 'invited' || value === 'joined' || value === 'world_readable' ? value : 'shared';
}

/**
 * Who gets the room key: joined members, and invited ones unless history is only visible
 * from joining (as matrix-js-sdk's Room.shouldEncryptForInvitedMembers).
 */
export function keyRecipients(members: readonly { userId: string; membership: string }[], visibility: HistoryVisibility): string[] {
  const invitedToo = visibility !== 'joined';
  const users = members.filter((member) => member.membership === 'join' || (invitedToo && member.membership === 'invite')).map((member) => member.userId);
  return [...new Set(users)].sort();
}

/** Why an event stays unreadable, which decides what the member is told to do. */
export type UnableToDecryptReason =
  /** The sender's device has not shared the key with this device (yet): wait, or restore from backup. */
  | 'missing_key'
  /** The key known here starts after this message: it was sent before this device got the room key. */
  | 'earlier_than_key'
  /** The sender withheld the key (e.g. this device is unverified, or it was not in the room). */
  | 'withheld'
  /** The sender's device is unknown or not trusted as required. */
  | 'unverified_sender'
  /**
   * It decrypts, but the room key belongs to another account's device: someone re-sent a
   * member's encrypted message under their own name. Refused, never attributed to either.
   */
  | 'forged_sender'
  /**
   * The very ciphertext of an earlier event, sent again under a new event id (a replay, by
   * a member or by the server): refused, so an old vote or operation cannot be made current.
   */
  | 'replayed'
  | 'other';

/** Maps the Rust crypto's DecryptionErrorCode (numbers as in matrix-sdk-crypto-wasm) and withheld code to a reason. */
export function classifyDecryptionFailure(code: number | null, withheldCode: string | null): UnableToDecryptReason {
  if (withheldCode) return 'withheld';
  switch (code) {
    case 0: // MissingRoomKey
      return 'missing_key';
    case 1: // UnknownMessageIndex
      return 'earlier_than_key';
    case 3: // UnknownSenderDevice
    case 4: // UnsignedSenderDevice
    case 5: // SenderIdentityVerificationViolation
    case 2: // MismatchedIdentityKeys
    case 7: // MismatchedSender
      return 'unverified_sender';
    default:
      return 'other';
  }
}

/**
 * The content a still-encrypted event carries for the timeline: the encrypted content, with
 * why it could not be read and the room key's session id (so it is decrypted again when the
 * key arrives). Kept under our own key so the ciphertext is untouched.
 */
export const undecryptedKey = 'coop.meet.plenary.utd';

export function sessionIdOf(content: unknown): string | null {
  const id = typeof content === 'object' && content !== null ? (content as { session_id?: unknown }).session_id : undefined;
  return typeof id === 'string' ? id : null;
}

/**
 * Bytes encryption adds to an event's content: the ciphertext is the plaintext event
 * JSON ({"type","content","room_id"}), AES-CBC padded to 16 bytes, plus an 8-byte
 * truncated MAC and a 64-byte signature, all unpadded base64 (4/3), wrapped with the
 * algorithm, sender key, device id and session id. `plaintextBytes` is the content's size.
 */
export function encryptedContentBytes(plaintextBytes: number, type: string, roomId: string): number {
  // {"type":"…","content":…,"room_id":"…"}
  const eventJson = plaintextBytes + type.length + roomId.length + 34;
  // Megolm message: version (1) + message index varint (≤ 6) + ciphertext tag and length (≤ 6) + padded ciphertext + MAC (8) + signature (64).
  const padded = Math.floor(eventJson / 16) * 16 + 16;
  const message = 1 + 6 + 6 + padded + 8 + 64;
  const base64 = Math.ceil((message * 4) / 3);
  // {"algorithm":"m.megolm.v1.aes-sha2","ciphertext":"…","device_id":"…","sender_key":"<43>","session_id":"<43>"} and m.relates_to, which stays in the clear.
  const wrapper = 300;
  return base64 + wrapper;
}

/**
 * The largest plaintext content (bytes) whose encrypted form stays within `limit`: what
 * governance packs operations to in an encrypted room (the 60,000-byte limit is on what
 * the server receives, the ciphertext).
 */
export function plaintextBudget(limit: number, type: string, roomId: string): number {
  let low = 0;
  let high = limit;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (encryptedContentBytes(mid, type, roomId) <= limit) low = mid;
    else high = mid - 1;
  }
  return low;
}
