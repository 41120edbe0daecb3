// Bundles the Electron main process and the preload with esbuild. The preload runs
// sandboxed, where require() only knows 'electron', so it must be one self-contained file.
import { build } from 'esbuild';
import { cpSync } from 'node:fs';

const common = { bundle: true, platform: 'node', target: 'node22', format: 'cjs', sourcemap: true, logLevel: 'warning' };

await Promise.all([
  build({
    ...common,
    entryPoints: ['main/shell/main.ts'],
    outfile: 'dist/main/main.cjs',
    // Native and Electron modules stay outside the bundle; electron-builder unpacks the native one.
    // The crypto's WebAssembly loads its .wasm file next to its own module: kept outside too.
    external: ['electron', 'better-sqlite3', '@matrix-org/matrix-sdk-crypto-wasm'],
  }),
  build({
    ...common,
    entryPoints: ['preload/preload.ts'],
    outfile: 'dist/preload/preload.cjs',
    external: ['electron'],
  }),
]);
// Tray icons (drawn by scripts/generate-tray-icons.ts) ship next to main.cjs.
cpSync('main/shell/assets', 'dist/main/assets', { recursive: true });
console.log('built dist/main/main.cjs and dist/preload/preload.cjs');
