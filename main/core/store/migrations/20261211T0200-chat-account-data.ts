import type { Migration } from './types';

// The member's global Matrix account data that chat reads (m.direct: which rooms are
// direct chats, and with whom), as the server last sent it.
export const migration: Migration = {
  id: '20261211T0200-chat-account-data',
  up(db) {
    db.exec(`
      CREATE TABLE chat_account_data (
        type TEXT PRIMARY KEY,
        content TEXT NOT NULL
      ) WITHOUT ROWID;
    `);
  },
};
