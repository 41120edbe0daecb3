// Why a cached m.room.encrypted event is still unreadable, as the timeline tells the member.
import type { ChatItem } from '../../../shared/contract/chat';
import { undecryptedKey } from './room-encryption';

const reasons = new Set(['missing_key', 'earlier_than_key', 'withheld', 'unverified_sender', 'forged_sender', 'replayed', 'other']);

/** The reason the crypto noted in the event's content; an event it never saw waits for its key. */
export function undecryptableReason(content: Record<string, unknown>): NonNullable<ChatItem['undecryptable']> {
  const reason = content[undecryptedKey];
  return typeof reason === 'string' && reasons.has(reason) ? (reason as NonNullable<ChatItem['undecryptable']>) : 'missing_key';
}
