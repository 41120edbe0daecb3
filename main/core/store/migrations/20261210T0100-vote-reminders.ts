import type { Migration } from './types';

// Deadlines, reminders and outcomes (README "Deadlines, reminders and outcomes").
//
// gov_votes.review_on: the outcome's review date (vote.update fields.reviewOn, YYYY-MM-DD),
// last writer wins like the other editable fields.
//
// vote_reminders_shown: the desktop reminders this computer has shown (or kept back under
// Do not disturb), so a restart never shows one again. kind: 'closing' (before the deadline,
// to a member who has not voted) or 'review' (on the outcome's review date).
//
// sync_vote_notices: the circle room's one "closing soon" notice per vote. A row is written
// before the notice is sent (state 'queued', with a transaction id derived from the vote, so
// a retry after a crash returns the event already sent), and kept once sent ('sent') or once
// another device's notice for the vote was seen in the room ('seen'), or once the server
// refused it ('refused': logged, never retried, so a refusal cannot turn into a stream of copies).
export const migration: Migration = {
  id: '20261210T0100-vote-reminders',
  up(db) {
    db.exec(`
      ALTER TABLE gov_votes ADD COLUMN review_on TEXT;
      ALTER TABLE gov_votes ADD COLUMN review_on_v TEXT NOT NULL DEFAULT '';
      -- Reminders look for open votes closing soon and outcomes due for review on every tick
      -- and every read from the server: these keep that from scanning every vote.
      CREATE INDEX gov_votes_closing ON gov_votes (closes_at) WHERE closes_at IS NOT NULL AND closed_v IS NULL;
      CREATE INDEX gov_votes_review ON gov_votes (review_on) WHERE review_on IS NOT NULL;

      CREATE TABLE vote_reminders_shown (
        circle TEXT NOT NULL,
        vote_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('closing', 'review')),
        subject TEXT NOT NULL,
        shown_at INTEGER NOT NULL,
        PRIMARY KEY (circle, vote_id, kind, subject)
      ) WITHOUT ROWID;

      CREATE TABLE sync_vote_notices (
        circle TEXT NOT NULL,
        vote_id TEXT NOT NULL,
        txn_id TEXT NOT NULL,
        content_json TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'seen', 'refused')),
        event_id TEXT,
        PRIMARY KEY (circle, vote_id)
      ) WITHOUT ROWID;
    `);
  },
};
