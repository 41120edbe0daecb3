import type { Handlers } from '../dispatch';
import type { CoreServices } from '../core-services';

type MeetingCalls = Extract<keyof Handlers, `meetings.${string}` | `bbb.${string}`>;

export function meetingsHandlers(core: CoreServices): Pick<Handlers, MeetingCalls> {
  const { meetings } = core;
  const operator = meetings.operator;
  const changed = (reason: 'rooms' | 'schedule' | 'running' | 'settings') => core.events.emit('meetings.changed', { reason });
  return {
    'meetings.overview': () => {
      meetings.refreshRunningIfStale();
      return meetings.overview();
    },
    'meetings.addRoom': ({ circleId, url, label }) => meetings.addRoom(circleId, url, label),
    'meetings.removeRoom': async ({ circleId, roomId }) => {
      await meetings.removeRoom(circleId, roomId);
      return { removed: true };
    },
    'meetings.setSchedule': async ({ circleId, schedule }) => {
      await meetings.setSchedule(circleId, schedule);
      return meetings.overview();
    },
    'meetings.exportIcs': ({ circleId }) => meetings.exportIcs(circleId),
    'meetings.join': ({ target }) => meetings.join(target),
    'meetings.start': (input) => meetings.start(input),
    'meetings.refreshRunning': async () => {
      await meetings.refreshRunning();
      return meetings.overview();
    },
    'meetings.end': async ({ meetingID }) => {
      await operator.end(meetingID);
      await meetings.refreshRunning();
      return meetings.overview();
    },
    'meetings.hosts': () => meetings.hosts(),
    'meetings.trustHost': ({ host }) => meetings.trustHost(host),
    'meetings.forgetHost': ({ pattern }) => meetings.forgetHost(pattern),
    'meetings.importAttendance': ({ meetingID, assemblyId }) => operator.importAttendance(meetingID, assemblyId),
    'meetings.recordings': ({ circleId }) => operator.recordings(circleId),
    'meetings.attachRecording': async (input) => {
      await operator.attachRecording(input);
      return { attached: true };
    },
    'bbb.settings': () => operator.settingsView(),
    'bbb.saveSettings': async (input) => {
      const view = await operator.saveSettings(input);
      changed('settings');
      void meetings.refreshRunning();
      return view;
    },
    'bbb.clearSettings': () => {
      const view = operator.clearSettings();
      changed('settings');
      return view;
    },
    'bbb.setDisplayName': ({ displayName }) => operator.setDisplayName(displayName),
  };
}
