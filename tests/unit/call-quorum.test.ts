import { describe, expect, it } from 'vitest';
import { callQuorum } from '../../shared/meetings/call-quorum';

const members = ['@a:x', '@b:x', '@c:x', '@d:x'];

describe('callQuorum', () => {
  it('counts members in the call once each, and guests apart', () => {
    const q = callQuorum(members, [{ memberId: '@a:x' }, { memberId: '@a:x' }, { memberId: '@b:x' }, { memberId: null }, { memberId: '@z:x' }], 50);
    expect(q).toEqual({ inCall: ['@a:x', '@b:x'], others: 2, members: 4, required: 2, present: true });
  });

  it('rounds the required number up, as the tally does', () => {
    expect(callQuorum(members, [{ memberId: '@a:x' }, { memberId: '@b:x' }], 51)).toMatchObject({ required: 3, present: false });
    expect(callQuorum(members.slice(0, 3), [{ memberId: '@a:x' }], 50)).toMatchObject({ required: 2, present: false });
  });

  it('needs at least one member, even with no quorum or no members', () => {
    expect(callQuorum(members, [], 0)).toMatchObject({ required: 1, present: false });
    expect(callQuorum([], [{ memberId: null }], 50)).toMatchObject({ inCall: [], others: 1, required: 1, present: false });
  });
});
