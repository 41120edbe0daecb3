// A circle's regular meeting on the Circles page: said in a sentence, the next meetings in
// the circle's zone, this computer's and each member's, and (for facilitators) the shared
// schedule form (renderer/src/schedule/schedule-form.tsx), recorded as a circle.update.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CircleDetail } from '../../../shared/governance/views';
import type { Schedule } from '../../../shared/governance/operation-types';
import { nextOccurrences } from '../../../shared/schedule/schedule';
import { ScheduleForm } from '../schedule/schedule-form';
import { ScheduleSentence } from '../schedule/schedule-sentence';
import { applyChange, useAction } from './use-governance';
import { FormError } from './form-error';
import { formatWeekdayTime, localTimeZone } from './format';
import { TableScroll } from '../app/table-scroll';

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
      <TableScroll label={t('schedule.upcoming')}>
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
      </TableScroll>
      {zones.size > 0 && (
        <TableScroll label={t('schedule.membersTimes')}>
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
        </TableScroll>
      )}
    </>
  );
}

function ScheduleEditor({ circle, onDone }: { circle: CircleDetail; onDone(): void }) {
  const { t } = useTranslation('governance');
  const action = useAction();
  return (
    <ScheduleForm
      schedule={circle.schedule}
      fallbackZone={circle.timezone}
      busy={action.busy}
      autoFocus
      onSave={async (schedule) => {
        if (await action.run(() => applyChange({ type: 'circle.update', circle: circle.id, payload: { fields: { schedule } } }))) onDone();
      }}
    >
      <button type="button" onClick={onDone}>
        {t('common:cancel')}
      </button>
      <FormError error={action.error} />
    </ScheduleForm>
  );
}

export function ScheduleSection({ circle }: { circle: CircleDetail }) {
  const { t } = useTranslation('governance');
  const [editing, setEditing] = useState(false);
  const action = useAction();
  return (
    <section className="card" aria-labelledby="schedule-title">
      <h2 id="schedule-title">{t('schedule.title')}</h2>
      {circle.schedule ? (
        <>
          <p>
            <ScheduleSentence schedule={circle.schedule} />
          </p>
          <NextMeetings circle={circle} schedule={circle.schedule} />
        </>
      ) : (
        <p className="muted">{t('schedule.none')}</p>
      )}
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
