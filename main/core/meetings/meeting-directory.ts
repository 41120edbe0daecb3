// What the meetings feature needs from governance, as small interfaces so it does not
// depend on the governance store's internals. governance-directory.ts implements both
// from the store: circles with their rooms, schedule and assemblies, and `applyLocal` to
// record changes as operations:
//   circle.room.add         { roomId, url, label }
//   circle.room.remove      { roomId }
//   circle.update           { fields: { schedule: { rrule, timezone, durationMinutes } | null } }
//   assembly.attendance.set { assemblyId, member, status: 'present' }
//   assembly.recording.add  { assemblyId, recordingId, url, label }
import type { OneOffMeeting } from '../../../shared/governance/time-poll';

export interface DirectoryRoom {
  roomId: string;
  url: string;
  label: string;
}

export interface DirectorySchedule {
  rrule: string;
  timezone: string;
  durationMinutes: number;
}

export interface DirectoryAssembly {
  id: string;
  title: string;
}

export interface DirectoryCircle {
  id: string;
  name: string;
  rooms: DirectoryRoom[];
  schedule: DirectorySchedule | null;
  /** Assemblies attendance and recordings can go to (open or recent ones). */
  assemblies: DirectoryAssembly[];
  /** One-off meetings: slots chosen in the circle's time polls (shared/governance/time-poll.ts). */
  oneOff?: OneOffMeeting[];
}

export interface MeetingDirectory {
  /** The member's circles. */
  circles(): DirectoryCircle[];
  /** Calls the listener after any change to circles, rooms, schedules or assemblies. */
  subscribe(listener: () => void): () => void;
}

export interface GovernanceWriter {
  applyLocal(type: string, circle: string, payload: Record<string, unknown>): unknown;
}

/** Who is joining: the member's Matrix ID once connected, the local identity before. */
export interface MemberIdentity {
  memberId(): string;
  /** The member's display name, if known. */
  displayName(): string | null;
}
