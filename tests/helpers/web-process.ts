// Runs `npm run start:web`'s entry point (main/bridge/start-web.ts) as a child process on a
// data folder and a free port, as a member would, and reads the address it prints. For tests
// that need the real process: its exit, its memory, what it does at start with a bad store.
// Imports nothing from main/: the process is the thing under test.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port';
import { rendererDir, repoRoot } from './paths';

export interface WebProcess {
  child: ChildProcess;
  port: number;
  token: string;
  /** The page address with the token, as printed. */
  url: string;
  output(): string;
  /** Resident memory of the process in MB, from /proc. */
  rssMb(): number;
  stop(): Promise<number | null>;
}

export async function startWebProcess(dataDir: string, env: Record<string, string> = {}): Promise<WebProcess> {
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error(`No built renderer in ${rendererDir}. Run "npm run build:renderer" first (npm test does).`);
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/bridge/start-web.ts'], {
    cwd: repoRoot,
    env: { ...process.env, PLENARY_DATA_DIR: dataDir, PLENARY_PORT: String(port), PLENARY_COOP_CONFIG: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const look = () => {
      const match = /(http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+)/.exec(out);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', look);
    child.once('exit', (code) => reject(new Error(`start-web.ts exited (${code}) before printing its address:\n${out}`)));
  });
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
  return {
    child,
    port,
    token: url.slice(url.indexOf('#token=') + 7),
    url,
    output: () => out,
    rssMb: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
