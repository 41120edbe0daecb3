import type { Migration } from './types';

// Read receipts (m.read, and the member's own m.read.private): where each member of a room
// has read up to, one row per member, moving only forward.
export const migration: Migration = {
  id: '20261210T0610-chat-receipts',
  up(db) {
    db.exec(`
      CREATE TABLE chat_receipts (
        room_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        ts INTEGER NOT NULL,
        PRIMARY KEY (room_id, user_id)
      ) WITHOUT ROWID;
    `);
  },
};
