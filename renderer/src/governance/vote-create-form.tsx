// Putting a question to a vote: the one form for a motion in an assembly and a vote on the
// Votes page (same fields, same words): the question, the method, the options, the quorum
// and, optionally, when it closes. Options that repeat one another are refused as typed, and
// a show of hands keeps abstentions in its own count, never as an option.
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { newId } from '../../../shared/governance/ids';
import { maxReasonLength, maxVoteOptions, reasonModes, voteMethods, type QuorumBasis, type ReasonMode, type VoteMethod } from '../../../shared/governance/operation-types';
import { duplicateOptionIndexes, isAbstainLabel } from '../../../shared/governance/option-labels';
import type { CircleSummary } from '../../../shared/governance/views';
import { applyChange, useAction } from './use-governance';
import { FormError } from './form-error';
import { fromDateTimeLocal } from './format';
import { TextField } from '../forms/text-field';
import { CirclePicker } from '../forms/circle-picker';
import { minutesProblem, newSlots, slotDraftProblems, slotOptions, TimeSlotsField } from './time-slots-field';
import { FormActions } from '../forms/form-actions';

interface Props {
  /** A fixed circle, or the circles to choose from. */
  circleId?: string;
  circles?: CircleSummary[];
  /** Put during this assembly (and on this agenda item). */
  assemblyId?: string;
  itemId?: string;
  onCreated(circleId: string, voteId: string): void;
  onCancel?: () => void;
  headingLevel?: 2 | 3;
}

const usesMaxChoices = (method: VoteMethod) => method === 'multiple' || method === 'ranked-borda' || method === 'ranked-irv';

/** Why an option label cannot be used, or null. */
function optionProblem(method: VoteMethod, labels: string[], index: number, repeats: ReadonlySet<number>): 'duplicate' | 'abstain' | null {
  if (repeats.has(index)) return 'duplicate';
  if (method === 'counted' && isAbstainLabel(labels[index]!)) return 'abstain';
  return null;
}

export function VoteCreateForm({ circleId, circles, assemblyId, itemId, onCreated, onCancel, headingLevel = 3 }: Props) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const { t } = useTranslation('governance');
  const action = useAction();
  const [circle, setCircle] = useState(circleId ?? circles?.[0]?.id ?? '');
  const [question, setQuestion] = useState('');
  const [details, setDetails] = useState('');
  const [method, setMethod] = useState<VoteMethod>('consent');
  const [options, setOptions] = useState(() => [
    { id: newId(), label: '' },
    { id: newId(), label: '' },
  ]);
  const [maxChoices, setMaxChoices] = useState('');
  const [quorum, setQuorum] = useState(50);
  const [basis, setBasis] = useState<QuorumBasis>('members');
  const [closesAt, setClosesAt] = useState('');
  const [hideResults, setHideResults] = useState(false);
  const [reasons, setReasons] = useState<ReasonMode>('optional');
  const [slots, setSlots] = useState(newSlots);
  const [slotMinutes, setSlotMinutes] = useState('60');
  const lastOption = useRef<HTMLInputElement>(null);
  const ids = { method: useId(), max: useId(), quorum: useId(), basis: useId(), basisHint: useId(), closes: useId(), methodHint: useId(), optionsHint: useId(), hide: useId(), hideHint: useId(), reasons: useId() };
  const labels = options.map((o) => o.label);
  const repeats = new Set(method === 'consent' || method === 'time' ? [] : duplicateOptionIndexes(labels));
  const problems = method === 'consent' || method === 'time' ? [] : options.map((_, index) => optionProblem(method, labels, index, repeats));
  const blocked = problems.some((p) => p !== null) || (method === 'time' && (minutesProblem(slotMinutes) !== null || slotDraftProblems(slots, Date.now()).some((p) => p !== null)));

  return (
    <form
      className="card gov-form"
      aria-label={t('voteForm.title')}
      onSubmit={async (e) => {
        e.preventDefault();
        if (blocked) return;
        const voteId = newId();
        const closes = fromDateTimeLocal(closesAt);
        const payload = {
          voteId,
          question: question.trim(),
          details,
          method,
          options: method === 'consent' ? [] : method === 'time' ? slotOptions(slots, slotMinutes) : options.map((o) => ({ id: o.id, label: o.label.trim() })),
          quorumPercent: quorum,
          ...(assemblyId && basis === 'present' ? { quorumBasis: basis } : {}),
          ...(usesMaxChoices(method) && maxChoices ? { maxChoices: Number(maxChoices) } : {}),
          ...(assemblyId ? { assemblyId } : {}),
          ...(itemId ? { itemId } : {}),
          ...(closes !== null ? { closesAt: closes } : {}),
          // A show of hands has no ballots: nothing to hide, no reasons.
          ...(method !== 'counted' ? { reasons, ...(hideResults ? { hideResults: true } : {}) } : {}),
        };
        if (await action.run(() => applyChange({ type: 'vote.create', circle, payload }))) onCreated(circle, voteId);
      }}
    >
      <Heading>{t('voteForm.title')}</Heading>
      {circles && !circleId && <CirclePicker circles={circles} value={circle} onChange={setCircle} label={t('voteForm.circle')} />}
      <TextField label={t('voteForm.question')} value={question} onChange={setQuestion} max={300} required autoFocus />
      <TextField label={t('voteForm.details')} value={details} onChange={setDetails} max={4000} multiline />
      <div className="field">
        <label htmlFor={ids.method}>{t('voteForm.method')}</label>
        <select id={ids.method} value={method} aria-describedby={ids.methodHint} onChange={(e) => setMethod(e.target.value as VoteMethod)}>
          {voteMethods.map((m) => (
            <option key={m} value={m}>
              {t(`methods.${m}`)}
            </option>
          ))}
        </select>
        <p className="hint field-hint" id={ids.methodHint}>
          {t(`methodHints.${method}`)}
        </p>
      </div>
      {method === 'time' && <TimeSlotsField slots={slots} onSlots={setSlots} minutes={slotMinutes} onMinutes={setSlotMinutes} now={Date.now()} />}
      {method !== 'consent' && method !== 'time' && (
        <fieldset className="gov-options" aria-describedby={method === 'counted' ? ids.optionsHint : undefined}>
          <legend>{t('voteForm.options')}</legend>
          {method === 'counted' && (
            <p className="hint" id={ids.optionsHint}>
              {t('voteForm.abstainSeparately')}
            </p>
          )}
          {options.map((option, index) => {
            const problem = problems[index];
            const errorId = `${option.id}-problem`;
            return (
              <div className="gov-option" key={option.id}>
                <TextField
                  id={option.id}
                  label={t('voteForm.optionN', { number: index + 1 })}
                  inputRef={index === options.length - 1 ? lastOption : undefined}
                  required
                  max={200}
                  value={option.label}
                  describedBy={problem ? errorId : undefined}
                  onChange={(label) => setOptions(options.map((o) => (o.id === option.id ? { ...o, label } : o)))}
                />
                {problem && (
                  <p className="field-error" id={errorId} role="alert">
                    {problem === 'duplicate' ? t('voteForm.duplicateOption', { number: index + 1 }) : t('voteForm.abstainOption')}
                  </p>
                )}
                {options.length > 2 && (
                  <button type="button" aria-label={t('voteForm.removeOption', { number: index + 1 })} onClick={() => setOptions(options.filter((o) => o.id !== option.id))}>
                    {t('common:remove')}
                  </button>
                )}
              </div>
            );
          })}
          {options.length < maxVoteOptions && (
            <button
              type="button"
              onClick={() => {
                setOptions([...options, { id: newId(), label: '' }]);
                requestAnimationFrame(() => lastOption.current?.focus());
              }}
            >
              {t('voteForm.addOption')}
            </button>
          )}
        </fieldset>
      )}
      {usesMaxChoices(method) && (
        <div className="field">
          <label htmlFor={ids.max}>{method === 'multiple' ? t('voteForm.maxChoices') : t('voteForm.rankCount')}</label>
          <input id={ids.max} type="number" min={1} max={options.length} step={1} placeholder={String(options.length)} value={maxChoices} onChange={(e) => setMaxChoices(e.target.value)} />
        </div>
      )}
      <div className="field">
        <label htmlFor={ids.quorum}>{t('voteForm.quorum')}</label>
        <input id={ids.quorum} type="number" min={0} max={100} step={1} required value={quorum} onChange={(e) => setQuorum(Number(e.target.value))} />
      </div>
      <div className="field">
        <label htmlFor={ids.basis}>{t('voteForm.quorumBasis')}</label>
        <select id={ids.basis} value={assemblyId ? basis : 'members'} aria-describedby={ids.basisHint} onChange={(e) => setBasis(e.target.value as QuorumBasis)}>
          <option value="members">{t('voteForm.basisMembers')}</option>
          <option value="present" disabled={!assemblyId}>
            {t('voteForm.basisPresent')}
          </option>
        </select>
        <p className="hint field-hint" id={ids.basisHint}>
          {assemblyId ? t('voteForm.basisHint') : t('voteForm.basisOnlyInAssembly')}
        </p>
      </div>
      <div className="field">
        <label htmlFor={ids.closes}>{t('voteForm.closesAt')}</label>
        <input id={ids.closes} type="datetime-local" value={closesAt} onChange={(e) => setClosesAt(e.target.value)} />
      </div>
      {method !== 'counted' && (
        <>
          <div className="field">
            <label className="gov-radio">
              <input id={ids.hide} type="checkbox" checked={hideResults} aria-describedby={ids.hideHint} onChange={(e) => setHideResults(e.target.checked)} />
              {t('voteSettings.hideResults')}
            </label>
            <p className="hint field-hint" id={ids.hideHint}>
              {t('voteSettings.hideResultsHint')}
            </p>
          </div>
          <div className="field">
            <label htmlFor={ids.reasons}>{t('voteSettings.reasons')}</label>
            <select id={ids.reasons} value={reasons} onChange={(e) => setReasons(e.target.value as ReasonMode)}>
              {reasonModes.map((mode) => (
                <option key={mode} value={mode}>
                  {t(`voteSettings.reasonMode.${mode}`, { max: maxReasonLength })}
                </option>
              ))}
            </select>
          </div>
        </>
      )}
      <FormError error={action.error} />
      <FormActions submit={t('voteForm.submit')} busy={action.busy} disabled={!circle || blocked} onCancel={onCancel} />
    </form>
  );
}
