import type { Migration } from './types';

// Search over the chat cache: a full-text index over the bodies of cached messages in every
// room, following the decision archive's pattern (migration 20261210T0200-decision-archive).
//
// It is derived, never synced. Triggers on chat_events mark which messages changed
// (chat_search_pending): a new message, an edit (which marks the message it replaces), a
// redaction, a forgotten room or a wiped cache. Before each search the marked messages are
// brought up to date (main/core/chat/chat-search-index.ts): the latest edit's body replaces
// the original, redacted messages and messages whose room is gone leave the index. Marking
// is cheaper than indexing in the trigger (FTS5 flushes its pending terms at every statement
// savepoint, which a trigger's statement is), and sync writes events in big batches.
//
// chat_search_docs holds one row per indexed message; chat_search_fts its body under the
// same rowid. Rowids follow the message's time (65,536 per second, as the archive's do), so
// FTS5 hands matches over newest first and a page stops early. FTS5's trigram tokenizer
// finds any substring of three characters or more in any script (Japanese has no spaces);
// shorter queries use LIKE (shared/governance/archive-query.ts).
export const migration: Migration = {
  id: '20261211T0300-chat-search',
  up(db) {
    db.exec(`
      CREATE TABLE chat_search_docs (
        doc INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL UNIQUE,
        room_id TEXT NOT NULL,
        ts INTEGER NOT NULL
      );
      CREATE INDEX chat_search_docs_room ON chat_search_docs (room_id, doc);
      CREATE VIRTUAL TABLE chat_search_fts USING fts5(body, tokenize = 'trigram remove_diacritics 1');

      -- Messages to re-read before the next search.
      CREATE TABLE chat_search_pending (event_id TEXT PRIMARY KEY) WITHOUT ROWID;

      -- Only m.room.message rows matter: messages, and edits (whose relates_to names the
      -- message they replace). Marks are written only when missing (see the archive's
      -- migration for why not INSERT OR IGNORE inside a trigger).
      CREATE TRIGGER chat_search_insert AFTER INSERT ON chat_events WHEN NEW.type = 'm.room.message' BEGIN
        INSERT INTO chat_search_pending SELECT coalesce(CASE WHEN NEW.rel_type = 'm.replace' THEN NEW.relates_to END, NEW.event_id)
          WHERE NOT EXISTS (SELECT 1 FROM chat_search_pending WHERE event_id = coalesce(CASE WHEN NEW.rel_type = 'm.replace' THEN NEW.relates_to END, NEW.event_id));
      END;
      CREATE TRIGGER chat_search_update AFTER UPDATE OF content, redacted ON chat_events WHEN NEW.type = 'm.room.message' BEGIN
        INSERT INTO chat_search_pending SELECT coalesce(CASE WHEN NEW.rel_type = 'm.replace' THEN NEW.relates_to END, NEW.event_id)
          WHERE NOT EXISTS (SELECT 1 FROM chat_search_pending WHERE event_id = coalesce(CASE WHEN NEW.rel_type = 'm.replace' THEN NEW.relates_to END, NEW.event_id));
      END;
      CREATE TRIGGER chat_search_delete AFTER DELETE ON chat_events WHEN OLD.type = 'm.room.message' BEGIN
        INSERT INTO chat_search_pending SELECT coalesce(CASE WHEN OLD.rel_type = 'm.replace' THEN OLD.relates_to END, OLD.event_id)
          WHERE NOT EXISTS (SELECT 1 FROM chat_search_pending WHERE event_id = coalesce(CASE WHEN OLD.rel_type = 'm.replace' THEN OLD.relates_to END, OLD.event_id));
      END;

      -- Everything already cached is indexed at the first search.
      INSERT OR IGNORE INTO chat_search_pending SELECT event_id FROM chat_events WHERE type = 'm.room.message' AND (rel_type IS NULL OR rel_type != 'm.replace');
    `);
  },
};
