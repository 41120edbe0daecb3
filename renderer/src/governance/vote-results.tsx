// Live results of a vote, for every method: bars with numbers (never colour alone), the
// quorum state, and the outcome once closed.
import { useTranslation } from 'react-i18next';
import type { VoteSummary } from '../../../shared/governance/views';
import { consentPositions } from '../../../shared/governance/operation-types';
import { TableScroll } from '../app/table-scroll';
import { formatDate } from './format';

function Bar({ label, value, max, text, winner }: { label: string; value: number; max: number; text: string; winner: boolean }) {
  const width = max > 0 ? Math.round((value / max) * 100) : 0;
  return (
    <li className={winner ? 'gov-bar winner' : 'gov-bar'}>
      <span className="gov-bar-label truncate" title={label}>
        {label}
      </span>
      <span className="gov-bar-track" aria-hidden="true">
        <span className="gov-bar-fill" style={{ width: `${width}%` }} />
      </span>
      <span className="gov-bar-value">{text}</span>
    </li>
  );
}

export function QuorumLine({ vote }: { vote: VoteSummary }) {
  const { t } = useTranslation('governance');
  const q = vote.results.quorum;
  const present = q.basis === 'present';
  if (q.percent === 0) return <p className="muted">{t(present ? 'results.noQuorumPresent' : 'results.noQuorum', { turnout: q.turnout, electorate: q.electorate })}</p>;
  const key = present ? (q.met ? 'results.quorumMetPresent' : 'results.quorumNotMetPresent') : q.met ? 'results.quorumMet' : 'results.quorumNotMet';
  // Live: it moves with every ballot and, for a quorum of those present, with attendance.
  return (
    <p className={q.met ? 'gov-quorum met' : 'gov-quorum'} aria-live="polite">
      {t(key, { percent: q.percent, required: q.required, electorate: q.electorate, turnout: q.turnout })}
    </p>
  );
}

export function VoteOutcome({ vote }: { vote: VoteSummary }) {
  const { t } = useTranslation('governance');
  const r = vote.results;
  const label = (id: string) => vote.options.find((o) => o.id === id)?.label ?? id;
  // Hidden until the close: nothing about how it is going (shared/governance/hidden-results.ts).
  if (vote.resultsHidden) return <p className="gov-outcome">{t('hiddenResults.short')}</p>;
  // A closed vote that missed its quorum has no result, whoever had the most votes.
  if (vote.status === 'closed' && !r.consent && !r.quorum.met) return <p className="gov-outcome outcome-no_quorum">{t('results.noResultQuorum')}</p>;
  let text: string;
  if (r.consent) text = t(`consentOutcome.${r.consent.outcome}`);
  else if (r.winners.length === 1) text = t(vote.status === 'closed' ? 'results.winner' : 'results.leading', { option: label(r.winners[0]!) });
  else if (r.winners.length > 1) text = t('results.tie', { options: r.winners.map(label).join(', ') });
  else text = t('results.noVotesYet');
  const tone = r.consent ? `outcome-${r.consent.outcome}` : '';
  return <p className={`gov-outcome ${tone}`}>{vote.status === 'closed' ? t('results.finalOutcome', { outcome: text }) : t('results.currentOutcome', { outcome: text })}</p>;
}

/**
 * Where Element counts differently on purpose: it counts every answer in the room, Plenary
 * only the circle's members (as of the close). Each option Element counts more for is named
 * with Element's number, and why.
 */
function ElementCounts({ vote, names }: { vote: VoteSummary; names?: ReadonlyMap<string, string> | undefined }) {
  const { t } = useTranslation('governance');
  const r = vote.results;
  const outside = r.outsideVotes;
  if (!outside || Object.values(outside).every((n) => n === 0)) return null;
  const rows = r.consent
    ? consentPositions.filter((p) => (outside[p] ?? 0) > 0).map((p) => ({ id: p, label: t(`consent.${p}`), plenary: r.consent!.positions[p] }))
    : r.options.filter((o) => (outside[o.id] ?? 0) > 0).map((o) => ({ id: o.id, label: o.label, plenary: o.votes }));
  const who = [...new Set(r.notMembers)].map((id) => names?.get(id) ?? id).join(', ');
  return (
    <div className="gov-element-counts" role="note">
      <p>{t('results.elementDiffers', { count: new Set(r.notMembers).size, names: who })}</p>
      <ul className="gov-list">
        {rows.map((row) => (
          <li key={row.id}>{t('results.elementCounts', { option: row.label, count: row.plenary + (outside[row.id] ?? 0), plenary: row.plenary })}</li>
        ))}
      </ul>
    </div>
  );
}

export function VoteResults({ vote, names }: { vote: VoteSummary; names?: ReadonlyMap<string, string> }) {
  const { t, i18n } = useTranslation('governance');
  if (vote.resultsHidden) {
    return (
      <div className="gov-results gov-hidden-results" role="note">
        <p>{t('hiddenResults.notice')}</p>
        <QuorumLine vote={vote} />
      </div>
    );
  }
  const r = vote.results;
  let bars: React.ReactNode;
  if (r.consent) {
    const max = Math.max(1, ...Object.values(r.consent.positions));
    bars = consentPositions.map((p) => <Bar key={p} label={t(`consent.${p}`)} value={r.consent!.positions[p]} max={max} text={String(r.consent!.positions[p])} winner={false} />);
  } else if (vote.method === 'score') {
    bars = r.options.map((o) => (
      <Bar key={o.id} label={o.label} value={o.averageHundredths ?? 0} max={500} winner={r.winners.includes(o.id)} text={t('results.scoreValue', { average: ((o.averageHundredths ?? 0) / 100).toFixed(2), total: o.points })} />
    ));
  } else if (vote.method === 'ranked-borda') {
    const max = Math.max(1, ...r.options.map((o) => o.points));
    bars = r.options.map((o) => <Bar key={o.id} label={o.label} value={o.points} max={max} winner={r.winners.includes(o.id)} text={t('results.points', { count: o.points })} />);
  } else {
    const max = Math.max(1, ...r.options.map((o) => o.votes));
    bars = r.options.map((o) => <Bar key={o.id} label={o.label} value={o.votes} max={max} winner={r.winners.includes(o.id)} text={t('results.votes', { count: o.votes })} />);
  }
  return (
    <div className="gov-results">
      <VoteOutcome vote={vote} />
      <ul className="gov-bars" aria-label={t('results.label')}>
        {bars}
      </ul>
      {vote.method === 'counted' && <p className="muted">{t('results.abstentions', { count: r.abstain })}</p>}
      {r.irv && r.irv.length > 0 && (
        <TableScroll label={t('results.rounds')}>
        <table className="gov-rounds">
          <caption className="gov-caption">{t('results.rounds')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('results.option')}</th>
              {r.irv.map((_, i) => (
                <th scope="col" key={i}>
                  {t('results.round', { number: i + 1 })}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {vote.options.map((o) => (
              <tr key={o.id}>
                <th scope="row">{o.label}</th>
                {r.irv!.map((round, i) => (
                  <td key={i}>{o.id in round.counts ? round.counts[o.id] : t('results.notInRound')}{round.eliminated.includes(o.id) ? ` ${t('results.eliminatedMark')}` : ''}</td>
                ))}
              </tr>
            ))}
            <tr>
              <th scope="row">{t('results.exhausted')}</th>
              {r.irv.map((round, i) => (
                <td key={i}>{round.exhausted}</td>
              ))}
            </tr>
          </tbody>
        </table>
        </TableScroll>
      )}
      <QuorumLine vote={vote} />
      {r.consent && r.consent.concerns.length > 0 && (
        <div>
          <h4 className="gov-subheading">{t('results.concerns')}</h4>
          <ul className="gov-list">
            {r.consent.concerns.map((c, i) => (
              <li key={i}>
                <strong>{t(`consent.${c.position}`)}</strong> · {names?.get(c.voter) ?? c.voter}
                {c.reason ? `: ${c.reason}` : ''}
              </li>
            ))}
          </ul>
        </div>
      )}
      {(r.spoiled.length > 0 || r.superseded > 0 || r.late > 0 || r.notMembers.length > 0) && (
        <p className="muted">
          {[
            r.spoiled.length > 0 && t('results.spoiled', { count: r.spoiled.length }),
            r.superseded > 0 && t('results.changed', { count: r.superseded }),
            r.late > 0 && t('results.late', { count: r.late }),
            r.notMembers.length > 0 && t('results.notMembers', { count: r.notMembers.length }),
          ]
            .filter(Boolean)
            .join(' · ')}
        </p>
      )}
      <ElementCounts vote={vote} names={names} />
      {vote.outcome && (
        <p className="gov-outcome-statement">
          <strong>{t('results.outcomeStatement')}</strong> {vote.outcome}
        </p>
      )}
      {vote.reviewOn && <p className="gov-review-on">{t('voteReminders.reviewOn', { date: formatDate(vote.reviewOn, i18n.language) })}</p>}
    </div>
  );
}
