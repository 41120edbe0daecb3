import type { Migration } from './types';

// The signed-in Matrix session (never the token: that lives in the SecretStore) and the
// sync loop's `since` token, so a restart resumes where the last fully processed batch ended.
export const migration: Migration = {
  id: '20261122T0300-matrix-session',
  up(db) {
    db.exec(`
      CREATE TABLE matrix_session (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        homeserver_url TEXT NOT NULL,
        user_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        signed_in_at INTEGER NOT NULL,
        sync_since TEXT
      );
    `);
  },
};
