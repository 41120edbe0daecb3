// Your own ballot, cast from your own Plenary (online or offline: it is an operation like
// any other and syncs when it can). The normal way to vote: a member sees what they voted,
// who recorded it if a facilitator keyed it in for them during an assembly, whether their
// vote counts through a standing delegation, and casts or changes their ballot. The reason
// field follows the vote's setting (off, optional or required, at most 500 characters).
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VoteDetail } from '../../../shared/governance/views';
import { reasonLimit } from '../../../shared/governance/reasons';
import { applyChange, useAction } from './use-governance';
import { FormError } from './form-error';
import { BallotInput, choiceValue, emptyChoice, type ChoiceDraft } from './ballot-input';
import { describeChoiceText } from './describe-choice';
import { TextField } from '../forms/text-field';

/** Whether you may vote on it: a member of the circle (or anyone while it has no members yet). */
export function canVoteHere(vote: VoteDetail): boolean {
  return vote.method !== 'counted' && (vote.members.length === 0 || vote.members.some((m) => m.member === vote.me));
}

export function MyBallotStatus({ vote }: { vote: VoteDetail }) {
  const { t } = useTranslation('governance');
  const mine = vote.myBallot;
  const throughDelegate = vote.delegated.find((d) => d.member === vote.me);
  return (
    <div className="gov-my-ballot-status" aria-live="polite">
      {mine ? (
        <>
          <p>
            {t('myBallot.youVoted', { choice: describeChoiceText(t, vote, mine.choice) })}{' '}
            <span className="muted">({t(`ballotState.${mine.state}`)})</span>
          </p>
          {mine.reason && <p className="muted">{t('myBallot.yourReason', { reason: mine.reason })}</p>}
          {mine.actor !== vote.me && <p className="muted">{t('myBallot.recordedBy', { name: mine.actorName })}</p>}
        </>
      ) : throughDelegate ? (
        <p>{t('myBallot.countsThrough', { name: throughDelegate.viaName })}</p>
      ) : (
        <p className="muted">{t('myBallot.notYet')}</p>
      )}
      {vote.myDelegation && (
        <p className="muted">{mine ? t('myBallot.overridesDelegation', { name: vote.myDelegation.name }) : t('myBallot.delegating', { name: vote.myDelegation.name })}</p>
      )}
    </div>
  );
}

function MyBallotForm({ vote }: { vote: VoteDetail }) {
  const { t } = useTranslation('governance');
  const action = useAction();
  const [choice, setChoice] = useState<ChoiceDraft>(() => emptyChoice(vote.method, vote.options));
  const [reason, setReason] = useState('');
  const hintId = useId();
  const value = choiceValue(choice);
  const mode = vote.reasons;
  return (
    <form
      className="gov-inline-form gov-my-ballot-form"
      aria-label={t('myBallot.formLabel')}
      onSubmit={async (e) => {
        e.preventDefault();
        if (value === null) return;
        const payload = { voteId: vote.id, voter: vote.me, choice: value, ...(reason.trim() ? { reason: reason.trim() } : {}) };
        if (await action.run(() => applyChange({ type: 'vote.ballot', circle: vote.circle, payload }))) {
          setChoice(emptyChoice(vote.method, vote.options));
          setReason('');
        }
      }}
    >
      <BallotInput options={vote.options} maxChoices={vote.maxChoices} value={choice} onChange={setChoice} voterName={t('ballot.you')} legend={t('myBallot.choice')} />
      {mode !== 'off' && (
        <TextField
          label={mode === 'required' ? t('myBallot.reasonRequired') : t('myBallot.reasonOptional')}
          value={reason}
          onChange={setReason}
          max={reasonLimit(mode)}
          multiline
          inputClassName="short"
          hint={mode === 'required' ? t('myBallot.reasonRequiredHint') : undefined}
        />
      )}
      {vote.resultsHidden && (
        <p className="hint" id={hintId}>
          {t('myBallot.hiddenHint')}
        </p>
      )}
      <FormError error={action.error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={action.busy || value === null} aria-describedby={vote.resultsHidden ? hintId : undefined}>
          {vote.myBallot ? t('myBallot.change') : t('myBallot.cast')}
        </button>
      </div>
    </form>
  );
}

/** "Your ballot": what you voted and, while the vote is open, the form to cast or change it. */
export function MyBallot({ vote, headingLevel = 2 }: { vote: VoteDetail; headingLevel?: 2 | 4 }) {
  const { t } = useTranslation('governance');
  const Heading = headingLevel === 2 ? 'h2' : 'h4';
  const headingId = useId();
  if (!canVoteHere(vote)) return null;
  return (
    <section className={headingLevel === 2 ? 'card gov-my-ballot' : 'gov-my-ballot'} aria-labelledby={headingId}>
      <Heading id={headingId} className={headingLevel === 2 ? undefined : 'gov-subheading'}>
        {t('myBallot.title')}
      </Heading>
      <MyBallotStatus vote={vote} />
      {vote.status === 'open' && <MyBallotForm vote={vote} />}
    </section>
  );
}
