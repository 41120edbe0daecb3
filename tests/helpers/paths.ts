import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const cacheDir = resolve(process.env.PLENARY_CACHE_DIR ?? join(repoRoot, '.cache'));
export const rendererDir = join(repoRoot, 'dist/renderer');

/** Screenshots and reports from tests, kept by CI as artifacts. */
export function artifactPath(...parts: string[]): string {
  const dir = join(repoRoot, 'test-artifacts', ...parts.slice(0, -1));
  mkdirSync(dir, { recursive: true });
  return join(dir, parts[parts.length - 1]!);
}
