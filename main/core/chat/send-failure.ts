// Why the homeserver refused something the member sent, in a word the page can translate.
// The outbox stores the refusal as "<errcode>: <server's message>"; the server's own words
// are English and technical, so they are kept only as the detail behind the translated reason.
import type { ChatSendFailure } from '../../../shared/contract/chat';

const byErrcode: Record<string, ChatSendFailure> = {
  // Not allowed to send this event type (muted, power level too low) or not in the room.
  M_FORBIDDEN: 'forbidden',
  M_TOO_LARGE: 'too_large',
  // The room is gone or was never visible (a typo'd id, a room version the server refuses).
  M_NOT_FOUND: 'room_gone',
};

export function sendFailureOf(error: string | null): ChatSendFailure | null {
  if (error === null) return null;
  const errcode = /^(M_[A-Z_]+):/.exec(error)?.[1];
  return (errcode && byErrcode[errcode]) || 'other';
}
