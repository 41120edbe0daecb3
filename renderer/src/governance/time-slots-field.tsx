// The slots of a time poll as the facilitator offers them: dates and times on this
// computer's clock (named, so nobody guesses the zone), one length for all of them. Each
// becomes an option labelled with its UTC start and minutes (shared/governance/time-poll.ts);
// slots in the past, repeated slots and a length that is not positive are named as typed.
import { useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { newId } from '../../../shared/governance/ids';
import { maxVoteOptions } from '../../../shared/governance/operation-types';
import { maxSlotMinutes, slotLabel } from '../../../shared/governance/time-poll';
import { fromDateTimeLocal, localTimeZone } from './format';

export interface SlotDraft {
  id: string;
  /** A datetime-local value, on this computer's clock. */
  local: string;
}

export const newSlots = (): SlotDraft[] => [
  { id: newId(), local: '' },
  { id: newId(), local: '' },
];

export type SlotDraftProblem = 'past' | 'duplicate' | null;

/** What is wrong with each slot as typed (an empty one is left to "required"). */
export function slotDraftProblems(slots: readonly SlotDraft[], now: number): SlotDraftProblem[] {
  const seen = new Set<number>();
  return slots.map((s) => {
    const start = fromDateTimeLocal(s.local);
    if (start === null) return null;
    if (seen.has(start)) return 'duplicate';
    seen.add(start);
    return start <= now ? 'past' : null;
  });
}

/** Whether the length in minutes is usable. */
export function minutesProblem(minutes: string): 'not_positive' | 'too_long' | null {
  const n = Number(minutes);
  if (!Number.isInteger(n) || n <= 0) return 'not_positive';
  return n > maxSlotMinutes ? 'too_long' : null;
}

/** The options a time poll's slots become. */
export function slotOptions(slots: readonly SlotDraft[], minutes: string): { id: string; label: string }[] {
  return slots.map((s) => ({ id: s.id, label: slotLabel(fromDateTimeLocal(s.local) ?? 0, Number(minutes)) }));
}

export function TimeSlotsField({ slots, onSlots, minutes, onMinutes, now }: { slots: SlotDraft[]; onSlots(slots: SlotDraft[]): void; minutes: string; onMinutes(minutes: string): void; now: number }) {
  const { t } = useTranslation('governance');
  const ids = { hint: useId(), minutes: useId(), minutesError: useId() };
  const last = useRef<HTMLInputElement>(null);
  const problems = slotDraftProblems(slots, now);
  const lengthProblem = minutesProblem(minutes);
  return (
    <fieldset className="gov-options" aria-describedby={ids.hint}>
      <legend>{t('timePolls.slots')}</legend>
      <p className="hint" id={ids.hint}>
        {t('timePolls.slotsHint', { zone: localTimeZone() })}
      </p>
      {slots.map((slot, index) => {
        const problem = problems[index];
        const errorId = `${slot.id}-problem`;
        return (
          <div className="gov-option" key={slot.id}>
            <div className="field">
              <label htmlFor={slot.id}>{t('timePolls.slotN', { number: index + 1 })}</label>
              <input
                id={slot.id}
                ref={index === slots.length - 1 ? last : undefined}
                type="datetime-local"
                required
                value={slot.local}
                aria-describedby={problem ? errorId : undefined}
                aria-invalid={problem ? true : undefined}
                onChange={(e) => onSlots(slots.map((s) => (s.id === slot.id ? { ...s, local: e.target.value } : s)))}
              />
            </div>
            {problem && (
              <p className="field-error" id={errorId} role="alert">
                {problem === 'past' ? t('timePolls.slotPast', { number: index + 1 }) : t('timePolls.slotDuplicate', { number: index + 1 })}
              </p>
            )}
            {slots.length > 2 && (
              <button type="button" aria-label={t('timePolls.removeSlot', { number: index + 1 })} onClick={() => onSlots(slots.filter((s) => s.id !== slot.id))}>
                {t('common:remove')}
              </button>
            )}
          </div>
        );
      })}
      {slots.length < maxVoteOptions && (
        <button
          type="button"
          onClick={() => {
            onSlots([...slots, { id: newId(), local: '' }]);
            requestAnimationFrame(() => last.current?.focus());
          }}
        >
          {t('timePolls.addSlot')}
        </button>
      )}
      <div className="field">
        <label htmlFor={ids.minutes}>{t('timePolls.minutes')}</label>
        <input
          id={ids.minutes}
          type="number"
          min={1}
          max={maxSlotMinutes}
          step={1}
          required
          value={minutes}
          aria-invalid={lengthProblem ? true : undefined}
          aria-describedby={lengthProblem ? ids.minutesError : undefined}
          onChange={(e) => onMinutes(e.target.value)}
        />
        {lengthProblem && (
          <p className="field-error" id={ids.minutesError} role="alert">
            {t(lengthProblem === 'not_positive' ? 'timePolls.minutesNotPositive' : 'timePolls.minutesTooLong', { max: maxSlotMinutes })}
          </p>
        )}
      </div>
    </fieldset>
  );
}
