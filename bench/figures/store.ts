// Store safety figures (issue: nothing lost on the member's computer):
//   store.backup_1m_s      back up a store of 1,000,000 contributions with data.backupNow (goal <= 5)
//   store.backup_stall_ms  the longest a core call made every 10 ms during that backup waited
//                          for its answer (goal <= 50): the backup copies 64 pages a step and
//                          the event loop gets a turn between steps.
// In a child process, like the other 1M figures, so its memory and event loop are its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Report } from '../report';

export async function run(report: Report): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'plenary-bench-store-'));
  try {
    const child = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'store-backup-worker.ts'), dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (child.status !== 0) throw new Error(`the 1,000,000-contribution backup benchmark failed (exit ${child.status})`);
    const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as { backupS: number; stallMs: number };
    report.add('store.backup_1m_s', result.backupS, 's');
    report.add('store.backup_stall_ms', result.stallMs, 'ms');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
