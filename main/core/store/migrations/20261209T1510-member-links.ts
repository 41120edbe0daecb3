import type { Migration } from './types';

// Members without a Matrix account have a local member id (local:<uuid>); a facilitator
// later links it to the member's Matrix account with a circle.member.link operation. The
// link is folded here; readers resolve ids through it, so the member's earlier ballots,
// attendance and contributions follow the account on every replica. The earliest link of
// a local id wins (link_v is its stamp), so replicas agree whatever order links arrive in.
// sync_history_links is the same fact as the circle room's history establishes it for the
// authorisation of operations received (main/core/sync/history-authority.ts): a linked
// member's account may act as the member (their own ballots, entries, action items).
export const migration: Migration = {
  id: '20261209T1510-member-links',
  up(db) {
    db.exec(`
      CREATE TABLE gov_member_links (
        circle TEXT NOT NULL,
        member TEXT NOT NULL,
        account TEXT NOT NULL,
        link_v TEXT NOT NULL,
        PRIMARY KEY (circle, member)
      ) WITHOUT ROWID;
      CREATE TABLE sync_history_links (
        circle TEXT NOT NULL,
        member TEXT NOT NULL,
        account TEXT NOT NULL,
        link_v TEXT NOT NULL,
        PRIMARY KEY (circle, member)
      ) WITHOUT ROWID;
    `);
  },
};
