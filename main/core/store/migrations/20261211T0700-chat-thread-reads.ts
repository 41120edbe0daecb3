import type { Migration } from './types';

// Threads: where the member last read each thread they opened on this device (the position
// of its newest reply then), so a thread's unread replies survive a restart.
export const migration: Migration = {
  id: '20261211T0700-chat-thread-reads',
  up(db) {
    db.exec(`
      CREATE TABLE chat_thread_reads (
        root_id TEXT PRIMARY KEY,
        room_id TEXT NOT NULL,
        pos INTEGER NOT NULL
      ) WITHOUT ROWID;
    `);
  },
};
