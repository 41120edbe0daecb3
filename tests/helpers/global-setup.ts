// Runs once before the integration and end-to-end projects: the renderer must be built
// (npm test builds it first; running vitest alone builds it here).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { rendererDir, repoRoot } from './paths';

export default function setup(): void {
  if (!existsSync(join(rendererDir, 'index.html'))) {
    execFileSync(join(repoRoot, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], { cwd: repoRoot, stdio: 'inherit' });
  }
}
