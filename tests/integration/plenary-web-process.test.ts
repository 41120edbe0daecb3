// The helper end-to-end tests start Plenary with: `npm run start:web` as a child process,
// as a member runs it. It hands back the printed address, restarts on the same data, fails
// with the process's own output, and leaves no process behind after stop() or kill().
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startPlenaryWeb, stopAllPlenaryWeb } from '../helpers/plenary-web-process';
import { freePort } from '../helpers/free-port';

afterAll(() => stopAllPlenaryWeb());

/** Processes whose environment names this data folder (every process of one started app), with that environment. */
function processesWithEnvironment(dataDir: string): { process: string; env: string[] }[] {
  const wanted = `PLENARY_DATA_DIR=${dataDir}`;
  const found: { process: string; env: string[] }[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const env = readFileSync(join('/proc', pid, 'environ'), 'utf8').split('\0');
      if (env.includes(wanted)) found.push({ process: `${pid} ${readFileSync(join('/proc', pid, 'cmdline'), 'utf8').replaceAll('\0', ' ')}`, env });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

const processesUsing = (dataDir: string) => processesWithEnvironment(dataDir).map((p) => p.process);

async function pageAnswers(url: string): Promise<boolean> {
  try {
    return (await fetch(new URL('/', url))).ok;
  } catch {
    return false;
  }
}

describe('npm run start:web as a child process', () => {
  it('prints its address on the requested port and serves the page; stop() ends every process', async () => {
    const port = await freePort();
    const app = await startPlenaryWeb({ port });
    expect(app.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/#token=[A-Za-z0-9_-]{43}$`));
    expect(app.port).toBe(port);
    expect(app.output()).toContain(`Data folder: ${app.dataDir}`);
    expect(await pageAnswers(app.url)).toBe(true);
    // npm, the shell, tsx and node all run with the data folder in their environment, and
    // without what vitest adds to the test's own (a member's shell has none of it).
    const processes = processesWithEnvironment(app.dataDir);
    expect(processes.length).toBeGreaterThanOrEqual(2);
    for (const { process, env } of processes) {
      expect(env.filter((v) => v === 'NODE_ENV=test' || v.startsWith('VITEST') || v.startsWith('TEST=')), process).toEqual([]);
    }

    await app.stop();
    expect(processesUsing(app.dataDir)).toEqual([]);
    expect(await pageAnswers(app.url)).toBe(false);
  });

  it('restarts on the same data folder after a crash, and kill() ends every process', async () => {
    const first = await startPlenaryWeb();
    await first.kill();
    expect(processesUsing(first.dataDir)).toEqual([]);

    const second = await startPlenaryWeb({ dataDir: first.dataDir });
    expect(second.dataDir).toBe(first.dataDir);
    expect(second.url).not.toBe(first.url);
    expect(await pageAnswers(second.url)).toBe(true);
    await second.stop();
    expect(processesUsing(first.dataDir)).toEqual([]);
  });

  it('fails with what the process printed when it exits before printing an address', async () => {
    const attempt = startPlenaryWeb({ env: { PLENARY_STATIC_DIR: '/nonexistent/plenary-renderer' } });
    await expect(attempt).rejects.toThrow(/exited \(code 1\) before printing its address[\s\S]*no built renderer in \/nonexistent\/plenary-renderer/);
  });

  it('gives up when no address comes in time, ending every process it started', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'plenary-e2e-late-'));
    try {
      await expect(startPlenaryWeb({ dataDir, startTimeoutMs: 1 })).rejects.toThrow(/printed no address within 1 ms[\s\S]*Output:/);
      expect(processesUsing(dataDir)).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
