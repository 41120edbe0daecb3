// Verifying this device with another of the member's devices by emoji (SAS), as Element
// does, on the Rust crypto's verification API. Requests and their steps come in as
// to-device events through the sync loop (receiveSyncChanges); what each step sends out is
// handed to the engine's request sender. What the member sees is decided by
// shared/crypto/verification-state.ts.
import * as Rust from '@matrix-org/matrix-sdk-crypto-wasm';
import { PlenaryError } from '../../../shared/errors';
import { sasEmojiFor } from '../../../shared/crypto/sas-emoji';
import type { VerificationView } from '../../../shared/contract/verification';

export type { VerificationView };
import { allowedActions, verificationStage, type RequestPhase, type VerificationAction } from '../../../shared/crypto/verification-state';


type Outgoing = Rust.ToDeviceRequest | Rust.RoomMessageRequest;

export interface VerificationHost {
  machine: Rust.OlmMachine;
  userId: string;
  /** Requests seen this run, by flow id, with the other device once known (the machine forgets finished ones). */
  known: Map<string, { request: Rust.VerificationRequest; askedDevice: string | null }>;
  send(request: Outgoing): Promise<void>;
  /** Sends whatever else the machine queued (signatures after a verification). */
  flush(): Promise<void>;
}

const phases: Record<number, RequestPhase> = {
  [Rust.VerificationRequestPhase.Created]: 'created',
  [Rust.VerificationRequestPhase.Requested]: 'requested',
  [Rust.VerificationRequestPhase.Ready]: 'ready',
  [Rust.VerificationRequestPhase.Transitioned]: 'transitioned',
  [Rust.VerificationRequestPhase.Done]: 'done',
  [Rust.VerificationRequestPhase.Cancelled]: 'cancelled',
};

function sasOf(request: Rust.VerificationRequest): Rust.Sas | null {
  const flow = request.getVerification();
  return flow instanceof Rust.Sas ? flow : null;
}

export function viewOf(request: Rust.VerificationRequest, askedDevice: string | null = null): VerificationView {
  const sas = sasOf(request);
  const indexes = sas?.emojiIndex();
  const stage = verificationStage({
    phase: phases[request.phase()] ?? 'cancelled',
    weStarted: request.weStarted(),
    sas: sas ? { emojiShown: sas.canBePresented() && indexes !== undefined, weConfirmed: sas.haveWeConfirmed(), done: sas.isDone(), cancelled: sas.isCancelled() } : null,
  });
  const cancel = request.cancelInfo ?? sas?.cancelInfo();
  return {
    flowId: request.flowId,
    otherDeviceId: request.otherDeviceId?.toString() ?? askedDevice,
    weStarted: request.weStarted(),
    stage,
    emoji: stage === 'compare' && indexes ? sasEmojiFor([...indexes]) : null,
    cancelCode: cancel ? cancel.cancelCode() : null,
    cancelledByUs: cancel ? cancel.cancelledbyUs() : null,
  };
}

/** The member's verifications with their own devices (Plenary verifies only its own member's devices). */
export function listVerifications(host: VerificationHost): Rust.VerificationRequest[] {
  for (const request of host.machine.getVerificationRequests(new Rust.UserId(host.userId))) {
    if (request.isSelfVerification() && !host.known.has(request.flowId)) host.known.set(request.flowId, { request, askedDevice: null });
  }
  return [...host.known.values()].map((entry) => entry.request);
}

/** The views of the member's verifications this run, oldest first. */
export function verificationViews(host: VerificationHost): VerificationView[] {
  listVerifications(host);
  return [...host.known.values()].map((entry) => viewOf(entry.request, remember(entry)));
}

function viewById(host: VerificationHost, flowId: string): VerificationView {
  const request = find(host, flowId);
  const entry = host.known.get(flowId);
  return viewOf(request, entry ? remember(entry) : null);
}

/** The other device, kept once known (the machine forgets it when the request ends). */
function remember(entry: { request: Rust.VerificationRequest; askedDevice: string | null }): string | null {
  entry.askedDevice = entry.request.otherDeviceId?.toString() ?? entry.askedDevice;
  return entry.askedDevice;
}

/**
 * Moves each verification on where the member has already agreed: an emoji flow the other
 * device started in a request both accepted is accepted (comparing the emoji is the
 * member's real answer), and a ready request Plenary made starts the emoji flow.
 */
export async function advanceVerifications(host: VerificationHost): Promise<void> {
  for (const request of listVerifications(host)) {
    const sas = sasOf(request);
    if (sas && !sas.weStarted() && !sas.hasBeenAccepted() && !sas.isCancelled() && !sas.isDone()) {
      const accept = sas.accept();
      if (accept) await host.send(accept);
    } else if (!sas && request.phase() === Rust.VerificationRequestPhase.Ready && request.weStarted()) {
      const started = await request.startSas();
      if (started) await host.send(started[1]);
    }
  }
}

function find(host: VerificationHost, flowId: string): Rust.VerificationRequest {
  const request = listVerifications(host).find((r) => r.flowId === flowId);
  if (!request) throw new PlenaryError('not_found', 'That verification has ended or never existed', { params: { reason: 'no_verification' } });
  return request;
}

/** Asks another of the member's devices (by id) to verify this one. */
export async function requestVerification(host: VerificationHost, deviceId: string): Promise<VerificationView> {
  const own = new Rust.UserId(host.userId);
  await host.machine.updateTrackedUsers([own]);
  await host.flush();
  const device = await host.machine.getDevice(new Rust.UserId(host.userId), new Rust.DeviceId(deviceId));
  if (!device) throw new PlenaryError('not_found', 'No device of yours has that id (sign in there first, then try again)', { field: 'deviceId', params: { reason: 'no_device' } });
  const [request, toDevice] = device.requestVerification([Rust.VerificationMethod.SasV1]);
  // Freed at once: it holds the store open (see cross-signing.ts); the request lives on.
  device.free();
  host.known.set(request.flowId, { request, askedDevice: deviceId });
  await host.send(toDevice);
  return viewOf(request, deviceId);
}

/** The member's answer to one step of a verification. */
export async function act(host: VerificationHost, flowId: string, action: VerificationAction): Promise<VerificationView> {
  const request = find(host, flowId);
  const view = viewById(host, flowId);
  if (!allowedActions(view.stage).includes(action)) {
    throw new PlenaryError('conflict', `This verification cannot take “${action}” now (it is ${view.stage})`, { params: { reason: 'wrong_stage', stage: view.stage } });
  }
  const sas = sasOf(request);
  if (action === 'accept') {
    const accept = request.acceptWithMethods([Rust.VerificationMethod.SasV1]);
    if (accept) await host.send(accept);
  } else if (action === 'match') {
    for (const out of await sas!.confirm()) await host.send(out);
    await host.flush();
  } else if (action === 'mismatch') {
    const out = sas!.cancelWithCode('m.mismatched_sas');
    if (out) await host.send(out);
  } else {
    const out = sas && !sas.isCancelled() ? sas.cancel() : request.cancel();
    if (out) await host.send(out);
  }
  await advanceVerifications(host);
  return viewById(host, flowId);
}
