// Secure backup set up from Plenary (recovery key, secret storage, key backup), and whether
// a room's members' devices are verified, as Element shows them.
import { z } from 'zod';
import { call, event, returns } from './define';
import type { RoomShield } from '../crypto/room-shield';

export interface SecureBackupView {
  /** The key backup the server holds now (its version), or null when there is none. */
  serverBackup: { version: string } | null;
  /** The account has secret storage (a default key), as Element's "secure backup". */
  secretStorage: boolean;
  /** This device uploads its room keys into the server's current backup. */
  backingUpHere: boolean;
  /** This device holds the cross-signing keys (setting up asks for the password otherwise). */
  crossSigningReady: boolean;
}

export interface DeviceTrustView {
  deviceId: string;
  displayName: string | null;
  verified: boolean;
  thisDevice: boolean;
}

export interface MemberTrustView {
  userId: string;
  isSelf: boolean;
  identityVerified: boolean;
  identityChanged: boolean;
  shield: Exclude<RoomShield, 'not_encrypted'>;
  devices: DeviceTrustView[];
}

export interface RoomTrustView {
  roomId: string;
  encrypted: boolean;
  shield: RoomShield;
  members: MemberTrustView[];
}

const roomId = z.string().regex(/^![^\s]+$/, 'must be a Matrix room id like !abc:server').max(255);
const userId = z.string().regex(/^@[^\s:]+:\S+$/, 'must be a Matrix user id like @ana:server').max(255);
const recoveryKey = z
  .string()
  .trim()
  .min(1, 'enter the recovery key')
  .max(200, 'a recovery key is 48 characters');

export const trustCalls = {
  secureBackup: {
    /** Whether the account has a key backup and secret storage, and whether this device uses them. */
    status: call(z.object({}).strict(), returns<SecureBackupView>()),
    /** A new recovery key, shown once; nothing is stored until setUp is called with it. */
    newRecoveryKey: call(z.object({}).strict(), returns<{ recoveryKey: string }>()),
    /**
     * Sets up secure backup with that recovery key: secret storage holding the cross-signing
     * and key backup keys, a new signed key backup, room keys uploaded into it. `reset`
     * replaces an existing backup (its keys stay readable only with the old recovery key).
     */
    setUp: call(
      z
        .object({
          recoveryKey,
          stored: z.literal(true, 'confirm you stored the recovery key somewhere safe'),
          reset: z.boolean(),
          password: z.string().max(1024).optional(),
        })
        .strict(),
      returns<SecureBackupView>(),
    ),
  },
  trust: {
    /** The room's encryption and whether each member's devices are verified (from /keys/query). */
    room: call(z.object({ roomId }).strict(), returns<RoomTrustView>()),
    /** Accepts a verified member's new identity (Element's "withdraw verification"): the warning goes, they show unverified. */
    acceptIdentityChange: call(z.object({ userId }).strict(), returns<{ ok: true }>()),
  },
};

export const trustEvents = {
  /** Some people's devices or identities changed (from /sync): a room's shield may have changed. */
  'trust.devicesChanged': event<{ userIds: string[] }>(),
};
