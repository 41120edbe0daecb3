import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { usePlenary } from '../store';
import { formatRoute } from '../store/nav-slice';
import type { VoteSummary } from '../../../shared/governance/views';
import { useGovernanceQuery } from './use-governance';
import { FormError } from './form-error';
import { VoteOutcome, QuorumLine } from './vote-results';
import { VoteCreateForm } from './vote-create-form';
import { formatDateTime } from './format';
import { ProposalList } from './proposal-list';

function VoteCard({ vote, showCircle, headingLevel }: { vote: VoteSummary; showCircle: boolean; headingLevel: 2 | 3 }) {
  const { t, i18n } = useTranslation('governance');
  const navigate = usePlenary((s) => s.navigate);
  const route = { section: 'votes' as const, params: [vote.circle, vote.id] };
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <li className="card gov-card">
      <Heading className="gov-card-title">
        <a
          href={formatRoute(route)}
          onClick={(e) => {
            e.preventDefault();
            navigate(route);
          }}
        >
          {vote.question}
        </a>
      </Heading>
      <p className="muted gov-meta">
        {showCircle && <span>{vote.circleName}</span>}
        <span>{t(`methods.${vote.method}`)}</span>
        <span className={`badge ${vote.status}`}>{t(`voteStatus.${vote.status}`)}</span>
        {vote.status === 'open' && vote.closesAt !== null && <span>{t('votes.closesAt', { time: formatDateTime(vote.closesAt, i18n.language) })}</span>}
      </p>
      <VoteOutcome vote={vote} />
      <QuorumLine vote={vote} />
    </li>
  );
}

/** Votes of one circle, or of all circles, with a form to start one. */
export function VoteListSection({ circleId, canCreate, headingLevel }: { circleId?: string; canCreate: boolean; headingLevel: 1 | 2 }) {
  const { t } = useTranslation('governance');
  const navigate = usePlenary((s) => s.navigate);
  const [status, setStatus] = useState<'all' | 'open' | 'closed'>('all');
  const [creating, setCreating] = useState(false);
  const filterId = useId();
  const votes = useGovernanceQuery(
    () => api().governance.votes({ ...(circleId ? { circleId } : {}), ...(status === 'all' ? {} : { status }) }),
    `${circleId ?? ''}/${status}`,
    circleId,
  );
  const circles = useGovernanceQuery(() => api().governance.circles({}), 'circles');
  const facilitated = (circles.data ?? []).filter((c) => c.canFacilitate);
  const Heading = headingLevel === 1 ? 'h1' : 'h2';
  const titleId = useId();
  const archiveRoute = { section: 'votes' as const, params: ['archive'] };
  const content = (
    <>
      <div className="gov-heading">
        <Heading id={titleId}>{t('votes.title')}</Heading>
        {headingLevel === 1 && (
          <a
            className="archive-link"
            href={formatRoute(archiveRoute)}
            onClick={(e) => {
              e.preventDefault();
              navigate(archiveRoute);
            }}
          >
            {t('archive.open')}
          </a>
        )}
        {canCreate && !creating && (circleId || facilitated.length > 0) && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            {t('votes.new')}
          </button>
        )}
      </div>
      {creating && (
        <VoteCreateForm
          {...(circleId ? { circleId } : { circles: facilitated })}
          onCreated={(circle, voteId) => {
            setCreating(false);
            navigate({ section: 'votes', params: [circle, voteId] });
          }}
          onCancel={() => setCreating(false)}
          headingLevel={headingLevel === 1 ? 2 : 3}
        />
      )}
      <div className="field">
        <label htmlFor={filterId}>{t('votes.show')}</label>
        <select id={filterId} value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
          <option value="all">{t('votes.all')}</option>
          <option value="open">{t('voteStatus.open')}</option>
          <option value="closed">{t('voteStatus.closed')}</option>
        </select>
      </div>
      <FormError error={votes.error} />
      {votes.data?.length === 0 && <p className="muted">{t('votes.none')}</p>}
      <ul className="gov-cards">
        {(votes.data ?? []).map((vote) => (
          <VoteCard key={vote.id} vote={vote} showCircle={!circleId} headingLevel={headingLevel === 1 ? 2 : 3} />
        ))}
      </ul>
      {circleId && <ProposalList circleId={circleId} canAdopt={canCreate} headingLevel={headingLevel === 1 ? 2 : 3} />}
    </>
  );
  return headingLevel === 1 ? (
    <section aria-labelledby={titleId}>{content}</section>
  ) : (
    <section className="card" aria-labelledby={titleId}>
      {content}
    </section>
  );
}
