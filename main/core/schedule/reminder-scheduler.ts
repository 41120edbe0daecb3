// Meeting reminders: a desktop notification `reminderMinutes` before each scheduled
// meeting, none while Do not disturb is on. Time comes from an injected Clock and the
// scheduler is driven by tick(), so tests move a FakeClock and tick; in the app a timer
// ticks every few seconds. A computer that slept through the reminder time still reminds
// during the first minutes of the meeting, but never for one long over.
import type { Clock } from '../clock';
import type { Logger } from '../log';

export interface UpcomingMeeting {
  circleId: string;
  circleName: string;
  start: number;
  end: number;
  roomId: string | null;
}

export interface DueReminder extends UpcomingMeeting {
  /** Minutes until the start when it fired (0 once started). */
  minutesBefore: number;
}

export interface ReminderOptions {
  clock: Clock;
  /** Scheduled meetings that start in [from, to). */
  upcoming(from: number, to: number): UpcomingMeeting[];
  reminderMinutes(): number;
  doNotDisturb(): boolean;
  notify(reminder: DueReminder): void;
  log?: Logger;
}

/** How long after a meeting started a late reminder is still useful. */
export const lateReminderGraceMs = 5 * 60_000;
export const reminderTickMs = 15_000;

export class ReminderScheduler {
  /** Keys of reminders already handled (fired or suppressed), with the meeting start for pruning. */
  private readonly handled = new Map<string, number>();
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly options: ReminderOptions) {}

  private static key(m: UpcomingMeeting): string {
    return `${m.circleId}@${m.start}`;
  }

  /** Fires every reminder that is due now; returns those fired (tests read it). */
  tick(): DueReminder[] {
    const now = this.options.clock.now();
    const lead = this.options.reminderMinutes() * 60_000;
    const fired: DueReminder[] = [];
    let candidates: UpcomingMeeting[];
    try {
      candidates = this.options.upcoming(now - lateReminderGraceMs, now + lead + 1);
    } catch (error) {
      this.options.log?.warn('could not list meetings for reminders', { reason: error instanceof Error ? error.message : String(error) });
      return fired;
    }
    const quiet = this.options.doNotDisturb();
    for (const meeting of candidates) {
      const key = ReminderScheduler.key(meeting);
      if (this.handled.has(key)) continue;
      const due = meeting.start - lead <= now && now < Math.min(meeting.start + lateReminderGraceMs, meeting.end);
      if (!due) continue;
      this.handled.set(key, meeting.start);
      if (quiet) continue;
      const reminder = { ...meeting, minutesBefore: Math.max(0, Math.ceil((meeting.start - now) / 60_000)) };
      try {
        this.options.notify(reminder);
        fired.push(reminder);
      } catch (error) {
        this.options.log?.warn('a meeting reminder could not be shown', { reason: error instanceof Error ? error.message : String(error) });
      }
    }
    for (const [key, start] of this.handled) if (start < now - 24 * 3_600_000) this.handled.delete(key);
    return fired;
  }

  start(intervalMs = reminderTickMs): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.timer.unref?.();
    this.tick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
