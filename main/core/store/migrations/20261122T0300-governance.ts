import type { Migration } from './types';

// The governance operation log and the tables folded from it.
//
// Every "*_v" column is the version that last wrote the value next to it: the writing
// operation's "<hlc> <op id>" stamp (see shared/governance/stamp.ts and governance-fold.ts). Comparing stamps as strings
// orders them by hybrid logical clock, so a write only lands when it is newer, whatever
// order operations arrive in. "*_removed_v" and "deleted_v" columns are the newest removal
// (LWW element sets) or the first deletion (permanent tombstones).
export const migration: Migration = {
  id: '20261122T0300-governance',
  up(db) {
    db.exec(`
      -- seq is the rowid: it only grows because operations are never deleted.
      CREATE TABLE ops (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        hlc TEXT NOT NULL,
        actor TEXT NOT NULL,
        circle TEXT NOT NULL,
        type TEXT NOT NULL,
        payload TEXT NOT NULL,
        v INTEGER NOT NULL,
        origin TEXT NOT NULL CHECK (origin IN ('local', 'remote'))
      );
      -- Ballots are never edited (a changed ballot is a new one), so the log is their table:
      -- this index lists a vote's ballots in clock order, and tallying decides which count
      -- (each voter's newest before the close, plus accepted late ballots).
      CREATE INDEX ops_ballots ON ops (circle, json_extract(payload, '$.voteId'), hlc, id) WHERE type = 'vote.ballot';

      CREATE TABLE gov_circles (
        circle TEXT PRIMARY KEY,
        created_v TEXT,
        created_by TEXT,
        name TEXT, name_v TEXT NOT NULL DEFAULT '',
        purpose TEXT, purpose_v TEXT NOT NULL DEFAULT '',
        timezone TEXT, timezone_v TEXT NOT NULL DEFAULT '',
        schedule TEXT, schedule_v TEXT NOT NULL DEFAULT '',
        archived_v TEXT
      ) WITHOUT ROWID;

      CREATE TABLE gov_members (
        circle TEXT NOT NULL,
        member TEXT NOT NULL,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL,
        timezone TEXT NOT NULL,
        set_v TEXT NOT NULL,
        removed_v TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (circle, member)
      ) WITHOUT ROWID;

      CREATE TABLE gov_rooms (
        circle TEXT NOT NULL,
        room_id TEXT NOT NULL,
        url TEXT NOT NULL,
        label TEXT NOT NULL,
        set_v TEXT NOT NULL,
        removed_v TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (circle, room_id)
      ) WITHOUT ROWID;

      CREATE TABLE gov_assemblies (
        circle TEXT NOT NULL,
        assembly_id TEXT NOT NULL,
        created_v TEXT,
        created_by TEXT,
        title TEXT, title_v TEXT NOT NULL DEFAULT '',
        scheduled_at INTEGER, scheduled_at_v TEXT NOT NULL DEFAULT '',
        opened_v TEXT,
        closed_v TEXT,
        PRIMARY KEY (circle, assembly_id)
      ) WITHOUT ROWID;

      CREATE TABLE gov_agenda_items (
        circle TEXT NOT NULL,
        assembly_id TEXT NOT NULL,
        item_id TEXT NOT NULL,
        title TEXT NOT NULL,
        position INTEGER NOT NULL,
        set_v TEXT NOT NULL,
        removed_v TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (circle, assembly_id, item_id)
      ) WITHOUT ROWID;

      CREATE TABLE gov_attendance (
        circle TEXT NOT NULL,
        assembly_id TEXT NOT NULL,
        member TEXT NOT NULL,
        status TEXT NOT NULL,
        set_v TEXT NOT NULL,
        PRIMARY KEY (circle, assembly_id, member)
      ) WITHOUT ROWID;

      CREATE TABLE gov_minutes (
        circle TEXT NOT NULL,
        assembly_id TEXT NOT NULL,
        item_id TEXT NOT NULL,
        markdown TEXT NOT NULL,
        author TEXT NOT NULL,
        set_v TEXT NOT NULL,
        PRIMARY KEY (circle, assembly_id, item_id)
      ) WITHOUT ROWID;

      CREATE TABLE gov_decisions (
        circle TEXT NOT NULL,
        assembly_id TEXT NOT NULL,
        item_id TEXT NOT NULL,
        vote_id TEXT NOT NULL,
        PRIMARY KEY (circle, assembly_id, item_id, vote_id)
      ) WITHOUT ROWID;

      CREATE TABLE gov_recordings (
        circle TEXT NOT NULL,
        assembly_id TEXT NOT NULL,
        recording_id TEXT NOT NULL,
        url TEXT NOT NULL,
        label TEXT NOT NULL,
        set_v TEXT NOT NULL,
        PRIMARY KEY (circle, assembly_id, recording_id)
      ) WITHOUT ROWID;

      -- The definition (method, options, quorum, where it was put) is written once by
      -- vote.create; question, details, closing time and outcome are editable fields.
      CREATE TABLE gov_votes (
        circle TEXT NOT NULL,
        vote_id TEXT NOT NULL,
        created_v TEXT,
        created_by TEXT,
        assembly_id TEXT,
        item_id TEXT,
        method TEXT,
        options TEXT,
        max_choices INTEGER,
        quorum_percent INTEGER,
        question TEXT, question_v TEXT NOT NULL DEFAULT '',
        details TEXT, details_v TEXT NOT NULL DEFAULT '',
        closes_at INTEGER, closes_at_v TEXT NOT NULL DEFAULT '',
        outcome TEXT, outcome_v TEXT NOT NULL DEFAULT '',
        closed_v TEXT,
        closed_by TEXT,
        PRIMARY KEY (circle, vote_id)
      ) WITHOUT ROWID;

      -- Every ballot ever cast is kept; which ones count is decided when tallying
      -- (each voter's newest ballot before the close, plus accepted late ballots).
      CREATE TABLE gov_vote_counts (
        circle TEXT NOT NULL,
        vote_id TEXT NOT NULL,
        stamp TEXT NOT NULL,
        actor TEXT NOT NULL,
        totals TEXT NOT NULL,
        abstain INTEGER NOT NULL,
        PRIMARY KEY (circle, vote_id, stamp)
      ) WITHOUT ROWID;

      CREATE TABLE gov_late_accepts (
        circle TEXT NOT NULL,
        vote_id TEXT NOT NULL,
        ballot_op_id TEXT NOT NULL,
        PRIMARY KEY (circle, vote_id, ballot_op_id)
      ) WITHOUT ROWID;

      -- Per-field versions are stored compactly: base_v is the version of every field not
      -- listed in fields_v (a JSON object of field -> version, or NULL), and NULL when it
      -- equals created_v. A contribution that was only ever created so carries one version,
      -- which keeps the common row small. Rowid table: new contributions append;
      -- (circle, contribution_id) is the unique key.
      CREATE TABLE gov_contributions (
        circle TEXT NOT NULL,
        contribution_id TEXT NOT NULL,
        created_v TEXT,
        created_by TEXT,
        member TEXT,
        date TEXT,
        minutes INTEGER,
        stream TEXT,
        description TEXT,
        tags TEXT,
        base_v TEXT,
        fields_v TEXT,
        deleted_v TEXT,
        UNIQUE (circle, contribution_id)
      );
      CREATE INDEX gov_contributions_date ON gov_contributions (date);

      -- Running totals of the live contributions, kept in the same transaction as every
      -- change, so summaries never scan the log. Rows reaching zero entries are removed.
      CREATE TABLE gov_contribution_totals (
        member TEXT NOT NULL,
        stream TEXT NOT NULL,
        month TEXT NOT NULL,
        circle TEXT NOT NULL,
        minutes INTEGER NOT NULL,
        entries INTEGER NOT NULL,
        PRIMARY KEY (member, stream, month, circle)
      ) WITHOUT ROWID;
    `);
  },
};
