// Runs after `npm ci`. Electron's own download script is disabled in package.json
// (allowScripts) so that installing never fails on machines that cannot reach Electron's
// download host; here we try the download ourselves and, if it fails, explain what still
// works instead of aborting the install.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.warn(`plenary: npm scripts run under Node ${process.versions.node}; expected Node >= 22 from node_modules/.bin/node.`);
}

const installer = 'node_modules/electron/install.js';
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log('plenary: ELECTRON_SKIP_BINARY_DOWNLOAD is set; the desktop app will not start, npm run start:web will.');
} else if (existsSync(installer)) {
  const result = spawnSync(process.execPath, [installer], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 });
  if (result.status !== 0) {
    const reason = result.stderr?.toString().split('\n').find((line) => line.trim()) ?? 'unknown error';
    console.warn(
      'plenary: the Electron binary could not be downloaded, so `npm start` cannot launch the desktop app here.\n' +
        `  (${reason.trim()})\n` +
        '  Everything else works: run Plenary in your browser with `npm run start:web`.',
    );
  }
}
