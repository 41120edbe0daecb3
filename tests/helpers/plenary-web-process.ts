// Starts Plenary for end-to-end tests exactly as a member does: `npm run start:web` in the
// repository, as a child process, on its own data folder (PLENARY_DATA_DIR), with the file
// secret store start-web.ts uses, on PLENARY_PORT. Tests read the address it prints and
// drive it through a browser only; nothing here reaches into the core.
//
// The child runs in its own process group (npm, sh, tsx and node), so stop() and kill()
// signal all of them at once. Every process started here is stopped, and every data folder
// made here removed, by stopAllPlenaryWeb(), which tests/helpers/plenary-web-cleanup.ts
// runs after each e2e file (also when a test failed).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { repoRoot } from './paths';

export interface PlenaryWebOptions {
  /** The data folder; a fresh temporary one unless given (pass an earlier app's dataDir to restart on its data). */
  dataDir?: string;
  /** PLENARY_PORT; 0 (the default) lets the system pick a free port, which the printed address names. */
  port?: number;
  /** PLENARY_COOP_CONFIG: a coop.json to use. */
  coopConfig?: string;
  /** More environment variables for the child. */
  env?: Record<string, string>;
  /** How long to wait for the printed address before failing (default 90 s: a stale renderer is rebuilt first). */
  startTimeoutMs?: number;
}

export interface PlenaryWebProcess {
  /** The address as printed, with its token: http://127.0.0.1:<port>/#token=… */
  url: string;
  port: number;
  dataDir: string;
  /** Everything the process wrote so far (stdout and stderr, in order). */
  output(): string;
  /** Quits as Ctrl+C would (SIGTERM to the group) and waits until every process exited; SIGKILL if that takes too long. */
  stop(): Promise<void>;
  /** Crashes it: SIGKILL to the whole group, then waits until every process exited. */
  kill(): Promise<void>;
}

const printedAddress = /http:\/\/127\.0\.0\.1:(\d+)\/#token=[^\s]+/;
const stopBoundMs = 15_000;

/** A started `npm run start:web`: its process group and whether every process in it has exited. */
interface Started {
  child: ChildProcess;
  /** Resolves once npm exited and every process holding its output pipes (sh, tsx, node) closed them. */
  gone: Promise<void>;
  /** Set once the whole group is known to be gone: its id may then be reused, so it is never signalled again. */
  ended: boolean;
}

const running = new Set<Started>();
const madeFolders = new Set<string>();

function signalGroup(started: Started, signal: NodeJS.Signals): void {
  if (started.ended) return;
  try {
    // A negative pid addresses the process group the detached child leads.
    process.kill(-started.child.pid!, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

function groupAlive(started: Started): boolean {
  if (started.ended) return false;
  try {
    process.kill(-started.child.pid!, 0);
    return true;
  } catch {
    return false;
  }
}

function goneWithin(started: Started, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  return Promise.race([started.gone.then(() => true), late]).finally(() => clearTimeout(timer));
}

/** Checks the group until it is empty; nothing announces that, so it is looked at every 50 ms. */
async function groupEmptyWithin(started: Started, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (groupAlive(started)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

async function endGroup(started: Started, signal: NodeJS.Signals): Promise<void> {
  signalGroup(started, signal);
  if (!(await goneWithin(started, stopBoundMs)) && signal !== 'SIGKILL') {
    signalGroup(started, 'SIGKILL');
    await goneWithin(started, stopBoundMs);
  }
  // A process that closed its copy of the pipes could outlive the others (or be an exited
  // process its parent has not reaped yet): kill what is left and wait until nothing is.
  if (groupAlive(started)) {
    signalGroup(started, 'SIGKILL');
    await groupEmptyWithin(started, stopBoundMs);
  }
  started.ended = !groupAlive(started);
  if (!started.ended) throw new Error(`processes of group ${started.child.pid} (npm run start:web) survived SIGKILL`);
  running.delete(started);
}

/**
 * The test process's environment without what vitest adds (NODE_ENV=test, TEST, VITEST_*):
 * a member's shell has none of it, and NODE_ENV=test would, for one, make a renderer
 * rebuild bundle React's development build.
 */
function memberEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  if (env.NODE_ENV === 'test') delete env.NODE_ENV;
  delete env.TEST;
  for (const name of Object.keys(env)) if (name.startsWith('VITEST')) delete env[name];
  return env;
}

export async function startPlenaryWeb(options: PlenaryWebOptions = {}): Promise<PlenaryWebProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'plenary-e2e-'));
  if (!options.dataDir) madeFolders.add(dataDir);
  const env: NodeJS.ProcessEnv = {
    ...memberEnvironment(),
    // The project's own Node first, as npm scripts have it (system Node cannot load better-sqlite3).
    PATH: [join(repoRoot, 'node_modules/.bin'), process.env.PATH].join(delimiter),
    PLENARY_DATA_DIR: dataDir,
    PLENARY_PORT: String(options.port ?? 0),
    ...(options.coopConfig ? { PLENARY_COOP_CONFIG: options.coopConfig } : {}),
    ...options.env,
  };
  const child = spawn('npm', ['run', 'start:web'], { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const started: Started = { child, ended: false, gone: new Promise((resolve) => child.once('close', () => resolve())) };
  running.add(started);
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));

  const timeoutMs = options.startTimeoutMs ?? 90_000;
  const address = await new Promise<{ url: string; port: number } | { failure: string }>((resolve) => {
    const check = () => {
      const match = printedAddress.exec(output);
      if (match) finish({ url: match[0], port: Number(match[1]) });
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      finish({ failure: `npm run start:web exited (${signal ?? `code ${code}`}) before printing its address` });
    const timer = setTimeout(() => finish({ failure: `npm run start:web printed no address within ${timeoutMs} ms` }), timeoutMs);
    const finish = (result: { url: string; port: number } | { failure: string }) => {
      clearTimeout(timer);
      child.stdout!.off('data', check);
      child.off('exit', onExit);
      child.off('error', onError);
      resolve(result);
    };
    const onError = (error: Error) => finish({ failure: `npm run start:web could not be started: ${error.message}` });
    child.stdout!.on('data', check);
    child.once('exit', onExit);
    child.once('error', onError);
    check();
  });
  if ('failure' in address) {
    if (child.pid === undefined) running.delete(started);
    else await endGroup(started, 'SIGKILL');
    throw new Error(`${address.failure}.\nData folder: ${dataDir}\nOutput:\n${output}`);
  }

  return {
    url: address.url,
    port: address.port,
    dataDir,
    output: () => output,
    stop: () => endGroup(started, 'SIGTERM'),
    kill: () => endGroup(started, 'SIGKILL'),
  };
}

/** Stops every app this module started and removes the data folders it made. */
export async function stopAllPlenaryWeb(): Promise<void> {
  await Promise.all([...running].map((started) => endGroup(started, 'SIGTERM')));
  for (const folder of madeFolders) rmSync(folder, { recursive: true, force: true });
  madeFolders.clear();
}

// Last resort if the test process exits without its afterAll hooks (a crash, an exit call):
// no app may outlive it. Only synchronous work is possible here.
process.once('exit', () => {
  for (const started of running) signalGroup(started, 'SIGKILL');
});

/**
 * A coop.json (its path, for coopConfig) whose circle rooms are created in the clear
 * whatever the default, for tests whose other member reads circle rooms without crypto.
 */
export function clearCircleRoomsCoopConfig(homeserver: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'plenary-coop-')), 'coop.json');
  writeFileSync(file, JSON.stringify({ version: 1, coop: { name: 'Test coop' }, matrix: { homeserver, encryptCircleRooms: false } }));
  return file;
}
