// Today's votes: those closing within the reminder lead time (with whether you have voted)
// and outcomes whose review date has come, in the circles you belong to. Each links to its vote.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { usePlenary } from '../store';
import { formatRoute } from '../store/nav-slice';
import type { VoteAgendaItem } from '../../../shared/governance/vote-reminders';
import { useGovernanceQuery } from './use-governance';
import { formatDate, formatDateTime } from './format';
import './governance.css';

function AgendaEntry({ item, detail }: { item: VoteAgendaItem; detail: string }) {
  const { t } = useTranslation('governance');
  const navigate = usePlenary((s) => s.navigate);
  const route = { section: 'votes' as const, params: [item.circle, item.voteId] };
  return (
    <li className="card gov-card">
      <h3 className="gov-card-title">
        <a
          href={formatRoute(route)}
          aria-label={t('voteReminders.openVote', { question: item.question })}
          onClick={(e) => {
            e.preventDefault();
            navigate(route);
          }}
        >
          {item.question}
        </a>
      </h3>
      <p className="muted gov-meta">
        <span>{item.circleName}</span>
        <span>{detail}</span>
        {item.voted !== null && <span className={item.voted ? 'badge soft' : 'badge planned'}>{item.voted ? t('voteReminders.voted') : t('voteReminders.notVoted')}</span>}
      </p>
      {item.outcome && item.reviewOn !== null && <p className="gov-outcome-statement">{item.outcome}</p>}
    </li>
  );
}

export default function VoteAgendaSections() {
  const { t, i18n } = useTranslation('governance');
  // Votes move into "closing soon" as time passes; look again every half minute.
  const [round, setRound] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setRound((n) => n + 1), 30_000);
    return () => clearInterval(timer);
  }, []);
  const agenda = useGovernanceQuery(() => api().governance.voteAgenda({}), `vote-agenda-${round}`);
  // The previous answer stays up while the next one loads.
  const last = useRef(agenda.data);
  if (agenda.data) last.current = agenda.data;
  if (!last.current) return null;
  const { closingSoon, dueForReview } = last.current;
  return (
    <>
      {closingSoon.length > 0 && (
        <section className="today-section" aria-labelledby="closing-soon-title">
          <h2 id="closing-soon-title">{t('voteReminders.closingSoon')}</h2>
          <ul className="gov-cards">
            {closingSoon.map((item) => (
              <AgendaEntry key={`${item.circle}/${item.voteId}`} item={item} detail={t('voteReminders.closesAt', { time: formatDateTime(item.closesAt!, i18n.language) })} />
            ))}
          </ul>
        </section>
      )}
      {dueForReview.length > 0 && (
        <section className="today-section" aria-labelledby="due-for-review-title">
          <h2 id="due-for-review-title">{t('voteReminders.dueForReview')}</h2>
          <ul className="gov-cards">
            {dueForReview.map((item) => (
              <AgendaEntry key={`${item.circle}/${item.voteId}`} item={item} detail={t('voteReminders.reviewOn', { date: formatDate(item.reviewOn!, i18n.language) })} />
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
