import type { Migration } from './types';

// Votes in the conversation: poll starts (a circle's votes as Plenary publishes them, and
// Element polls) become rows of the chat timeline, shown as cards (main/core/chat/poll-card.ts).
// Poll starts cached before were kept as hidden markers without their content: they are shown
// from now on, their question and answers read from the vote they are (sync_vote_polls).
export const migration: Migration = {
  id: '20261211T0310-chat-poll-cards',
  up(db) {
    db.exec("UPDATE chat_events SET shown = 1 WHERE type IN ('org.matrix.msc3381.poll.start', 'm.poll.start') AND shown = 0");
  },
};
