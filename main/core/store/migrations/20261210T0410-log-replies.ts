import type { Migration } from './types';

// "!log" messages from Element (main/core/sync/log-command.ts): which ones were answered in
// the room, by this replica or by another one whose answer this replica read, so a message
// is answered once.
export const migration: Migration = {
  id: '20261210T0410-log-replies',
  up(db) {
    db.exec(`
      CREATE TABLE sync_log_replies (
        event_id TEXT PRIMARY KEY,
        room_id TEXT NOT NULL,
        answered_by TEXT NOT NULL
      ) WITHOUT ROWID;
    `);
  },
};
