// `npm start`: build, then launch the desktop app. Where the Electron binary is not
// installed (machines without access to its download host), say so and point to the
// browser bridge instead of failing with a stack trace.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let electronPath;
try {
  electronPath = require('electron');
} catch (error) {
  console.error(
    'plenary: the Electron binary is not available on this machine, so the desktop app cannot start.\n' +
      `  (${String(error.message ?? error).split('\n')[0]})\n` +
      '  Run Plenary in your browser instead:  npm run start:web',
  );
  process.exit(1);
}
const child = spawn(electronPath, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
