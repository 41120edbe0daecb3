// sync.assembly_15_votes_default_s: a facilitator runs an assembly of 15 votes with no
// network (each vote created, the facilitator's own ballot, a proxy ballot for another
// member, then closed), reconnects, and Plenary uploads it all to a Synapse with its
// DEFAULT rate limits (rc_message 0.2/s, burst 10): the seconds from reconnecting until
// nothing is left to send, what Element users see included.
// sync.assembly_15_votes_ops_default_s: of that, until the operations themselves (what
// other Plenary members need) are on the server.
// sync.assembly_15_votes_events: the events that took.
//
// The votes were opened and closed before they reached the server, so Element users get
// their results in one message instead of 45 poll events (start, answer, end per vote):
// 1 operations event and 1 results message (poll-publication-policy.ts).
//
// The worst case is measured: the circle and its room exist before going offline, and the
// facilitator's burst is used up when the clock starts (messages sent until the server
// answers 429, as chat during the assembly would have), so every event waits its 5 s.
import { SynapseServer, type RegisteredUser } from '../../tests/helpers/synapse';
import { startPlenaryClient } from '../../tests/helpers/plenary-client';
import { seedCircle } from '../../tests/helpers/governance-seed';
import { recordOfflineAssembly } from '../../tests/helpers/offline-assembly';
import type { Report } from '../report';

/** Sends chat messages as `user` until the server refuses one with 429: the burst is used up. */
async function useUpBurst(server: SynapseServer, user: RegisteredUser, roomId: string): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const response = await fetch(`${server.baseUrl}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/burst-${i}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${user.accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ msgtype: 'm.text', body: `Point ${i + 1} noted.` }),
    });
    if (response.status === 429) return i;
    if (!response.ok) throw new Error(`sending a chat message failed: ${response.status} ${await response.text()}`);
  }
  throw new Error('the server never rate limited 50 messages: are its limits the defaults?');
}

async function eventsSentBy(server: SynapseServer, user: RegisteredUser, roomId: string): Promise<number> {
  let count = 0;
  let from: string | undefined;
  for (;;) {
    const query = new URLSearchParams({ dir: 'b', limit: '100', ...(from ? { from } : {}) });
    const response = await fetch(`${server.baseUrl}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?${query}`, { headers: { Authorization: `Bearer ${user.accessToken}` } });
    const page = (await response.json()) as { chunk: { sender: string; state_key?: string }[]; end?: string };
    count += page.chunk.filter((e) => e.sender === user.userId && e.state_key === undefined).length;
    if (!page.end || page.chunk.length === 0) return count;
    from = page.end;
  }
}

export async function assembly15VotesSeconds(): Promise<{ seconds: number; opsSeconds: number; events: number }> {
  const server = await SynapseServer.start({ rateLimits: 'default' });
  const client = await startPlenaryClient('bench-assembly', { pollTimeoutMs: 1_000 });
  try {
    const [alice, bob] = [await server.register('alice'), await server.register('bob')];
    await client.signIn(server, alice);
    const store = client.core.services.governance;
    const circle = seedCircle(store, alice.userId, [bob.userId]);
    let status = await client.syncNow();
    while (status.pending > 0) status = await client.syncNow();
    const roomId = client.core.services.sync.rooms.roomOf(circle)!;
    await client.call('matrix.disconnect');
    recordOfflineAssembly(store, circle, { votes: 15, self: alice.userId, proxyFor: bob.userId });
    await useUpBurst(server, alice, roomId);
    const before = await eventsSentBy(server, alice, roomId);
    const sync = client.core.services.sync;
    const started = performance.now();
    let opsSeconds = Number.NaN;
    const done = new Promise<void>((resolve) => {
      const stop = sync.onChange((view) => {
        if (Number.isNaN(opsSeconds) && sync.outbox.pendingCount() === 0) opsSeconds = (performance.now() - started) / 1000;
        if (view.pending === 0 && view.state !== 'uploading' && view.state !== 'waiting') {
          stop();
          resolve();
        }
      });
    });
    await client.call('matrix.connect');
    await done;
    const seconds = (performance.now() - started) / 1000;
    return { seconds, opsSeconds, events: (await eventsSentBy(server, alice, roomId)) - before };
  } finally {
    await client.close();
    await server.stop();
  }
}

export async function run(report: Report): Promise<void> {
  const { seconds, opsSeconds, events } = await assembly15VotesSeconds();
  report.add('sync.assembly_15_votes_default_s', seconds, 's');
  report.add('sync.assembly_15_votes_ops_default_s', opsSeconds, 's');
  report.add('sync.assembly_15_votes_events', events, 'events');
}
