// Governance sync through a real Synapse:
// - sync.upload_10k_s: 10,000 operations from one client's outbox to a second client's
//   materialized state (relaxed rate limits);
// - sync.batched_vs_naive: the same operations sent one event per operation through
//   matrix-js-sdk, divided by the batched time (goal >= 20). Sending 10,000 single events
//   takes minutes, so PLENARY_BENCH_NAIVE_OPS (default 2,000) of them are timed and the rate
//   is scaled to 10,000; the line printed says how many were sent;
// - sync.default_limits_10k_s: the same 10,000 under Synapse's default rate limits (goal <= 60 s);
// - sync.bytes_per_op: bytes on the wire from the uploading client to the server, per
//   operation, counted by a TCP proxy between them during the upload.
import { createClient } from 'matrix-js-sdk';
import { SynapseServer } from '../../tests/helpers/synapse';
import { TcpProxy } from '../../tests/helpers/tcp-proxy';
import { startPlenaryClient, type PlenaryClient } from '../../tests/helpers/plenary-client';
import { seedCircle, seedContributions } from '../../tests/helpers/governance-seed';
import { encodeOpsContent } from '../../main/core/sync/ops-event';
import type { Report } from '../report';
import type { Operation } from '../../shared/governance/operation';

const total = 10_000;

async function uploadToSecondClient(rateLimits: 'relaxed' | 'default'): Promise<{ seconds: number; bytesUp: number; ops: Operation[] }> {
  const server = await SynapseServer.start({ rateLimits });
  const proxy = await TcpProxy.start(Number(new URL(server.baseUrl).port));
  const [alice, bob] = [await server.register('alice'), await server.register('bob')];
  const clients: PlenaryClient[] = [];
  try {
    const a = await startPlenaryClient('bench-a', { pollTimeoutMs: 1_000 });
    const b = await startPlenaryClient('bench-b', { pollTimeoutMs: 1_000 });
    clients.push(a, b);
    await a.call('matrix.signInWithPassword', { homeserverUrl: proxy.url, user: 'alice', password: alice.password });
    const circle = seedCircle(a.core.services.governance, alice.userId, [bob.userId]);
    await a.syncNow();
    await b.signIn(server, bob);
    while (b.core.services.governance.opCount() < 3) await b.syncNow();
    await a.call('matrix.disconnect');
    seedContributions(a.core.services.governance, circle, alice.userId, total, 3);
    const ops = a.core.services.governance.opsSince(3, total).map((s) => s.op as Operation);
    const target = total + 3;
    proxy.bytesUp = 0;
    const started = performance.now();
    await a.syncNow();
    while (b.core.services.governance.opCount() < target) {
      await b.syncNow();
      if (a.core.services.sync.view().pending > 0) await a.syncNow();
    }
    const seconds = (performance.now() - started) / 1000;
    return { seconds, bytesUp: proxy.bytesUp, ops };
  } finally {
    for (const client of clients) await client.close();
    await proxy.close();
    await server.stop();
  }
}

async function naiveSeconds(ops: Operation[], count: number): Promise<number> {
  const server = await SynapseServer.start({ rateLimits: 'relaxed' });
  try {
    const user = await server.register('naive');
    const client = createClient({ baseUrl: server.baseUrl, accessToken: user.accessToken, userId: user.userId, deviceId: user.deviceId });
    const { room_id: roomId } = await client.createRoom({});
    const sample = ops.slice(0, count);
    const started = performance.now();
    for (const [i, op] of sample.entries()) {
      await client.sendEvent(roomId, 'coop.meet.plenary.ops' as never, encodeOpsContent(`naive${i}`, op.circle, [op]) as never, `naive-${i}`);
    }
    return ((performance.now() - started) / 1000) * (total / sample.length);
  } finally {
    await server.stop();
  }
}

export async function run(report: Report): Promise<void> {
  const relaxed = await uploadToSecondClient('relaxed');
  report.add('sync.upload_10k_s', relaxed.seconds, 's');
  report.add('sync.bytes_per_op', relaxed.bytesUp / total, 'bytes');
  const naiveCount = Number(process.env.PLENARY_BENCH_NAIVE_OPS ?? 2_000);
  const naive = await naiveSeconds(relaxed.ops, naiveCount);
  report.add('sync.naive_sample_ops', naiveCount, 'ops');
  report.add('sync.naive_10k_s', naive, 's');
  report.add('sync.batched_vs_naive', naive / relaxed.seconds, 'x');
  const limited = await uploadToSecondClient('default');
  report.add('sync.default_limits_10k_s', limited.seconds, 's');
}
