import type { Migration } from './types';

// Minutes a facilitator is typing, saved as they type (debounced) on this computer only,
// so nothing typed is lost to a click elsewhere, a reload or a crash. A draft is not an
// operation: it never syncs. It becomes the item's minutes (an assembly.minutes.set
// operation) when the facilitator leaves the field, saves, or closes the assembly, and is
// then removed. base_v is the published minutes' version the draft started from, so the
// editor can say when someone else changed them meanwhile.
export const migration: Migration = {
  id: '20261209T1500-minutes-drafts',
  up(db) {
    db.exec(`
      CREATE TABLE gov_minutes_drafts (
        circle TEXT NOT NULL,
        assembly_id TEXT NOT NULL,
        item_id TEXT NOT NULL,
        markdown TEXT NOT NULL,
        saved_at INTEGER NOT NULL,
        base_v TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (circle, assembly_id, item_id)
      ) WITHOUT ROWID;
    `);
  },
};
