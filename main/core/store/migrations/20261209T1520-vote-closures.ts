import type { Migration } from './types';

// A facilitator may reopen a closed vote until its result is final (vote.reopen), so a vote
// can close, reopen and close again. Every close and reopen is kept here, one row per
// operation (stamp = "<hlc> <op id>"); gov_votes.closed_v is then the start of the vote's
// final closed stretch (the earliest close after the last reopen), and ballots cast while
// it stood closed in between are late, as after a close. Filled from the log's live
// vote.close operations (not withdrawn by a redaction, not held from a clock ahead: the
// fold's own reading), so existing votes read exactly as before.
export const migration: Migration = {
  id: '20261209T1520-vote-closures',
  up(db) {
    db.exec(`
      CREATE TABLE gov_vote_closures (
        circle TEXT NOT NULL,
        vote_id TEXT NOT NULL,
        stamp TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('close', 'reopen')),
        actor TEXT NOT NULL,
        PRIMARY KEY (circle, vote_id, stamp)
      ) WITHOUT ROWID;
      -- Judging lateness reads a vote's closes and reopens with their server times (vote-timing.ts).
      CREATE INDEX ops_vote_closures ON ops (circle, json_extract(payload, '$.voteId')) WHERE type IN ('vote.close', 'vote.reopen');
      INSERT OR IGNORE INTO gov_vote_closures (circle, vote_id, stamp, kind, actor)
        SELECT circle, json_extract(payload, '$.voteId'), hlc || ' ' || id, 'close', actor FROM ops WHERE type = 'vote.close' AND withdrawn = 0 AND held_until IS NULL;
    `);
  },
};
