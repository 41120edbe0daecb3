// `npm run build:renderer`: builds the renderer into dist/renderer with vite.
// `--if-stale` (what `npm run start:web` and the test setup use) builds only when
// dist/renderer was not built from the sources as they are now (see renderer-build-stamp.ts),
// so starting the browser version takes seconds instead of a full build each time.
import { resolve } from 'node:path';
import { rendererFingerprint, rendererStaleReason, writeRendererStamp } from './renderer-build-stamp';

const root = resolve(import.meta.dirname, '..');
const fingerprint = rendererFingerprint(root);
if (process.argv.includes('--if-stale')) {
  const reason = rendererStaleReason(root, fingerprint);
  if (reason === null) process.exit(0);
  console.log(reason === 'no-build' ? 'plenary: no renderer build yet; building the renderer…' : 'plenary: the renderer sources changed since the last build; building the renderer…');
}
// Always a production build, whatever NODE_ENV the caller has (vitest sets "test", which
// would make vite bundle React's development build, whose StrictMode runs effects twice).
process.env.NODE_ENV = 'production';
// Loaded only when building: most starts need no build.
const { build } = await import('vite');
// vite.config.ts names its folders relative to the repository root.
process.chdir(root);
await build({ mode: 'production', logLevel: 'warn' });
writeRendererStamp(root, fingerprint);
