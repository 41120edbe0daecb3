import type { Migration } from './types';

// The room type from m.room.create (for example 'm.space'): the coop's space is a room the
// client joins, but it has no conversation, so the chat list and the unread badge leave it out.
export const migration: Migration = {
  id: '20261205T2100-chat-room-type',
  up(db) {
    db.exec('ALTER TABLE chat_rooms ADD COLUMN room_type TEXT');
  },
};
