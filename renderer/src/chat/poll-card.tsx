// A vote in the conversation: a circle's vote (or an Element poll) started in the room, as a
// card with its question, whether it is open, the member's ballot and a link to the vote page.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatItem } from '../../../shared/contract/chat';
import { usePlenary } from '../store';
import { formatRoute, type Route } from '../store/nav-slice';

export function PollCard({ item }: { item: ChatItem }) {
  const { t, i18n } = useTranslation('chat');
  const navigate = usePlenary((s) => s.navigate);
  const titleId = useId();
  const poll = item.poll;
  if (!poll) return null;
  const label = (choice: string) => (i18n.exists(`governance:consent.${choice}`) ? t(`governance:consent.${choice}`) : choice);
  const route: Route | null = poll.vote ? { section: 'votes', params: [poll.vote.circleId, poll.vote.voteId] } : null;
  return (
    <article className="chat-poll-card" aria-labelledby={titleId}>
      <p className="chat-poll-kind">
        {t(poll.vote ? 'poll.vote' : 'poll.poll')} · <span className={`chat-poll-status chat-poll-${poll.status}`}>{t(`poll.${poll.status}`)}</span>
      </p>
      <h3 id={titleId} className="chat-poll-question">
        {poll.question}
      </h3>
      {poll.answers.length > 0 && (
        <ul className="chat-poll-answers" aria-label={t('poll.answers')}>
          {poll.answers.map((answer, i) => (
            <li key={i}>{answer}</li>
          ))}
        </ul>
      )}
      <p className="chat-poll-ballot">{poll.myBallot ? t('poll.yourBallot', { choice: poll.myBallot.map(label).join(', ') }) : t(poll.status === 'open' ? 'poll.notVoted' : 'poll.didNotVote')}</p>
      {route && (
        <a
          href={formatRoute(route)}
          onClick={(event) => {
            event.preventDefault();
            navigate(route);
          }}
        >
          {t(poll.status === 'open' ? 'poll.openVote' : 'poll.seeResults', { question: poll.question })}
        </a>
      )}
    </article>
  );
}
