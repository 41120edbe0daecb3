import type { Migration } from './types';

// A vote's electorate is the circle's membership as of the vote's close, read from the log
// (see electorateAt in governance/governance-queries.ts): every replica holding the same
// operations then agrees on it, whatever order they arrived in. This index lists a circle's
// membership operations in clock order without scanning the rest of the log.
export const migration: Migration = {
  id: '20261123T0100-ops-members',
  up(db) {
    db.exec(`CREATE INDEX ops_members ON ops (circle, hlc, id) WHERE type IN ('circle.member.set', 'circle.member.remove')`);
  },
};
