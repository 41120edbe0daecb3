import type { Migration } from './types';

// A poll started in Element can be edited there (an m.replace of its start): the vote's
// question, options and how many may be chosen follow the poll's latest edit, as Element
// shows it. definition_v is the stamp of the edit that set method, options and max_choices
// ('' while they are the vote.create's), so every replica keeps the same, latest one.
export const migration: Migration = {
  id: '20261209T1110-vote-definition',
  up(db) {
    db.exec(`ALTER TABLE gov_votes ADD COLUMN definition_v TEXT NOT NULL DEFAULT ''`);
  },
};
