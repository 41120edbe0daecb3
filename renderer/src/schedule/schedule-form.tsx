// The one schedule editor: the Circles page and Today both use it, with the same fields and
// words (the "schedule" namespace). It says the rule back in a sentence and lists the next
// meetings as the member edits; the caller decides how a saved schedule is recorded.
import { useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { occurrencesOf, type Schedule } from '../../../shared/schedule/schedule';
import { weekdayName } from '../../../shared/schedule/describe';
import { weekdayCodes, type Weekday } from '../../../shared/schedule/rule';
import { TimeZoneField } from '../governance/time-zone-field';
import { formatWeekdayTime } from '../governance/format';
import { dateLocale } from '../meetings/format';
import { draftFrom, kinds, ordinals, scheduleFrom, type Draft, type Kind } from './schedule-draft';
import { ScheduleSentence } from './schedule-sentence';

export interface ScheduleFormProps {
  schedule: Schedule | null;
  /** The zone a new schedule starts in (the circle's, or this computer's). */
  fallbackZone: string;
  busy?: boolean;
  /** Records the schedule; the form stays as it is. */
  onSave(schedule: Schedule): void;
  /** The server's answer, a status or a remove button, shown with the actions. */
  children?: ReactNode;
  autoFocus?: boolean;
}

export function ScheduleForm({ schedule, fallbackZone, busy = false, onSave, children, autoFocus = false }: ScheduleFormProps) {
  const { t, i18n } = useTranslation('schedule');
  const locale = dateLocale(i18n.language);
  const [initial] = useState(() => draftFrom(schedule, fallbackZone, Date.now()));
  const [draft, setDraft] = useState<Draft>(initial.draft);
  const [touched, setTouched] = useState(false);
  const base = useId();
  const id = (name: string) => `${base}-${name}`;
  const update = (change: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...change }));
    setTouched(true);
  };
  const result = scheduleFrom(draft);
  const next = result.ok ? occurrencesOf(result.schedule, { from: Date.now(), to: Date.now() + 800 * 86_400_000, limit: 3 }) : [];
  const toggleDay = (day: Weekday, on: boolean) => update({ weekdays: on ? [...draft.weekdays, day] : draft.weekdays.filter((d) => d !== day) });

  return (
    <form
      className="schedule-form"
      aria-label={t('form.label')}
      onSubmit={(event) => {
        event.preventDefault();
        if (result.ok) onSave(result.schedule);
      }}
    >
      {schedule && !initial.fits && !touched && (
        <p className="muted">
          <ScheduleSentence schedule={schedule} />
        </p>
      )}
      <div className="field">
        <label htmlFor={id('kind')}>{t('form.repeats')}</label>
        <select id={id('kind')} autoFocus={autoFocus} value={draft.kind} onChange={(e) => update({ kind: e.target.value as Kind })}>
          {kinds.map((kind) => (
            <option key={kind} value={kind}>
              {t(`form.kind.${kind}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={id('interval')}>{t(`form.interval.${draft.kind}`)}</label>
        <input id={id('interval')} type="number" min={1} max={99} step={1} required value={draft.interval} onChange={(e) => update({ interval: Number(e.target.value) || 0 })} />
      </div>
      {draft.kind === 'weekly' && (
        <fieldset className="field schedule-days">
          <legend>{t('form.days')}</legend>
          {weekdayCodes.map((code) => (
            <label key={code}>
              <input type="checkbox" checked={draft.weekdays.includes(code)} onChange={(e) => toggleDay(code, e.target.checked)} /> {weekdayName(code, locale)}
            </label>
          ))}
        </fieldset>
      )}
      {draft.kind === 'monthly' && (
        <>
          <div className="field">
            <label htmlFor={id('ordinal')}>{t('form.which')}</label>
            <select id={id('ordinal')} value={draft.ordinal} aria-describedby={draft.ordinal === 5 ? id('fifth') : undefined} onChange={(e) => update({ ordinal: Number(e.target.value) })}>
              {ordinals.map((n) => (
                <option key={n} value={n}>
                  {t(`form.ordinal.${n === -1 ? 'last' : n}`)}
                </option>
              ))}
            </select>
            {draft.ordinal === 5 && (
              <p id={id('fifth')} className="hint">
                {t('form.fifthHint')}
              </p>
            )}
          </div>
          <div className="field">
            <label htmlFor={id('weekday')}>{t('form.weekday')}</label>
            <select id={id('weekday')} value={draft.weekday} onChange={(e) => update({ weekday: e.target.value as Weekday })}>
              {weekdayCodes.map((code) => (
                <option key={code} value={code}>
                  {weekdayName(code, locale)}
                </option>
              ))}
            </select>
          </div>
        </>
      )}
      {draft.kind === 'monthlyDay' && (
        <div className="field">
          <label htmlFor={id('monthDay')}>{t('form.monthDay')}</label>
          <input id={id('monthDay')} type="number" min={1} max={31} step={1} required aria-describedby={draft.monthDay > 28 ? id('monthDayHint') : undefined} value={draft.monthDay} onChange={(e) => update({ monthDay: Math.min(31, Math.max(1, Number(e.target.value) || 1)) })} />
          {draft.monthDay > 28 && (
            <p id={id('monthDayHint')} className="hint">
              {t('form.monthDayHint')}
            </p>
          )}
        </div>
      )}
      <div className="field">
        <label htmlFor={id('startDate')}>{t('form.startDate')}</label>
        <input id={id('startDate')} type="date" required aria-describedby={id('startDateHint')} value={draft.startDate} onChange={(e) => update({ startDate: e.target.value })} />
        <p id={id('startDateHint')} className="hint">
          {t('form.startDateHint')}
        </p>
      </div>
      <div className="field">
        <label htmlFor={id('time')}>{t('form.time')}</label>
        <input id={id('time')} type="time" required value={draft.time} onChange={(e) => update({ time: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor={id('zone')}>{t('form.timezone')}</label>
        <TimeZoneField id={id('zone')} value={draft.timezone} onChange={(timezone) => update({ timezone: timezone.trim() })} />
      </div>
      <div className="field">
        <label htmlFor={id('duration')}>{t('form.duration')}</label>
        <input id={id('duration')} type="number" min={5} max={1440} step={5} required value={draft.durationMinutes} onChange={(e) => update({ durationMinutes: Number(e.target.value) || 0 })} />
      </div>
      {result.ok ? (
        <div className="schedule-preview">
          <p id={id('summary')} className="schedule-heading">
            {t('form.summary')}
          </p>
          <p aria-labelledby={id('summary')} aria-live="polite" data-testid="schedule-sentence">
            <ScheduleSentence schedule={result.schedule} />
          </p>
          {next.length > 0 && (
            <>
              <p id={id('next')} className="schedule-heading">
                {t('form.next')}
              </p>
              <ul aria-labelledby={id('next')}>
                {next.map((o) => (
                  <li key={o.start}>{formatWeekdayTime(o.start, locale, draft.timezone)}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      ) : (
        <p className="field-error" role="alert">
          {t(`form.problem.${result.problem}`)}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || !result.ok}>
          {t('form.save')}
        </button>
        {children}
      </div>
    </form>
  );
}
