// sync.assembly_15_votes_default_s: a facilitator runs an assembly of 15 votes with no
// network (each vote created, the facilitator's own ballot, a proxy ballot for another
// member, then closed), reconnects, and Plenary uploads it all to a Synapse with its
// DEFAULT rate limits (rc_message 0.2/s, burst 10): the seconds from reconnecting until
// nothing is left to send, the MSC3381 poll events that mirror the votes included.
// sync.assembly_15_votes_ops_default_s: of that, until the operations themselves (what
// other Plenary members need) are on the server.
//
// That is 1 operations event and 45 poll events (start, response, end per vote): beyond
// the burst of 10, one event every 5 s, so the poll events set the time (about 180 s).
//
// The circle and its room exist before going offline, and the clock starts only once the
// server's burst has refilled, as it would have after an assembly of an hour.
import { SynapseServer } from '../../tests/helpers/synapse';
import { startPlenaryClient } from '../../tests/helpers/plenary-client';
import { seedCircle } from '../../tests/helpers/governance-seed';
import { recordOfflineAssembly } from '../../tests/helpers/offline-assembly';
import type { Report } from '../report';

/** rc_message's burst (10) refills at 0.2/s: 50 s, plus a margin. */
const burstRefillMs = 55_000;

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
    await client.call('matrix.disconnect');
    const events = recordOfflineAssembly(store, circle, { votes: 15, self: alice.userId, proxyFor: bob.userId });
    await new Promise((r) => setTimeout(r, burstRefillMs));
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
    return { seconds: (performance.now() - started) / 1000, opsSeconds, events };
  } finally {
    await client.close();
    await server.stop();
  }
}

export async function run(report: Report): Promise<void> {
  const { seconds, opsSeconds } = await assembly15VotesSeconds();
  report.add('sync.assembly_15_votes_default_s', seconds, 's');
  report.add('sync.assembly_15_votes_ops_default_s', opsSeconds, 's');
}
