import type { Migration } from './types';

// A room the member marked as unread (MSC2867, room account data m.marked_unread), and the
// flag set here that has not reached the server yet (null when nothing waits), so marking
// a room unread offline holds until it is sent, as the read marker's read_pending does.
export const migration: Migration = {
  id: '20261210T0600-chat-marked-unread',
  up(db) {
    db.exec(`
      ALTER TABLE chat_rooms ADD COLUMN marked_unread INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE chat_rooms ADD COLUMN marked_unread_pending INTEGER;
    `);
  },
};
