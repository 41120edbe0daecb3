import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { CircleMeetingsView } from '../../../shared/meetings/types';
import { api } from '../api/client';
import { usePlenary } from '../store';
import { formatDateTime } from './format';
import { RecordingsPanel } from './recordings-panel';
import { RoomList } from './room-list';
import { ScheduleEditor } from './schedule-editor';
import { ScheduleSentence } from '../schedule/schedule-sentence';

/** Saves the calendar file through a temporary link; the download never leaves the page. */
function download(filename: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: 'text/calendar;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * One circle's meetings: its rooms, its schedule with the next dates, the calendar
 * export and (for operators) its recordings. Today shows one per circle; the circle view
 * can mount it too, under an h3: <CircleMeetingsPanel circle={…} apiConfigured={…} />.
 */
export function CircleMeetingsPanel({ circle, apiConfigured }: { circle: CircleMeetingsView; apiConfigured: boolean }) {
  const { t, i18n } = useTranslation('meetings');
  const showError = usePlenary((s) => s.showError);
  const ids = { schedule: useId(), next: useId() };
  return (
    <div className="circle-meetings">
      <RoomList circleId={circle.circleId} circleName={circle.circleName} rooms={circle.rooms} />
      <div className="schedule">
        <h4 id={ids.schedule}>{t('schedule.title')}</h4>
        {circle.schedule && (circle.schedule.problem ? <p className="field-error">{circle.schedule.problem}</p> : <p><ScheduleSentence schedule={circle.schedule} /></p>)}
        {circle.next.length > 0 ? (
          <>
            <h5 id={ids.next}>{t('circles.nextMeetings')}</h5>
            <ul aria-labelledby={ids.next}>
              {circle.next.map((o) => (
                <li key={o.start}>{formatDateTime(o.start, i18n.language)}</li>
              ))}
            </ul>
            <button
              type="button"
              onClick={() =>
                void api()
                  .meetings.exportIcs({ circleId: circle.circleId })
                  .then((file) => download(file.filename, file.content), showError)
              }
            >
              {t('circles.exportIcs')}
            </button>
          </>
        ) : (
          <p className="muted">{t('circles.noSchedule')}</p>
        )}
        <details>
          <summary>{circle.schedule ? t('schedule.edit') : t('schedule.add')}</summary>
          <ScheduleEditor circleId={circle.circleId} schedule={circle.schedule} />
        </details>
      </div>
      {apiConfigured && <RecordingsPanel circleId={circle.circleId} assemblies={circle.assemblies} />}
    </div>
  );
}
