// The member's rights in a circle as the coop server sees them (power levels in the circle's
// room, room-power.ts), next to their role in the circle (the governance store). Shown on
// the circle page so a facilitator whose changes other apps would refuse is told why, and
// who can fix it. Null before sign-in, or before sync has seen the circle's room.
import type { Db } from '../store/database';
import type { CircleAuthority } from '../../../shared/governance/views';
import type { Role } from '../../../shared/governance/operation-types';
import { facilitatorPowerLevel } from './power-levels';
import { grantersOf, mayGrantLevel, memberPower, RoomPower } from './room-power';

export interface CircleMemberRole {
  member: string;
  displayName: string;
  role: Role;
}

export class CircleAuthorities {
  private readonly power: RoomPower;

  constructor(
    private readonly db: Db,
    /** The signed-in member's Matrix id, or null when no coop server is connected. */
    private readonly signedIn: () => string | null,
  ) {
    this.power = new RoomPower(db);
  }

  of(circle: string, members: readonly CircleMemberRole[]): CircleAuthority | null {
    const me = this.signedIn();
    if (!me) return null;
    const room = (this.db.prepare('SELECT room_id FROM sync_circle_rooms WHERE circle = ?').get(circle) as { room_id: string } | undefined)?.room_id;
    if (!room) return null;
    const state = this.power.state(room);
    if (!state.create) return null;
    const mine = memberPower(state, me);
    const myRole = members.find((m) => m.member === me)?.role ?? null;
    const agreement =
      myRole === 'facilitator' && mine.level < facilitatorPowerLevel ? 'role-without-power' : myRole === 'member' && mine.level >= facilitatorPowerLevel ? 'power-without-role' : 'agrees';
    const names = new Map(members.map((m) => [m.member, m.displayName]));
    const mismatched = members
      .filter((m) => m.member.startsWith('@') && m.member !== me)
      .map((m) => ({ ...m, level: memberPower(state, m.member).level }))
      .filter((m) => (m.role === 'facilitator' ? m.level < facilitatorPowerLevel : m.level >= facilitatorPowerLevel && m.level < 100));
    return {
      level: mine.level,
      isCreator: mine.isCreator,
      facilitatorLevel: facilitatorPowerLevel,
      agreement,
      canGrant: mayGrantLevel(state, me, facilitatorPowerLevel),
      granters: grantersOf(state, facilitatorPowerLevel)
        .filter((user) => user !== me)
        .map((member) => ({ member, displayName: names.get(member) ?? null })),
      mismatched,
    };
  }
}
