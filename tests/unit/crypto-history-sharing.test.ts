import { describe, expect, it } from 'vitest';
import {
  inviterOf,
  joinedAfterOurInvite,
  keyBundleRoomOf,
  keyBundleWindowMs,
  keyBundleWindowOpen,
  ownJoinAfterInvite,
  sharesHistory,
} from '../../main/core/crypto/history-sharing';

const self = '@bob:example.org';
const alice = '@alice:example.org';
const mallory = '@mallory:example.org';

const join = (user: string, sender: string, previous?: { membership: string; by?: string }) => ({
  type: 'm.room.member',
  state_key: user,
  sender,
  content: { membership: 'join' },
  ...(previous ? { unsigned: { prev_content: { membership: previous.membership }, ...(previous.by ? { prev_sender: previous.by } : {}) } } : {}),
});

describe('sharing a room’s key history (MSC4268)', () => {
  it('shares only where new members may read earlier history', () => {
    expect(sharesHistory('shared')).toBe(true);
    expect(sharesHistory('world_readable')).toBe(true);
    expect(sharesHistory('invited')).toBe(false);
    expect(sharesHistory('joined')).toBe(false);
  });

  it('recognises a bundle’s details by type and room, and nothing else', () => {
    expect(keyBundleRoomOf({ type: 'io.element.msc4268.room_key_bundle', content: { room_id: '!r:x' } })).toBe('!r:x');
    expect(keyBundleRoomOf({ type: 'm.room_key_bundle', content: { room_id: '!r:x' } })).toBe('!r:x');
    expect(keyBundleRoomOf({ type: 'm.room_key', content: { room_id: '!r:x' } })).toBeNull();
    expect(keyBundleRoomOf({ type: 'm.room_key_bundle', content: { room_id: 42 } })).toBeNull();
    expect(keyBundleRoomOf({ type: 'm.room_key_bundle', content: { room_id: '#alias:x' } })).toBeNull();
    expect(keyBundleRoomOf(null)).toBeNull();
    expect(keyBundleRoomOf('m.room_key_bundle')).toBeNull();
  });

  it('takes the inviter from the invitation’s own member event only', () => {
    const state = [
      { type: 'm.room.member', state_key: mallory, sender: mallory, content: { membership: 'join' } },
      { type: 'm.room.member', state_key: self, sender: alice, content: { membership: 'invite' } },
    ];
    expect(inviterOf(state, self)).toBe(alice);
    // Someone else's invitation, or a member event that is not an invitation, names no inviter.
    expect(inviterOf([{ type: 'm.room.member', state_key: '@carol:example.org', sender: mallory, content: { membership: 'invite' } }], self)).toBeNull();
    expect(inviterOf([{ type: 'm.room.member', state_key: self, sender: alice, content: { membership: 'join' } }], self)).toBeNull();
    expect(inviterOf([{ type: 'm.room.member', state_key: self, sender: 'not-a-user', content: { membership: 'invite' } }], self)).toBeNull();
    expect(inviterOf([], self)).toBeNull();
  });

  it('sees this member join after an invitation, with the inviter when the server names it', () => {
    expect(ownJoinAfterInvite([join(self, self, { membership: 'invite', by: alice })], self)).toEqual({ inviter: alice });
    expect(ownJoinAfterInvite([join(self, self, { membership: 'invite' })], self)).toEqual({ inviter: null });
    // Joining without an invitation (a public room, a rejoin) waits for no bundle.
    expect(ownJoinAfterInvite([join(self, self)], self)).toBeUndefined();
    expect(ownJoinAfterInvite([join(self, self, { membership: 'leave', by: self })], self)).toBeUndefined();
    // A join of someone else, or one sent by someone else, is not ours.
    expect(ownJoinAfterInvite([join(alice, alice, { membership: 'invite', by: self })], self)).toBeUndefined();
    expect(ownJoinAfterInvite([join(self, mallory, { membership: 'invite', by: alice })], self)).toBeUndefined();
  });

  it('lists the members who joined after this member’s invitation, not after someone else’s', () => {
    const events = [
      join('@carol:example.org', '@carol:example.org', { membership: 'invite', by: self }),
      join('@dave:example.org', '@dave:example.org', { membership: 'invite', by: mallory }),
      join('@erin:example.org', '@erin:example.org'),
      join(self, self, { membership: 'invite', by: alice }),
      join('@frank:example.org', mallory, { membership: 'invite', by: self }),
    ];
    expect(joinedAfterOurInvite(events, self)).toEqual(['@carol:example.org']);
  });

  it('takes a bundle for a day after joining, not later', () => {
    const joined = 1_000_000;
    expect(keyBundleWindowOpen(joined, joined)).toBe(true);
    expect(keyBundleWindowOpen(joined, joined + keyBundleWindowMs)).toBe(true);
    expect(keyBundleWindowOpen(joined, joined + keyBundleWindowMs + 1)).toBe(false);
  });
});
