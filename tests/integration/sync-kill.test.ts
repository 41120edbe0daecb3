// The sync process is killed with SIGKILL at random points during a 5,000-operation upload,
// at least 20 times, and restarted each time from its data folder. Every operation must
// end up on the server exactly once (batches are persisted before sending and resent with
// the same transaction id), and a member reading the room converges to the same state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { TcpProxy } from '../helpers/tcp-proxy';
import { clearCircleRooms, converge, startPlenaryClient, type PlenaryClient } from '../helpers/plenary-client';
import { seedCircle, seedContributions } from '../helpers/governance-seed';
import { duplicates, operationIdsInRoom } from '../helpers/room-ops';
import { FileSecretStore } from '../../main/core/secrets/secret-store.file';
import { repoRoot } from '../helpers/paths';

let server: SynapseServer;
let proxy: TcpProxy;
let alice: RegisteredUser;
let bob: RegisteredUser;
const clients: PlenaryClient[] = [];

beforeAll(async () => {
  // Relaxed rate limits: it kills the syncing process at many points of an upload; what is proven is that nothing is lost or doubled. Waiting out 429s under Synapse's defaults is proven in
  // sync-rate-limits.test.ts and the sync tests that run with the default limits.
  server = await SynapseServer.start({ rateLimits: 'relaxed' });
  // Latency makes each event take a while, so kills land in the middle of requests.
  proxy = await TcpProxy.start(Number(new URL(server.baseUrl).port));
  proxy.delay(60);
  alice = await server.register('alice');
  bob = await server.register('bob');
});

afterAll(async () => {
  for (const client of clients) await client.close();
  await proxy?.close();
  await server?.stop();
});

type Run = { killed: boolean; finished: boolean; lines: string[] };

function runChild(dataDir: string, killAfterMs: number | null): Promise<Run> {
  return new Promise((resolve) => {
    // node itself (not the tsx wrapper, which runs the script in a grandchild) so SIGKILL
    // hits the process that does the work.
    const child = spawn(join(repoRoot, 'node_modules/.bin/node'), ['--import', 'tsx', 'tests/fixtures/sync-child.ts', dataDir, join(dataDir, 'coop.json')], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const run: Run = { killed: false, finished: false, lines: [] };
    let timer: ReturnType<typeof setTimeout> | null = null;
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        run.lines.push(line);
        if (line === 'done') run.finished = true;
        // Start the countdown once the upload is under way.
        if (killAfterMs !== null && timer === null && line.includes('"uploading"')) {
          timer = setTimeout(() => {
            run.killed = child.kill('SIGKILL');
          }, killAfterMs);
        }
      }
    });
    child.stderr.on('data', () => {});
    child.on('exit', () => {
      if (timer) clearTimeout(timer);
      resolve(run);
    });
  });
}

describe('sync killed mid-upload', () => {
  it("puts every operation on the server exactly once across 20+ SIGKILLs, and replicas converge", { timeout: 900_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'plenary-kill-'));
    // The child process creates the circle's room: it reads the same clear-rooms coop.json.
    writeFileSync(join(dataDir, 'coop.json'), JSON.stringify(clearCircleRooms(server)));
    // Circle rooms in the clear: the test counts the operations on the server through the raw API, which cannot read encrypted ones (encrypted circle rooms are tests/integration/sync-encrypted-circle and sync-key-bundles).
    const seeder = await startPlenaryClient('alice-seed', { coop: clearCircleRooms(server), dataDir, secrets: new FileSecretStore(join(dataDir, 'secrets.json')) });
    await seeder.call('matrix.signInWithPassword', { homeserverUrl: proxy.url, user: 'alice', password: alice.password });
    await seeder.call('matrix.disconnect');
    const store = seeder.core.services.governance;
    const circle = seedCircle(store, alice.userId, [bob.userId]);
    seedContributions(store, circle, alice.userId, 5000, 42);
    const expected = (store.db.prepare('SELECT id FROM ops').all() as { id: string }[]).map((r) => r.id).sort();
    await seeder.close({ keepData: true });

    let kills = 0;
    let random = 12345;
    for (let attempt = 0; kills < 20 && attempt < 80; attempt++) {
      random = (random * 48271) % 2147483647;
      const started = Date.now();
      const run = await runChild(dataDir, random % 1500);
      if (process.env.PLENARY_TEST_DEBUG) console.log(`run ${attempt}: ${Date.now() - started} ms, killed ${run.killed}, last ${run.lines.at(-1)}`);
      if (run.killed && !run.finished) kills++;
      if (run.finished) break;
    }
    expect(kills).toBeGreaterThanOrEqual(20);
    const last = await runChild(dataDir, null);
    expect(last.finished).toBe(true);

    const roomId = (await (async () => {
      const reader = await startPlenaryClient('alice-read', { coop: clearCircleRooms(server), dataDir, secrets: new FileSecretStore(join(dataDir, 'secrets.json')) });
      const id = reader.core.services.sync.rooms.roomOf(circle);
      clients.push(reader);
      return id;
    })())!;
    const batches = new Map<string, string[]>();
    const onServer = await operationIdsInRoom(server.baseUrl, alice.accessToken, roomId, batches);
    if (process.env.PLENARY_TEST_DEBUG) {
      const repeated = [...batches].filter(([, events]) => events.length > 1);
      console.log(`events ${[...batches.values()].flat().length}, batches ${batches.size}, batches sent twice ${repeated.length}`, JSON.stringify(repeated.slice(0, 3)));
    }
    expect(duplicates(onServer)).toEqual([]);
    expect([...onServer].sort()).toEqual(expected);

    const member = await startPlenaryClient('bob', { coop: clearCircleRooms(server), pollTimeoutMs: 500 });
    clients.push(member);
    await member.signIn(server, bob);
    await converge([clients[0]!, member]);
    expect(member.core.services.governance.opCount()).toBe(expected.length);
  });
});
