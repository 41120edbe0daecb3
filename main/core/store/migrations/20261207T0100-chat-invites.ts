import type { Migration } from './types';

// Invitations to rooms the member has not joined yet, from /sync's rooms.invite: what the
// inviter shared of the room (its stripped state), so the chat list can offer to accept or
// decline. Circle rooms and the coop's space never land here: governance sync joins them.
export const migration: Migration = {
  id: '20261207T0100-chat-invites',
  up(db) {
    db.exec(`
      CREATE TABLE chat_invites (
        room_id TEXT PRIMARY KEY,
        name TEXT,
        canonical_alias TEXT,
        topic TEXT,
        inviter TEXT,
        inviter_name TEXT,
        is_direct INTEGER NOT NULL DEFAULT 0,
        encrypted INTEGER NOT NULL DEFAULT 0,
        ts INTEGER NOT NULL
      );
    `);
  },
};
