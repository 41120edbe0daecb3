// The shield a room shows, as Element's: whether its members' devices are verified. Pure;
// the core gathers what the Rust crypto knows of each member (their identity and devices).
//
// - not_encrypted: the room is in the clear (the server reads it).
// - identity_changed: someone the member had verified now shows another identity (their
//   keys were reset, or someone is impersonating them): checked before anything else.
// - some_unverified: at least one device in the room (other than this one) is not
//   verified (signed by an identity the member verified, or the member's own).
// - verified: every device in the room is verified.

export type RoomShield = 'not_encrypted' | 'verified' | 'some_unverified' | 'identity_changed';

export interface DeviceTrustInput {
  deviceId: string;
  verified: boolean;
  /** The device Plenary runs as (always trusted, never counted). */
  thisDevice: boolean;
}

export interface MemberTrustInput {
  userId: string;
  /** The member's cross-signing identity is verified (one's own: trusted by this device). */
  identityVerified: boolean;
  /** A verified identity was replaced by another (Element's "verification violation"). */
  identityChanged: boolean;
  devices: readonly DeviceTrustInput[];
}

export function roomShield(encrypted: boolean, members: readonly MemberTrustInput[]): RoomShield {
  if (!encrypted) return 'not_encrypted';
  if (members.some((member) => member.identityChanged)) return 'identity_changed';
  const unverified = members.some((member) => member.devices.some((device) => !device.thisDevice && !device.verified));
  return unverified ? 'some_unverified' : 'verified';
}

/** A member's own standing in the list: their identity changed, all devices verified, or some not. */
export function memberShield(member: MemberTrustInput): Exclude<RoomShield, 'not_encrypted'> {
  if (member.identityChanged) return 'identity_changed';
  return member.devices.every((device) => device.thisDevice || device.verified) ? 'verified' : 'some_unverified';
}
