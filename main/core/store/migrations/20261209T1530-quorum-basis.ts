import type { Migration } from './types';

// A vote put during an assembly may count its quorum among the members marked present
// rather than all members (vote.create's quorumBasis, 'present'). NULL is 'members', which
// every vote made before this step is.
export const migration: Migration = {
  id: '20261209T1530-quorum-basis',
  up(db) {
    db.exec('ALTER TABLE gov_votes ADD COLUMN quorum_basis TEXT');
  },
};
