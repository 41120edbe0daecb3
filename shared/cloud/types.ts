// What the core answers about the member's NextCloud: the account (never the app password),
// folders to browse, uploads under way.
import type { TokenStorage } from '../contract/matrix';

export interface CloudStatusView {
  /** The NextCloud in use: the member's own address, else coop.json's; null when neither is set. */
  address: string | null;
  memberAddress: string;
  coopAddress: string | null;
  account: { loginName: string; server: string; since: number } | null;
  /** The server stopped accepting the app password: sign in again. */
  expired: boolean;
  /** Waiting for the member to grant access in the browser (Login Flow v2). */
  pending: { url: string; startedAt: number } | null;
  /** Why the last sign-in did not complete, or null. */
  signInProblem: string | null;
  passwordStorage: TokenStorage;
}

export interface CloudEntry {
  name: string;
  /** From the member's home: "/Documents/budget.ods". */
  path: string;
  kind: 'folder' | 'file';
  sizeBytes: number | null;
  modifiedAt: number | null;
}

export interface CloudListing {
  path: string;
  entries: CloudEntry[];
}

export interface CloudUploadProgress {
  uploadId: string;
  /** Bytes sent to NextCloud so far, of total. */
  sent: number;
  total: number;
}
