// What the meetings feature needs from governance, as small interfaces so it works (and is
// tested) without depending on the governance store's internals. The governance store
// (issue 3) provides both: circles with their rooms, schedule and open assemblies, and
// `applyLocal` to record changes as operations:
//   circle.room.add         { roomId, url, label }
//   circle.room.remove      { roomId }
//   circle.update           { fields: { schedule: { rrule, timezone, durationMinutes } | null } }
//   assembly.attendance.set { assemblyId, member, status: 'present' }
//   assembly.recording.add  { assemblyId, recordingId, url, label }
import { PlenaryError } from '../../../shared/errors';

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

/** Until the governance store is wired in (app-core.ts), there are no circles to attach rooms to. */
export const noCircles: MeetingDirectory & GovernanceWriter = {
  circles: () => [],
  subscribe: () => () => {},
  applyLocal: (type) => {
    throw new PlenaryError('not_supported', `Circles are not available in this build, so "${type}" cannot be recorded`);
  },
};
