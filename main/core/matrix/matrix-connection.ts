// The one Matrix connection of the core: the signed-in session, an authenticated
// client-server API request function, and a single /sync loop whose responses are handed
// to consumers (chat, governance sync). Implemented in ./matrix-connection-service.ts.
//
// Contract for consumers: the loop calls every consumer's onSync with each /sync response,
// in order, and persists `next_batch` only after all of them resolved. So after a crash
// or restart the loop resumes from the last fully processed batch; consumers must
// therefore be idempotent (dedupe by event id or operation id). A room timeline marked
// `limited` has a gap before it; consumers that need every event back-fill it themselves
// with GET /rooms/{roomId}/messages from `prev_batch`.

export interface MatrixSession {
  homeserverUrl: string;
  userId: string;
  deviceId: string;
}

export type ConnectionStatus =
  | { status: 'signed-out' }
  | { status: 'connecting' }
  | { status: 'online'; lastSyncAt: number }
  | { status: 'offline'; since: number; reason: string }
  | { status: 'error'; code: string; message: string };

export interface MatrixRawEvent {
  event_id: string;
  type: string;
  sender: string;
  origin_server_ts: number;
  content: Record<string, unknown>;
  room_id?: string;
  state_key?: string;
  unsigned?: Record<string, unknown>;
  redacts?: string;
}

export interface SyncRoomTimeline {
  events: MatrixRawEvent[];
  limited?: boolean;
  prev_batch?: string;
}

export interface SyncJoinedRoom {
  timeline?: SyncRoomTimeline;
  state?: { events: MatrixRawEvent[] };
  ephemeral?: { events: { type: string; content: Record<string, unknown> }[] };
  account_data?: { events: { type: string; content: Record<string, unknown> }[] };
  unread_notifications?: { highlight_count?: number; notification_count?: number };
}

export interface SyncResponse {
  next_batch: string;
  rooms?: {
    join?: Record<string, SyncJoinedRoom>;
    invite?: Record<string, unknown>;
    leave?: Record<string, SyncJoinedRoom>;
  };
  account_data?: { events: { type: string; content: Record<string, unknown> }[] };
  /** For end-to-end encryption (crypto/crypto-service.ts). */
  to_device?: { events?: unknown[] };
  device_lists?: { changed?: string[]; left?: string[] };
  device_one_time_keys_count?: Record<string, number>;
  device_unused_fallback_key_types?: string[];
}

export interface SyncConsumer {
  /** What it is, for the list of events skipped when it keeps failing (sync-loop.ts). */
  readonly name?: string;
  /**
   * Called once per /sync response, in order. Throwing stops the batch from being committed;
   * it is retried, and after a few failed attempts given one event at a time, the events it
   * still fails on being skipped (not for passing failures: network, 429, 5xx, the disk).
   */
  onSync(response: SyncResponse, context: { initial: boolean }): Promise<void> | void;
}

/** A failed client-server API request, with Matrix's error code and rate-limit hint. */
export class MatrixHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errcode: string,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'MatrixHttpError';
  }
}

/** The network could not be reached at all (DNS, refused, reset, timeout). */
export class MatrixNetworkError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MatrixNetworkError';
  }
}

export interface MatrixConnection {
  /** The signed-in session, or null. The access token is never part of it. */
  session(): MatrixSession | null;
  status(): ConnectionStatus;
  /**
   * An authenticated client-server API request. `path` starts with /_matrix/. Throws
   * MatrixHttpError for Matrix errors (429 carries retryAfterMs) and MatrixNetworkError
   * when the server cannot be reached.
   */
  request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, options?: { body?: unknown; query?: Record<string, string> }): Promise<T>;
  /** PUT /rooms/{roomId}/send/{type}/{txnId}: the same txnId from the same device never duplicates. */
  sendEvent(roomId: string, type: string, content: Record<string, unknown>, txnId: string): Promise<{ event_id: string }>;
  addConsumer(consumer: SyncConsumer): () => void;
  /** Decrypts events read outside /sync (back-filled history) where the room is encrypted; absent without encryption. */
  decryptEvents?(roomId: string, events: MatrixRawEvent[]): Promise<MatrixRawEvent[]>;
  onStatusChange(listener: (status: ConnectionStatus) => void): () => void;
  /** Runs one /sync round now (no long-poll wait) and resolves when consumers processed it. */
  syncNow(): Promise<void>;
}
