// One vote, live: its results, and for facilitators the tools to run it in the room:
// record ballots one by one (a proxy ballot when the voter is someone else), enter a
// show-of-hands count, close it, and record the outcome.
import { memo, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { usePlenary } from '../store';
import type { VoteDetail } from '../../../shared/governance/views';
import { useSlotLabels } from './time-poll-section';
import { applyChange, useAction, useGovernanceQuery } from './use-governance';
import { FormError } from './form-error';
import { BallotInput, choiceValue, emptyChoice, type ChoiceDraft } from './ballot-input';
import { VoteResults } from './vote-results';
import { fromDateTimeLocal, toDateTimeLocal } from './format';
import { TextField } from '../forms/text-field';
import { FormActions } from '../forms/form-actions';
import { MyBallot } from './my-ballot';
import { reasonLimit } from '../../../shared/governance/reasons';

function BallotForm({ vote }: { vote: VoteDetail }) {
  const { t } = useTranslation('governance');
  const me = usePlenary((s) => s.info?.localActor ?? '');
  const action = useAction();
  const people = vote.members.length > 0 ? vote.members : [{ member: me, displayName: t('ballot.you'), role: 'member' as const, timezone: 'UTC' }];
  const canRecordOthers = vote.canFacilitate;
  // A facilitator goes round the room: the form starts at the next member who has not voted.
  const [voter, setVoter] = useState(canRecordOthers ? (vote.undecided[0]?.member ?? people[0]!.member) : me);
  const [proxy, setProxy] = useState('');
  const [choice, setChoice] = useState<ChoiceDraft>(() => emptyChoice(vote.method, vote.options));
  const [reason, setReason] = useState('');
  const ids = { voter: useId(), proxy: useId(), absent: useId() };
  const voterSelect = useRef<HTMLSelectElement>(null);
  const recordedHere = useRef(new Set<string>());
  const voterName = people.find((p) => p.member === voter)?.displayName ?? voter;
  const value = choiceValue(choice);
  const isProxy = voter !== me;
  // Marked absent or with apologies in this assembly: say so before the ballot is recorded.
  const away = vote.attendance?.[voter];
  const awayWarning = away === 'absent' || away === 'apologies' ? t(away === 'absent' ? 'ballot.markedAbsent' : 'ballot.markedApologies', { name: voterName }) : null;

  return (
    <form
      className="gov-inline-form gov-ballot-form"
      aria-label={t('ballot.title')}
      onSubmit={async (e) => {
        e.preventDefault();
        if (value === null) return;
        const payload = {
          voteId: vote.id,
          voter,
          choice: value,
          ...(reason.trim() ? { reason: reason.trim() } : {}),
          ...(isProxy && proxy ? { proxy } : {}),
        };
        if (!(await action.run(() => applyChange({ type: 'vote.ballot', circle: vote.circle, payload })))) return;
        // Move on to the next member who has not voted, decided here from what was just
        // recorded: waiting for the refreshed vote would reset a voter the facilitator
        // picked in the meantime.
        recordedHere.current.add(voter);
        if (canRecordOthers) {
          setVoter(vote.undecided.find((m) => !recordedHere.current.has(m.member))?.member ?? voter);
          voterSelect.current?.focus();
        }
        setChoice(emptyChoice(vote.method, vote.options));
        setReason('');
        setProxy('');
      }}
    >
      <h4 className="gov-subheading">{t('ballot.title')}</h4>
      {canRecordOthers && (
        <div className="field">
          <label htmlFor={ids.voter}>{t('ballot.voter')}</label>
          <select
            id={ids.voter}
            ref={voterSelect}
            value={voter}
            disabled={action.busy}
            aria-describedby={awayWarning ? ids.absent : undefined}
            onChange={(e) => {
              setVoter(e.target.value);
              setProxy('');
            }}
          >
            {people.map((p) => (
              <option key={p.member} value={p.member}>
                {p.member === me ? t('ballot.meNamed', { name: p.displayName }) : p.displayName}
              </option>
            ))}
          </select>
          {awayWarning && (
            <p className="gov-warning field-hint" id={ids.absent} role="status">
              {awayWarning}
            </p>
          )}
        </div>
      )}
      {canRecordOthers && isProxy && (
        <div className="field">
          <label htmlFor={ids.proxy}>{t('ballot.proxyHolder')}</label>
          <select id={ids.proxy} value={proxy} disabled={action.busy} onChange={(e) => setProxy(e.target.value)}>
            <option value="">{t('ballot.noProxyHolder')}</option>
            {people
              .filter((p) => p.member !== voter)
              .map((p) => (
                <option key={p.member} value={p.member}>
                  {p.displayName}
                </option>
              ))}
          </select>
          <p className="hint field-hint">{t('ballot.proxyHint')}</p>
        </div>
      )}
      <BallotInput options={vote.options} maxChoices={vote.maxChoices} value={choice} onChange={setChoice} voterName={voterName} />
      {vote.reasons !== 'off' && (
        <TextField label={vote.reasons === 'required' ? t('myBallot.reasonRequiredFor') : t('ballot.reason')} value={reason} onChange={setReason} max={reasonLimit(vote.reasons)} multiline inputClassName="short" />
      )}
      {canRecordOthers && <p className="hint">{t('myBallot.recordedHint')}</p>}
      <FormError error={action.error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={action.busy || value === null}>
          {t('ballot.record', { name: voterName })}
        </button>
      </div>
    </form>
  );
}

/**
 * The show of hands: hands per option and abstentions (their one place), each a whole
 * number, and together no more than the circle has members: the total is shown as it is
 * typed and the form will not save an impossible count.
 */
function CountForm({ vote }: { vote: VoteDetail }) {
  const { t } = useTranslation('governance');
  const action = useAction();
  const [totals, setTotals] = useState<Record<string, number>>(() => ({ ...Object.fromEntries(vote.options.map((o) => [o.id, 0])), ...vote.count?.totals }));
  const [abstain, setAbstain] = useState(vote.count?.abstain ?? 0);
  const abstainId = useId();
  const totalId = useId();
  const electorate = vote.members.length;
  const hands = Object.values(totals).reduce((sum, n) => sum + n, 0) + abstain;
  const over = electorate > 0 && hands > electorate;
  const whole = (value: string) => Math.max(0, Math.floor(Number(value) || 0));
  return (
    <form
      className="gov-inline-form"
      aria-label={t('count.title')}
      onSubmit={(e) => {
        e.preventDefault();
        if (over) return;
        void action.run(() => applyChange({ type: 'vote.count', circle: vote.circle, payload: { voteId: vote.id, totals, abstain } }));
      }}
    >
      <h4 className="gov-subheading">{t('count.title')}</h4>
      {vote.options.map((o) => (
        <div className="field" key={o.id}>
          <label htmlFor={`count-${o.id}`}>{t('count.handsFor', { option: o.label })}</label>
          <input
            id={`count-${o.id}`}
            type="number"
            min={0}
            max={electorate || undefined}
            step={1}
            required
            aria-describedby={totalId}
            value={totals[o.id] ?? 0}
            onChange={(e) => setTotals({ ...totals, [o.id]: whole(e.target.value) })}
          />
        </div>
      ))}
      <div className="field">
        <label htmlFor={abstainId}>{t('count.abstain')}</label>
        <input id={abstainId} type="number" min={0} max={electorate || undefined} step={1} aria-describedby={totalId} value={abstain} onChange={(e) => setAbstain(whole(e.target.value))} />
      </div>
      <p id={totalId} className={over ? 'gov-count-total over' : 'gov-count-total'} role={over ? 'alert' : undefined}>
        {over ? t('count.tooMany', { hands, members: electorate }) : t('count.total', { hands, members: electorate })}
      </p>
      <FormError error={action.error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={action.busy || over}>
          {t('count.save')}
        </button>
      </div>
    </form>
  );
}

function OutcomeForm({ vote }: { vote: VoteDetail }) {
  const { t } = useTranslation('governance');
  const action = useAction();
  const [outcome, setOutcome] = useState(vote.outcome);
  // The outcome's review date (optional): the decision comes back on Today that day.
  const [reviewOn, setReviewOn] = useState(vote.reviewOn ?? '');
  const id = useId();
  const reviewId = useId();
  const reviewHintId = useId();
  const reviewChanged = reviewOn !== (vote.reviewOn ?? '');
  return (
    <form
      className="gov-inline-form"
      aria-label={t('outcome.title')}
      onSubmit={(e) => {
        e.preventDefault();
        const fields = { outcome, ...(reviewChanged ? { reviewOn: reviewOn === '' ? null : reviewOn } : {}) };
        void action.run(() => applyChange({ type: 'vote.update', circle: vote.circle, payload: { voteId: vote.id, fields } }));
      }}
    >
      <TextField id={id} label={t('outcome.label')} multiline inputClassName="short" max={4000} value={outcome} onChange={setOutcome} />
      <div className="field">
        <label htmlFor={reviewId}>{t('voteReminders.reviewDate')}</label>
        <input id={reviewId} type="date" value={reviewOn} aria-describedby={reviewHintId} onChange={(e) => setReviewOn(e.target.value)} />
        <p id={reviewHintId} className="hint">
          {t('voteReminders.reviewDateHint')}
        </p>
      </div>
      <FormError error={action.error} />
      <FormActions submit={t('outcome.save')} busy={action.busy} disabled={outcome === vote.outcome && !reviewChanged} primary={false} />
    </form>
  );
}

/** Closing asks first: it names the question and who has not voted yet. */
function CloseVote({ vote }: { vote: VoteDetail }) {
  const { t } = useTranslation('governance');
  const action = useAction();
  const [confirming, setConfirming] = useState(false);
  const textId = useId();
  if (!confirming) {
    return (
      <div className="actions">
        <button type="button" onClick={() => setConfirming(true)}>
          {t('votes.closeAsk')}
        </button>
      </div>
    );
  }
  return (
    <div className="gov-confirm" role="group" aria-labelledby={textId}>
      <p id={textId}>
        {t('votes.closeConfirmText', { question: vote.question })}{' '}
        {vote.undecided.length > 0 ? t('votes.closeUndecided', { count: vote.undecided.length }) : t('votes.closeEveryone')}
      </p>
      <FormError error={action.error} />
      <div className="actions">
        <button
          type="button"
          className="primary"
          autoFocus
          disabled={action.busy}
          onClick={async () => {
            if (await action.run(() => applyChange({ type: 'vote.close', circle: vote.circle, payload: { voteId: vote.id } }))) setConfirming(false);
          }}
        >
          {t('votes.closeConfirm')}
        </button>
        <button type="button" onClick={() => setConfirming(false)}>
          {t('common:cancel')}
        </button>
      </div>
    </div>
  );
}

/** A later closing time: for an open vote, or to extend one that closed at its closing time. */
function ExtendForm({ vote }: { vote: VoteDetail }) {
  const { t } = useTranslation('governance');
  const action = useAction();
  const [when, setWhen] = useState(vote.closesAt !== null && vote.closesAt > Date.now() ? toDateTimeLocal(vote.closesAt) : '');
  const id = useId();
  const open = vote.status === 'open';
  return (
    <form
      className="gov-inline-form gov-extend"
      aria-label={open ? t('votes.changeClosing') : t('votes.extend')}
      onSubmit={(e) => {
        e.preventDefault();
        const closesAt = fromDateTimeLocal(when);
        if (closesAt === null) return;
        void action.run(() => applyChange({ type: 'vote.update', circle: vote.circle, payload: { voteId: vote.id, fields: { closesAt } } }));
      }}
    >
      <label htmlFor={id}>{t('votes.newClosingTime')}</label>
      <input id={id} type="datetime-local" required value={when} onChange={(e) => setWhen(e.target.value)} />
      <button type="submit" disabled={action.busy || when === ''}>
        {open ? t('votes.changeClosingSubmit') : t('votes.extendSubmit')}
      </button>
      <FormError error={action.error} />
    </form>
  );
}

/**
 * `ownBallot`: whether to show "Your ballot" here for a member who does not facilitate (the
 * vote page shows it in a card of its own). A facilitator records ballots, their own
 * included, with the assembly's form; members cast their own.
 */
export function VoteTools({ vote, ownBallot = true }: { vote: VoteDetail; ownBallot?: boolean }) {
  const { t } = useTranslation('governance');
  const action = useAction();
  const open = vote.status === 'open';
  const closedByTime = !open && !vote.closedByFacilitator;
  return (
    <>
      {open && vote.method !== 'counted' && vote.canFacilitate && <BallotForm vote={vote} />}
      {open && vote.method !== 'counted' && !vote.canFacilitate && ownBallot && <MyBallot vote={vote} headingLevel={4} />}
      {open && vote.method === 'counted' && vote.canFacilitate && <CountForm vote={vote} />}
      {vote.canFacilitate && open && <CloseVote vote={vote} />}
      {vote.canFacilitate && open && vote.closesAt !== null && <ExtendForm vote={vote} />}
      {vote.canFacilitate && !open && !vote.final && (
        <div className="gov-reopen">
          {closedByTime ? (
            <ExtendForm vote={vote} />
          ) : (
            <div className="actions">
              <button
                type="button"
                disabled={action.busy}
                onClick={() => void action.run(() => applyChange({ type: 'vote.reopen', circle: vote.circle, payload: { voteId: vote.id } }))}
              >
                {t('votes.reopen')}
              </button>
            </div>
          )}
          <p className="hint">{t('votes.reopenHint')}</p>
        </div>
      )}
      <FormError error={action.error} />
      {vote.canFacilitate && !open && <OutcomeForm vote={vote} />}
    </>
  );
}

/** Who has not voted yet, always in view while the vote is open (a show of hands has no ballots to list). */
export function NotVotedYet({ vote }: { vote: VoteDetail }) {
  const { t } = useTranslation('governance');
  if (vote.status !== 'open' || vote.method === 'counted') return null;
  return (
    <p className="gov-undecided">
      {vote.undecided.length > 0 ? t('votes.undecided', { names: vote.undecided.map((m) => m.displayName).join(', ') }) : t('votes.closeEveryone')}
    </p>
  );
}

/** A vote as shown inside an assembly: question, live results and the tools to run it. */
export const VotePanel = memo(function VotePanel({ circleId, voteId, headingLevel = 4 }: { circleId: string; voteId: string; headingLevel?: 3 | 4 }) {
  const { t } = useTranslation('governance');
  const query = useGovernanceQuery(() => api().governance.vote({ circleId, voteId }), `${circleId}/${voteId}`, circleId);
  const vote = useSlotLabels(query.data);
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  if (!vote) return <FormError error={query.error} />;
  const names = new Map(vote.members.map((m) => [m.member, m.displayName]));
  return (
    <section className="gov-vote-panel" aria-label={vote.question}>
      <Heading className="gov-vote-question">{vote.question}</Heading>
      <p className="muted gov-meta">
        <span>{t(`methods.${vote.method}`)}</span>
        <span className={`badge ${vote.status}`}>{t(`voteStatus.${vote.status}`)}</span>
        {vote.status === 'open' && vote.undecided.length > 0 && <span>{t('votes.undecidedCount', { count: vote.undecided.length })}</span>}
      </p>
      {vote.details && <p className="gov-purpose">{vote.details}</p>}
      <VoteResults vote={vote} names={names} />
      <NotVotedYet vote={vote} />
      <VoteTools vote={vote} />
    </section>
  );
});
