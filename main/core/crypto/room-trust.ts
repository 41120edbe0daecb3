// Whether a room's members' devices are verified, from what the Rust crypto knows of them
// (their cross-signing identities and device lists, fetched with /keys/query). A device is
// verified when its owner's identity signed it and that identity is verified by the member
// (their own, or one they verified by emoji), or when the member verified it by hand.
// What the room's shield says is decided by the pure shared/crypto/room-shield.ts.
import * as Rust from '@matrix-org/matrix-sdk-crypto-wasm';
import { memberShield, roomShield } from '../../../shared/crypto/room-shield';
import type { MemberTrustView, RoomTrustView } from '../../../shared/contract/trust';
import type { CrossSigningHost } from './cross-signing';

export async function memberTrust(host: CrossSigningHost, userId: string): Promise<MemberTrustView> {
  const identity = await host.machine.getIdentity(new Rust.UserId(userId));
  const devices = await host.machine.getUserDevices(new Rust.UserId(userId), 5);
  const all = devices.devices();
  const list = all
    .filter((device) => !device.isDeleted())
    .map((device) => {
      const deviceId = device.deviceId.toString();
      const thisDevice = userId === host.userId && deviceId === host.deviceId;
      return { deviceId, displayName: device.displayName ?? null, verified: thisDevice || device.isVerified(), thisDevice };
    })
    .sort((a, b) => a.deviceId.localeCompare(b.deviceId));
  const input = {
    userId,
    identityVerified: identity ? identity.isVerified() : false,
    identityChanged: identity ? identity.hasVerificationViolation() : false,
    devices: list,
  };
  // Freed at once: each of these holds the store open (see cross-signing.ts).
  for (const device of all) device.free();
  devices.free();
  identity?.free();
  return { ...input, isSelf: userId === host.userId, shield: memberShield(input) };
}

/**
 * The room's trust. Members' device lists are tracked (and queried when new or outdated)
 * first; offline, what the store already knows is shown.
 */
export async function roomTrust(host: CrossSigningHost, roomId: string, encrypted: boolean, userIds: readonly string[]): Promise<RoomTrustView> {
  const users = [...new Set(userIds)];
  if (encrypted) {
    await host.machine.updateTrackedUsers(users.map((id) => new Rust.UserId(id)));
    await host.flush().catch(() => undefined);
  }
  const members: MemberTrustView[] = [];
  if (encrypted) for (const userId of users) members.push(await memberTrust(host, userId));
  return { roomId, encrypted, shield: roomShield(encrypted, members), members };
}

/** Accepts a verified member's changed identity: no longer verified, the warning goes (Element's "withdraw verification"). */
export async function acceptIdentityChange(host: CrossSigningHost, userId: string): Promise<void> {
  const identity = await host.machine.getIdentity(new Rust.UserId(userId));
  if (!identity) return;
  try {
    if (identity.hasVerificationViolation()) await identity.withdrawVerification();
    else if (identity instanceof Rust.OtherUserIdentity && identity.identityNeedsUserApproval()) await identity.pinCurrentMasterKey();
  } finally {
    identity.free();
  }
}
