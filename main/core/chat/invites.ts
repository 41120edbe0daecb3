// Reads an invitation from /sync's rooms.invite. The invite carries only "stripped state"
// (type, state_key, sender, content; no event ids, often no timestamps) that the inviting
// server chose to share, so every field is checked and any may be missing.
import type { InviteRow } from './chat-store';

/** Markers Plenary puts in m.room.create of circle rooms and the coop space (see main/core/sync/circle-rooms.ts). */
const governanceMarkers = ['coop.meet.plenary.circle', 'coop.meet.plenary.space'];

interface StrippedEvent {
  type: string;
  state_key: string;
  sender: string | null;
  content: Record<string, unknown>;
  ts: number | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

function strippedEvents(invite: unknown): StrippedEvent[] {
  const events = isRecord(invite) && isRecord(invite.invite_state) && Array.isArray(invite.invite_state.events) ? invite.invite_state.events : [];
  return events.flatMap((e: unknown): StrippedEvent[] =>
    isRecord(e) && typeof e.type === 'string' && typeof e.state_key === 'string' && isRecord(e.content)
      ? [{ type: e.type, state_key: e.state_key, sender: str(e.sender), content: e.content, ts: typeof e.origin_server_ts === 'number' ? e.origin_server_ts : null }]
      : [],
  );
}

/**
 * What the chat list shows of an invitation, or null for one it leaves alone: circle rooms
 * and the coop's space (governance sync joins those itself) and other spaces (no chat).
 */
export function parseInvite(roomId: string, invite: unknown, me: string | null, receivedAt: number): InviteRow | null {
  const events = strippedEvents(invite);
  const state = (type: string, key = '') => events.find((e) => e.type === type && e.state_key === key)?.content;
  const create = state('m.room.create') ?? {};
  if (governanceMarkers.some((marker) => create[marker] !== undefined) || create.type === 'm.space') return null;
  const mine =
    events.find((e) => e.type === 'm.room.member' && me !== null && e.state_key === me) ??
    events.find((e) => e.type === 'm.room.member' && e.content.membership === 'invite');
  const inviter = mine?.sender ?? null;
  const inviterName = inviter ? str(state('m.room.member', inviter)?.displayname) : null;
  return {
    room_id: roomId,
    name: str(state('m.room.name')?.name),
    canonical_alias: str(state('m.room.canonical_alias')?.alias),
    topic: str(state('m.room.topic')?.topic),
    inviter,
    inviter_name: inviterName,
    is_direct: mine?.content.is_direct === true ? 1 : 0,
    encrypted: state('m.room.encryption') ? 1 : 0,
    ts: mine?.ts ?? receivedAt,
  };
}
