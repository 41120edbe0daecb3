// When a room that says it is a circle's room (the circle marker in its m.room.create) is that
// circle's room. Anyone can create a room with the marker and invite members, so the marker
// alone proves nothing; a room is bound to its circle only by an authorised declaration:
// - the room's creator is the circle's creator or one of its facilitators, as this replica
//   knows the circle; or
// - the coop space lists the room (m.space.child) and whoever listed it may list rooms there
//   (the space's admins); or
// - the circle's address on the coop server (#plenary.circle.<id>:<server>, which Plenary
//   claims as it creates the circle's room) names the room. Circle ids are random and known
//   only to the device that made the circle until its room exists, so nobody can claim the
//   address before the circle's creator. This is how a member's first invitation to a circle
//   they do not know yet is trusted. Only an address on the server of the room's creator and
//   of this member counts: another server would let anyone claim it there.
// A circle already bound to one room is never moved to another. Pure; unit-tested.

export type RoomDeclarationRefusal = 'not_declared' | 'circle_has_room';

export interface RoomDeclarationFacts {
  roomId: string;
  roomCreator: string;
  /** The room this replica has bound the circle to, if any. */
  boundRoom: string | null;
  /** The circle as this replica knows it, or null. */
  circle: { creator: string | null; facilitators: readonly string[] } | null;
  /** Asked only when the circle's own facts do not decide: whether the coop space's admins list the room. */
  listedInSpace(): Promise<boolean>;
  /** Asked only when needed: the room the circle's address on the coop server names (null: none). */
  addressedRoom(): Promise<string | null>;
}

export type RoomDeclarationVerdict = { ok: true; by: 'circle' | 'space' | 'address' | 'bound' } | { ok: false; reason: RoomDeclarationRefusal };

export async function judgeRoomDeclaration(facts: RoomDeclarationFacts): Promise<RoomDeclarationVerdict> {
  if (facts.boundRoom === facts.roomId) return { ok: true, by: 'bound' };
  const by = await declaredBy(facts);
  // A look-alike is named as such even when the circle has its room already.
  if (by === null) return { ok: false, reason: 'not_declared' };
  if (facts.boundRoom !== null) return { ok: false, reason: 'circle_has_room' };
  return { ok: true, by };
}

async function declaredBy(facts: RoomDeclarationFacts): Promise<'circle' | 'space' | 'address' | null> {
  const circle = facts.circle;
  if (circle && (circle.creator === facts.roomCreator || circle.facilitators.includes(facts.roomCreator))) return 'circle';
  if ((await facts.addressedRoom()) === facts.roomId) return 'address';
  if (await facts.listedInSpace()) return 'space';
  return null;
}
