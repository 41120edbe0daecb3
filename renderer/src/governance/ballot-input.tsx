// The choice on a ballot, by method: one option, several, a consent position, a score per
// option, or a rank per option. Every control is a native input so it works by keyboard.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { consentPositions, maxScore, type VoteMethod, type VoteOption } from '../../../shared/governance/operation-types';

export type ChoiceDraft =
  | { kind: 'single'; option: string | null }
  | { kind: 'multiple'; options: string[] }
  | { kind: 'consent'; position: string | null }
  | { kind: 'score'; scores: Record<string, number> }
  | { kind: 'ranked'; ranks: Record<string, number> };

export function emptyChoice(method: VoteMethod, options: VoteOption[]): ChoiceDraft {
  switch (method) {
    case 'multiple':
    case 'time':
      return { kind: 'multiple', options: [] };
    case 'consent':
      return { kind: 'consent', position: null };
    case 'score':
      return { kind: 'score', scores: Object.fromEntries(options.map((o) => [o.id, 0])) };
    case 'ranked-borda':
    case 'ranked-irv':
      return { kind: 'ranked', ranks: {} };
    default:
      return { kind: 'single', option: null };
  }
}

/** The payload value of a draft, or null when it is not complete yet. */
export function choiceValue(draft: ChoiceDraft): string | string[] | Record<string, number> | null {
  switch (draft.kind) {
    case 'single':
      return draft.option;
    case 'multiple':
      return draft.options.length > 0 ? draft.options : null;
    case 'consent':
      return draft.position;
    case 'score':
      return draft.scores;
    case 'ranked': {
      const ranked = Object.entries(draft.ranks)
        .filter(([, rank]) => rank > 0)
        .sort((a, b) => a[1] - b[1]);
      return ranked.length > 0 ? ranked.map(([id]) => id) : null;
    }
  }
}

interface Props {
  options: VoteOption[];
  maxChoices: number | null;
  value: ChoiceDraft;
  onChange(value: ChoiceDraft): void;
  /** Names the ballot's voter in the group labels. */
  voterName: string;
  /** The group's label instead of "Choice of <voter>" (your own ballot: "Your choice"). */
  legend?: string;
}

export function BallotInput({ options, maxChoices, value, onChange, voterName, legend: ownLegend }: Props) {
  const { t } = useTranslation('governance');
  const name = useId();
  const legend = ownLegend ?? t('ballot.choiceFor', { name: voterName });

  if (value.kind === 'consent') {
    return (
      <fieldset className="gov-choice">
        <legend>{legend}</legend>
        {consentPositions.map((position) => (
          <label key={position} className={`gov-radio consent-${position}`}>
            <input type="radio" name={name} value={position} checked={value.position === position} onChange={() => onChange({ kind: 'consent', position })} />
            {t(`consent.${position}`)}
          </label>
        ))}
      </fieldset>
    );
  }
  if (value.kind === 'single') {
    return (
      <fieldset className="gov-choice">
        <legend>{legend}</legend>
        {options.map((o) => (
          <label key={o.id} className="gov-radio">
            <input type="radio" name={name} value={o.id} checked={value.option === o.id} onChange={() => onChange({ kind: 'single', option: o.id })} />
            {o.label}
          </label>
        ))}
      </fieldset>
    );
  }
  if (value.kind === 'multiple') {
    const max = maxChoices ?? options.length;
    return (
      <fieldset className="gov-choice">
        <legend>
          {legend} <span className="muted">{t('ballot.chooseUpTo', { count: max })}</span>
        </legend>
        {options.map((o) => {
          const checked = value.options.includes(o.id);
          return (
            <label key={o.id} className="gov-radio">
              <input
                type="checkbox"
                checked={checked}
                disabled={!checked && value.options.length >= max}
                onChange={() => onChange({ kind: 'multiple', options: checked ? value.options.filter((id) => id !== o.id) : [...value.options, o.id] })}
              />
              {o.label}
            </label>
          );
        })}
      </fieldset>
    );
  }
  if (value.kind === 'score') {
    return (
      <fieldset className="gov-choice">
        <legend>
          {legend} <span className="muted">{t('ballot.scoreHint', { max: maxScore })}</span>
        </legend>
        {options.map((o) => (
          <ScoreSelect key={o.id} option={o} score={value.scores[o.id] ?? 0} onChange={(score) => onChange({ kind: 'score', scores: { ...value.scores, [o.id]: score } })} />
        ))}
      </fieldset>
    );
  }
  const limit = maxChoices ?? options.length;
  return (
    <fieldset className="gov-choice">
      <legend>
        {legend} <span className="muted">{t('ballot.rankHint', { count: limit })}</span>
      </legend>
      {options.map((o) => (
        <RankSelect
          key={o.id}
          option={o}
          limit={limit}
          rank={value.ranks[o.id] ?? 0}
          onChange={(rank) => {
            // A rank given to one option is taken from any other that had it.
            const ranks = Object.fromEntries(Object.entries(value.ranks).filter(([id, r]) => id !== o.id && (rank === 0 || r !== rank)));
            onChange({ kind: 'ranked', ranks: rank > 0 ? { ...ranks, [o.id]: rank } : ranks });
          }}
        />
      ))}
    </fieldset>
  );
}

function ScoreSelect({ option, score, onChange }: { option: VoteOption; score: number; onChange(score: number): void }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{option.label}</label>
      <select id={id} value={score} onChange={(e) => onChange(Number(e.target.value))}>
        {Array.from({ length: maxScore + 1 }, (_, i) => (
          <option key={i} value={i}>
            {i}
          </option>
        ))}
      </select>
    </div>
  );
}

function RankSelect({ option, rank, limit, onChange }: { option: VoteOption; rank: number; limit: number; onChange(rank: number): void }) {
  const { t } = useTranslation('governance');
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{option.label}</label>
      <select id={id} value={rank} onChange={(e) => onChange(Number(e.target.value))}>
        <option value={0}>{t('ballot.unranked')}</option>
        {Array.from({ length: limit }, (_, i) => (
          <option key={i + 1} value={i + 1}>
            {t('ballot.rank', { rank: i + 1 })}
          </option>
        ))}
      </select>
    </div>
  );
}
