// What a hostile member's forged operations cost every replica, through a real Synapse:
// Mallory, an ordinary member of Alice's circle room, sends events of 20,000 operations each
// claiming to be Alice's (11 KB each: the same operation over and over compresses well),
// through the raw client-server API. Alice's Plenary reads them and keeps them aside.
// - sync.quarantine_bytes_per_forged_event: pages the quarantine table and its indices
//   grew by in Alice's store file (SQLite's dbstat), per event (goal <= 4,096);
// - sync.quarantine_rows_per_forged_event: its rows, per event (was 20,000);
// - sync.quarantine_log_lines_per_forged_event: log lines about them, per event (was 20,000);
// - sync.store_bytes_per_forged_event: the whole store file (after a checkpoint, so the
//   write-ahead log is in it), per event: what else the event left (its seen-event row, the
//   chat cache's row).
// Relaxed rate limits, only so that enough events arrive quickly for the page-sized figures
// to average out; the cost per event does not depend on them.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { SynapseServer } from '../../tests/helpers/synapse';
import { startPlenaryClient } from '../../tests/helpers/plenary-client';
import { seedCircle } from '../../tests/helpers/governance-seed';
import { encodeOpsContent, opsEventType } from '../../main/core/sync/ops-event';
import { newId } from '../../shared/governance/ids';
import type { Operation } from '../../shared/governance/operation';
import type { Report } from '../report';

const events = 40;
const opsPerEvent = 20_000;

export async function run(report: Report): Promise<void> {
  const server = await SynapseServer.start({ rateLimits: 'relaxed' });
  const client = await startPlenaryClient('bench-quarantine', { pollTimeoutMs: 1_000 });
  try {
    const [alice, mallory] = [await server.register('alice'), await server.register('mallory')];
    await client.signIn(server, alice);
    const circle = seedCircle(client.core.services.governance, alice.userId, [mallory.userId]);
    await client.syncNow();
    const roomId = client.core.services.sync.rooms.roomOf(circle)!;
    const as = (path: string, body: unknown, method = 'PUT') =>
      fetch(`${server.baseUrl}${path}`, { method, headers: { Authorization: `Bearer ${mallory.accessToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    await as(`/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, {}, 'POST');
    await client.syncNow();

    const db = client.core.services.db;
    const file = join(client.dataDir, 'plenary.sqlite');
    const quarantinePages = () =>
      db.prepare("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN (SELECT name FROM sqlite_schema WHERE tbl_name = 'sync_quarantine')").pluck().get() as number;
    const storeBytes = () => {
      db.pragma('wal_checkpoint(TRUNCATE)');
      return statSync(file).size;
    };
    const rows = () => db.prepare('SELECT count(*) FROM sync_quarantine').pluck().get() as number;
    const logLines = () => client.logs.filter((r) => r.message === 'quarantined a governance event' || r.message === 'refused remote governance operations').length;
    const [pages0, store0, rows0, lines0] = [quarantinePages(), storeBytes(), rows(), logLines()];

    for (let i = 0; i < events; i++) {
      const close: Operation = { id: newId(), hlc: `${Date.now()}-000000-mallory`, actor: alice.userId, circle, type: 'vote.close', payload: { voteId: newId() }, v: 1 };
      const content = encodeOpsContent(newId(), circle, Array.from({ length: opsPerEvent }, () => close));
      const response = await as(`/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/${opsEventType}/forged-${i}`, content);
      if (!response.ok) throw new Error(`sending a forged event failed: ${response.status} ${await response.text()}`);
    }
    while (rows() - rows0 < events) await client.syncNow();

    report.add('sync.quarantine_bytes_per_forged_event', (quarantinePages() - pages0) / events, 'bytes');
    report.add('sync.quarantine_rows_per_forged_event', (rows() - rows0) / events, 'rows');
    report.add('sync.quarantine_log_lines_per_forged_event', (logLines() - lines0) / events, 'lines');
    report.add('sync.store_bytes_per_forged_event', (storeBytes() - store0) / events, 'bytes');
  } finally {
    await client.close();
    await server.stop();
  }
}
