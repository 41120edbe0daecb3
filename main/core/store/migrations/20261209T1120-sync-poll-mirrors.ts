import type { Migration } from './types';

// Poll answers and ends Plenary published for its own ballots and closes (they carry
// coop.meet.plenary.ballot / .close naming the operation). Kept with their content so that,
// if the operation they mirror is withdrawn (its operations event redacted), the answer or
// end counts as what Element sees: a plain answer, or an end. A replica that joins later
// never sees the withdrawn operation and reads the same event that way too.
// Also: who sent each processed governance event, its type and the event it refers to (a
// poll answer, end or edit names its poll start), so a redaction can be checked as the
// server checks it and a withdrawn poll start takes what refers to it along. And whether a
// vote's poll start was withdrawn, so Plenary stops mirroring that vote to it.
export const migration: Migration = {
  id: '20261209T1120-sync-poll-mirrors',
  up(db) {
    db.exec(`
      CREATE TABLE sync_poll_mirrors (
        event_id TEXT PRIMARY KEY,
        op_id TEXT NOT NULL,
        room_id TEXT NOT NULL,
        event_json TEXT NOT NULL
      );
      CREATE INDEX sync_poll_mirrors_op ON sync_poll_mirrors (op_id);
      ALTER TABLE sync_seen_events ADD COLUMN sender TEXT NOT NULL DEFAULT '';
      ALTER TABLE sync_seen_events ADD COLUMN type TEXT NOT NULL DEFAULT '';
      ALTER TABLE sync_seen_events ADD COLUMN refers_to TEXT;
      CREATE INDEX sync_seen_events_refers ON sync_seen_events (refers_to) WHERE refers_to IS NOT NULL;
      ALTER TABLE sync_vote_polls ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0;
    `);
  },
};
