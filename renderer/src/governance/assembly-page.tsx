// Assembly mode: everything a facilitator needs in the room, working with no network at
// all (every change goes to the local store and syncs later).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { usePlenary } from '../store';
import { formatRoute } from '../store/nav-slice';
import { isLocale } from '../../../shared/locales';
import type { AssemblyDetail } from '../../../shared/governance/views';
import { applyChange, useAction, useGovernanceQuery } from './use-governance';
import { FormError } from './form-error';
import { BackLink } from './circle-page';
import { AttendanceSection } from './attendance-section';
import { CallQuorumSection } from './call-quorum-section';
import { ActionsSection } from './actions-section';
import { AgendaSection } from './agenda-section';
import { ContributionForm } from './contribution-form';
import { VotePanel } from './vote-panel';
import { downloadFile } from './download';
import { formatDateTime } from './format';
import { ForumThreadSection } from '../forum/thread-section';
import { SaveMinutesToCloud } from '../forum/attachments';

function AssemblyActions({ assembly }: { assembly: AssemblyDetail }) {
  const { t, i18n } = useTranslation('governance');
  const action = useAction();
  const [confirmClose, setConfirmClose] = useState(false);
  const [posted, setPosted] = useState(false);
  const locale = isLocale(i18n.language) ? i18n.language : 'en';
  const payload = { assemblyId: assembly.id };
  const openVotes = assembly.votes.filter((v) => v.status === 'open');
  const close = async (closeVotes: boolean) => {
    const done = await action.run(async () => {
      // Votes first: if one cannot be closed, the assembly stays open and the error says why.
      if (closeVotes) for (const v of openVotes) await applyChange({ type: 'vote.close', circle: v.circle, payload: { voteId: v.id } });
      await applyChange({ type: 'assembly.close', circle: assembly.circle, payload });
      return true;
    });
    if (done) setConfirmClose(false);
  };
  return (
    <div className="gov-toolbar" role="group" aria-label={t('assembly.actions')}>
      {assembly.canFacilitate && assembly.status === 'planned' && (
        <button type="button" className="primary" onClick={() => void action.run(() => applyChange({ type: 'assembly.open', circle: assembly.circle, payload }))}>
          {t('assembly.open')}
        </button>
      )}
      {assembly.canFacilitate &&
        assembly.status === 'open' &&
        (confirmClose ? (
          <>
            <span>{t('assembly.closeConfirmText')}</span>
            {openVotes.length > 0 ? (
              <>
                <span role="alert">{t('assembly.openVotesWarning', { questions: openVotes.map((v) => `“${v.question}”`).join(', ') })}</span>
                <button type="button" className="primary" autoFocus disabled={action.busy} onClick={() => void close(true)}>
                  {t('assembly.closeVotesAndAssembly')}
                </button>
                <button type="button" disabled={action.busy} onClick={() => void close(false)}>
                  {t('assembly.closeLeavingVotesOpen')}
                </button>
              </>
            ) : (
              <button type="button" className="primary" autoFocus disabled={action.busy} onClick={() => void close(false)}>
                {t('assembly.closeConfirm')}
              </button>
            )}
            <button type="button" onClick={() => setConfirmClose(false)}>
              {t('common:cancel')}
            </button>
          </>
        ) : (
          <button type="button" onClick={() => setConfirmClose(true)}>
            {t('assembly.close')}
          </button>
        ))}
      <button
        type="button"
        className={assembly.status === 'closed' ? 'primary' : ''}
        onClick={() => void action.run(async () => downloadFile(await api().governance.exportMinutes({ circleId: assembly.circle, assemblyId: assembly.id, locale })))}
      >
        {t('assembly.exportMinutes')}
      </button>
      {assembly.canFacilitate && (
        <button
          type="button"
          disabled={action.busy}
          onClick={async () => {
            setPosted(false);
            if (await action.run(() => api().governance.postMinutes({ circleId: assembly.circle, assemblyId: assembly.id, locale }))) setPosted(true);
          }}
        >
          {t('assembly.postToChat')}
        </button>
      )}
      {posted && (
        <span className="gov-saved" role="status">
          {t('assembly.postedToChat')}
        </span>
      )}
      <SaveMinutesToCloud circleId={assembly.circle} assemblyId={assembly.id} />
      <FormError error={action.error} />
    </div>
  );
}

export function AssemblyPage({ circleId, assemblyId }: { circleId: string; assemblyId: string }) {
  const { t, i18n } = useTranslation('governance');
  const navigate = usePlenary((s) => s.navigate);
  const query = useGovernanceQuery(() => api().governance.assembly({ circleId, assemblyId }), `${circleId}/${assemblyId}`, circleId);
  const a = query.data;
  // Votes shown under no agenda item: neither put on an item nor linked to one as its decision.
  const unlinked = a ? a.votes.filter((v) => !a.agenda.some((i) => i.itemId === v.itemId || i.decisions.includes(v.id))) : [];
  return (
    <section aria-labelledby="assembly-title" className="gov-assembly">
      <BackLink section="assemblies" />
      <FormError error={query.error} />
      {a && (
        <>
          <div className="gov-heading">
            <h1 id="assembly-title">{a.title}</h1>
            <span className={`badge ${a.status}`}>{t(`assemblyStatus.${a.status}`)}</span>
          </div>
          <p className="muted gov-meta">
            <a
              href={formatRoute({ section: 'circles', params: [a.circle] })}
              onClick={(e) => {
                e.preventDefault();
                navigate({ section: 'circles', params: [a.circle] });
              }}
            >
              {a.circleName}
            </a>
            {a.scheduledAt !== null && <span>{t('assembly.scheduled', { time: formatDateTime(a.scheduledAt, i18n.language) })}</span>}
            {a.openedAt !== null && <span>{t('assembly.openedAt', { time: formatDateTime(a.openedAt, i18n.language) })}</span>}
            {a.closedAt !== null && <span>{t('assembly.closedAt', { time: formatDateTime(a.closedAt, i18n.language) })}</span>}
          </p>
          {a.canFacilitate && a.status !== 'closed' && <p className="gov-mode-note">{t('assembly.modeNote')}</p>}
          <AssemblyActions assembly={a} />
          <div className="gov-assembly-grid">
            <div>
              <AgendaSection assembly={a} />
              {unlinked.length > 0 && (
                <section className="card" aria-labelledby="other-votes-title">
                  <h2 id="other-votes-title">{t('assembly.otherVotes')}</h2>
                  {unlinked.map((v) => (
                    <VotePanel key={v.id} circleId={a.circle} voteId={v.id} headingLevel={3} />
                  ))}
                </section>
              )}
            </div>
            <div>
              <CallQuorumSection assembly={a} />
              <AttendanceSection assembly={a} />
              <ActionsSection assembly={a} />
              <ForumThreadSection circleId={a.circle} subject={{ kind: 'assembly', assemblyId: a.id }} canFacilitate={a.canFacilitate} closed={a.status === 'closed'} />
              {a.recordings.length > 0 && (
                <section className="card" aria-labelledby="recordings-title">
                  <h2 id="recordings-title">{t('assembly.recordings')}</h2>
                  <ul className="gov-list">
                    {a.recordings.map((r) => (
                      <li key={r.recordingId}>
                        <a href={r.url} target="_blank" rel="noreferrer noopener">
                          {r.label}
                        </a>
                      </li>
                    ))}
                  </ul>
                </section>
              )}
              {a.status !== 'closed' && (
                <ContributionForm circleId={a.circle} members={a.members} canLogForOthers={a.canFacilitate} title={t('assembly.quickContribution')} />
              )}
            </div>
          </div>
        </>
      )}
    </section>
  );
}
