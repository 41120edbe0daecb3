import { describe, expect, it } from 'vitest';
import { authorizeOperation } from '../../main/core/sync/inbound-authorization';
import { parsePowerLevels } from '../../main/core/sync/power-levels';
import { mayRedactOthers, memberPower } from '../../main/core/sync/room-power';
import type { Operation } from '../../shared/governance/operation';

const base = { id: '01J00000000000000000000000', hlc: '1795000000000-000000-n1', circle: '01JC0000000000000000000000', v: 1 };
const op = (type: string, actor: string, payload: Record<string, unknown>): Operation => ({ ...base, type, actor, payload });
const facilitatorOnly = (type: string) => type === 'vote.close' || type === 'circle.member.set';
const ctx = (sender: string, level: number) => ({ sender, senderPowerLevel: level, isFacilitatorOnly: facilitatorOnly });

describe('inbound authorization', () => {
  it('requires the actor to be the sender', () => {
    expect(authorizeOperation(op('vote.ballot', '@alice:x', { voter: '@alice:x' }), ctx('@alice:x', 0))).toEqual({ ok: true });
    expect(authorizeOperation(op('vote.ballot', '@alice:x', { voter: '@alice:x' }), ctx('@mallory:x', 100))).toEqual({
      ok: false,
      reason: 'actor @alice:x is not the event\'s sender @mallory:x',
    });
  });

  it('requires power level 50 for facilitator-only operations, proxies and the circle definition', () => {
    const cases: Operation[] = [
      op('vote.close', '@bob:x', { voteId: 'v' }),
      op('vote.ballot', '@bob:x', { voter: '@carol:x' }),
      op('contribution.create', '@bob:x', { member: '@carol:x' }),
      op('contribution.update', '@bob:x', { fields: { member: '@carol:x' } }),
      op('circle.create', '@bob:x', { name: 'Stewards' }),
      op('assembly.action.done', '@bob:x', { owner: '@carol:x', done: true }),
    ];
    for (const c of cases) {
      expect(authorizeOperation(c, ctx('@bob:x', 0)).ok, c.type).toBe(false);
      expect(authorizeOperation(c, ctx('@bob:x', 49)).ok, c.type).toBe(false);
      expect(authorizeOperation(c, ctx('@bob:x', 50)).ok, c.type).toBe(true);
    }
    expect(authorizeOperation(op('contribution.create', '@bob:x', { member: '@bob:x' }), ctx('@bob:x', 0)).ok).toBe(true);
    // An action item's owner ticks it off without facilitator rights.
    expect(authorizeOperation(op('assembly.action.done', '@bob:x', { owner: '@bob:x', done: true }), ctx('@bob:x', 0)).ok).toBe(true);
  });

  it('reads power levels with the spec defaults', () => {
    const levels = parsePowerLevels({ users: { '@alice:x': 100, '@bob:x': 50, '@bad:x': 1.5 }, users_default: 0, redact: 50 });
    const room = (powerLevels: ReturnType<typeof parsePowerLevels> | null) => ({ create: { sender: '@alice:x', content: { room_version: '10' } }, powerLevels });
    expect(memberPower(room(levels), '@alice:x').level).toBe(100);
    expect(memberPower(room(levels), '@bad:x').level).toBe(0);
    expect(memberPower(room(levels), '@nobody:x').level).toBe(0);
    expect(memberPower({ create: null, powerLevels: null }, '@alice:x').level).toBe(0);
    expect(mayRedactOthers(room(levels), '@bob:x')).toBe(true);
    expect(mayRedactOthers(room(parsePowerLevels({ users: { '@bob:x': 50 }, redact: 75 })), '@bob:x')).toBe(false);
    expect(parsePowerLevels('nonsense')).toEqual({});
  });
});
