// An in-memory stand-in for the governance store (issue 3), implementing exactly the
// interfaces the meetings feature depends on: the directory of circles (rooms, schedules,
// assemblies) and applyLocal for the operations meetings writes. It records every
// operation so tests can check what would have been written to the operation log.
import type { DirectoryCircle, GovernanceWriter, MeetingDirectory } from '../../main/core/meetings/meeting-directory';

export interface RecordedOperation {
  type: string;
  circle: string;
  payload: Record<string, unknown>;
}

export class MemoryGovernance implements MeetingDirectory, GovernanceWriter {
  readonly operations: RecordedOperation[] = [];
  readonly attendance: { assemblyId: string; member: string; status: string }[] = [];
  readonly recordings: { assemblyId: string; recordingId: string; url: string; label: string }[] = [];
  private readonly data = new Map<string, DirectoryCircle>();
  private readonly listeners = new Set<() => void>();

  addCircle(id: string, name: string, extra: Partial<Omit<DirectoryCircle, 'id' | 'name'>> = {}): this {
    this.data.set(id, { id, name, rooms: [], schedule: null, assemblies: [], ...extra });
    this.changed();
    return this;
  }

  addAssembly(circleId: string, id: string, title: string): this {
    this.circle(circleId).assemblies.push({ id, title });
    this.changed();
    return this;
  }

  circles(): DirectoryCircle[] {
    return [...this.data.values()].map((c) => ({ ...c, rooms: [...c.rooms], assemblies: [...c.assemblies] }));
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  private circle(id: string): DirectoryCircle {
    const circle = this.data.get(id);
    if (!circle) throw new Error(`no circle ${id}`);
    return circle;
  }

  applyLocal(type: string, circle: string, payload: Record<string, unknown>): void {
    this.operations.push({ type, circle, payload: structuredClone(payload) });
    const target = this.circle(circle);
    switch (type) {
      case 'circle.room.add':
        target.rooms.push({ roomId: String(payload.roomId), url: String(payload.url), label: String(payload.label) });
        break;
      case 'circle.room.remove':
        target.rooms = target.rooms.filter((r) => r.roomId !== payload.roomId);
        break;
      case 'circle.update': {
        const fields = payload.fields as { schedule?: DirectoryCircle['schedule'] };
        if ('schedule' in fields) target.schedule = fields.schedule ?? null;
        break;
      }
      case 'assembly.attendance.set':
        this.attendance.push(payload as { assemblyId: string; member: string; status: string });
        break;
      case 'assembly.recording.add':
        this.recordings.push(payload as { assemblyId: string; recordingId: string; url: string; label: string });
        break;
      default:
        throw new Error(`MemoryGovernance does not know operation ${type}`);
    }
    this.changed();
  }
}
