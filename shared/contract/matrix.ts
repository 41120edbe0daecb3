// The coop server (Matrix homeserver) connection: discovery, sign-in, status, sign-out.
// The access token never appears here: main keeps it in its SecretStore.
import { z } from 'zod';
import { call, event, returns } from './define';

export interface MatrixSessionView {
  homeserverUrl: string;
  userId: string;
  deviceId: string;
}

/** The sync loop's state (mirrors ConnectionStatus in main/core/matrix). */
export type MatrixConnectionState =
  | { status: 'signed-out' }
  | { status: 'connecting' }
  | { status: 'online'; lastSyncAt: number }
  | { status: 'offline'; since: number; reason: string }
  | { status: 'error'; code: string; message: string };

export type SsoState = { state: 'idle' } | { state: 'waiting'; url: string; startedAt: number } | { state: 'failed'; reason: string };

export interface MatrixStatusView {
  session: MatrixSessionView | null;
  connection: MatrixConnectionState;
  /** The user paused syncing (matrix.disconnect); matrix.connect resumes. */
  paused: boolean;
  sso: SsoState;
  /** Where encrypted rooms are opened: Element web, or the coop's own Element. */
  elementUrl: string;
  /**
   * How main keeps the access token (never the token itself): encrypted by the system
   * keychain, in a file only the user can read (the browser bridge), or in memory until
   * Plenary quits because the computer has no keychain Plenary can use.
   */
  tokenStorage: TokenStorage;
}

export type TokenStorage = 'encrypted' | 'user-file' | 'memory';

export interface LoginFlows {
  password: boolean;
  sso: boolean;
  identityProviders: { id: string; name: string }[];
}

export interface HomeserverDiscovery {
  homeserverUrl: string;
  /** How it was found: the server's .well-known, the server name itself, or the URL typed. */
  source: 'well-known' | 'server-name' | 'url';
  /** The localpart when a Matrix ID was typed. */
  user: string | null;
  serverName: string | null;
  flows: LoginFlows;
}

const homeserverUrl = z
  .string()
  .max(2048)
  .regex(/^https?:\/\/[^\s]+$/, 'must be an http(s) address');

export const matrixCalls = {
  matrix: {
    status: call(z.object({}).strict(), returns<MatrixStatusView>()),
    discover: call(z.object({ input: z.string().trim().min(1).max(512) }).strict(), returns<HomeserverDiscovery>()),
    signInWithPassword: call(
      z
        .object({
          homeserverUrl,
          /** A localpart ("ana") or a full Matrix ID ("@ana:meet.coop"). */
          user: z.string().trim().min(1).max(255),
          password: z.string().min(1).max(1024),
        })
        .strict(),
      returns<MatrixStatusView>(),
    ),
    /** Starts SSO; `url` is opened in the system browser (by main, or by the page when openedExternally is false). */
    startSso: call(
      z.object({ homeserverUrl, identityProviderId: z.string().min(1).max(255).optional() }).strict(),
      returns<{ url: string; openedExternally: boolean }>(),
    ),
    cancelSso: call(z.object({}).strict(), returns<MatrixStatusView>()),
    signOut: call(z.object({}).strict(), returns<MatrixStatusView>()),
    connect: call(z.object({}).strict(), returns<MatrixStatusView>()),
    disconnect: call(z.object({}).strict(), returns<MatrixStatusView>()),
    setElementUrl: call(
      z
        .object({ url: z.string().max(2048).regex(/^https:\/\/[^\s]+$/, 'must be an https:// address') })
        .strict(),
      returns<MatrixStatusView>(),
    ),
    /** This device's end-to-end encryption keys (Settings › Security); null when signed out. */
    encryption: call(z.object({}).strict(), returns<EncryptionView | null>()),
    /** Restores room keys from the member's key backup with their recovery key (as Element's "Restore from backup"). */
    restoreKeys: call(z.object({ recoveryKey: z.string().trim().min(1, 'enter the recovery key').max(200, 'a recovery key is 48 characters') }).strict(), returns<{ imported: number; total: number }>()),
  },
};

/** This device's keys, as Element shows them under Settings › Security › Session. */
export interface EncryptionView {
  deviceId: string;
  /** The device's Ed25519 fingerprint (what verifying it compares), base64. */
  ed25519: string;
  /** Its Curve25519 identity key, base64. */
  curve25519: string;
}

export const matrixEvents = {
  'matrix.status': event<MatrixStatusView>(),
};

export const defaultElementUrl = 'https://app.element.io';
