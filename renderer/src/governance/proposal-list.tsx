// A circle's member proposals: polls members without the right to create votes started in
// Element in the circle's room. Listed with the votes, marked as proposals, with who proposed
// them; a facilitator adopts one as a vote (its answers so far count) or leaves it to Element.
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { usePlenary } from '../store';
import type { MemberProposal } from '../../../shared/governance/views';
import { useAction, useGovernanceQuery } from './use-governance';
import { FormError } from './form-error';
import { formatDateTime } from './format';

function ProposalCard({ proposal, canAdopt, headingLevel }: { proposal: MemberProposal; canAdopt: boolean; headingLevel: 3 | 4 }) {
  const { t, i18n } = useTranslation('governance');
  const navigate = usePlenary((s) => s.navigate);
  const action = useAction();
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  const adopt = async () => {
    const vote = await action.run(() => api().governance.adoptProposal({ circleId: proposal.circle, voteId: proposal.voteId }));
    if (vote) navigate({ section: 'votes', params: [vote.circle, vote.id] });
  };
  return (
    <li className="card gov-card">
      <Heading className="gov-card-title">{proposal.question}</Heading>
      <p className="muted gov-meta">
        <span className="badge">{t('proposals.badge')}</span>
        <span>{t('proposals.by', { name: proposal.proposerName ?? proposal.proposer, time: formatDateTime(proposal.proposedAt, i18n.language) })}</span>
        <span>{t('proposals.answers', { count: proposal.answers })}</span>
      </p>
      <ul>
        {proposal.options.map((option) => (
          <li key={option.id}>{option.label}</li>
        ))}
      </ul>
      <p className="muted">{proposal.endedAt === null ? t('proposals.elementOnly') : t('proposals.ended')}</p>
      {canAdopt && proposal.endedAt === null && (
        <button type="button" className="small" disabled={action.busy} aria-label={t('proposals.adoptLabel', { question: proposal.question })} onClick={() => void adopt()}>
          {t('proposals.adopt')}
        </button>
      )}
      <FormError error={action.error} />
    </li>
  );
}

/** Nothing when the circle has no proposals. */
export function ProposalList({ circleId, canAdopt, headingLevel }: { circleId: string; canAdopt: boolean; headingLevel: 2 | 3 }) {
  const { t } = useTranslation('governance');
  const proposals = useGovernanceQuery(() => api().governance.proposals({ circleId }), circleId);
  if (!proposals.data || proposals.data.length === 0) return <FormError error={proposals.error} />;
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <>
      <Heading>{t('proposals.title')}</Heading>
      <p className="hint">{t('proposals.hint')}</p>
      <ul className="gov-cards">
        {proposals.data.map((proposal) => (
          <ProposalCard key={proposal.voteId} proposal={proposal} canAdopt={canAdopt} headingLevel={headingLevel === 2 ? 3 : 4} />
        ))}
      </ul>
    </>
  );
}
