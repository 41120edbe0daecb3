// Which circles' rooms changed who holds power in one /sync response (m.room.power_levels or
// m.room.create, in the state block or the timeline). Their circle pages read again, so a
// member whose rights changed in Element sees it without reopening the page.
import type { SyncResponse } from '../matrix/matrix-connection';

const powerTypes = new Set(['m.room.power_levels', 'm.room.create']);

export function circlesWithPowerChanges(response: SyncResponse, circleOf: (roomId: string) => string | null): string[] {
  const circles = new Set<string>();
  for (const [roomId, room] of Object.entries(response.rooms?.join ?? {})) {
    const events = [...(room.state?.events ?? []), ...(room.timeline?.events ?? [])];
    if (!events.some((e) => e.state_key === '' && powerTypes.has(e.type))) continue;
    const circle = circleOf(roomId);
    if (circle) circles.add(circle);
  }
  return [...circles].sort();
}
