import type { Migration } from './types';

// Two queues of the upload run.
//
// sync_results_outbox: votes opened and closed before their poll reached the server are
// published to Element users as one results message (m.room.message) per upload instead of
// a poll born closed (start, answers, end: three events a vote under a limit of one event
// every 5 s). A row is one such message; the votes it lists left sync_poll_outbox in the
// same transaction, and its transaction id derives from them, so a retry never duplicates.
// sync_results_votes remembers which votes were listed so: they never get a poll, and what
// is queued for them later (a ballot after the close) is dropped instead of waiting forever.
//
// sync_pending_joins: invitations to circle rooms found while reading the server are joined
// by the upload run, through its one rate-limit gate, not inside the /sync loop (where a 429
// would hold up chat). Kept on disk because the invitation does not come again after a
// restart: /sync resumes after the batch that carried it.
export const migration: Migration = {
  id: '20261209T1210-sync-results-and-joins',
  up(db) {
    db.exec(`
      CREATE TABLE sync_results_outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        txn_id TEXT NOT NULL UNIQUE,
        circle TEXT NOT NULL,
        vote_ids_json TEXT NOT NULL,
        content_json TEXT NOT NULL
      );

      CREATE TABLE sync_results_votes (
        vote_id TEXT PRIMARY KEY,
        txn_id TEXT NOT NULL
      );

      CREATE TABLE sync_pending_joins (
        room_id TEXT PRIMARY KEY,
        queued_at INTEGER NOT NULL
      );
    `);
  },
};
