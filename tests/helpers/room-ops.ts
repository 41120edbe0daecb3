// Governance operation events as an independent Matrix client sees and sends them: reads
// every operation event of a room straight from the homeserver (to check that each
// operation arrived exactly once), and builds one as another member's client would send it.
import { decodeOpsContent, encodeOpsContent, opsEventType, type OpsEventContent } from '../../main/core/sync/ops-event';
import { newId } from '../../shared/governance/ids';
import type { Operation } from '../../shared/governance/operation';

/** An operations event carrying these operations of one circle, in Plenary's wire format. */
export function opsEvent(circle: string, ops: readonly Operation[]): { type: string; content: OpsEventContent } {
  return { type: opsEventType, content: encodeOpsContent(newId(), circle, ops) };
}

export async function operationIdsInRoom(baseUrl: string, accessToken: string, roomId: string, batches?: Map<string, string[]>): Promise<string[]> {
  const ids: string[] = [];
  let from: string | undefined;
  const filter = JSON.stringify({ types: [opsEventType] });
  for (;;) {
    const query = new URLSearchParams({ dir: 'b', limit: '100', filter, ...(from ? { from } : {}) });
    const response = await fetch(`${baseUrl}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?${query}`, {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    if (!response.ok) throw new Error(`/messages failed: ${response.status} ${await response.text()}`);
    const page = (await response.json()) as { chunk: { content: unknown; event_id?: string }[]; end?: string };
    for (const event of page.chunk) {
      const decoded = decodeOpsContent(event.content);
      if (!decoded.ok) throw new Error(`undecodable ops event: ${decoded.reason}`);
      for (const op of decoded.ops) ids.push((op as { id: string }).id);
      batches?.set(decoded.batch, [...(batches.get(decoded.batch) ?? []), (event as { event_id?: string }).event_id ?? '?']);
    }
    if (!page.end || page.chunk.length === 0) return ids;
    from = page.end;
  }
}

export function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const id of ids) (seen.has(id) ? twice : seen).add(id);
  return [...twice];
}

/** How many events of each of `types` the room holds, read straight from the homeserver. */
export async function eventCountsInRoom(baseUrl: string, accessToken: string, roomId: string, types: readonly string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = Object.fromEntries(types.map((type) => [type, 0]));
  let from: string | undefined;
  const filter = JSON.stringify({ types });
  for (;;) {
    const query = new URLSearchParams({ dir: 'b', limit: '100', filter, ...(from ? { from } : {}) });
    const response = await fetch(`${baseUrl}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?${query}`, {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    if (!response.ok) throw new Error(`/messages failed: ${response.status} ${await response.text()}`);
    const page = (await response.json()) as { chunk: { type: string }[]; end?: string };
    for (const event of page.chunk) counts[event.type] = (counts[event.type] ?? 0) + 1;
    if (!page.end || page.chunk.length === 0) return counts;
    from = page.end;
  }
}
