import type { Migration } from './types';

// Tables of governance sync through the coop's Matrix homeserver (main/core/sync/).
export const migration: Migration = {
  id: '20261122T0500-sync',
  up(db) {
    db.exec(`
      -- Local operations waiting to be uploaded, written in the same transaction as the
      -- operation itself. A batch id is assigned (and persisted) before the first attempt to
      -- send, so a retry after a crash sends the same event with the same transaction id.
      CREATE TABLE sync_outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        op_id TEXT NOT NULL UNIQUE,
        circle TEXT NOT NULL,
        op_json TEXT NOT NULL,
        batch_id TEXT
      );
      CREATE INDEX sync_outbox_circle ON sync_outbox (circle, seq);
      CREATE INDEX sync_outbox_batch ON sync_outbox (batch_id) WHERE batch_id IS NOT NULL;

      -- Extra events that mirror governance for Element users (MSC3381 polls), each with a
      -- deterministic transaction id. Sent after the operations batch that caused them.
      CREATE TABLE sync_poll_outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        txn_id TEXT NOT NULL UNIQUE,
        circle TEXT NOT NULL,
        vote_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('start', 'response', 'end')),
        content_json TEXT NOT NULL
      );

      -- Which Matrix room carries each circle.
      CREATE TABLE sync_circle_rooms (
        circle TEXT PRIMARY KEY,
        room_id TEXT NOT NULL UNIQUE
      );

      -- The poll start event of each vote published or seen as an MSC3381 poll.
      CREATE TABLE sync_vote_polls (
        vote_id TEXT PRIMARY KEY,
        room_id TEXT NOT NULL,
        event_id TEXT NOT NULL UNIQUE,
        creator TEXT NOT NULL,
        -- Plenary option id -> poll answer id (they differ for polls created in Element).
        answers_json TEXT NOT NULL DEFAULT '{}'
      );

      -- Room state the inbound side needs: power levels (who may act as facilitator) and
      -- the room's circle marker.
      CREATE TABLE sync_room_state (
        room_id TEXT NOT NULL,
        type TEXT NOT NULL,
        state_key TEXT NOT NULL,
        sender TEXT NOT NULL DEFAULT '',
        content_json TEXT NOT NULL,
        PRIMARY KEY (room_id, type, state_key)
      );

      -- Governance-relevant events already processed, so back-fills know where to stop.
      CREATE TABLE sync_seen_events (
        event_id TEXT PRIMARY KEY,
        room_id TEXT NOT NULL,
        origin_server_ts INTEGER NOT NULL
      );

      -- Events (or single operations inside them) that failed validation or authorisation.
      -- Kept for inspection in Settings, never applied.
      CREATE TABLE sync_quarantine (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id TEXT NOT NULL,
        op_index INTEGER NOT NULL DEFAULT -1, -- -1: the whole event
        room_id TEXT NOT NULL,
        sender TEXT NOT NULL,
        event_type TEXT NOT NULL,
        reason TEXT NOT NULL,
        excerpt TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        UNIQUE (event_id, op_index)
      );
    `);
  },
};
