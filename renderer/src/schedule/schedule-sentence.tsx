import { useTranslation } from 'react-i18next';
import { describeSchedule } from '../../../shared/schedule/describe';
import { readSchedule, type Schedule } from '../../../shared/schedule/schedule';
import { dateLocale, systemTimeZone } from '../meetings/format';

/**
 * A schedule in one sentence in the member's language, with the next meeting in their own
 * zone when it differs from the circle's; a schedule that cannot be read says why.
 */
export function ScheduleSentence({ schedule }: { schedule: Schedule }) {
  const { t, i18n } = useTranslation('schedule');
  const read = readSchedule(schedule);
  if (!read.ok) return <>{t('form.unreadable', { detail: `${read.field}: ${read.message}` })}</>;
  return <>{describeSchedule(read.schedule, { t: (key, options) => t(key, options ?? {}), locale: dateLocale(i18n.language), viewerZone: systemTimeZone() })}</>;
}
