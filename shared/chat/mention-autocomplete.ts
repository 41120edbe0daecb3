// What the composer offers while a member types `@` (the room's members) or `#` (their
// rooms), how a pick is written into the text, and which typed Matrix ids name nobody in
// the room. Plain functions shared by the page and the core, so each rule is unit-tested.

export interface MemberOption {
  userId: string;
  displayName: string | null;
}

export interface RoomOption {
  roomId: string;
  name: string;
  alias: string | null;
}

/** A mention or room link the member picked: `text` is what stands in the message for it. */
export interface PickedMention {
  kind: 'user' | 'room';
  /** A user id (@a:b) for a member; an alias (#a:b) or room id (!a:b) for a room. */
  id: string;
  text: string;
}

export interface Trigger {
  kind: '@' | '#';
  /** What was typed after the sigil. */
  query: string;
  /** Where the sigil stands in the text. */
  start: number;
}

/** The `@` or `#` word the caret is in, if the sigil starts a word; null otherwise. */
export function activeTrigger(text: string, caret: number): Trigger | null {
  const before = text.slice(0, caret);
  const match = /(^|[\s(])([@#])([^\s@#]{0,64})$/u.exec(before);
  if (!match) return null;
  const sigil = match[2] as '@' | '#';
  return { kind: sigil, query: match[3]!, start: caret - match[3]!.length - 1 };
}

function fold(value: string): string {
  return value.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Rank 0: a word of the name or id starts with the query; 1: contains it; null: no match. */
function rank(candidates: readonly string[], query: string): number | null {
  const q = fold(query);
  if (q === '') return 0;
  let best: number | null = null;
  for (const candidate of candidates) {
    const c = fold(candidate);
    if (c.startsWith(q) || c.split(/[\s._:@#-]+/u).some((word) => word.startsWith(q))) return 0;
    if (c.includes(q)) best = 1;
  }
  return best;
}

export function memberLabel(member: MemberOption): string {
  return member.displayName ?? member.userId;
}

/** Members matching the query (name or id, accents and case ignored), best first, the member themself left out. */
export function filterMembers(members: readonly MemberOption[], query: string, options: { me?: string | null; limit?: number } = {}): MemberOption[] {
  const q = query.replace(/^@/, '');
  return members
    .filter((m) => m.userId !== options.me)
    .flatMap((m) => {
      const r = rank([memberLabel(m), m.userId.slice(1)], q);
      return r === null ? [] : [{ m, r }];
    })
    .sort((a, b) => a.r - b.r || memberLabel(a.m).localeCompare(memberLabel(b.m)) || a.m.userId.localeCompare(b.m.userId))
    .slice(0, options.limit ?? 8)
    .map(({ m }) => m);
}

/** Rooms matching the query (name or alias), best first. */
export function filterRooms(rooms: readonly RoomOption[], query: string, options: { limit?: number } = {}): RoomOption[] {
  const q = query.replace(/^#/, '');
  return rooms
    .flatMap((room) => {
      const r = rank([room.name, ...(room.alias ? [room.alias.slice(1)] : [])], q);
      return r === null ? [] : [{ room, r }];
    })
    .sort((a, b) => a.r - b.r || a.room.name.localeCompare(b.room.name))
    .slice(0, options.limit ?? 8)
    .map(({ room }) => room);
}

/** What a picked option becomes in the text and in the list of picks. */
export function pickFor(option: { member: MemberOption } | { room: RoomOption }): PickedMention {
  if ('member' in option) return { kind: 'user', id: option.member.userId, text: memberLabel(option.member) };
  const room = option.room;
  return { kind: 'room', id: room.alias ?? room.roomId, text: room.alias ?? room.name };
}

/** Replaces the trigger word with the pick's text and a space; returns the new text and caret. */
export function insertPick(text: string, trigger: Trigger, caret: number, pick: PickedMention): { text: string; caret: number } {
  const after = text.slice(caret);
  const inserted = `${pick.text}${after.startsWith(' ') ? '' : ' '}`;
  return { text: text.slice(0, trigger.start) + inserted + after, caret: trigger.start + inserted.length };
}

/** The picks whose text is still in the message (a pick the member erased is no mention). */
export function picksInText(text: string, picks: readonly PickedMention[]): PickedMention[] {
  const seen = new Set<string>();
  return picks.filter((pick) => {
    const key = `${pick.kind}\u0000${pick.id}`;
    if (seen.has(key) || !text.includes(pick.text)) return false;
    seen.add(key);
    return true;
  });
}

/** Full Matrix user ids typed in the text. */
export function typedUserIds(text: string): string[] {
  return [...new Set([...text.matchAll(/(?:^|[\s(])(@[a-z0-9._=\-/+]+:[a-z0-9.-]+(?::\d+)?)/gi)].map((m) => m[1]!.replace(/[.,]+$/, '')))];
}

/** Typed user ids of people who are not in the room: sent as text, without a mention. */
export function mentionsOutsideRoom(text: string, members: readonly MemberOption[]): string[] {
  const inRoom = new Set(members.map((m) => m.userId));
  return typedUserIds(text).filter((id) => !inRoom.has(id));
}
