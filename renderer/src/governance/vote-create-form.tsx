// Putting a question to a vote: the question, the method, the options, the quorum and,
// outside an assembly, when it closes.
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { newId } from '../../../shared/governance/ids';
import { maxVoteOptions, voteMethods, type VoteMethod } from '../../../shared/governance/operation-types';
import type { CircleSummary } from '../../../shared/governance/views';
import { applyChange, useAction } from './use-governance';
import { FormError } from './form-error';
import { fromDateTimeLocal } from './format';

interface Props {
  /** A fixed circle, or the circles to choose from. */
  circleId?: string;
  circles?: CircleSummary[];
  assemblyId?: string;
  itemId?: string;
  /** A motion in an assembly: consent by default, no closing time. */
  inAssembly?: boolean;
  onCreated(circleId: string, voteId: string): void;
  onCancel?: () => void;
  headingLevel?: 2 | 3;
}

const usesMaxChoices = (method: VoteMethod) => method === 'multiple' || method === 'ranked-borda' || method === 'ranked-irv';

export function VoteCreateForm({ circleId, circles, assemblyId, itemId, inAssembly = false, onCreated, onCancel, headingLevel = 3 }: Props) {
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
  const [closesAt, setClosesAt] = useState('');
  const lastOption = useRef<HTMLInputElement>(null);
  const ids = { circle: useId(), question: useId(), details: useId(), method: useId(), max: useId(), quorum: useId(), closes: useId(), methodHint: useId() };

  return (
    <form
      className="card gov-form"
      aria-label={t('voteForm.title')}
      onSubmit={async (e) => {
        e.preventDefault();
        const voteId = newId();
        const closes = fromDateTimeLocal(closesAt);
        const payload = {
          voteId,
          question,
          details,
          method,
          options: method === 'consent' ? [] : options.map((o) => ({ id: o.id, label: o.label.trim() })),
          quorumPercent: quorum,
          ...(usesMaxChoices(method) && maxChoices ? { maxChoices: Number(maxChoices) } : {}),
          ...(assemblyId ? { assemblyId } : {}),
          ...(itemId ? { itemId } : {}),
          ...(closes !== null ? { closesAt: closes } : {}),
        };
        if (await action.run(() => applyChange({ type: 'vote.create', circle, payload }))) onCreated(circle, voteId);
      }}
    >
      <Heading>{inAssembly ? t('voteForm.motionTitle') : t('voteForm.title')}</Heading>
      {circles && !circleId && (
        <div className="field">
          <label htmlFor={ids.circle}>{t('voteForm.circle')}</label>
          <select id={ids.circle} value={circle} required onChange={(e) => setCircle(e.target.value)}>
            {circles.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="field">
        <label htmlFor={ids.question}>{t('voteForm.question')}</label>
        <input id={ids.question} type="text" required autoFocus maxLength={300} value={question} onChange={(e) => setQuestion(e.target.value)} />
      </div>
      <div className="field stacked">
        <label htmlFor={ids.details}>{t('voteForm.details')}</label>
        <textarea id={ids.details} maxLength={4000} value={details} onChange={(e) => setDetails(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={ids.method}>{t('voteForm.method')}</label>
        <select id={ids.method} value={method} aria-describedby={ids.methodHint} onChange={(e) => setMethod(e.target.value as VoteMethod)}>
          {voteMethods.map((m) => (
            <option key={m} value={m}>
              {t(`methods.${m}`)}
            </option>
          ))}
        </select>
        <p className="hint" id={ids.methodHint}>
          {t(`methodHints.${method}`)}
        </p>
      </div>
      {method !== 'consent' && (
        <fieldset className="gov-options">
          <legend>{t('voteForm.options')}</legend>
          {options.map((option, index) => (
            <div className="field" key={option.id}>
              <label htmlFor={option.id}>{t('voteForm.optionN', { number: index + 1 })}</label>
              <input
                id={option.id}
                ref={index === options.length - 1 ? lastOption : undefined}
                type="text"
                required
                maxLength={200}
                value={option.label}
                onChange={(e) => setOptions(options.map((o) => (o.id === option.id ? { ...o, label: e.target.value } : o)))}
              />
              {options.length > 2 && (
                <button type="button" aria-label={t('voteForm.removeOption', { number: index + 1 })} onClick={() => setOptions(options.filter((o) => o.id !== option.id))}>
                  {t('common:remove')}
                </button>
              )}
            </div>
          ))}
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
      {!inAssembly && (
        <div className="field">
          <label htmlFor={ids.closes}>{t('voteForm.closesAt')}</label>
          <input id={ids.closes} type="datetime-local" value={closesAt} onChange={(e) => setClosesAt(e.target.value)} />
        </div>
      )}
      <FormError error={action.error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={action.busy || !circle}>
          {inAssembly ? t('voteForm.putToVote') : t('voteForm.submit')}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {t('common:cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
