// The vote behind a poll start in a circle's room, for the chat's vote cards
// (chat/poll-card.ts): which vote the poll is (sync_vote_polls, written when Plenary
// publishes a vote or reads a poll), and that vote as governance has folded it: its question,
// options, state and the member's own ballot in force. Nothing here decides anything the vote
// page does not: it reads GovernanceQueries.vote, the same view the vote page shows.
import type { Db } from '../store/database';
import { PlenaryError } from '../../../shared/errors';
import type { GovernanceQueries } from './governance-queries';
import { ballotLabels, type PollVoteProvider } from '../chat/poll-card';

export function pollVoteLookup(db: Db, queries: GovernanceQueries, circleOfRoom: (roomId: string) => string | null, onError: (error: unknown) => void = () => {}): PollVoteProvider {
  const bound = db.prepare('SELECT vote_id, room_id FROM sync_vote_polls WHERE event_id = ? AND withdrawn = 0');
  const circleOfVote = db.prepare('SELECT circle FROM gov_votes WHERE vote_id = ? AND created_v IS NOT NULL').pluck();
  return (roomId, startEventId) => {
    const row = bound.get(startEventId) as { vote_id: string; room_id: string } | undefined;
    // A poll start only describes the vote it was bound to in its own room.
    if (!row || row.room_id !== roomId) return null;
    const circle = circleOfRoom(roomId) ?? (circleOfVote.get(row.vote_id) as string | undefined) ?? null;
    if (circle === null) return null;
    try {
      const vote = queries.vote(circle, row.vote_id);
      return {
        circleId: circle,
        voteId: vote.id,
        question: vote.question,
        answers: vote.method === 'consent' ? [] : vote.options.map((o) => o.label),
        status: vote.status,
        myBallot: vote.myBallot ? ballotLabels(vote.myBallot.choice, vote.options) : null,
      };
    } catch (error) {
      // A poll whose vote is not folded (yet), e.g. a member's proposal: the card reads the
      // poll. Whatever else went wrong, the room's timeline still shows (the card from the poll).
      if (!(error instanceof PlenaryError && error.code === 'not_found')) onError(error);
      return null;
    }
  };
}
