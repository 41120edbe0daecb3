import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { occurrencesOf, parseSchedule, scheduleText, weekdayCodes, type ScheduleSpec } from '../../../shared/schedule/rrule';
import { daysInMonth, isValidTimeZone, isoWeekday } from '../../../shared/schedule/zoned-time';
import type { ScheduleView } from '../../../shared/meetings/types';
import { api, ApiError } from '../api/client';
import { usePlenary } from '../store';
import { formatDateTime, systemTimeZone, weekdayNames } from './format';

type Preset = 'none' | 'daily' | 'weekdays' | 'weekly' | 'biweekly' | 'monthlyNth' | 'monthlyLast' | 'custom';

interface Draft {
  /** "2026-01-26T18:00", as a datetime-local input gives it. */
  first: string;
  timezone: string;
  duration: number;
  preset: Preset;
  custom: string;
}

function parseFirst(first: string) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(first);
  return m ? { year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +m[4]!, minute: +m[5]!, second: 0 } : null;
}

/** The RRULE body each preset stands for, given the first meeting's date. */
export function presetRule(preset: Preset, first: ReturnType<typeof parseFirst>, custom: string): string | null {
  if (!first || preset === 'none') return null;
  const code = weekdayCodes[isoWeekday(first.year, first.month, first.day)]!;
  const nth = Math.ceil(first.day / 7);
  switch (preset) {
    case 'daily':
      return 'FREQ=DAILY';
    case 'weekdays':
      return 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR';
    case 'weekly':
      return `FREQ=WEEKLY;BYDAY=${code}`;
    case 'biweekly':
      return `FREQ=WEEKLY;INTERVAL=2;BYDAY=${code}`;
    case 'monthlyNth':
      // A fifth weekday is always the month's last one.
      return nth <= 4 ? `FREQ=MONTHLY;BYDAY=${nth}${code}` : `FREQ=MONTHLY;BYDAY=-1${code}`;
    case 'monthlyLast':
      return `FREQ=MONTHLY;BYDAY=-1${code}`;
    case 'custom':
      return custom.trim().replace(/^RRULE:/i, '');
  }
}

function draftFrom(schedule: ScheduleView | null): Draft {
  const fallback: Draft = { first: '', timezone: systemTimeZone(), duration: 60, preset: 'monthlyNth', custom: '' };
  if (!schedule) return fallback;
  const parsed = parseSchedule(schedule);
  if (!parsed.ok) return { ...fallback, timezone: schedule.timezone, duration: schedule.durationMinutes, preset: 'custom', custom: schedule.rrule };
  const s = parsed.schedule.start;
  const p = (n: number) => String(n).padStart(2, '0');
  const first = `${s.year}-${p(s.month)}-${p(s.day)}T${p(s.hour)}:${p(s.minute)}`;
  const body = schedule.rrule.split(/\r?\n/).find((l) => /^RRULE:/i.test(l.trim()))?.trim().slice(6).toUpperCase() ?? null;
  const presets: Preset[] = ['none', 'daily', 'weekdays', 'weekly', 'biweekly', 'monthlyNth', 'monthlyLast'];
  const preset = presets.find((candidate) => presetRule(candidate, parseFirst(first), '') === body) ?? 'custom';
  return { first, timezone: schedule.timezone, duration: schedule.durationMinutes, preset, custom: preset === 'custom' ? (body ?? '') : '' };
}

/** Edit a circle's regular meeting: first meeting, time zone, length and how it repeats, with a live preview. */
export function ScheduleEditor({ circleId, schedule }: { circleId: string; schedule: ScheduleView | null }) {
  const { t, i18n } = useTranslation('meetings');
  const setMeetings = usePlenary((s) => s.setMeetings);
  const showError = usePlenary((s) => s.showError);
  const [draft, setDraft] = useState<Draft>(() => draftFrom(schedule));
  const [saved, setSaved] = useState<string | null>(null);
  const [serverProblem, setServerProblem] = useState<string | null>(null);
  const ids = { first: useId(), zone: useId(), zones: useId(), duration: useId(), repeat: useId(), custom: useId(), customHint: useId(), problem: useId(), preview: useId() };
  const zones = useMemo(() => ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')], []);
  const weekdays = weekdayNames(i18n.language);

  const first = parseFirst(draft.first);
  const spec: ScheduleSpec | null = first ? { rrule: scheduleText(first, presetRule(draft.preset, first, draft.custom)), timezone: draft.timezone, durationMinutes: draft.duration } : null;
  const parsed = spec ? parseSchedule(spec) : null;
  const problem = !first ? t('schedule.needFirst') : !isValidTimeZone(draft.timezone) ? t('schedule.badZone') : parsed && !parsed.ok ? parsed.message : null;
  const preview = spec && parsed?.ok ? occurrencesOf(spec, { from: Date.now(), to: Date.now() + 800 * 86_400_000, limit: 5 }) : [];
  const update = (change: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...change }));
    setSaved(null);
    setServerProblem(null);
  };

  const weekday = first ? weekdays[isoWeekday(first.year, first.month, first.day)]! : '';
  const isLastWeek = first ? first.day + 7 > daysInMonth(first.year, first.month) : false;
  const nth = first ? Math.ceil(first.day / 7) : 1;

  const save = async (value: ScheduleSpec | null) => {
    try {
      setMeetings(await api().meetings.setSchedule({ circleId, schedule: value }));
      setSaved(value ? t('schedule.saved') : t('schedule.removed'));
    } catch (error) {
      if (error instanceof ApiError && error.code === 'invalid_input') setServerProblem(error.message);
      else showError(error);
    }
  };

  return (
    <form
      className="schedule-editor"
      onSubmit={(event) => {
        event.preventDefault();
        if (spec && !problem) void save(spec);
      }}
    >
      <div className="field">
        <label htmlFor={ids.first}>{t('schedule.first')}</label>
        <input id={ids.first} type="datetime-local" value={draft.first} onChange={(e) => update({ first: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor={ids.zone}>{t('schedule.timezone')}</label>
        <input id={ids.zone} type="text" list={ids.zones} spellCheck={false} value={draft.timezone} onChange={(e) => update({ timezone: e.target.value.trim() })} />
        <datalist id={ids.zones}>
          {zones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      </div>
      <div className="field">
        <label htmlFor={ids.duration}>{t('schedule.duration')}</label>
        <input id={ids.duration} type="number" min={1} max={1440} step={1} value={draft.duration} onChange={(e) => update({ duration: Number(e.target.value) || 0 })} />
      </div>
      <div className="field">
        <label htmlFor={ids.repeat}>{t('schedule.repeat')}</label>
        <select id={ids.repeat} value={draft.preset === 'monthlyNth' && nth > 4 ? 'monthlyLast' : draft.preset} onChange={(e) => update({ preset: e.target.value as Preset })}>
          <option value="none">{t('schedule.repeatNone')}</option>
          <option value="daily">{t('schedule.repeatDaily')}</option>
          <option value="weekdays">{t('schedule.repeatWeekdays')}</option>
          <option value="weekly">{t('schedule.repeatWeekly', { weekday })}</option>
          <option value="biweekly">{t('schedule.repeatBiweekly', { weekday })}</option>
          {nth <= 4 && <option value="monthlyNth">{t('schedule.repeatMonthlyNth', { ordinal: t(`schedule.ordinal.${nth}`), weekday })}</option>}
          {isLastWeek && <option value="monthlyLast">{t('schedule.repeatMonthlyLast', { weekday })}</option>}
          <option value="custom">{t('schedule.repeatCustom')}</option>
        </select>
      </div>
      {draft.preset === 'custom' && (
        <div className="field stacked">
          <label htmlFor={ids.custom}>{t('schedule.rrule')}</label>
          <input id={ids.custom} type="text" spellCheck={false} value={draft.custom} aria-describedby={ids.customHint} onChange={(e) => update({ custom: e.target.value })} />
          <p id={ids.customHint} className="hint">
            {t('schedule.rruleHint')}
          </p>
        </div>
      )}
      {(problem || serverProblem) && draft.first !== '' && (
        <p id={ids.problem} className="field-error" role="alert">
          {serverProblem ?? problem}
        </p>
      )}
      {preview.length > 0 && (
        <div className="schedule-preview">
          <h5 id={ids.preview}>{t('schedule.preview')}</h5>
          <ul aria-labelledby={ids.preview}>
            {preview.map((o) => (
              <li key={o.start}>{formatDateTime(o.start, i18n.language)}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={problem !== null}>
          {t('schedule.save')}
        </button>
        {schedule && (
          <button type="button" onClick={() => void save(null)}>
            {t('schedule.remove')}
          </button>
        )}
        <span role="status" aria-live="polite">
          {saved}
        </span>
      </div>
    </form>
  );
}
