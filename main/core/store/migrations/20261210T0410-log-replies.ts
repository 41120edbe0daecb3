import type { Migration } from './types';

// "!log" messages from Element (main/core/sync/log-command.ts): which ones were answered in
// the room, by this replica or by another one whose answer this replica read, so a message
// is answered once; answers waiting their turn (the next facilitator answers when the first
// has not within minutes); and those refused for passing 24 hours in a day, judged again when an
// earlier entry of that day is withdrawn (as a replica reading the room later judges them).
export const migration: Migration = {
  id: '20261210T0410-log-replies',
  up(db) {
    db.exec(`
      CREATE TABLE sync_log_replies (
        event_id TEXT PRIMARY KEY,
        room_id TEXT NOT NULL,
        answered_by TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE sync_log_over_day (
        event_id TEXT PRIMARY KEY,
        circle TEXT NOT NULL,
        origin_server_ts INTEGER NOT NULL,
        event_json TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX sync_log_over_day_circle ON sync_log_over_day (circle, origin_server_ts);
      -- Answers this replica gives only if nobody ranked before it has answered by then.
      CREATE TABLE sync_log_pending (
        event_id TEXT PRIMARY KEY,
        due_at INTEGER NOT NULL,
        answer_json TEXT NOT NULL
      ) WITHOUT ROWID;
    `);
  },
};
