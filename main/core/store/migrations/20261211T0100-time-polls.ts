import type { Migration } from './types';

// Time polls (README "Time polls"): a vote with method 'time' whose options are slots
// (shared/governance/time-poll.ts). gov_votes.chosen_option: the slot a facilitator chose
// once the poll closed (vote.update fields.chosenOption), last writer wins like the other
// editable fields; it becomes a one-off meeting of the circle on Today. The index keeps the
// meetings directory from scanning every vote for chosen slots.
export const migration: Migration = {
  id: '20261211T0100-time-polls',
  up(db) {
    db.exec(`
      ALTER TABLE gov_votes ADD COLUMN chosen_option TEXT;
      ALTER TABLE gov_votes ADD COLUMN chosen_option_v TEXT NOT NULL DEFAULT '';
      CREATE INDEX gov_votes_chosen_slot ON gov_votes (circle) WHERE chosen_option IS NOT NULL;
    `);
  },
};
