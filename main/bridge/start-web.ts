// `npm run start:web`: Plenary in a browser, through the loopback bridge. Same core, same
// local store, same contract as the desktop app.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { createCore } from '../core/app-core';
import { cryptoStoresSettled } from '../core/crypto/crypto-engine';
import { createLogger } from '../core/log';
import { FileSecretStore } from '../core/secrets/secret-store.file';
import { startBridge } from './bridge-server';
import { installProcessGuard } from './process-guard';
import { coopConfigSources } from '../core/config/coop-config';
import pkg from '../../package.json';

const root = resolve(import.meta.dirname, '../..');
const staticDir = resolve(process.env.PLENARY_STATIC_DIR ?? join(root, 'dist/renderer'));
const dataDir = resolve(process.env.PLENARY_DATA_DIR ?? join(homedir(), '.local/share/plenary-web'));
const port = process.env.PLENARY_PORT ? Number(process.env.PLENARY_PORT) : 0;
// Where the forum's sign-in answer comes back (README "The coop's forum": the forum must allow it).
const forumRedirectPort = process.env.PLENARY_FORUM_REDIRECT_PORT ? Number(process.env.PLENARY_FORUM_REDIRECT_PORT) : undefined;

if (!existsSync(join(staticDir, 'index.html'))) {
  console.error(`plenary: no built renderer in ${staticDir}. Run "npm run build:renderer" first (npm run start:web does it for you).`);
  process.exit(1);
}

const log = createLogger('bridge');
// A request handler that fails unexpectedly must not take the member's data offline.
installProcessGuard(log);
let stop: () => Promise<void> = async () => process.exit(0);
const core = createCore({
  dataDir,
  runtime: 'web',
  secrets: new FileSecretStore(join(dataDir, 'secrets.json')),
  version: pkg.version,
  log: createLogger('core'),
  coopConfigSources: coopConfigSources({ platform: process.platform, env: process.env, userDir: dataDir }),
  ...(forumRedirectPort !== undefined && Number.isInteger(forumRedirectPort) ? { forum: { redirectPort: forumRedirectPort } } : {}),
  // Chat files are saved into ~/Downloads (PLENARY_DOWNLOADS_DIR to use another folder). The page
  // cannot open them: it names where they are, as it opens links itself.
  media: { downloadsDir: resolve(process.env.PLENARY_DOWNLOADS_DIR ?? join(homedir(), 'Downloads')) },
  // Quit on the recovery screen stops this process (after the answer has gone out).
  quit: () => void setImmediate(() => void stop()),
});
const bridge = await startBridge({ core, staticDir, log, port });

stop = async () => {
  await bridge.close();
  core.close();
  // The crypto store is written on close; wait for it before the process ends.
  await cryptoStoresSettled();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

const recovering = core.state === 'recovery' ? '\n\nPlenary could not open its data. Open the address above to see what happened and what you can do.' : '';
console.log(`Plenary is running in your browser at:\n\n  ${bridge.url}\n\nData folder: ${dataDir}\nPress Ctrl+C to stop.${recovering}`);
