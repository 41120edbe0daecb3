// Verifying this device with another of the member's devices by emoji (SAS), and
// cross-signing, as in Element (Settings › Security).
import { z } from 'zod';
import { call, event, returns } from './define';
import type { SasEmojiView } from '../crypto/sas-emoji';
import type { VerificationStage } from '../crypto/verification-state';

export interface VerificationView {
  flowId: string;
  otherDeviceId: string | null;
  weStarted: boolean;
  stage: VerificationStage;
  /** The seven emoji, once the devices have agreed on them (at the stage "compare"). */
  emoji: SasEmojiView[] | null;
  /** Why it ended, when cancelled (the Matrix cancel code, e.g. m.mismatched_sas, m.user). */
  cancelCode: string | null;
  /** Whether this device cancelled it (else the other device did); null unless cancelled. */
  cancelledByUs: boolean | null;
}

export interface CrossSigningView {
  /** The member has cross-signing keys and this device holds their private parts. */
  ready: boolean;
  /** This device is signed by its owner's self-signing key. */
  deviceSigned: boolean;
}

const flowId = z.string().min(1, 'must name a verification').max(255);
const deviceId = z.string().trim().min(1, 'enter the other device’s id').max(255).regex(/^\S+$/, 'a device id has no spaces');

export const verificationCalls = {
  verification: {
    /** This device's verifications with the member's other devices, newest last. */
    list: call(z.object({}).strict(), returns<VerificationView[]>()),
    /** Asks another of the member's devices to verify this one by emoji. */
    request: call(z.object({ deviceId }).strict(), returns<VerificationView>()),
    /** The member's answer: accept the request, the emoji match or do not, or cancel. */
    act: call(z.object({ flowId, action: z.enum(['accept', 'match', 'mismatch', 'cancel'], 'must be accept, match, mismatch or cancel') }).strict(), returns<VerificationView>()),
    /** Whether cross-signing is set up and this device signed. */
    crossSigning: call(z.object({}).strict(), returns<CrossSigningView>()),
    /** Sets up cross-signing; the password answers the server's check once and is never kept. */
    setUpCrossSigning: call(z.object({ password: z.string().min(1, 'enter your account password').max(1024) }).strict(), returns<CrossSigningView>()),
    /** Whether another of the member's devices is verified for this one. */
    deviceVerified: call(z.object({ deviceId }).strict(), returns<{ verified: boolean }>()),
  },
};

export const verificationEvents = {
  /** Another of the member's sessions asks to verify this one (shown as a notice wherever the member is). */
  'verification.incoming': event<{ flowId: string; otherDeviceId: string | null }>(),
  /** The member's verifications moved on (the other device answered, or this one's answer went out): all of them, as verification.list gives them. */
  'verification.changed': event<{ verifications: VerificationView[] }>(),
};
