import { useTranslation } from 'react-i18next';
import { usePlenary } from '../store';

/** The latest meeting reminder, shown in the page (the desktop app also shows a system notification). */
export function ReminderBanner() {
  const { t } = useTranslation('meetings');
  const reminder = usePlenary((s) => s.reminder);
  const dismiss = usePlenary((s) => s.dismissReminder);
  const join = usePlenary((s) => s.joinMeeting);
  if (!reminder) return null;
  return (
    <div className="meeting-reminder" role="status">
      <div>
        <strong>{reminder.title}</strong>
        <span>{reminder.body}</span>
      </div>
      <div className="actions">
        {reminder.roomId && (
          <button
            type="button"
            className="primary"
            onClick={() => {
              dismiss();
              void join({ kind: 'room', circleId: reminder.circleId, roomId: reminder.roomId! });
            }}
          >
            {t('reminder.join')}
          </button>
        )}
        <button type="button" onClick={dismiss}>
          {t('reminder.dismiss')}
        </button>
      </div>
    </div>
  );
}
