// A circle's regular meeting edited from Today: the shared schedule form
// (renderer/src/schedule/schedule-form.tsx), saved through meetings.setSchedule.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schedule } from '../../../shared/schedule/schedule';
import type { ScheduleView } from '../../../shared/meetings/types';
import { api, ApiError } from '../api/client';
import { usePlenary } from '../store';
import { ScheduleForm } from '../schedule/schedule-form';
import { systemTimeZone } from './format';

export function ScheduleEditor({ circleId, schedule }: { circleId: string; schedule: ScheduleView | null }) {
  const { t } = useTranslation('schedule');
  const setMeetings = usePlenary((s) => s.setMeetings);
  const showError = usePlenary((s) => s.showError);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [serverProblem, setServerProblem] = useState<string | null>(null);
  const stored = schedule ? { rrule: schedule.rrule, timezone: schedule.timezone, durationMinutes: schedule.durationMinutes } : null;

  const save = async (value: Schedule | null) => {
    setBusy(true);
    setSaved(null);
    setServerProblem(null);
    try {
      setMeetings(await api().meetings.setSchedule({ circleId, schedule: value }));
      setSaved(value ? t('form.saved') : t('form.removed'));
    } catch (error) {
      if (error instanceof ApiError && error.code === 'invalid_input') setServerProblem(error.message);
      else showError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <ScheduleForm schedule={stored} fallbackZone={systemTimeZone()} busy={busy} onSave={(value) => void save(value)}>
      {schedule && (
        <button type="button" disabled={busy} onClick={() => void save(null)}>
          {t('form.remove')}
        </button>
      )}
      {serverProblem && (
        <p className="field-error" role="alert">
          {serverProblem}
        </p>
      )}
      <span role="status" aria-live="polite">
        {saved}
      </span>
    </ScheduleForm>
  );
}
