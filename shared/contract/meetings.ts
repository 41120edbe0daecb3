// Meetings: BBB rooms attached to circles, schedules, joining, and (with BBB API
// credentials) starting meetings, importing attendance and attaching recordings.
import { z } from 'zod';
import { call, event, returns } from './define';
import { maxRoomLinkLength } from '../meetings/room-link';
import type { MeetingHostsView } from '../meetings/meeting-hosts';
import { maxDurationMinutes, maxScheduleTextLength, minDurationMinutes } from '../schedule/schedule';
import {
  checksumAlgorithmNames,
  type AttendanceImport,
  type BbbSettingsView,
  type IcsExport,
  type JoinResult,
  type MeetingReminder,
  type MeetingsOverview,
  type RecordingView,
  type RoomView,
} from '../meetings/types';

const id = z.string().min(1).max(128);
const label = z.string().trim().min(1).max(80);
const meetingID = z.string().min(2).max(256);
const link = z.string().max(maxRoomLinkLength + 64);

export const scheduleSchema = z
  .object({
    rrule: z.string().min(1).max(maxScheduleTextLength),
    timezone: z.string().min(1).max(64),
    durationMinutes: z.number().int().min(minDurationMinutes).max(maxDurationMinutes),
  })
  .strict();

export const joinTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('room'), circleId: id, roomId: id }).strict(),
  z.object({ kind: z.literal('link'), url: link }).strict(),
  z.object({ kind: z.literal('running'), meetingID }).strict(),
]);

export const meetingsCalls = {
  meetings: {
    overview: call(z.object({}).strict(), returns<MeetingsOverview>()),
    addRoom: call(z.object({ circleId: id, url: link, label }).strict(), returns<RoomView>()),
    removeRoom: call(z.object({ circleId: id, roomId: id }).strict(), returns<{ removed: true }>()),
    setSchedule: call(z.object({ circleId: id, schedule: scheduleSchema.nullable() }).strict(), returns<MeetingsOverview>()),
    exportIcs: call(z.object({ circleId: id }).strict(), returns<IcsExport>()),
    join: call(z.object({ target: joinTargetSchema }).strict(), returns<JoinResult>()),
    /** Operators: create (idempotently) and join as moderator. */
    start: call(z.object({ circleId: id, assemblyId: id.nullable(), record: z.boolean() }).strict(), returns<JoinResult>()),
    refreshRunning: call(z.object({}).strict(), returns<MeetingsOverview>()),
    end: call(z.object({ meetingID }).strict(), returns<MeetingsOverview>()),
    importAttendance: call(z.object({ meetingID, assemblyId: id }).strict(), returns<AttendanceImport>()),
    recordings: call(z.object({ circleId: id }).strict(), returns<RecordingView[]>()),
    /** The meeting hosts allow-list as Settings › Meetings › Trusted hosts shows it. */
    hosts: call(z.object({}).strict(), returns<MeetingHostsView>()),
    /** Adds a host (a room link or "meet.example.coop") to the member's trusted hosts; refused when coop.json decides. */
    trustHost: call(z.object({ host: z.string().max(maxRoomLinkLength) }).strict(), returns<MeetingHostsView>()),
    forgetHost: call(z.object({ pattern: z.string().min(1).max(300) }).strict(), returns<MeetingHostsView>()),
    attachRecording: call(z.object({ circleId: id, assemblyId: id, recordID: z.string().min(1).max(256), url: link, label }).strict(), returns<{ attached: true }>()),
  },
  bbb: {
    settings: call(z.object({}).strict(), returns<BbbSettingsView>()),
    saveSettings: call(
      z
        .object({
          apiUrl: z.string().trim().min(1).max(512),
          algorithm: z.enum(checksumAlgorithmNames),
          /** Omitted to keep the stored secret. */
          secret: z.string().min(8).max(256).optional(),
        })
        .strict(),
      returns<BbbSettingsView>(),
    ),
    clearSettings: call(z.object({}).strict(), returns<BbbSettingsView>()),
    setDisplayName: call(z.object({ displayName: z.string().trim().max(64) }).strict(), returns<BbbSettingsView>()),
  },
};

export const meetingsEvents = {
  /** Something Today or the tray shows changed: refetch meetings.overview. */
  'meetings.changed': event<{ reason: 'rooms' | 'schedule' | 'running' | 'settings' }>(),
  'meetings.reminder': event<MeetingReminder>(),
};
