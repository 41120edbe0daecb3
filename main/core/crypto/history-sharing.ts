// Pure decisions about sharing an encrypted room's key history with a member invited later
// (MSC4268 room-key bundles). A Megolm key reaches only the devices present when a message
// was sent, and a circle's state is rebuilt by replaying its room: so the member who invites
// someone hands them the keys of the room's earlier sessions (those created while history
// was shared), and the invitee takes them only from whoever invited them, right after joining.
import type { HistoryVisibility } from './room-encryption';

/** The to-device types of a room-key bundle's details (unstable prefix first, as the Rust crypto sends it). */
export const keyBundleEventTypes: readonly string[] = ['io.element.msc4268.room_key_bundle', 'm.room_key_bundle'];

/** How long after joining a bundle from the inviter is still taken (MSC4268 and matrix-js-sdk: a day). */
export const keyBundleWindowMs = 24 * 60 * 60 * 1000;

type RawEvent = { type?: unknown; state_key?: unknown; sender?: unknown; content?: unknown; unsigned?: unknown };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Whether a room's key history may be shared with someone joining: only when new members
 * may read what was said before they came (shared or world_readable), as the room's
 * members were told when they wrote. Sessions created under invited/joined are left out by
 * the crypto itself (they are not marked shared-history).
 */
export function sharesHistory(visibility: HistoryVisibility): boolean {
  return visibility === 'shared' || visibility === 'world_readable';
}

/** The room a decrypted room-key bundle to-device event is about; null for any other event. */
export function keyBundleRoomOf(event: unknown): string | null {
  if (!isRecord(event) || typeof event.type !== 'string' || !keyBundleEventTypes.includes(event.type)) return null;
  const roomId = isRecord(event.content) ? event.content.room_id : undefined;
  return typeof roomId === 'string' && roomId.startsWith('!') ? roomId : null;
}

/** Who invited `self`, from an invitation's stripped state; null when it does not say. */
export function inviterOf(inviteState: readonly unknown[], self: string): string | null {
  for (const event of inviteState) {
    if (!isRecord(event) || event.type !== 'm.room.member' || event.state_key !== self) continue;
    if (!isRecord(event.content) || event.content.membership !== 'invite') continue;
    return typeof event.sender === 'string' && event.sender.startsWith('@') ? event.sender : null;
  }
  return null;
}

/**
 * Members who just joined after an invitation `self` sent: their join event follows an
 * invite whose sender (Synapse's unsigned.prev_sender) is `self`. These are the members
 * whose devices may not have existed when they were invited, so the history is shared again.
 */
export function joinedAfterOurInvite(events: readonly unknown[], self: string): string[] {
  const joined = new Set<string>();
  for (const event of events) {
    if (!isRecord(event) || event.type !== 'm.room.member' || typeof event.state_key !== 'string' || event.state_key === self) continue;
    if (event.sender !== event.state_key || !isRecord(event.content) || event.content.membership !== 'join') continue;
    const unsigned = isRecord(event.unsigned) ? event.unsigned : {};
    const previous = isRecord(unsigned.prev_content) ? unsigned.prev_content.membership : undefined;
    if (previous === 'invite' && unsigned.prev_sender === self) joined.add(event.state_key);
  }
  return [...joined].sort();
}

/**
 * Whether these events hold `self` joining after an invitation, and by whom (the invite's
 * sender from unsigned.prev_sender, when the server says). `undefined` when `self` did not
 * join here; `null` as inviter when the join followed an invite whose sender is not known.
 */
export function ownJoinAfterInvite(events: readonly unknown[], self: string): { inviter: string | null } | undefined {
  let found: { inviter: string | null } | undefined;
  for (const event of events as RawEvent[]) {
    if (!isRecord(event) || event.type !== 'm.room.member' || event.state_key !== self || event.sender !== self) continue;
    if (!isRecord(event.content) || event.content.membership !== 'join') continue;
    const unsigned = isRecord(event.unsigned) ? event.unsigned : {};
    const previous = isRecord(unsigned.prev_content) ? unsigned.prev_content.membership : undefined;
    if (previous !== 'invite') continue;
    found = { inviter: typeof unsigned.prev_sender === 'string' && unsigned.prev_sender.startsWith('@') ? unsigned.prev_sender : null };
  }
  return found;
}

/** Whether a bundle may still be taken for a room joined at `acceptedAt`. */
export function keyBundleWindowOpen(acceptedAt: number, now: number): boolean {
  return now - acceptedAt <= keyBundleWindowMs;
}
