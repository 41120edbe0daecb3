// Starts the real core and the browser bridge on a temporary data folder, as
// `npm run start:web` does, for integration and end-to-end tests.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core, type CoreOptions } from '../../main/core/app-core';
import { createLogger, memorySink, type LogRecord } from '../../main/core/log';
import { FileSecretStore } from '../../main/core/secrets/secret-store.file';
import { startBridge, type Bridge } from '../../main/bridge/bridge-server';
import { rendererDir } from './paths';

export interface WebApp {
  core: Core;
  bridge: Bridge;
  dataDir: string;
  logs: LogRecord[];
  close(): Promise<void>;
}

export async function startWebApp(options: Partial<CoreOptions> & { keepData?: boolean } = {}): Promise<WebApp> {
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`No built renderer in ${rendererDir}. Run "npm run build:renderer" (npm test does it).`);
  }
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'plenary-web-'));
  const { records, sink } = memorySink();
  const log = createLogger('test', sink);
  // The same secret store as `npm run start:web`: a 0600 file in the data folder.
  const secrets = new FileSecretStore(join(dataDir, 'secrets.json'), createLogger('secrets', sink));
  const core = createCore({ dataDir, runtime: 'web', secrets, version: '0.0.0-test', log, ...options });
  const bridge = await startBridge({ core, staticDir: rendererDir, log });
  return {
    core,
    bridge,
    dataDir,
    logs: records,
    close: async () => {
      await bridge.close();
      core.close();
      if (!options.keepData && !options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
