import type { Migration } from './types';

// The local chat cache: joined rooms, their recent timeline (so chat reads offline), gaps
// still to back-fill, member names, and the outbox of messages written offline.
// Timeline positions: appended events count up; a batch after a gap starts 2^32 further
// on, leaving room for the gap's events, which are back-filled counting down.
export const migration: Migration = {
  id: '20261122T0310-chat-cache',
  up(db) {
    db.exec(`
      CREATE TABLE chat_rooms (
        room_id TEXT PRIMARY KEY,
        name TEXT,
        topic TEXT,
        canonical_alias TEXT,
        heroes TEXT NOT NULL DEFAULT '[]',
        encrypted INTEGER NOT NULL DEFAULT 0,
        notification_count INTEGER NOT NULL DEFAULT 0,
        highlight_count INTEGER NOT NULL DEFAULT 0,
        fully_read TEXT,
        read_pending TEXT,
        last_ts INTEGER NOT NULL DEFAULT 0,
        next_pos INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE chat_events (
        event_id TEXT PRIMARY KEY,
        room_id TEXT NOT NULL,
        pos INTEGER NOT NULL,
        type TEXT NOT NULL,
        sender TEXT NOT NULL,
        ts INTEGER NOT NULL,
        state_key TEXT,
        content TEXT NOT NULL,
        rel_type TEXT,
        relates_to TEXT,
        redacted INTEGER NOT NULL DEFAULT 0,
        shown INTEGER NOT NULL,
        txn_id TEXT
      );
      CREATE INDEX chat_events_timeline ON chat_events (room_id, shown, pos);
      CREATE INDEX chat_events_relations ON chat_events (relates_to) WHERE relates_to IS NOT NULL;
      CREATE TABLE chat_members (
        room_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        display_name TEXT,
        membership TEXT NOT NULL,
        PRIMARY KEY (room_id, user_id)
      );
      CREATE TABLE chat_gaps (
        room_id TEXT NOT NULL,
        before_pos INTEGER NOT NULL,
        token TEXT NOT NULL,
        next_pos INTEGER NOT NULL,
        PRIMARY KEY (room_id, before_pos)
      );
      CREATE TABLE chat_outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        txn_id TEXT NOT NULL UNIQUE,
        room_id TEXT NOT NULL,
        type TEXT NOT NULL,
        content TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'failed')),
        event_id TEXT,
        error TEXT,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX chat_outbox_room ON chat_outbox (room_id, seq);
    `);
  },
};
