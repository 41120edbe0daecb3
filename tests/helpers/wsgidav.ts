// A real WebDAV server for tests: WsgiDAV (PyPI), installed once into a cache folder like
// Synapse (tests/helpers/synapse.ts), then started on 127.0.0.1 on a free port over a
// temporary folder. If Python or pip cannot provide it the test fails with the install
// hint; it never skips.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from './paths';
import { freePort } from './free-port';

export const wsgidavVenv = join(cacheDir, 'wsgidav-venv');
const python = join(wsgidavVenv, 'bin/python');
const installHint =
  'WsgiDAV is required for this test. Install it once with:\n' +
  `  python3 -m venv ${wsgidavVenv} && ${wsgidavVenv}/bin/pip install wsgidav cheroot\n` +
  '(.ci/run does this; needs python3 with venv and access to PyPI)';

function wsgidavInstalled(): boolean {
  if (!existsSync(python)) return false;
  try {
    execFileSync(python, ['-c', 'import wsgidav, cheroot'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Installs WsgiDAV into the cache folder if it is not there yet. Safe to call from several processes. */
export function ensureWsgidav(): void {
  if (wsgidavInstalled()) return;
  mkdirSync(cacheDir, { recursive: true });
  const lock = join(cacheDir, 'wsgidav-install.lock');
  let fd: number;
  try {
    fd = openSync(lock, 'wx');
  } catch {
    for (let i = 0; i < 600 && !wsgidavInstalled(); i++) execFileSync('sleep', ['1']);
    if (wsgidavInstalled()) return;
    throw new Error(`Timed out waiting for another process to install WsgiDAV.\n${installHint}`);
  }
  try {
    execFileSync('python3', ['-m', 'venv', wsgidavVenv], { stdio: 'inherit' });
    execFileSync(join(wsgidavVenv, 'bin/pip'), ['install', '--quiet', 'wsgidav', 'cheroot'], { stdio: 'inherit', timeout: 600_000 });
  } catch (error) {
    throw new Error(`Installing WsgiDAV failed: ${(error as Error).message}\n${installHint}`, { cause: error });
  } finally {
    closeSync(fd);
    rmSync(lock, { force: true });
  }
  if (!wsgidavInstalled()) throw new Error(`WsgiDAV did not install.\n${installHint}`);
}

export interface WsgidavServer {
  /** http://127.0.0.1:<port>: WebDAV paths are the share-relative ones ("/ana/Documents/"). */
  url: string;
  /** The folder it serves. */
  root: string;
  stop(): Promise<void>;
}

/**
 * Serves `root` read-write without authentication on loopback (the NextCloud test server in
 * front of it checks app passwords). `mountPath` is the prefix WsgiDAV writes into hrefs, as
 * a reverse proxy that strips it would have it.
 */
export async function startWsgidav(root: string, mountPath: string, configDir: string): Promise<WsgidavServer> {
  ensureWsgidav();
  const port = await freePort();
  const config = join(configDir, 'wsgidav.json');
  writeFileSync(
    config,
    JSON.stringify({
      host: '127.0.0.1',
      port,
      mount_path: mountPath,
      provider_mapping: { '/': root },
      http_authenticator: { domain_controller: null, accept_basic: true, accept_digest: false, default_to_digest: false },
      simple_dc: { user_mapping: { '*': true } },
      verbose: 1,
      logging: { enable_loggers: [] },
      property_manager: true,
      lock_storage: true,
      dir_browser: { enable: false },
    }),
  );
  const child: ChildProcess = spawn(join(wsgidavVenv, 'bin/wsgidav'), ['-c', config], { cwd: configDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 30_000;
  // Wait for it to answer (a started process is not yet a listening one).
  for (;;) {
    try {
      const response = await fetch(`${url}/`, { method: 'PROPFIND', headers: { Depth: '0' } });
      await response.text();
      break;
    } catch {
      if (child.exitCode !== null) throw new Error(`WsgiDAV exited (${child.exitCode}) before answering:\n${output}`);
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`WsgiDAV did not answer on ${url} within 30 s:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    url,
    root,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
