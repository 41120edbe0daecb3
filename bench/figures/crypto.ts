// End-to-end encryption figures (issue 17):
//   crypto.restart_ms     a fresh process opening this device's crypto store (WebAssembly
//                         loaded, the snapshot file restored into IndexedDB, the OlmMachine
//                         open), with room keys for 200 rooms in it; median of 5 (goal <= 500)
//   crypto.store_kb       that store's snapshot file on disk
//   crypto.decrypt_1k_serial_ms  the engine alone decrypting 1,000 encrypted messages, in pages
//                         of 50 (the chat's page size; a /sync timeline is decrypted the same
//                         way), each page one decryptBatch as sync and back-fill call it, one
//                         page after another; every message must decrypt. All 1,000 come from
//                         one room key (indexes 0 to 999: the longest ratchet walks; Element
//                         rotates every 100). Median of 5. This is the Rust crypto's throughput,
//                         which a member meets when a long back-log is read back; opening a
//                         room of 1,000 encrypted messages (chat.decrypt_1k_ms, the issue's
//                         figure) is measured in chat-encrypted-open.ts, against Synapse.
//   crypto.decrypt_1k_serial_cpu_ms  the CPU time this process spent on those same runs
//                         (median of 5): on a shared machine the wall-clock figure also counts
//                         waiting for a core
//   crypto.encrypt_ms     encrypting one message in a room whose key is already shared
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backfillPageSize } from '../../main/core/chat/backfill';
import { CryptoEngine } from '../../main/core/crypto/crypto-engine';
import { createLogger, memorySink } from '../../main/core/log';
import type { MatrixRawEvent } from '../../main/core/matrix/matrix-connection';
import { median, type Report } from '../report';

const userId = '@ana:meet.coop';
const deviceId = 'BENCHDEVICE';

/** What a homeserver answers to the machine's own requests (no other member). */
function request<T>(_method: string, path: string): Promise<T> {
  if (path.endsWith('/keys/upload')) return Promise.resolve({ one_time_key_counts: { signed_curve25519: 50 } } as T);
  if (path.endsWith('/keys/query')) return Promise.resolve({ device_keys: { [userId]: {} }, failures: {} } as T);
  return Promise.resolve({} as T);
}

export async function run(report: Report): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'plenary-bench-crypto-'));
  const storePath = join(dir, 'matrix-crypto.store');
  try {
    const engine = await CryptoEngine.open({ userId, deviceId, storePath, passphrase: 'bench-passphrase', log: createLogger('bench', memorySink().sink), request });
    for (let i = 0; i < 200; i++) {
      const roomId = `!room${i}:meet.coop`;
      await engine.setRoomEncryption(roomId, { algorithm: 'm.megolm.v1.aes-sha2', rotationPeriodMs: null, rotationPeriodMessages: null });
      await engine.encrypt(roomId, 'm.room.message', { msgtype: 'm.text', body: `hello ${i}` }, [userId], 'shared');
    }
    // A room of 1,000 encrypted messages, as the server would hand them back.
    const roomId = '!room0:meet.coop';
    const events: MatrixRawEvent[] = [];
    const encryptTimes: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const started = performance.now();
      const content = await engine.encrypt(roomId, 'm.room.message', { msgtype: 'm.text', body: `Message ${i} about the budget and the server.` }, [userId], 'shared');
      encryptTimes.push(performance.now() - started);
      events.push({ event_id: `$e${i}`, room_id: roomId, type: 'm.room.encrypted', sender: userId, origin_server_ts: 1_700_000_000_000 + i, content });
    }
    report.add('crypto.encrypt_ms', median(encryptTimes), 'ms');
    const decryptRuns: number[] = [];
    const decryptCpu: number[] = [];
    for (let run = 0; run < 5; run++) {
      const started = performance.now();
      const cpu = process.cpuUsage();
      for (let start = 0; start < events.length; start += backfillPageSize) {
        const page = events.slice(start, start + backfillPageSize);
        const results = await engine.decryptBatch(roomId, page);
        results.forEach((result, i) => {
          if (!result.decrypted || result.event.event_id !== page[i]!.event_id) throw new Error(`bench event ${page[i]!.event_id} did not decrypt: ${result.reason}`);
        });
      }
      decryptRuns.push(performance.now() - started);
      const used = process.cpuUsage(cpu);
      decryptCpu.push((used.user + used.system) / 1000);
    }
    report.add('crypto.decrypt_1k_serial_ms', median(decryptRuns), 'ms');
    report.add('crypto.decrypt_1k_serial_cpu_ms', median(decryptCpu), 'ms');
    await engine.close();
    report.add('crypto.store_kb', statSync(storePath).size / 1024, 'KB');

    const restarts: number[] = [];
    for (let run = 0; run < 5; run++) {
      const child = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'crypto-restart-worker.ts'), storePath, userId, deviceId], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as { ms: number; deviceId: string };
      if (result.deviceId !== deviceId) throw new Error('the restarted store is another device');
      restarts.push(result.ms);
    }
    report.add('crypto.restart_ms', median(restarts), 'ms');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
