// A room's display name, following the spec's order (client-server spec, "Calculating the
// display name for a room"): m.room.name, then the canonical alias, then the heroes'
// names, then the room id.
import type { RoomRow } from './chat-store';

export function roomHeroes(room: RoomRow): string[] {
  try {
    const heroes = JSON.parse(room.heroes) as unknown;
    return Array.isArray(heroes) ? heroes.filter((h): h is string => typeof h === 'string') : [];
  } catch {
    return [];
  }
}

export function roomDisplayName(room: RoomRow, names: Map<string, string>): string {
  if (room.name) return room.name;
  if (room.canonical_alias) return room.canonical_alias;
  const heroes = roomHeroes(room);
  if (heroes.length > 0) return heroes.map((id) => names.get(id) ?? id).join(', ');
  return room.room_id;
}
