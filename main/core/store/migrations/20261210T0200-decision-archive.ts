import type { Migration } from './types';

// The decision archive: a full-text index over votes (question, details and the outcome
// statement) and assembly minutes (the assembly's title and each item's minutes).
//
// It is derived, never synced and never part of the state digest. SQLite triggers on the
// folded tables record which votes and minutes changed (archive_pending), so every path that
// writes them (applying an operation, a refold after a redaction or a refused operation, a
// full rebuild, an import) marks them in the same transaction without the fold knowing
// about the archive. Before each search the marked entries are brought up to date
// (main/core/archive/archive-index.ts), so a search always reads the folded tables as they
// are. Why not write the full-text index in the triggers themselves: FTS5 writes its pending
// terms out at every statement savepoint, which a trigger's statement is, so indexing from
// a trigger made folding 100,000 mixed operations 30% slower; marking costs next to nothing.
//
// archive_docs holds one row per searchable thing with what the filters read; archive_fts
// holds its text under the same rowid. FTS5's trigram tokenizer indexes every run of three
// characters, so a search finds any substring of three characters or more in any script
// (Japanese has no spaces between words; "budget" finds "budgets"); case and diacritics are
// ignored (remove_diacritics), so "cafe" finds "café". Shorter queries are answered with
// LIKE over the same text (see shared/governance/archive-query.ts).
//
// An entry's rowid (doc) follows its date: 65,536 rowids per second of `at` (see
// archive-index.ts). FTS5 reads matches in rowid order and stops at the page's end, so
// "newest first" costs a page, not every match; a date filter is a rowid range.
export const migration: Migration = {
  id: '20261210T0200-decision-archive',
  up(db) {
    db.exec(`
      CREATE TABLE archive_docs (
        doc INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('vote', 'minutes')),
        circle TEXT NOT NULL,
        -- The vote's id, or the assembly's id for minutes.
        ref_id TEXT NOT NULL,
        -- The agenda item of minutes; '' for a vote.
        item_id TEXT NOT NULL,
        -- When (ms): a vote's creation; minutes: the assembly's scheduled time, else its creation.
        at INTEGER NOT NULL,
        method TEXT,
        closes_at INTEGER,
        closed INTEGER NOT NULL DEFAULT 0,
        has_outcome INTEGER NOT NULL DEFAULT 0,
        UNIQUE (kind, circle, ref_id, item_id)
      );
      CREATE VIRTUAL TABLE archive_fts USING fts5(title, body, outcome, tokenize = 'trigram remove_diacritics 1');

      -- What changed since the index was last brought up to date: a vote, one item's minutes,
      -- or (item_id '*') every item of an assembly, whose title and date are part of its
      -- minutes' entries.
      CREATE TABLE archive_pending (
        kind TEXT NOT NULL CHECK (kind IN ('vote', 'minutes')),
        circle TEXT NOT NULL,
        ref_id TEXT NOT NULL,
        item_id TEXT NOT NULL,
        PRIMARY KEY (kind, circle, ref_id, item_id)
      ) WITHOUT ROWID;

      CREATE TRIGGER archive_vote_insert AFTER INSERT ON gov_votes BEGIN
        INSERT INTO archive_pending SELECT 'vote', NEW.circle, NEW.vote_id, ''
          WHERE NOT EXISTS (SELECT 1 FROM archive_pending WHERE kind = 'vote' AND circle = NEW.circle AND ref_id = NEW.vote_id AND item_id = '');
      END;
      CREATE TRIGGER archive_vote_update AFTER UPDATE ON gov_votes BEGIN
        INSERT INTO archive_pending SELECT 'vote', NEW.circle, NEW.vote_id, ''
          WHERE NOT EXISTS (SELECT 1 FROM archive_pending WHERE kind = 'vote' AND circle = NEW.circle AND ref_id = NEW.vote_id AND item_id = '');
      END;
      CREATE TRIGGER archive_vote_delete AFTER DELETE ON gov_votes BEGIN
        INSERT INTO archive_pending SELECT 'vote', OLD.circle, OLD.vote_id, ''
          WHERE NOT EXISTS (SELECT 1 FROM archive_pending WHERE kind = 'vote' AND circle = OLD.circle AND ref_id = OLD.vote_id AND item_id = '');
      END;
      CREATE TRIGGER archive_minutes_insert AFTER INSERT ON gov_minutes BEGIN
        INSERT INTO archive_pending SELECT 'minutes', NEW.circle, NEW.assembly_id, NEW.item_id
          WHERE NOT EXISTS (SELECT 1 FROM archive_pending WHERE kind = 'minutes' AND circle = NEW.circle AND ref_id = NEW.assembly_id AND item_id = NEW.item_id);
      END;
      CREATE TRIGGER archive_minutes_update AFTER UPDATE ON gov_minutes BEGIN
        INSERT INTO archive_pending SELECT 'minutes', NEW.circle, NEW.assembly_id, NEW.item_id
          WHERE NOT EXISTS (SELECT 1 FROM archive_pending WHERE kind = 'minutes' AND circle = NEW.circle AND ref_id = NEW.assembly_id AND item_id = NEW.item_id);
      END;
      CREATE TRIGGER archive_minutes_delete AFTER DELETE ON gov_minutes BEGIN
        INSERT INTO archive_pending SELECT 'minutes', OLD.circle, OLD.assembly_id, OLD.item_id
          WHERE NOT EXISTS (SELECT 1 FROM archive_pending WHERE kind = 'minutes' AND circle = OLD.circle AND ref_id = OLD.assembly_id AND item_id = OLD.item_id);
      END;
      -- The fold writes assemblies with INSERT OR REPLACE (whose implicit delete fires no
      -- trigger), so inserts count as changes too. The marks are written only when missing
      -- rather than with INSERT OR IGNORE: inside a trigger, the conflict policy of the
      -- statement that fired it wins (an upsert's is ABORT), so a conflict must never arise.
      CREATE TRIGGER archive_assembly_insert AFTER INSERT ON gov_assemblies BEGIN
        INSERT INTO archive_pending SELECT 'minutes', NEW.circle, NEW.assembly_id, '*'
          WHERE NOT EXISTS (SELECT 1 FROM archive_pending WHERE kind = 'minutes' AND circle = NEW.circle AND ref_id = NEW.assembly_id AND item_id = '*');
      END;
      CREATE TRIGGER archive_assembly_update AFTER UPDATE OF title, scheduled_at, created_v ON gov_assemblies BEGIN
        INSERT INTO archive_pending SELECT 'minutes', NEW.circle, NEW.assembly_id, '*'
          WHERE NOT EXISTS (SELECT 1 FROM archive_pending WHERE kind = 'minutes' AND circle = NEW.circle AND ref_id = NEW.assembly_id AND item_id = '*');
      END;
      CREATE TRIGGER archive_assembly_delete AFTER DELETE ON gov_assemblies BEGIN
        INSERT INTO archive_pending SELECT 'minutes', OLD.circle, OLD.assembly_id, '*'
          WHERE NOT EXISTS (SELECT 1 FROM archive_pending WHERE kind = 'minutes' AND circle = OLD.circle AND ref_id = OLD.assembly_id AND item_id = '*');
      END;

      -- Everything already folded is indexed at the first search.
      INSERT OR IGNORE INTO archive_pending SELECT 'vote', circle, vote_id, '' FROM gov_votes;
      INSERT OR IGNORE INTO archive_pending SELECT 'minutes', circle, assembly_id, item_id FROM gov_minutes;
    `);
  },
};
