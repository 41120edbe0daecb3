import type { Migration } from './types';

// Members without a Matrix account have a local member id (local:<uuid>); a facilitator
// later links it to the member's Matrix account with a circle.member.link operation. The
// link is folded here; readers resolve ids through it, so the member's earlier ballots,
// attendance and contributions follow the account on every replica. The earliest link of
// a local id wins (link_v is its stamp), so replicas agree whatever order links arrive in.
export const migration: Migration = {
  id: '20261208T0200-member-links',
  up(db) {
    db.exec(`
      CREATE TABLE gov_member_links (
        circle TEXT NOT NULL,
        member TEXT NOT NULL,
        account TEXT NOT NULL,
        link_v TEXT NOT NULL,
        PRIMARY KEY (circle, member)
      ) WITHOUT ROWID;
    `);
  },
};
