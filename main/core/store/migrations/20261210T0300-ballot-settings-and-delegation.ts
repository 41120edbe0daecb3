import type { Migration } from './types';

// Per-vote ballot settings and standing delegation:
// - gov_votes.hide_results: totals and others' choices stay hidden until the close (1), or
//   show while the vote runs (0, every vote made before this step); gov_votes.reasons: 'off',
//   'optional' or 'required', NULL for votes made before this step (optional, 1,000 characters);
// - sync_history_votes.reasons: the same setting as the circle room's history establishes it,
//   so a ballot received without a required reason is refused (authorization.ts);
// - gov_delegations: each member's standing delegation in a circle, a last-writer-wins
//   element (set_v / removed_v) like gov_members; ops_delegations finds a circle's delegation
//   operations in the log, which a vote's count reads at its close, without scanning the log.
export const migration: Migration = {
  id: '20261210T0300-ballot-settings-and-delegation',
  up(db) {
    db.exec(`
      ALTER TABLE gov_votes ADD COLUMN hide_results INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE gov_votes ADD COLUMN reasons TEXT;
      ALTER TABLE sync_history_votes ADD COLUMN reasons TEXT;
      CREATE TABLE gov_delegations (
        circle TEXT NOT NULL,
        member TEXT NOT NULL,
        delegate TEXT NOT NULL,
        set_v TEXT NOT NULL,
        removed_v TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (circle, member)
      ) WITHOUT ROWID;
      CREATE INDEX ops_delegations ON ops (circle, hlc, id) WHERE type IN ('circle.delegation.set', 'circle.delegation.revoke');
    `);
  },
};
