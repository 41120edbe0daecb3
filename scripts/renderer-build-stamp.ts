// Whether dist/renderer was built from the renderer sources as they are now.
//
// After each build a stamp records a fingerprint of everything the build reads (path, size
// and modification time of each file), taken before the build started, so a file saved
// during the build makes the next start rebuild. Comparing fingerprints rather than
// "the newest source is older than the build" also catches deleted files and files brought
// back with an old date. The stamp lives in node_modules/.cache, not in dist/, because
// dist/ is packed into the installers. (Written here rather than taken from a task runner:
// a new dependency for about forty lines.)
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** What the renderer build reads: its sources, the shared code and translations it imports, and its configuration. */
export const rendererBuildInputs = ['renderer', 'shared', 'vite.config.ts', 'tsconfig.base.json', 'tsconfig.renderer.json', 'package.json', 'package-lock.json'];

export const rendererOutDir = 'dist/renderer';
export const rendererStampFile = 'node_modules/.cache/plenary/renderer-build.json';

function* files(path: string): Generator<{ path: string; size: number; mtimeMs: number }> {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return;
  if (!stat.isDirectory()) {
    yield { path, size: stat.size, mtimeMs: stat.mtimeMs };
    return;
  }
  for (const entry of readdirSync(path).sort()) yield* files(join(path, entry));
}

/** A hash of the path, size and modification time of every file the build reads. */
export function rendererFingerprint(root: string, inputs: readonly string[] = rendererBuildInputs): string {
  const hash = createHash('sha256');
  for (const input of inputs) {
    for (const file of files(join(root, input))) hash.update(`${relative(root, file.path)}\0${file.size}\0${file.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

/** Why the renderer must be built, or null when dist/renderer matches the fingerprint. */
export function rendererStaleReason(root: string, fingerprint: string): 'no-build' | 'changed' | null {
  if (!existsSync(join(root, rendererOutDir, 'index.html'))) return 'no-build';
  let stamped: unknown;
  try {
    stamped = (JSON.parse(readFileSync(join(root, rendererStampFile), 'utf8')) as { fingerprint?: unknown }).fingerprint;
  } catch {
    stamped = null;
  }
  return stamped === fingerprint ? null : 'changed';
}

/** Records that dist/renderer was built from the sources with this fingerprint. */
export function writeRendererStamp(root: string, fingerprint: string): void {
  const file = join(root, rendererStampFile);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ fingerprint, builtAt: new Date().toISOString() }) + '\n');
}
