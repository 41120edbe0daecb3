import { describe, expect, it } from 'vitest';
import { memberShield, roomShield, type MemberTrustInput } from '../../shared/crypto/room-shield';

const device = (deviceId: string, verified: boolean, thisDevice = false) => ({ deviceId, verified, thisDevice });
const member = (userId: string, devices: MemberTrustInput['devices'], extra: Partial<MemberTrustInput> = {}): MemberTrustInput => ({
  userId,
  identityVerified: false,
  identityChanged: false,
  devices,
  ...extra,
});

describe('room shield', () => {
  it('says a clear room is not encrypted, whatever its members', () => {
    expect(roomShield(false, [member('@a:x', [device('A', false)], { identityChanged: true })])).toBe('not_encrypted');
  });

  it('is verified when every device but this one is verified', () => {
    const me = member('@me:x', [device('THIS', false, true), device('PHONE', true)], { identityVerified: true });
    const ana = member('@ana:x', [device('A1', true), device('A2', true)], { identityVerified: true });
    expect(roomShield(true, [me, ana])).toBe('verified');
  });

  it('counts this device as trusted, so a room with only the member is verified', () => {
    expect(roomShield(true, [member('@me:x', [device('THIS', false, true)])])).toBe('verified');
    expect(roomShield(true, [])).toBe('verified');
  });

  it('is some_unverified when one device of one member is not verified (also one of the member’s own)', () => {
    const ana = member('@ana:x', [device('A1', true), device('A2', false)], { identityVerified: true });
    expect(roomShield(true, [ana])).toBe('some_unverified');
    const me = member('@me:x', [device('THIS', true, true), device('OLD', false)]);
    expect(roomShield(true, [me, member('@bo:x', [device('B', true)])])).toBe('some_unverified');
  });

  it('warns above all when a verified member’s identity changed', () => {
    const ana = member('@ana:x', [device('A1', false)], { identityChanged: true });
    const bo = member('@bo:x', [device('B1', false)]);
    expect(roomShield(true, [bo, ana])).toBe('identity_changed');
  });

  it('gives each member their own shield', () => {
    expect(memberShield(member('@a:x', [device('A', true)]))).toBe('verified');
    expect(memberShield(member('@a:x', [device('A', true), device('B', false)]))).toBe('some_unverified');
    expect(memberShield(member('@a:x', [device('A', true)], { identityChanged: true }))).toBe('identity_changed');
    expect(memberShield(member('@me:x', [device('THIS', false, true)]))).toBe('verified');
  });
});
