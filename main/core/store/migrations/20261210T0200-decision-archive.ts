import type { Migration } from './types';

// The decision archive: a full-text index over votes (question, details and the outcome
// statement) and assembly minutes (the assembly's title and each item's minutes).
//
// It is derived, never synced and never part of the state digest: SQLite triggers on the
// folded tables keep it in step with them, so every path that writes them (applying an
// operation, a refold after a redaction or a refused operation, a full rebuild, an import)
// updates the index in the same transaction without the fold knowing about it.
//
// archive_docs holds one row per searchable thing with what the filters read; archive_fts
// holds its text under the same rowid. FTS5's trigram tokenizer indexes every run of three
// characters, so a search finds any substring of three characters or more in any script
// (Japanese has no spaces between words; "budget" finds "budgets"); case and diacritics are
// ignored (remove_diacritics), so "cafe" finds "café". Shorter queries are answered with
// LIKE over the same text (see main/core/archive/archive-search.ts).
//
// The fold writes rows with INSERT OR REPLACE (whose implicit delete fires no trigger),
// INSERT ... ON CONFLICT DO UPDATE and DELETE, so the insert and update triggers first drop
// the thing's existing entry and then write it afresh: the index never holds an entry twice.
// Votes still waiting for their create ("ghosts", created_v NULL) are not indexed, nor
// minutes of an assembly not seen yet; the create's write indexes them.
//
// An entry's rowid (doc) follows its date: 65,536 rowids per second of `at`, the next free
// one in its second (or, should a second ever hold 65,536 entries, one after every other).
// FTS5 reads matches in rowid order and stops at the page's end, so "newest first" costs a
// page, not every match; a date filter is a rowid range FTS5 narrows its reading to.
/**
 * The first of `count` consecutive free rowids for entries dated by the SQL expression `at`
 * (ms; clamped to the years 1970-5138). Several rows inserted by one statement all see the
 * table as it was before it, so they take this first one plus their row number.
 */
const docFor = (at: string, count = '1') => `(
    SELECT CASE WHEN m IS NULL AND ${count} <= 65536 THEN b WHEN m + ${count} < b + 65536 THEN m + 1 ELSE (SELECT max(doc) + 1 FROM archive_docs) END
    FROM (SELECT b, (SELECT max(doc) FROM archive_docs WHERE doc >= b AND doc < b + 65536) AS m
          FROM (SELECT (max(0, min(coalesce(${at}, 0), 100000000000000)) / 1000) * 65536 AS b)))`;

const reindexVote = (row: 'NEW') => `
  DELETE FROM archive_fts WHERE rowid IN (SELECT doc FROM archive_docs WHERE kind = 'vote' AND circle = ${row}.circle AND ref_id = ${row}.vote_id);
  DELETE FROM archive_docs WHERE kind = 'vote' AND circle = ${row}.circle AND ref_id = ${row}.vote_id;
  INSERT INTO archive_docs (doc, kind, circle, ref_id, item_id, at, method, closes_at, closed, has_outcome)
    SELECT ${docFor(`CAST(substr(${row}.created_v, 1, 13) AS INTEGER)`)}, 'vote', ${row}.circle, ${row}.vote_id, '', CAST(substr(${row}.created_v, 1, 13) AS INTEGER), ${row}.method, ${row}.closes_at,
      ${row}.closed_v IS NOT NULL, trim(coalesce(${row}.outcome, '')) <> ''
    WHERE ${row}.created_v IS NOT NULL;
  INSERT INTO archive_fts (rowid, title, body, outcome)
    SELECT doc, coalesce(${row}.question, ''), coalesce(${row}.details, ''), coalesce(${row}.outcome, '')
    FROM archive_docs WHERE kind = 'vote' AND circle = ${row}.circle AND ref_id = ${row}.vote_id;
`;

/** Re-indexes the minutes of one assembly (or one item of it, when `item` is given). */
const reindexMinutes = (circle: string, assembly: string, item?: string) => {
  const itemClause = item ? ` AND item_id = ${item}` : '';
  return `
  DELETE FROM archive_fts WHERE rowid IN (SELECT doc FROM archive_docs WHERE kind = 'minutes' AND circle = ${circle} AND ref_id = ${assembly}${itemClause});
  DELETE FROM archive_docs WHERE kind = 'minutes' AND circle = ${circle} AND ref_id = ${assembly}${itemClause};
  INSERT INTO archive_docs (doc, kind, circle, ref_id, item_id, at)
    SELECT ${docFor('s.at', 's.total')} + s.n - 1, 'minutes', s.circle, s.assembly_id, s.item_id, s.at
    FROM (SELECT m.circle, m.assembly_id, m.item_id, coalesce(a.scheduled_at, CAST(substr(a.created_v, 1, 13) AS INTEGER)) AS at,
            row_number() OVER (ORDER BY m.item_id) AS n, count(*) OVER () AS total
          FROM gov_minutes m JOIN gov_assemblies a ON a.circle = m.circle AND a.assembly_id = m.assembly_id
          WHERE m.circle = ${circle} AND m.assembly_id = ${assembly}${item ? ` AND m.item_id = ${item}` : ''} AND a.created_v IS NOT NULL AND trim(m.markdown) <> '') s;
  INSERT INTO archive_fts (rowid, title, body, outcome)
    SELECT d.doc, coalesce(a.title, ''), m.markdown, ''
    FROM archive_docs d
    JOIN gov_minutes m ON m.circle = d.circle AND m.assembly_id = d.ref_id AND m.item_id = d.item_id
    JOIN gov_assemblies a ON a.circle = d.circle AND a.assembly_id = d.ref_id
    WHERE d.kind = 'minutes' AND d.circle = ${circle} AND d.ref_id = ${assembly}${item ? ` AND d.item_id = ${item}` : ''};
`;
};

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

      CREATE TRIGGER archive_vote_insert AFTER INSERT ON gov_votes BEGIN ${reindexVote('NEW')} END;
      CREATE TRIGGER archive_vote_update AFTER UPDATE ON gov_votes BEGIN ${reindexVote('NEW')} END;
      CREATE TRIGGER archive_vote_delete AFTER DELETE ON gov_votes BEGIN
        DELETE FROM archive_fts WHERE rowid IN (SELECT doc FROM archive_docs WHERE kind = 'vote' AND circle = OLD.circle AND ref_id = OLD.vote_id);
        DELETE FROM archive_docs WHERE kind = 'vote' AND circle = OLD.circle AND ref_id = OLD.vote_id;
      END;

      CREATE TRIGGER archive_minutes_insert AFTER INSERT ON gov_minutes BEGIN ${reindexMinutes('NEW.circle', 'NEW.assembly_id', 'NEW.item_id')} END;
      CREATE TRIGGER archive_minutes_update AFTER UPDATE ON gov_minutes BEGIN ${reindexMinutes('NEW.circle', 'NEW.assembly_id', 'NEW.item_id')} END;
      CREATE TRIGGER archive_minutes_delete AFTER DELETE ON gov_minutes BEGIN
        DELETE FROM archive_fts WHERE rowid IN (SELECT doc FROM archive_docs WHERE kind = 'minutes' AND circle = OLD.circle AND ref_id = OLD.assembly_id AND item_id = OLD.item_id);
        DELETE FROM archive_docs WHERE kind = 'minutes' AND circle = OLD.circle AND ref_id = OLD.assembly_id AND item_id = OLD.item_id;
      END;

      -- The assembly's title and date are part of its minutes' entries; minutes written before
      -- the assembly's create arrived are indexed when it does.
      CREATE TRIGGER archive_assembly_insert AFTER INSERT ON gov_assemblies BEGIN ${reindexMinutes('NEW.circle', 'NEW.assembly_id')} END;
      CREATE TRIGGER archive_assembly_update AFTER UPDATE OF title, scheduled_at, created_v ON gov_assemblies BEGIN ${reindexMinutes('NEW.circle', 'NEW.assembly_id')} END;
      CREATE TRIGGER archive_assembly_delete AFTER DELETE ON gov_assemblies BEGIN
        DELETE FROM archive_fts WHERE rowid IN (SELECT doc FROM archive_docs WHERE kind = 'minutes' AND circle = OLD.circle AND ref_id = OLD.assembly_id);
        DELETE FROM archive_docs WHERE kind = 'minutes' AND circle = OLD.circle AND ref_id = OLD.assembly_id;
      END;

      -- What is already folded: touching every row runs the triggers above.
      UPDATE gov_votes SET vote_id = vote_id;
      UPDATE gov_minutes SET item_id = item_id;
    `);
  },
};
