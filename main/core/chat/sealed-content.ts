// Which events of the chat cache keep their content in the sealed database (sealed-chat.ts)
// rather than in the main store, and what the main store keeps instead. Pure decisions.
//
// In an end-to-end encrypted room every event that is not room state was sent encrypted
// (or, for a reaction, may have been): its content (body, formatted body, edits, replies,
// threads, poll questions and answers) is sealed. Room state (names, topics, members) is
// clear on the server in every room and stays in the main store, as does an event still
// m.room.encrypted (its content is the ciphertext the key may later open).
import type { MatrixRawEvent } from '../matrix/matrix-connection';
import { chatNoticeKey } from '../../../shared/governance/vote-reminders';

/** Marks a main-store content whose real content is sealed. */
export const sealedMarker = 'plenary.sealed';
/** How every placeholder begins (JSON.stringify keeps the marker first). */
export const sealedPrefix = `{"${sealedMarker}":`;


export function sealsEvent(roomEncrypted: boolean, event: Pick<MatrixRawEvent, 'type' | 'state_key'>): boolean {
  return roomEncrypted && event.state_key === undefined && event.type !== 'm.room.encrypted';
}

/**
 * What the main store keeps of a sealed content: the marker, and of a vote notice only its
 * vote's id (so a notice another device sent is recognised without the text).
 */
export function placeholderContent(content: Record<string, unknown>): string {
  const notice = content[chatNoticeKey] as { voteId?: unknown } | undefined;
  const voteId = notice && typeof notice === 'object' && typeof notice.voteId === 'string' ? notice.voteId : undefined;
  return JSON.stringify({ [sealedMarker]: true, ...(voteId !== undefined ? { [chatNoticeKey]: { voteId } } : {}) });
}

export function isPlaceholder(content: string): boolean {
  return content.startsWith(sealedPrefix);
}
