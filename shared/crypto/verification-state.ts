// What a verification of one of the member's devices looks like to them, from what the
// Rust crypto says of the request and its SAS (emoji) flow. Pure: the core reads the flags,
// this decides what the member sees and may do.

export type VerificationStage =
  /** Another device asks; the member may accept or decline. */
  | 'incoming'
  /** Plenary asked; waiting for the other device to accept. */
  | 'waiting'
  /** Both agreed; the emoji exchange is being started. */
  | 'ready'
  /** The emoji are being agreed between the devices. */
  | 'starting'
  /** The member compares the emoji and says whether they match. */
  | 'compare'
  /** The member said they match; waiting for the other device to say so too. */
  | 'confirmed'
  | 'done'
  | 'cancelled';

export type RequestPhase = 'created' | 'requested' | 'ready' | 'transitioned' | 'done' | 'cancelled';

export interface VerificationFlags {
  phase: RequestPhase;
  weStarted: boolean;
  sas: null | { emojiShown: boolean; weConfirmed: boolean; done: boolean; cancelled: boolean };
}

export function verificationStage(flags: VerificationFlags): VerificationStage {
  if (flags.phase === 'cancelled' || flags.sas?.cancelled) return 'cancelled';
  if (flags.phase === 'done' || flags.sas?.done) return 'done';
  if (flags.sas) {
    if (flags.sas.weConfirmed) return 'confirmed';
    return flags.sas.emojiShown ? 'compare' : 'starting';
  }
  if (flags.phase === 'created' || flags.phase === 'requested') return flags.weStarted ? 'waiting' : 'incoming';
  if (flags.phase === 'ready') return 'ready';
  // Transitioned to a method other than SAS (a QR code, which Plenary does not show).
  return 'starting';
}

export type VerificationAction = 'accept' | 'match' | 'mismatch' | 'cancel';

/** What the member may do at each stage (anything else is refused with a clear message). */
export function allowedActions(stage: VerificationStage): VerificationAction[] {
  switch (stage) {
    case 'incoming':
      return ['accept', 'cancel'];
    case 'compare':
      return ['match', 'mismatch', 'cancel'];
    case 'waiting':
    case 'ready':
    case 'starting':
    case 'confirmed':
      return ['cancel'];
    default:
      return [];
  }
}

/** Whether a verification is still worth showing (finished ones stay until dismissed by time). */
export function isActive(stage: VerificationStage): boolean {
  return stage !== 'done' && stage !== 'cancelled';
}
