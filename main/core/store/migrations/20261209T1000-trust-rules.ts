import type { Migration } from './types';

// What sync needs to apply one authorisation rule to every operation, whoever made it, and to
// tell the member what other replicas refuse (main/core/sync/history-authority.ts,
// withdrawn-ops.ts, room-declarations.ts, proposals.ts).
export const migration: Migration = {
  id: '20261209T1000-trust-rules',
  up(db) {
    db.exec(`
      -- Facts of each circle's room history that authorisation reads for operations received:
      -- who logged each contribution entry and whose work it is, who created each vote, as
      -- established by the operations accepted so far in timeline order. Never written from
      -- this replica's own unsent work, so every replica decides each operation alike.
      CREATE TABLE sync_history_contributions (
        circle TEXT NOT NULL,
        contribution_id TEXT NOT NULL,
        author TEXT NOT NULL,
        author_v TEXT NOT NULL,
        member TEXT NOT NULL,
        member_v TEXT NOT NULL,
        PRIMARY KEY (circle, contribution_id)
      ) WITHOUT ROWID;
      CREATE TABLE sync_history_votes (
        circle TEXT NOT NULL,
        vote_id TEXT NOT NULL,
        creator TEXT NOT NULL,
        created_v TEXT NOT NULL,
        PRIMARY KEY (circle, vote_id)
      ) WITHOUT ROWID;
      -- Events read before this step are not read again: start from what they established.
      INSERT INTO sync_history_contributions (circle, contribution_id, author, author_v, member, member_v)
        SELECT circle, contribution_id, created_by, created_v, member, coalesce(base_v, created_v)
        FROM gov_contributions WHERE created_v IS NOT NULL AND created_by IS NOT NULL AND member IS NOT NULL;
      INSERT INTO sync_history_votes (circle, vote_id, creator, created_v)
        SELECT circle, vote_id, created_by, created_v FROM gov_votes WHERE created_v IS NOT NULL AND created_by IS NOT NULL;

      -- This replica's own operations that the other replicas refuse (judged by the same rule
      -- when its own event came back from the server), taken out of the log so this replica
      -- ends where the others are; kept here to show the member what was not accepted and why.
      -- (Not named ops_withdrawn: 20261209T1100-op-events names an index on ops so, and
      -- tables and indexes share one namespace. Redacted operations stay in ops, withdrawn = 1.)
      CREATE TABLE ops_not_accepted (
        op_id TEXT PRIMARY KEY,
        circle TEXT NOT NULL,
        op_json TEXT NOT NULL,
        -- 'refused': other replicas refuse it.
        cause TEXT NOT NULL,
        -- A machine reason the interface translates, and precise English.
        reason TEXT NOT NULL,
        detail TEXT NOT NULL,
        event_id TEXT NOT NULL DEFAULT '',
        withdrawn_at INTEGER NOT NULL,
        -- The member has seen it: no longer counted in the sync status.
        acknowledged INTEGER NOT NULL DEFAULT 0
      );

      -- Element polls started by members who may not create votes: member proposals, until a
      -- facilitator adopts one (a vote with the poll's own vote id). proposal_json is the vote
      -- it would become; NULL for polls that are votes.
      ALTER TABLE sync_vote_polls ADD COLUMN proposal_json TEXT;
      ALTER TABLE sync_vote_polls ADD COLUMN proposed_at INTEGER;
      ALTER TABLE sync_vote_polls ADD COLUMN ended_at INTEGER;

      -- Invitations to rooms claiming to be a circle's room that no authorised declaration
      -- backs: neither joined nor bound, and shown to the member.
      CREATE TABLE sync_room_notices (
        room_id TEXT PRIMARY KEY,
        circle TEXT NOT NULL,
        room_creator TEXT NOT NULL,
        inviter TEXT NOT NULL DEFAULT '',
        room_name TEXT,
        reason TEXT NOT NULL CHECK (reason IN ('not_declared', 'circle_has_room')),
        noticed_at INTEGER NOT NULL,
        dismissed INTEGER NOT NULL DEFAULT 0
      );
    `);
  },
};
