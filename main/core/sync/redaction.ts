// Redactions as governance sync reads them. The coop server strips a redacted event's
// content; a replica that reads the room afterwards sees only its shell, with the redaction
// in unsigned.redacted_because, while a replica that read it before sees the
// m.room.redaction event later in the timeline. Both must withdraw the same event, so the
// redaction event is checked as the server checks it before serving the shell
// (Synapse, events_worker._maybe_redact_event_row and event_auth.check_redaction; spec
// "Redactions"): the redacter may redact others' events (power >= redact), or is on the
// same server as the sender (Synapse's client API only lets a user redact their own).
import type { MatrixRawEvent } from '../matrix/matrix-connection';
import { mayRedactOthers, type RoomPowerState } from './room-power';

export const redactionType = 'm.room.redaction';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The event a redaction redacts: content.redacts (room version 11 and later), else the top-level key. */
export function redactionTarget(event: MatrixRawEvent): string | null {
  const inContent = isRecord(event.content) ? event.content.redacts : undefined;
  const target = typeof inContent === 'string' ? inContent : event.redacts;
  return typeof target === 'string' && target.length > 0 && target.length <= 255 ? target : null;
}

export interface RedactionFacts {
  redactedBy: string;
  redactionId: string;
  redactedAt: number;
  reason: string;
}

/** Who redacted an event that arrives already redacted (its shell), or null when it was not redacted. */
export function redactedBecause(event: MatrixRawEvent): RedactionFacts | null {
  const because = isRecord(event.unsigned) ? event.unsigned.redacted_because : undefined;
  if (!isRecord(because)) return null;
  return factsOf(because as Partial<MatrixRawEvent>);
}

/** The audit facts of a redaction event. */
export function factsOf(redaction: Partial<MatrixRawEvent>): RedactionFacts {
  const reason = isRecord(redaction.content) && typeof redaction.content.reason === 'string' ? redaction.content.reason : '';
  return {
    redactedBy: typeof redaction.sender === 'string' ? redaction.sender : '',
    redactionId: typeof redaction.event_id === 'string' ? redaction.event_id : '',
    redactedAt: Number.isSafeInteger(redaction.origin_server_ts) ? (redaction.origin_server_ts as number) : 0,
    reason: reason.slice(0, 500),
  };
}

const serverOf = (userId: string) => userId.slice(userId.indexOf(':') + 1);

/**
 * Whether the server applies a redaction by `redacter` of an event sent by `sender`. An
 * event recorded before senders were kept ('') is taken as redactable: the server accepted
 * the redaction through its client API, which refuses other people's events without power.
 */
export function serverApplies(redacter: string, sender: string, power: RoomPowerState): boolean {
  if (sender === '' || redacter === sender) return true;
  return mayRedactOthers(power, redacter) || serverOf(redacter) === serverOf(sender);
}

/** The event a poll answer, end or edit refers to (m.reference or m.replace), if any. */
export function relatedEvent(content: unknown): string | null {
  if (!isRecord(content)) return null;
  const relation = content['m.relates_to'];
  if (!isRecord(relation) || (relation.rel_type !== 'm.reference' && relation.rel_type !== 'm.replace') || typeof relation.event_id !== 'string') return null;
  return relation.event_id.slice(0, 255);
}

/** The start an edit replaces (an Element poll edit: m.relates_to rel_type m.replace). */
export function replacedEvent(content: unknown): string | null {
  if (!isRecord(content)) return null;
  const relation = content['m.relates_to'];
  return isRecord(relation) && relation.rel_type === 'm.replace' && typeof relation.event_id === 'string' ? relation.event_id : null;
}
