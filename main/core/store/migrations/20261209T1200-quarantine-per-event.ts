import type { Migration } from './types';

// One quarantine record per refused event instead of one per refused operation: an event of
// 20,000 forged operations made 20,000 rows before. A record now carries how many of the
// event's operations were refused and why (each reason with its count and the first
// operation it concerns), so the list still says exactly what happened. Rows written before
// stay as they are: each counts as one refused item with its own reason.
//
// Storage is capped per sender (see sync/quarantine.ts): when a sender's records outgrow
// the cap, their oldest are deleted and counted in sync_quarantine_dropped, so Settings can
// say how much was left out and from whom.
export const migration: Migration = {
  id: '20261209T1200-quarantine-per-event',
  up(db) {
    db.exec(`
      ALTER TABLE sync_quarantine ADD COLUMN refused INTEGER NOT NULL DEFAULT 1;
      -- Operations the event carried (0: not an operations event, or not known).
      ALTER TABLE sync_quarantine ADD COLUMN operations INTEGER NOT NULL DEFAULT 0;
      -- [{"reason": text, "count": n, "first": index of the first operation, -1 for the event}]
      ALTER TABLE sync_quarantine ADD COLUMN reasons_json TEXT NOT NULL DEFAULT '[]';
      CREATE INDEX sync_quarantine_sender ON sync_quarantine (sender, id);

      CREATE TABLE sync_quarantine_dropped (
        sender TEXT PRIMARY KEY,
        events INTEGER NOT NULL,
        refused INTEGER NOT NULL,
        first_at INTEGER NOT NULL,
        last_at INTEGER NOT NULL
      );
    `);
  },
};
