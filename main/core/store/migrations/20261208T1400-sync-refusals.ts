import type { Migration } from './types';

// What the coop server refused during governance sync (an operations event, a circle's
// room, an invitation, a power-level change, a poll event), kept until it succeeds, the
// member retries it or dismisses it, so the sync status can say what did not get through
// instead of "synced". One row per thing refused; a new refusal of the same thing updates it.
export const migration: Migration = {
  id: '20261208T1400-sync-refusals',
  up(db) {
    db.exec(`
      CREATE TABLE sync_refusals (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('upload', 'room', 'invite', 'power_levels', 'poll')),
        circle TEXT NOT NULL,
        -- The member invited (invite), the poll event's transaction id (poll), else ''.
        subject TEXT NOT NULL DEFAULT '',
        reason TEXT NOT NULL,
        status INTEGER NOT NULL,
        errcode TEXT NOT NULL,
        message TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 1,
        first_at INTEGER NOT NULL,
        last_at INTEGER NOT NULL,
        -- When it is tried again by itself (a passing failure), or NULL: it waits for the member.
        retry_at INTEGER,
        UNIQUE (kind, circle, subject)
      );
    `);
  },
};
