// Meetings in the renderer: the overview Today and the circle panels show, the latest
// reminder, and joining. In the desktop app main opens its meeting window; in the browser
// bridge the page opens the room in a new tab (from the member's click, without opener).
import type { StateCreator } from 'zustand';
import type { JoinResult, JoinTarget, MeetingReminder, MeetingsOverview } from '../../../shared/meetings/types';
import { api } from '../api/client';
import type { PlenaryState } from '../store';

export type JoinNotice = { kind: 'tab'; url: string } | { kind: 'window' };

export interface MeetingsSlice {
  meetings: MeetingsOverview | null;
  reminder: MeetingReminder | null;
  joinNotice: JoinNotice | null;
  loadMeetings(): Promise<void>;
  /** Asks BBB again which meetings run and who is in them. */
  refreshRunning(): Promise<void>;
  setMeetings(overview: MeetingsOverview): void;
  showReminder(reminder: MeetingReminder): void;
  dismissReminder(): void;
  /** Joins and reports how; errors go to the error banner and resolve to null. */
  joinMeeting(target: JoinTarget): Promise<JoinResult | null>;
  startMeeting(input: { circleId: string; assemblyId: string | null; record: boolean }): Promise<JoinResult | null>;
  dismissJoinNotice(): void;
}

/**
 * Opens a join URL in a new tab without giving the meeting page a handle on Plenary's.
 * With noopener, window.open tells nothing about success, so the notice also shows the
 * link for when a popup blocker stepped in.
 */
export function openInNewTab(url: string): void {
  window.open(url, '_blank', 'noopener,noreferrer');
}

export const createMeetingsSlice: StateCreator<PlenaryState, [], [], MeetingsSlice> = (set, get) => {
  const opened = (result: JoinResult) => {
    if (result.openedIn === 'meeting-window') set({ joinNotice: { kind: 'window' } });
    else {
      openInNewTab(result.url);
      set({ joinNotice: { kind: 'tab', url: result.url } });
    }
    return result;
  };
  return {
    meetings: null,
    reminder: null,
    joinNotice: null,
    async loadMeetings() {
      try {
        set({ meetings: await api().meetings.overview({}) });
      } catch (error) {
        get().showError(error);
      }
    },
    async refreshRunning() {
      try {
        set({ meetings: await api().meetings.refreshRunning({}) });
      } catch (error) {
        get().showError(error);
      }
    },
    setMeetings: (meetings) => set({ meetings }),
    showReminder: (reminder) => set({ reminder }),
    dismissReminder: () => set({ reminder: null }),
    async joinMeeting(target) {
      try {
        return opened(await api().meetings.join({ target }));
      } catch (error) {
        get().showError(error);
        return null;
      }
    },
    async startMeeting(input) {
      try {
        return opened(await api().meetings.start(input));
      } catch (error) {
        get().showError(error);
        return null;
      }
    },
    dismissJoinNotice: () => set({ joinNotice: null }),
  };
};
