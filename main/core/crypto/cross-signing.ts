// Cross-signing, as Element sets it up: the member's master, self-signing and user-signing
// keys, made by the Rust crypto and uploaded with the member's password (user-interactive
// auth: the server asks, the password answers once and is never kept). With them this
// device is signed by its owner, and devices the member verifies get signed too.
import * as Rust from '@matrix-org/matrix-sdk-crypto-wasm';
import { PlenaryError } from '../../../shared/errors';
import { MatrixHttpError } from '../matrix/matrix-connection';

type Requester = <T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, options?: { body?: unknown; query?: Record<string, string> }) => Promise<T>;

import type { CrossSigningView } from '../../../shared/contract/verification';

export type { CrossSigningView };

export interface CrossSigningHost {
  machine: Rust.OlmMachine;
  userId: string;
  deviceId: string;
  request: Requester;
  send(request: Rust.KeysUploadRequest | Rust.SignatureUploadRequest | Rust.KeysQueryRequest): Promise<void>;
  flush(): Promise<void>;
}

export async function crossSigningView(host: CrossSigningHost): Promise<CrossSigningView> {
  const status = await host.machine.crossSigningStatus();
  const identity = await host.machine.getIdentity(new Rust.UserId(host.userId));
  try {
    const own = identity instanceof Rust.OwnUserIdentity ? identity : null;
    return { ready: status.hasMaster && status.hasSelfSigning && status.hasUserSigning && own !== null, deviceSigned: own ? await own.trustsOurOwnDevice() : false };
  } finally {
    // Freed at once: an identity holds the store open, and a store held open cannot be deleted
    // (signing out) or opened again (signing in, a restart in the same process) until it goes.
    identity?.free();
  }
}

/** The body the server's user-interactive auth takes for a password (UIA stage m.login.password). */
export function passwordAuth(userId: string, password: string, session: string | undefined): Record<string, unknown> {
  return { type: 'm.login.password', identifier: { type: 'm.id.user', user: userId }, password, ...(session ? { session } : {}) };
}

/**
 * Makes and uploads cross-signing keys (replacing any the member had, as Element's "reset").
 * A server lets a first upload through without asking; replacing keys asks for the password
 * (without one, the member is asked for it: reason "missing").
 */
export async function bootstrapCrossSigning(host: CrossSigningHost, password: string): Promise<CrossSigningView> {
  const requests = await host.machine.bootstrapCrossSigning(true);
  if (requests.uploadKeysRequest) await host.send(requests.uploadKeysRequest as Rust.KeysUploadRequest);
  const body = JSON.parse(requests.uploadSigningKeysRequest.body) as Record<string, unknown>;
  // The first attempt without auth gets the UIA session; the second answers it with the password.
  let session: string | undefined;
  try {
    await host.request('POST', '/_matrix/client/v3/keys/device_signing/upload', { body });
  } catch (error) {
    if (!(error instanceof MatrixHttpError) || error.status !== 401) throw error;
    session = uiaSession(error);
    if (!password) throw new PlenaryError('invalid_input', 'Enter your account password to set up cross-signing', { field: 'password', params: { reason: 'missing' } });
    try {
      await host.request('POST', '/_matrix/client/v3/keys/device_signing/upload', { body: { ...body, auth: passwordAuth(host.userId, password, session) } });
    } catch (second) {
      if (second instanceof MatrixHttpError && (second.status === 401 || second.status === 403)) {
        throw new PlenaryError('invalid_input', 'That password is not your account’s password', { field: 'password', params: { reason: 'wrong_password' } });
      }
      throw second;
    }
  }
  await host.send(requests.uploadSignaturesRequest);
  // Read back what the server now holds for the member (their identity and this device's signature).
  await host.send(host.machine.queryKeysForUsers([new Rust.UserId(host.userId)]));
  await host.flush();
  return crossSigningView(host);
}

function uiaSession(error: MatrixHttpError): string | undefined {
  const session = (error as MatrixHttpError & { uiaSession?: unknown }).uiaSession;
  return typeof session === 'string' ? session : undefined;
}
