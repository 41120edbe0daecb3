// A real Synapse homeserver for tests. Installs matrix-synapse from PyPI into a cache
// folder once, then starts fresh throwaway homeservers on 127.0.0.1 with either Synapse's
// default rate limits or relaxed ones, registers users through the shared-secret admin
// API, and stops them cleanly. If Python or pip cannot provide Synapse the test fails with
// the install hint; it never skips.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, openSync, closeSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheDir } from './paths';
import { freePort } from './free-port';

export const synapseVenv = join(cacheDir, 'synapse-venv');
const python = join(synapseVenv, 'bin/python');
const installHint =
  'Synapse is required for this test. Install it once with:\n' +
  `  python3 -m venv ${synapseVenv} && ${synapseVenv}/bin/pip install matrix-synapse\n` +
  '(.ci/run does this; needs python3 with venv and access to PyPI)';

function synapseInstalled(): boolean {
  if (!existsSync(python)) return false;
  try {
    execFileSync(python, ['-c', 'import synapse'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Installs Synapse into the cache folder if it is not there yet. Safe to call from several processes. */
export function ensureSynapse(): void {
  if (synapseInstalled()) return;
  mkdirSync(cacheDir, { recursive: true });
  const lock = join(cacheDir, 'synapse-install.lock');
  let fd: number;
  try {
    fd = openSync(lock, 'wx');
  } catch {
    // Another process is installing; wait for it.
    for (let i = 0; i < 600 && !synapseInstalled(); i++) execFileSync('sleep', ['1']);
    if (synapseInstalled()) return;
    throw new Error(`Timed out waiting for another process to install Synapse.\n${installHint}`);
  }
  try {
    execFileSync('python3', ['-m', 'venv', synapseVenv], { stdio: 'inherit' });
    execFileSync(join(synapseVenv, 'bin/pip'), ['install', '--quiet', 'matrix-synapse'], { stdio: 'inherit', timeout: 900_000 });
  } catch (error) {
    throw new Error(`Installing Synapse failed: ${(error as Error).message}\n${installHint}`, { cause: error });
  } finally {
    closeSync(fd);
    rmSync(lock, { force: true });
  }
  if (!synapseInstalled()) throw new Error(`Synapse did not install.\n${installHint}`);
}

export type RateLimits = 'default' | 'relaxed';

export interface SynapseOptions {
  rateLimits?: RateLimits;
  /** Extra homeserver.yaml settings merged last. */
  extraConfig?: Record<string, unknown>;
}

export interface RegisteredUser {
  userId: string;
  localpart: string;
  password: string;
  accessToken: string;
  deviceId: string;
}

const relaxedLimit = { per_second: 10_000, burst_count: 100_000 };

/** Every rc_* Synapse knows, raised so tests are not throttled (the "relaxed" variant). */
export function relaxedRateLimits(): Record<string, unknown> {
  return {
    rc_message: relaxedLimit,
    rc_registration: relaxedLimit,
    rc_registration_token_validity: relaxedLimit,
    rc_login: { address: relaxedLimit, account: relaxedLimit, failed_attempts: relaxedLimit },
    rc_admin_redaction: relaxedLimit,
    rc_joins: { local: relaxedLimit, remote: relaxedLimit },
    rc_joins_per_room: relaxedLimit,
    rc_3pid_validation: relaxedLimit,
    rc_invites: { per_room: relaxedLimit, per_user: relaxedLimit, per_issuer: relaxedLimit },
    rc_third_party_invite: relaxedLimit,
    rc_media_create: relaxedLimit,
    rc_federation: { window_size: 1000, sleep_limit: 1000, sleep_delay: 1, reject_limit: 1000, concurrent: 1000 },
    rc_presence: { per_user: relaxedLimit },
    rc_delayed_event_mgmt: relaxedLimit,
    rc_reports: relaxedLimit,
    rc_room_creation: relaxedLimit,
  };
}

export class SynapseServer {
  private constructor(
    readonly baseUrl: string,
    readonly serverName: string,
    readonly dir: string,
    private readonly sharedSecret: string,
    private process: ChildProcess | null,
    readonly logFile: string,
  ) {}

  static async start(options: SynapseOptions = {}): Promise<SynapseServer> {
    ensureSynapse();
    const dir = mkdtempSync(join(tmpdir(), 'plenary-synapse-'));
    const port = await freePort();
    const serverName = 'localhost';
    const sharedSecret = randomBytes(24).toString('hex');
    const config = join(dir, 'homeserver.yaml');
    execFileSync(python, ['-m', 'synapse.app.homeserver', '--generate-config', '-H', serverName, '-c', config, '--report-stats=no', '--config-directory', dir, '--data-directory', dir], {
      cwd: dir,
      stdio: 'ignore',
    });
    const logFile = join(dir, 'synapse.log');
    const overrides: Record<string, unknown> = {
      server_name: serverName,
      public_baseurl: `http://127.0.0.1:${port}/`,
      listeners: [{ port, bind_addresses: ['127.0.0.1'], type: 'http', tls: false, x_forwarded: false, resources: [{ names: ['client'], compress: false }] }],
      database: { name: 'sqlite3', args: { database: join(dir, 'homeserver.db') } },
      enable_registration: true,
      enable_registration_without_verification: true,
      registration_shared_secret: sharedSecret,
      trusted_key_servers: [],
      report_stats: false,
      suppress_key_server_warning: true,
      presence: { enabled: false },
      url_preview_enabled: false,
      federation_domain_whitelist: [],
      send_federation: false,
      log_config: join(dir, 'log.yaml'),
      media_store_path: join(dir, 'media'),
      ...(options.rateLimits === 'default' ? {} : relaxedRateLimits()),
      ...options.extraConfig,
    };
    writeFileSync(
      join(dir, 'log.yaml'),
      [
        'version: 1',
        'formatters: {precise: {format: "%(asctime)s %(levelname)s %(name)s %(message)s"}}',
        `handlers: {file: {class: logging.FileHandler, formatter: precise, filename: ${JSON.stringify(logFile)}}}`,
        'root: {level: WARNING, handlers: [file]}',
        'disable_existing_loggers: false',
      ].join('\n'),
    );
    // JSON is valid YAML, and Synapse merges later -c files over earlier ones.
    const overridesFile = join(dir, 'overrides.yaml');
    writeFileSync(overridesFile, JSON.stringify(overrides, null, 2));
    const child = spawn(python, ['-m', 'synapse.app.homeserver', '-c', config, '-c', overridesFile], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    const server = new SynapseServer(`http://127.0.0.1:${port}`, serverName, dir, sharedSecret, child, logFile);
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) {
        const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
        throw new Error(`Synapse exited with code ${child.exitCode} while starting:\n${stderr}\n${log}`);
      }
      try {
        const response = await fetch(`${server.baseUrl}/health`);
        if (response.ok) return server;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    await server.stop();
    throw new Error(`Synapse did not become healthy within 120 s:\n${stderr}`);
  }

  /** Registers a user with the shared-secret admin API (GET a nonce, POST an HMAC-SHA1). */
  async register(localpart: string, options: { password?: string; admin?: boolean } = {}): Promise<RegisteredUser> {
    const password = options.password ?? `pw-${randomBytes(8).toString('hex')}`;
    const url = `${this.baseUrl}/_synapse/admin/v1/register`;
    const { nonce } = (await (await fetch(url)).json()) as { nonce: string };
    const mac = createHmac('sha1', this.sharedSecret)
      .update([nonce, localpart, password, options.admin ? 'admin' : 'notadmin'].join('\0'))
      .digest('hex');
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ nonce, username: localpart, password, admin: options.admin ?? false, mac }),
    });
    const body = (await response.json()) as { user_id: string; access_token: string; device_id: string; error?: string };
    if (!response.ok) throw new Error(`Registering ${localpart} failed: ${response.status} ${JSON.stringify(body)}`);
    return { userId: body.user_id, localpart, password, accessToken: body.access_token, deviceId: body.device_id };
  }

  /** Exempts a user from message rate limits (admin API). */
  async exemptFromRateLimits(admin: RegisteredUser, userId: string): Promise<void> {
    const response = await fetch(`${this.baseUrl}/_synapse/admin/v1/users/${encodeURIComponent(userId)}/override_ratelimit`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${admin.accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ messages_per_second: 0, burst_count: 0 }),
    });
    if (!response.ok) throw new Error(`override_ratelimit failed: ${response.status} ${await response.text()}`);
  }

  async stop(): Promise<void> {
    const child = this.process;
    this.process = null;
    if (child && child.exitCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
