// The meetings feature's view of governance, read from the governance store itself: the
// circles with their meeting rooms, schedule and the assemblies a call's attendance and
// recordings can go to. Meetings records changes through the store's applyLocal, so rooms,
// schedules, attendance and recordings sync like every other operation.
import type { Db } from '../store/database';
import type { EventBus } from '../events';
import type { GovernanceStore } from '../store/governance-store';
import type { OperationType } from '../../../shared/governance/operation-types';
import { stampWall } from '../../../shared/governance/stamp';
import { meetingOfChosenSlot, type OneOffMeeting } from '../../../shared/governance/time-poll';
import type { DirectoryAssembly, DirectoryCircle, DirectorySchedule, GovernanceWriter, MeetingDirectory } from './meeting-directory';

/** A closed assembly still takes a recording or late attendance for this long after closing. */
export const recentAssemblyMs = 30 * 86_400_000;
/** At most this many assemblies per circle are offered (the newest). */
const assembliesPerCircle = 20;

interface CircleRow {
  circle: string;
  name: string | null;
  schedule: string | null;
}

interface AssemblyRow {
  circle: string;
  assembly_id: string;
  title: string | null;
  closed_v: string | null;
}

export class GovernanceMeetingDirectory implements MeetingDirectory, GovernanceWriter {
  constructor(
    private readonly db: Db,
    private readonly store: Pick<GovernanceStore, 'applyLocal'>,
    private readonly events: EventBus,
    private readonly now: () => number,
  ) {}

  circles(): DirectoryCircle[] {
    const circles = this.db
      .prepare('SELECT circle, name, schedule FROM gov_circles WHERE created_v IS NOT NULL AND archived_v IS NULL ORDER BY name COLLATE NOCASE, circle')
      .all() as CircleRow[];
    if (circles.length === 0) return [];
    const rooms = new Map<string, DirectoryCircle['rooms']>();
    for (const row of this.db.prepare('SELECT circle, room_id, url, label FROM gov_rooms WHERE set_v > removed_v ORDER BY label COLLATE NOCASE, room_id').all() as {
      circle: string;
      room_id: string;
      url: string;
      label: string;
    }[]) {
      const list = rooms.get(row.circle) ?? [];
      list.push({ roomId: row.room_id, url: row.url, label: row.label });
      rooms.set(row.circle, list);
    }
    const assemblies = new Map<string, DirectoryAssembly[]>();
    const oldest = this.now() - recentAssemblyMs;
    for (const row of this.db
      .prepare(
        `SELECT circle, assembly_id, title, closed_v FROM gov_assemblies WHERE created_v IS NOT NULL
         ORDER BY closed_v IS NOT NULL, coalesce(scheduled_at, 0) DESC, created_v DESC`,
      )
      .all() as AssemblyRow[]) {
      if (row.closed_v !== null && stampWall(row.closed_v) < oldest) continue;
      const list = assemblies.get(row.circle) ?? [];
      if (list.length < assembliesPerCircle) list.push({ id: row.assembly_id, title: row.title ?? '' });
      assemblies.set(row.circle, list);
    }
    const oneOff = new Map<string, OneOffMeeting[]>();
    for (const row of this.db
      // Only a closed poll's choice counts: one received for an open poll (only a forged or
      // buggy replica sends that; the store refuses it here) makes no meeting.
      .prepare(
        `SELECT circle, vote_id, question, method, options, chosen_option FROM gov_votes WHERE chosen_option IS NOT NULL AND created_v IS NOT NULL AND method = 'time'
           AND (closed_v IS NOT NULL OR (closes_at IS NOT NULL AND closes_at <= ?))`,
      )
      .all(this.now()) as { circle: string; vote_id: string; question: string | null; method: string; options: string; chosen_option: string }[]) {
      const meeting = meetingOfChosenSlot({ voteId: row.vote_id, question: row.question ?? '', method: row.method, options: JSON.parse(row.options) as { id: string; label: string }[], chosenOption: row.chosen_option });
      if (meeting) oneOff.set(row.circle, [...(oneOff.get(row.circle) ?? []), meeting]);
    }
    return circles.map((row) => ({
      id: row.circle,
      name: row.name ?? '',
      rooms: rooms.get(row.circle) ?? [],
      schedule: row.schedule ? (JSON.parse(row.schedule) as DirectorySchedule) : null,
      assemblies: assemblies.get(row.circle) ?? [],
      oneOff: oneOff.get(row.circle) ?? [],
    }));
  }

  subscribe(listener: () => void): () => void {
    return this.events.subscribe((name) => {
      if (name === 'governance.changed') listener();
    });
  }

  applyLocal(type: string, circle: string, payload: Record<string, unknown>): unknown {
    return this.store.applyLocal(type as OperationType, circle, payload);
  }
}
