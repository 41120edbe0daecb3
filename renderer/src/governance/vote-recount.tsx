// Results anyone can re-count: this replica's recount of a closed vote against the count
// published with its close (README, "Results anyone can re-count").
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { useAction } from './use-governance';
import { FormError } from './form-error';
import { formatDateTime } from './format';
import type { VoteDetail } from '../../../shared/governance/views';
import type { RecountDifference } from '../../../shared/governance/recount';

export function VoteRecount({ vote }: { vote: VoteDetail }) {
  const { t, i18n } = useTranslation('governance');
  const action = useAction();
  const recount = vote.recount;
  if (!recount) return null;
  const labels = new Map(vote.options.map((o) => [o.id, o.label]));
  const optionName = (id: string) => labels.get(id) ?? (['agree', 'abstain', 'object', 'block'].includes(id) ? t(`consent.${id}`) : ['passes', 'blocked', 'no_quorum'].includes(id) ? t(`consentOutcome.${id}`) : id);
  const order = (id: string) => {
    const at = vote.options.findIndex((o) => o.id === id);
    return at < 0 ? vote.options.length : at;
  };
  // In the vote's own order of options, as its results show them.
  const list = (ids: string[]) => (ids.length === 0 ? t('recount.nobody') : [...ids].sort((a, b) => order(a) - order(b)).map(optionName).join(', '));
  const describe = (d: RecountDifference) => {
    switch (d.kind) {
      case 'ballots':
        return t('recount.diffBallots', { published: d.published, here: d.here });
      case 'total':
        return t('recount.diffTotal', { option: optionName(d.option), published: d.published, here: d.here });
      case 'winners':
        return t('recount.diffWinners', { published: list(d.published), here: list(d.here) });
      case 'content':
        return t('recount.diffContent');
    }
  };
  return (
    <section className="gov-recount" aria-labelledby="vote-recount-title">
      <h3 id="vote-recount-title">{t('recount.title')}</h3>
      <div role="status">
        {recount.verified === true && <p className="gov-ok">{t('recount.verified')}</p>}
        {recount.verified === false && (
          <div className="gov-warning">
            <p>{t('recount.mismatch', { name: recount.published?.byName ?? '' })}</p>
            <ul>
              {recount.differences.map((d, i) => (
                <li key={i}>{describe(d)}</li>
              ))}
            </ul>
          </div>
        )}
        {recount.verified === null && <p className="muted">{t('recount.notPublished')}</p>}
      </div>
      {recount.published && (
        <p className="muted">{t('recount.publishedBy', { name: recount.published.byName, time: formatDateTime(recount.published.at, i18n.language) })}</p>
      )}
      <p className="muted gov-digest">{t('recount.digest', { digest: recount.sha256 })}</p>
      {recount.canPublish && recount.verified !== true && (
        <div className="actions">
          <button type="button" disabled={action.busy} onClick={() => void action.run(() => api().governance.publishCount({ circleId: vote.circle, voteId: vote.id }))}>
            {t('recount.publish')}
          </button>
        </div>
      )}
      <FormError error={action.error} />
    </section>
  );
}
