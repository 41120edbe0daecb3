// Runs once before the integration and end-to-end projects: the renderer must be built
// from the current sources (npm test builds it first; running vitest alone builds it here,
// as `npm run start:web` would, so tests never exercise a stale renderer).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths';

export default function setup(): void {
  execFileSync(join(repoRoot, 'node_modules/.bin/tsx'), [join(repoRoot, 'scripts/build-renderer.ts'), '--if-stale'], { cwd: repoRoot, stdio: 'inherit' });
}
