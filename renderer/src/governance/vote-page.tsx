import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { usePlenary } from '../store';
import { formatRoute } from '../store/nav-slice';
import { useAction, useGovernanceQuery } from './use-governance';
import { FormError } from './form-error';
import { VoteResults } from './vote-results';
import { VoteRecount } from './vote-recount';
import { NotVotedYet, VoteTools } from './vote-panel';
import { BackLink } from './circle-page';
import { downloadFile } from './download';
import { formatDateTime } from './format';
import { describeChoiceText } from './describe-choice';
import { isLocale } from '../../../shared/locales';
import { TableScroll } from '../app/table-scroll';
import { ForumThreadSection } from '../forum/thread-section';
import { Attachments } from '../forum/attachments';
import { MyBallot } from './my-ballot';
import { TimePollSection, useSlotLabels } from './time-poll-section';

export function VotePage({ circleId, voteId }: { circleId: string; voteId: string }) {
  const { t, i18n } = useTranslation('governance');
  const navigate = usePlenary((s) => s.navigate);
  const query = useGovernanceQuery(() => api().governance.vote({ circleId, voteId }), `${circleId}/${voteId}`, circleId);
  const exporting = useAction();
  const vote = useSlotLabels(query.data);
  const locale = isLocale(i18n.language) ? i18n.language : 'en';
  return (
    <section aria-labelledby="vote-title">
      <BackLink section="votes" />
      <FormError error={query.error} />
      {vote && (
        <>
          <h1 id="vote-title">{vote.question}</h1>
          <p className="muted gov-meta">
            <a
              href={formatRoute({ section: 'circles', params: [vote.circle] })}
              onClick={(e) => {
                e.preventDefault();
                navigate({ section: 'circles', params: [vote.circle] });
              }}
            >
              {vote.circleName}
            </a>
            <span>{t(`methods.${vote.method}`)}</span>
            <span className={`badge ${vote.status}`}>{t(`voteStatus.${vote.status}`)}</span>
            {vote.closedAt !== null && <span>{t('votes.closedAt', { time: formatDateTime(vote.closedAt, i18n.language) })}</span>}
            {vote.status === 'open' && vote.closesAt !== null && <span>{t('votes.closesAt', { time: formatDateTime(vote.closesAt, i18n.language) })}</span>}
          </p>
          {vote.details && <p className="gov-purpose">{vote.details}</p>}
          {(vote.hideResults || vote.reasons !== null) && (
            <p className="muted gov-meta">
              {vote.hideResults && <span>{t('hiddenResults.setting')}</span>}
              {vote.reasons !== null && <span>{t(`reasonModes.${vote.reasons}`)}</span>}
            </p>
          )}
          {vote.method === 'time' && <TimePollSection circleId={circleId} vote={vote} />}
          <MyBallot vote={vote} />
          <div className="card">
            <h2>{t('results.title')}</h2>
            <VoteResults vote={vote} names={new Map(vote.members.map((m) => [m.member, m.displayName]))} />
            <VoteRecount vote={vote} />
            {!vote.resultsHidden && (
              <div className="actions">
                <button type="button" onClick={() => void exporting.run(async () => downloadFile(await api().governance.exportVoteResults({ circleId, voteId, locale })))}>
                  {t('votes.export')}
                </button>
              </div>
            )}
            <FormError error={exporting.error} />
          </div>
          <ForumThreadSection circleId={circleId} subject={{ kind: 'vote', voteId }} canFacilitate={vote.canFacilitate} closed={vote.status === 'closed'} />
          <section className="card" aria-labelledby="vote-files-title">
            <h2 id="vote-files-title">{t('forum:files.title')}</h2>
            <Attachments circleId={circleId} subject={{ kind: 'vote', voteId }} canRemove={vote.canFacilitate} label={t('forum:files.forVote', { question: vote.question })} headed={false} />
          </section>
          {vote.canFacilitate && (
            <div className="card gov-tools">
              <VoteTools vote={vote} ownBallot={false} />
            </div>
          )}
          <div className="card">
            <h2>{t('votes.ballots', { count: vote.ballots.length })}</h2>
            {vote.ballots.length === 0 ? (
              <p className="muted">{t('votes.noBallots')}</p>
            ) : (
              <TableScroll label={t('votes.ballots', { count: vote.ballots.length })}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('votes.voter')}</th>
                    <th scope="col">{t('votes.choice')}</th>
                    <th scope="col">{t('votes.reason')}</th>
                    <th scope="col">{t('votes.state')}</th>
                  </tr>
                </thead>
                <tbody>
                  {vote.ballots.map((b) => (
                    <tr key={b.opId}>
                      <th scope="row">
                        <span className="gov-name">{b.voterName}</span>
                        {b.proxyName !== null && <div className="muted">{t('votes.proxyHeldBy', { name: b.proxyName })}</div>}
                        {b.actor !== b.voter && <div className="muted">{t('votes.proxyBy', { name: b.actorName })}</div>}
                        {b.delegatedFrom.length > 0 && <div className="muted">{t('myBallot.delegatedFrom', { names: b.delegatedFrom.map((d) => d.name).join(', ') })}</div>}
                        {(b.voterAttendance === 'absent' || b.voterAttendance === 'apologies') && (
                          <div className="gov-warning">{t(b.voterAttendance === 'absent' ? 'votes.voterAbsent' : 'votes.voterApologies')}</div>
                        )}
                      </th>
                      <td>{b.hidden ? <span className="muted">{t('hiddenResults.choiceHidden')}</span> : describeChoiceText(t, vote, b.choice)}</td>
                      <td>{b.reason ?? ''}</td>
                      <td>
                        {t(`ballotState.${b.state}`)}
                        {b.receivedAt !== null && <div className="muted">{t('votes.receivedAt', { time: formatDateTime(b.receivedAt, i18n.language) })}</div>}
                        {b.state === 'late' && vote.canFacilitate && (
                          <AcceptLate circleId={circleId} voteId={voteId} ballotOpId={b.opId} />
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              </TableScroll>
            )}
            <NotVotedYet vote={vote} />
          </div>
          {vote.closures.length > 0 && (
            <div className="card">
              <h2>{t('votes.history')}</h2>
              <ul className="gov-list">
                {vote.closures.map((c) => (
                  <li key={`${c.kind}-${c.at}-${c.by}`}>
                    {t(c.kind === 'close' ? 'votes.closedBy' : 'votes.reopenedBy', { name: c.byName, time: formatDateTime(c.at, i18n.language) })}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function AcceptLate({ circleId, voteId, ballotOpId }: { circleId: string; voteId: string; ballotOpId: string }) {
  const { t } = useTranslation('governance');
  const action = useAction();
  return (
    <>
      <button
        type="button"
        className="link-button"
        disabled={action.busy}
        onClick={() => void action.run(() => api().governance.apply({ type: 'vote.acceptLate', circle: circleId, payload: { voteId, ballotOpId } }))}
      >
        {t('votes.acceptLate')}
      </button>
      <FormError error={action.error} />
    </>
  );
}
