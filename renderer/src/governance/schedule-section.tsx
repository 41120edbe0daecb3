// A circle's regular meeting: edited as "weekly on Tuesday" or "the fourth Monday of each
// month" (written as an RFC 5545 RRULE), shown in the circle's zone, in this computer's
// zone, and in each member's zone.
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CircleDetail } from '../../../shared/governance/views';
import type { Schedule } from '../../../shared/governance/operation-types';
import { nextOccurrences, parseRecurrenceRule } from '../../../shared/governance/schedule';
import { applyChange, useAction } from './use-governance';
import { FormError } from './form-error';
import { TimeZoneField } from './time-zone-field';
import { formatWeekdayTime, localTimeZone } from './format';

const weekdayCodes = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
type Kind = 'weekly' | 'monthly';

interface Draft {
  kind: Kind;
  weekday: (typeof weekdayCodes)[number];
  /** 1-4, or -1 for the last one of the month. */
  ordinal: number;
  time: string;
  timezone: string;
  durationMinutes: number;
}

export function draftToSchedule(d: Draft): Schedule {
  const [hour, minute] = d.time.split(':').map(Number) as [number, number];
  const day = d.kind === 'weekly' ? d.weekday : `${d.ordinal}${d.weekday}`;
  return { rrule: `FREQ=${d.kind === 'weekly' ? 'WEEKLY' : 'MONTHLY'};BYDAY=${day};BYHOUR=${hour};BYMINUTE=${minute}`, timezone: d.timezone, durationMinutes: d.durationMinutes };
}

function scheduleToDraft(schedule: Schedule | null, fallbackZone: string): Draft {
  const draft: Draft = { kind: 'monthly', weekday: 'MO', ordinal: 4, time: '18:00', timezone: fallbackZone, durationMinutes: 60 };
  if (!schedule) return draft;
  const parsed = parseRecurrenceRule(schedule.rrule);
  if (!parsed.ok || parsed.rule.freq === 'DAILY' || parsed.rule.byDay.length !== 1) return { ...draft, timezone: schedule.timezone, durationMinutes: schedule.durationMinutes };
  const [day] = parsed.rule.byDay as [{ weekday: number; ordinal: number | null }];
  return {
    kind: parsed.rule.freq === 'WEEKLY' ? 'weekly' : 'monthly',
    weekday: weekdayCodes[(day.weekday + 6) % 7]!,
    ordinal: day.ordinal ?? 1,
    time: `${String(parsed.rule.hour).padStart(2, '0')}:${String(parsed.rule.minute).padStart(2, '0')}`,
    timezone: schedule.timezone,
    durationMinutes: schedule.durationMinutes,
  };
}

function weekdayName(code: (typeof weekdayCodes)[number], locale: string): string {
  // 23 November 2026 is a Monday.
  return new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2026, 10, 23 + weekdayCodes.indexOf(code))));
}

function NextMeetings({ circle, schedule }: { circle: CircleDetail; schedule: Schedule }) {
  const { t, i18n } = useTranslation('governance');
  const locale = i18n.language;
  const next = nextOccurrences(schedule, Date.now(), 3);
  const here = localTimeZone();
  if (next.length === 0) return <p className="muted">{t('schedule.noUpcoming')}</p>;
  const zones = new Map<string, string[]>();
  for (const m of circle.members) zones.set(m.timezone, [...(zones.get(m.timezone) ?? []), m.displayName]);
  return (
    <>
      <table>
        <caption className="gov-caption">{t('schedule.upcoming')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('schedule.circleTime', { zone: schedule.timezone })}</th>
            <th scope="col">{t('schedule.yourTime', { zone: here })}</th>
          </tr>
        </thead>
        <tbody>
          {next.map((when) => (
            <tr key={when}>
              <td>{formatWeekdayTime(when, locale, schedule.timezone)}</td>
              <td>{formatWeekdayTime(when, locale, here)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {zones.size > 0 && (
        <table>
          <caption className="gov-caption">{t('schedule.membersTimes')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('members.timezone')}</th>
              <th scope="col">{t('schedule.members')}</th>
              <th scope="col">{t('schedule.localTime')}</th>
            </tr>
          </thead>
          <tbody>
            {[...zones].map(([zone, names]) => (
              <tr key={zone}>
                <th scope="row">{zone}</th>
                <td>{names.join(', ')}</td>
                <td>{formatWeekdayTime(next[0]!, locale, zone)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function ScheduleEditor({ circle, onDone }: { circle: CircleDetail; onDone(): void }) {
  const { t, i18n } = useTranslation('governance');
  const action = useAction();
  const [draft, setDraft] = useState(() => scheduleToDraft(circle.schedule, circle.timezone));
  const ids = { kind: useId(), ordinal: useId(), weekday: useId(), time: useId(), zone: useId(), duration: useId() };
  const schedule = draftToSchedule(draft);
  return (
    <form
      className="gov-inline-form"
      aria-label={t('schedule.edit')}
      onSubmit={async (e) => {
        e.preventDefault();
        if (await action.run(() => applyChange({ type: 'circle.update', circle: circle.id, payload: { fields: { schedule } } }))) onDone();
      }}
    >
      <div className="field">
        <label htmlFor={ids.kind}>{t('schedule.repeats')}</label>
        <select id={ids.kind} autoFocus value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value as Kind })}>
          <option value="weekly">{t('schedule.weekly')}</option>
          <option value="monthly">{t('schedule.monthly')}</option>
        </select>
      </div>
      {draft.kind === 'monthly' && (
        <div className="field">
          <label htmlFor={ids.ordinal}>{t('schedule.which')}</label>
          <select id={ids.ordinal} value={draft.ordinal} onChange={(e) => setDraft({ ...draft, ordinal: Number(e.target.value) })}>
            {[1, 2, 3, 4, -1].map((n) => (
              <option key={n} value={n}>
                {t(`schedule.ordinal.${n === -1 ? 'last' : n}`)}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="field">
        <label htmlFor={ids.weekday}>{t('schedule.weekday')}</label>
        <select id={ids.weekday} value={draft.weekday} onChange={(e) => setDraft({ ...draft, weekday: e.target.value as Draft['weekday'] })}>
          {weekdayCodes.map((code) => (
            <option key={code} value={code}>
              {weekdayName(code, i18n.language)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.time}>{t('schedule.time')}</label>
        <input id={ids.time} type="time" required value={draft.time} onChange={(e) => setDraft({ ...draft, time: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor={ids.zone}>{t('schedule.timezone')}</label>
        <TimeZoneField id={ids.zone} value={draft.timezone} onChange={(timezone) => setDraft({ ...draft, timezone })} />
      </div>
      <div className="field">
        <label htmlFor={ids.duration}>{t('schedule.duration')}</label>
        <input
          id={ids.duration}
          type="number"
          min={5}
          max={1440}
          step={5}
          required
          value={draft.durationMinutes}
          onChange={(e) => setDraft({ ...draft, durationMinutes: Number(e.target.value) })}
        />
      </div>
      <p className="muted gov-id">{t('schedule.rrule', { rule: schedule.rrule })}</p>
      <FormError error={action.error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={action.busy}>
          {t('schedule.save')}
        </button>
        <button type="button" onClick={onDone}>
          {t('common:cancel')}
        </button>
      </div>
    </form>
  );
}

export function ScheduleSection({ circle }: { circle: CircleDetail }) {
  const { t } = useTranslation('governance');
  const [editing, setEditing] = useState(false);
  const action = useAction();
  return (
    <section className="card" aria-labelledby="schedule-title">
      <h2 id="schedule-title">{t('schedule.title')}</h2>
      {circle.schedule ? <NextMeetings circle={circle} schedule={circle.schedule} /> : <p className="muted">{t('schedule.none')}</p>}
      <FormError error={action.error} />
      {circle.canFacilitate &&
        (editing ? (
          <ScheduleEditor circle={circle} onDone={() => setEditing(false)} />
        ) : (
          <div className="actions">
            <button type="button" onClick={() => setEditing(true)}>
              {circle.schedule ? t('schedule.change') : t('schedule.set')}
            </button>
            {circle.schedule && (
              <button type="button" onClick={() => void action.run(() => applyChange({ type: 'circle.update', circle: circle.id, payload: { fields: { schedule: null } } }))}>
                {t('schedule.clear')}
              </button>
            )}
          </div>
        ))}
    </section>
  );
}
