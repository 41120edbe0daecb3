// A member's power in a circle's room, computed in one place for everything that needs it:
// inbound authorisation (may this sender issue facilitator operations?), the uploader's room
// upkeep (may we change power levels?) and the UI (does the server agree that you
// facilitate here, and who can change it?). Reads the room state sync keeps in
// sync_room_state. Rules (client-server spec, m.room.power_levels; MSC4289 for v12):
// - room versions 12 and later: the creators outrank every level and are never in `users`;
// - a room with no m.room.power_levels event gives its creator 100 and everyone else 0;
// - otherwise `users[id]`, else `users_default`, else 0.
import type { Db } from '../store/database';
import { creatorLevel, parsePowerLevels, roomCreators, type PowerLevels } from './power-levels';

export interface RoomPowerState {
  create: { sender: string; content: Record<string, unknown> } | null;
  powerLevels: PowerLevels | null;
}

export interface MemberPower {
  level: number;
  /** A creator of a room version 12+ room: above every level. */
  isCreator: boolean;
}

/** The one computation of a user's power level in a room. */
export function memberPower(state: RoomPowerState, userId: string): MemberPower {
  const creators = roomCreators(state.create);
  if (creators.has(userId)) return { level: creatorLevel, isCreator: true };
  if (!state.powerLevels) return { level: state.create?.sender === userId ? 100 : 0, isCreator: false };
  return { level: state.powerLevels.users?.[userId] ?? state.powerLevels.users_default ?? 0, isCreator: false };
}

/** The level needed to send m.room.power_levels, i.e. to give someone facilitator rights. */
export function powerLevelsChangeLevel(state: RoomPowerState): number {
  const levels = state.powerLevels;
  return levels?.events?.['m.room.power_levels'] ?? levels?.state_default ?? 50;
}

/** Whether the user may raise another member to `target` (they need the event's level and at least `target` themselves). */
export function mayGrantLevel(state: RoomPowerState, userId: string, target: number): boolean {
  const { level } = memberPower(state, userId);
  return level >= powerLevelsChangeLevel(state) && level >= target;
}

/** Whether the user may redact other people's events (MSC3381 lets them end anyone's poll). */
export function mayRedactOthers(state: RoomPowerState, userId: string): boolean {
  return memberPower(state, userId).level >= (state.powerLevels?.redact ?? 50);
}

/** Everyone the room names with enough power to grant `target`: its creators and users listed at a sufficient level. */
export function grantersOf(state: RoomPowerState, target: number): string[] {
  const candidates = new Set<string>([...roomCreators(state.create), ...Object.keys(state.powerLevels?.users ?? {})]);
  if (!state.powerLevels && state.create) candidates.add(state.create.sender);
  return [...candidates].filter((user) => mayGrantLevel(state, user, target)).sort();
}

/** Reads a room's power state from what sync stored. */
export class RoomPower {
  constructor(private readonly db: Db) {}

  state(roomId: string): RoomPowerState {
    const rows = this.db
      .prepare("SELECT type, sender, content_json FROM sync_room_state WHERE room_id = ? AND state_key = '' AND type IN ('m.room.create', 'm.room.power_levels')")
      .all(roomId) as { type: string; sender: string; content_json: string }[];
    let create: RoomPowerState['create'] = null;
    let powerLevels: PowerLevels | null = null;
    for (const row of rows) {
      const content = JSON.parse(row.content_json) as unknown;
      if (row.type === 'm.room.create') create = { sender: row.sender, content: typeof content === 'object' && content !== null ? (content as Record<string, unknown>) : {} };
      else powerLevels = parsePowerLevels(content);
    }
    return { create, powerLevels };
  }

  /** Whether sync has seen the room's state at all (its m.room.create). */
  known(roomId: string): boolean {
    return this.state(roomId).create !== null;
  }

  levelOf(roomId: string, userId: string): number {
    return memberPower(this.state(roomId), userId).level;
  }
}
