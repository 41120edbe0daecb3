// Reading m.room.power_levels (client-server spec, "m.room.power_levels"), with the
// defaults the spec gives when keys are missing. A member's level is computed in one place:
// room-power.ts.

export interface PowerLevels {
  users?: Record<string, number>;
  users_default?: number;
  events?: Record<string, number>;
  events_default?: number;
  state_default?: number;
  redact?: number;
  ban?: number;
  kick?: number;
}

/** The level at which Plenary treats a member as a facilitator in a circle's room. */
export const facilitatorPowerLevel = 50;

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

export function parsePowerLevels(content: unknown): PowerLevels {
  if (typeof content !== 'object' || content === null) return {};
  const c = content as Record<string, unknown>;
  const numberMap = (v: unknown): Record<string, number> | undefined =>
    typeof v === 'object' && v !== null ? Object.fromEntries(Object.entries(v).filter(([, n]) => isInt(n))) as Record<string, number> : undefined;
  const out: PowerLevels = {};
  const users = numberMap(c.users);
  if (users) out.users = users;
  const events = numberMap(c.events);
  if (events) out.events = events;
  for (const key of ['users_default', 'events_default', 'state_default', 'redact', 'ban', 'kick'] as const) {
    if (isInt(c[key])) out[key] = c[key] as number;
  }
  return out;
}

/** The level of a room creator in room versions where creators outrank every power level. */
export const creatorLevel = Number.MAX_SAFE_INTEGER;

/**
 * Room versions 12 and later (MSC4289) make the room's creators (the m.room.create sender
 * and its additional_creators) more powerful than any level, and keep them out of `users`.
 */
export function roomCreators(create: { sender: string; content: Record<string, unknown> } | null): Set<string> {
  if (!create) return new Set();
  const version = Number(create.content.room_version ?? '1');
  if (!Number.isFinite(version) || version < 12) return new Set();
  const extra = Array.isArray(create.content.additional_creators) ? create.content.additional_creators.filter((u): u is string => typeof u === 'string') : [];
  return new Set([create.sender, ...extra]);
}
