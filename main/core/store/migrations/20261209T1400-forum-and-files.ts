import type { Migration } from './types';

// The coop's forum (Discourse) and files (NextCloud).
//
// Governance tables folded from the link operations (store/link-fold.ts; every "*_v" column
// is an operation stamp, as in the governance migration): a circle's forum category, the thread
// a vote or assembly is discussed in, the posts its result or minutes went out as, and files
// attached to votes and agenda items.
//
// Local-only tables: the member's forum and cloud accounts (their keys live in the secret
// store, never here), what was last read from the forum (shown offline), and the queue of
// posts to the forum, which records each post before it is sent so a crash or a retry never
// posts twice (forum/post-queue.ts).
export const migration: Migration = {
  id: '20261209T1400-forum-and-files',
  up(db) {
    db.exec(`
      CREATE TABLE gov_forum_categories (
        circle TEXT PRIMARY KEY,
        category_id INTEGER,
        slug TEXT NOT NULL,
        name TEXT NOT NULL,
        set_v TEXT NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE gov_forum_threads (
        circle TEXT NOT NULL,
        subject_kind TEXT NOT NULL,
        subject_id TEXT NOT NULL,
        topic_id INTEGER,
        url TEXT NOT NULL,
        title TEXT NOT NULL,
        set_v TEXT NOT NULL,
        PRIMARY KEY (circle, subject_kind, subject_id)
      ) WITHOUT ROWID;

      CREATE TABLE gov_forum_posts (
        circle TEXT NOT NULL,
        subject_kind TEXT NOT NULL,
        subject_id TEXT NOT NULL,
        post_id INTEGER NOT NULL,
        topic_id INTEGER NOT NULL,
        url TEXT NOT NULL,
        purpose TEXT NOT NULL,
        posted_by TEXT NOT NULL,
        set_v TEXT NOT NULL,
        PRIMARY KEY (circle, subject_kind, subject_id, post_id)
      ) WITHOUT ROWID;

      -- subject_kind 'vote' (subject_id = vote id, item_id '') or 'agenda' (subject_id =
      -- assembly id, item_id = agenda item id).
      CREATE TABLE gov_attachments (
        circle TEXT NOT NULL,
        attachment_id TEXT NOT NULL,
        subject_kind TEXT NOT NULL,
        subject_id TEXT NOT NULL,
        item_id TEXT NOT NULL,
        name TEXT NOT NULL,
        url TEXT NOT NULL,
        size_bytes INTEGER NOT NULL,
        added_by TEXT NOT NULL,
        set_v TEXT NOT NULL,
        removed_v TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (circle, attachment_id)
      ) WITHOUT ROWID;

      -- One row per service ('discourse', 'nextcloud'): the address the member chose in
      -- Settings ('' to use coop.json's) and who is signed in there.
      CREATE TABLE integration_accounts (
        service TEXT PRIMARY KEY CHECK (service IN ('discourse', 'nextcloud')),
        address TEXT NOT NULL DEFAULT '',
        signed_in_url TEXT,
        username TEXT,
        client_id TEXT,
        signed_in_at INTEGER,
        -- Set when the server stopped accepting the key or app password: sign in again.
        expired_at INTEGER
      );

      -- Forum answers as last read, sanitised (categories, a category's topics, a topic), so
      -- lists and topics seen before stay readable offline. Keyed by the forum's address.
      CREATE TABLE forum_cache (
        site TEXT NOT NULL,
        key TEXT NOT NULL,
        json TEXT NOT NULL,
        fetched_at INTEGER NOT NULL,
        PRIMARY KEY (site, key)
      ) WITHOUT ROWID;

      -- Posts to the forum. A row is written before anything is sent; its id is the
      -- deterministic marker the post carries, looked for on the forum before any resend.
      CREATE TABLE forum_post_queue (
        id TEXT PRIMARY KEY,
        site TEXT NOT NULL,
        circle TEXT NOT NULL,
        subject_kind TEXT NOT NULL CHECK (subject_kind IN ('vote', 'assembly')),
        subject_id TEXT NOT NULL,
        purpose TEXT NOT NULL CHECK (purpose IN ('result', 'minutes')),
        target_kind TEXT NOT NULL CHECK (target_kind IN ('reply', 'topic')),
        topic_id INTEGER,
        category_id INTEGER,
        category_slug TEXT,
        title TEXT NOT NULL,
        raw TEXT NOT NULL,
        -- queued: not sent yet; sending: sent, answer not recorded (after a crash: look first);
        -- posted: on the forum; refused: the forum said no (the member edits or dismisses it).
        state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'posted', 'refused')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at INTEGER,
        error_code TEXT,
        error_detail TEXT,
        post_id INTEGER,
        posted_topic_id INTEGER,
        url TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX forum_post_queue_subject ON forum_post_queue (circle, subject_kind, subject_id);
    `);
  },
};
