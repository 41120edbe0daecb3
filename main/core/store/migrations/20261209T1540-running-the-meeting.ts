import type { Migration } from './types';

// Running the meeting: a timebox per agenda item, the item the assembly is on now (a
// last-writer-wins register on the assembly; its timer runs from the operation's clock),
// and action items with an owner and a due date (a last-writer-wins element set, with
// "done" a register of its own so the owner can tick an item off after the assembly).
// sync_history_actions is whose each action item is as the circle room's history establishes
// it (the latest assembly.action.set accepted), which authorises an owner's tick received
// from the coop server (main/core/sync/history-authority.ts).
export const migration: Migration = {
  id: '20261209T1540-running-the-meeting',
  up(db) {
    db.exec(`
      ALTER TABLE gov_agenda_items ADD COLUMN timebox_minutes INTEGER;
      ALTER TABLE gov_assemblies ADD COLUMN current_item TEXT;
      ALTER TABLE gov_assemblies ADD COLUMN current_item_v TEXT NOT NULL DEFAULT '';
      CREATE TABLE gov_actions (
        circle TEXT NOT NULL,
        assembly_id TEXT NOT NULL,
        action_id TEXT NOT NULL,
        item_id TEXT,
        text TEXT NOT NULL,
        owner TEXT NOT NULL,
        due TEXT,
        set_v TEXT NOT NULL,
        removed_v TEXT NOT NULL DEFAULT '',
        done INTEGER NOT NULL DEFAULT 0,
        done_v TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (circle, assembly_id, action_id)
      ) WITHOUT ROWID;
      CREATE INDEX gov_actions_owner ON gov_actions (owner);
      CREATE TABLE sync_history_actions (
        circle TEXT NOT NULL,
        assembly_id TEXT NOT NULL,
        action_id TEXT NOT NULL,
        owner TEXT NOT NULL,
        owner_v TEXT NOT NULL,
        PRIMARY KEY (circle, assembly_id, action_id)
      ) WITHOUT ROWID;
    `);
  },
};
