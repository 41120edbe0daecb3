import type { Migration } from './types';

// Results anyone can re-count: a closed vote's published count is a vote.digest operation,
// read from the log like ballots (main/core/governance/vote-digest.ts). This index finds a
// vote's newest one without reading the circle's whole log.
export const migration: Migration = {
  id: '20261210T0400-vote-digests',
  up(db) {
    db.exec(`CREATE INDEX ops_vote_digests ON ops (circle, json_extract(payload, '$.voteId'), hlc, id) WHERE type = 'vote.digest';`);
  },
};
