// A member's power in a circle's room, as inbound authorisation, room upkeep and the UI all
// compute it (room-power.ts), across the room versions Synapse creates: 10, 11 and 12,
// where v12 creators outrank every level and are never listed in `users` (MSC4289).
import { describe, expect, it } from 'vitest';
import { parsePowerLevels } from '../../main/core/sync/power-levels';
import { grantersOf, mayGrantLevel, memberPower, powerLevelsChangeLevel, type RoomPowerState } from '../../main/core/sync/room-power';
import { circlesWithPowerChanges } from '../../main/core/sync/room-power-changes';

const ana = '@ana:meet.coop';
const bruno = '@bruno:meet.coop';
const carla = '@carla:meet.coop';

function room(version: string, powerLevels: Record<string, unknown> | null, extra: Record<string, unknown> = {}): RoomPowerState {
  return { create: { sender: ana, content: { room_version: version, ...extra } }, powerLevels: powerLevels ? parsePowerLevels(powerLevels) : null };
}

describe('memberPower', () => {
  it.each(['10', '11'])('room version %s: the creator has the level power_levels gives, listed in users', (version) => {
    const state = room(version, { users: { [ana]: 100, [bruno]: 50 }, users_default: 0 });
    expect(memberPower(state, ana)).toEqual({ level: 100, isCreator: false });
    expect(memberPower(state, bruno).level).toBe(50);
    expect(memberPower(state, carla).level).toBe(0);
  });

  it('room version 12: creators (sender and additional_creators) outrank every level though absent from users', () => {
    const state = room('12', { users: { [bruno]: 50 } }, { additional_creators: [carla] });
    expect(memberPower(state, ana)).toEqual({ level: Number.MAX_SAFE_INTEGER, isCreator: true });
    expect(memberPower(state, carla).isCreator).toBe(true);
    expect(memberPower(state, bruno)).toEqual({ level: 50, isCreator: false });
  });

  it('without a power_levels event the creator has 100 and others 0; users_default applies to the unlisted', () => {
    expect(memberPower(room('10', null), ana).level).toBe(100);
    expect(memberPower(room('10', null), bruno).level).toBe(0);
    expect(memberPower(room('11', { users_default: 10 }), bruno).level).toBe(10);
  });
});

describe('who may grant facilitator rights', () => {
  it('needs the level of m.room.power_levels and at least the level granted', () => {
    const state = room('10', { users: { [ana]: 100, [bruno]: 50 }, events: { 'm.room.power_levels': 100 } });
    expect(powerLevelsChangeLevel(state)).toBe(100);
    expect(mayGrantLevel(state, ana, 50)).toBe(true);
    expect(mayGrantLevel(state, bruno, 50)).toBe(false);
    expect(grantersOf(state, 50)).toEqual([ana]);
  });

  it('falls back to state_default, then 50, and counts v12 creators', () => {
    expect(powerLevelsChangeLevel(room('10', { state_default: 75 }))).toBe(75);
    expect(powerLevelsChangeLevel(room('10', {}))).toBe(50);
    const state = room('12', { users: { [bruno]: 50, [carla]: 0 } });
    expect(grantersOf(state, 50)).toEqual([ana, bruno]);
  });
});

describe('circlesWithPowerChanges', () => {
  const event = (type: string, stateKey?: string) => ({ event_id: `$${type}`, type, sender: ana, origin_server_ts: 1, content: {}, ...(stateKey === undefined ? {} : { state_key: stateKey }) });
  const circleOf = (roomId: string) => ({ '!a:x': 'CIRCLE-A', '!b:x': 'CIRCLE-B' })[roomId] ?? null;

  it('names the circles whose room changed power levels, from the timeline or the state block', () => {
    const response = {
      next_batch: 's1',
      rooms: {
        join: {
          '!a:x': { timeline: { events: [event('m.room.message'), event('m.room.power_levels', '')] } },
          '!b:x': { state: { events: [event('m.room.create', '')] } },
          '!c:x': { timeline: { events: [event('m.room.power_levels', '')] } },
        },
      },
    };
    expect(circlesWithPowerChanges(response, circleOf)).toEqual(['CIRCLE-A', 'CIRCLE-B']);
  });

  it('ignores messages and state with a state key (a member event is not a power change)', () => {
    const response = { next_batch: 's2', rooms: { join: { '!a:x': { timeline: { events: [event('m.room.message'), event('m.room.power_levels', 'x'), event('m.room.member', ana)] } } } } };
    expect(circlesWithPowerChanges(response, circleOf)).toEqual([]);
  });
});
