// Child process of bench/figures/store.ts: builds a store of 1,000,000 contributions, opens
// it with the real core, and backs it up through data.backupNow (SQLite's online backup in
// small steps) while a call is made every 10 ms, as a page polling the core would. Prints
// one JSON line: how long the backup took, and the longest any of those calls waited for its
// answer, counted from when it was due.
import { join } from 'node:path';
import { openDatabase } from '../../main/core/store/database';
import { createCore } from '../../main/core/app-core';
import { createLogger } from '../../main/core/log';
import { MemorySecretStore } from '../../main/core/secrets/secret-store';
import { build1mContributions } from './governance-1m-store';

const dataDir = process.argv[2]!;
const db = openDatabase(join(dataDir, 'plenary.sqlite'));
const buildS = build1mContributions(db);
db.close();

const core = createCore({
  dataDir,
  runtime: 'web',
  secrets: new MemorySecretStore(),
  log: createLogger('bench', () => {}),
  // The daily backup must not start by itself during the measurement.
  backups: { firstCheckMs: 24 * 60 * 60 * 1000 },
});
if (core.state !== 'ready') throw new Error('the benchmark store did not open');
const call = async (channel: string) => {
  const outcome = await core.dispatch(channel, {}, { transport: 'test' });
  if (!outcome.ok) throw new Error(`${channel} failed: ${outcome.error.message}`);
  return outcome.value;
};
await call('governance.circles');

const periodMs = 10;
let running = true;
let longestStallMs = 0;
let calls = 0;
/** Makes a call every 10 ms until the backup ends; resolves after the last one. */
const polling = (async () => {
  let due = performance.now() + periodMs;
  while (running) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    await call('governance.circles');
    longestStallMs = Math.max(longestStallMs, performance.now() - due);
    calls++;
    due = performance.now() + periodMs;
  }
})();

const started = performance.now();
const backup = (await call('data.backupNow')) as { sizeBytes: number };
const backupS = (performance.now() - started) / 1000;
running = false;
await polling;
core.close();
process.stderr.write(`backup: ${(backup.sizeBytes / 1e6).toFixed(0)} MB, ${calls} calls answered during it\n`);
console.log(JSON.stringify({ backupS, stallMs: longestStallMs, buildS, calls }));
