// What the meetings calls and events carry between main and the renderer. No secret ever
// appears here: join URLs carry a checksum of the BBB secret, never the secret itself.
import type { RoomLinkKind } from './room-link';
import type { TokenStorage } from '../contract/matrix';

export const checksumAlgorithmNames = ['sha1', 'sha256', 'sha384', 'sha512'] as const;
export type ChecksumAlgorithmName = (typeof checksumAlgorithmNames)[number];

export interface RoomView {
  roomId: string;
  label: string;
  url: string;
  kind: RoomLinkKind;
  host: string;
  /** Whether the host is on the meeting hosts allow-list; a room synced from another member may not be, and then Join explains. */
  hostAllowed: boolean;
}

export interface ScheduleView {
  rrule: string;
  timezone: string;
  durationMinutes: number;
  /** Why the stored schedule cannot be expanded (written by another release, say); null when fine. */
  problem: string | null;
}

export interface OccurrenceView {
  circleId: string;
  circleName: string;
  start: number;
  end: number;
  /** In progress now. */
  live: boolean;
  rooms: RoomView[];
  /** A one-off meeting chosen in a time poll: the poll's question (absent for the circle's regular meetings). */
  title?: string;
}

export interface AttendeeView {
  name: string;
  role: 'MODERATOR' | 'VIEWER';
  /** The member's id when BBB knows it (joined through Plenary); null for guests. */
  memberId: string | null;
}

/** A meeting Plenary started through the BBB API that is running now. */
export interface RunningMeetingView {
  meetingID: string;
  circleId: string;
  circleName: string;
  assemblyId: string | null;
  assemblyTitle: string | null;
  createTime: number;
  participantCount: number;
  recording: boolean;
  attendees: AttendeeView[];
}

export interface AssemblyRef {
  id: string;
  title: string;
}

export interface CircleMeetingsView {
  circleId: string;
  circleName: string;
  rooms: RoomView[];
  schedule: ScheduleView | null;
  /** The next few occurrences. */
  next: { start: number; end: number }[];
  assemblies: AssemblyRef[];
}

export interface MeetingsOverview {
  now: number;
  /** Scheduled meetings in progress. */
  live: OccurrenceView[];
  /** Scheduled meetings in the next seven days, soonest first. */
  next: OccurrenceView[];
  /** Meetings started through the BBB API (only with API credentials). */
  running: RunningMeetingView[];
  circles: CircleMeetingsView[];
  api: { configured: boolean; host: string | null; checkedAt: number | null; error: string | null };
}

export type JoinTarget =
  | { kind: 'room'; circleId: string; roomId: string }
  | { kind: 'link'; url: string }
  | { kind: 'running'; meetingID: string };

export interface JoinResult {
  /** What to open: a Greenlight room page or a signed BBB join URL. */
  url: string;
  /** 'meeting-window' when the desktop app opened its meeting window; 'caller' when the page must open it (browser bridge). */
  openedIn: 'meeting-window' | 'caller';
}

export interface BbbSettingsView {
  apiUrl: string | null;
  algorithm: ChecksumAlgorithmName;
  /** Whether a secret is stored (the secret itself never leaves main). */
  secretStored: boolean;
  /** How the secret store keeps it: 'memory' means only until Plenary quits (no usable keychain), which Settings › Meetings says. */
  secretPersistence: TokenStorage;
  /** The name shown to others in calls joined through the API; empty means the member id. */
  displayName: string;
}

export interface RecordingView {
  recordID: string;
  meetingID: string;
  name: string;
  startTime: number;
  endTime: number;
  circleId: string | null;
  assemblyId: string | null;
  playback: { type: string; url: string; minutes: number }[];
}

export interface AttendanceImport {
  /** Attendees recorded as present in the assembly. */
  imported: { memberId: string; name: string }[];
  /** Guests and people who joined outside Plenary: no member id, so the facilitator records them by hand. */
  unmatched: { name: string }[];
}

export interface IcsExport {
  filename: string;
  content: string;
}

export interface MeetingReminder {
  circleId: string;
  circleName: string;
  start: number;
  /** The room to join from the reminder, if the circle has one. */
  roomId: string | null;
  title: string;
  body: string;
}
