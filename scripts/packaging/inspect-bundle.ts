// Proves what a packaged Plenary contains, from the unpacked app folder electron-builder
// leaves next to its installers (release/linux-unpacked, or a dry run's output):
//   - app.asar holds the built main process, preload and renderer, and package.json
//     points at the main bundle;
//   - better-sqlite3 is there with its native binary for this platform, unpacked
//     (app.asar.unpacked), and no other platform's binaries;
//   - node_modules holds exactly the packages the main bundle requires at run time;
//   - nothing else ships: no tests, scripts, sources (.ts), source maps, caches or secrets;
//   - the executable's Electron fuses are the hardened set;
//   - resources/app-update.yml points at the coop's update feed.
// Used by scripts/packaging/dry-run.ts and tests/integration/packaging.test.ts.
import { getRawHeader, extractFile } from '@electron/asar';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { parseAppUpdateYml } from '../../main/core/update/update-plan';
import { readFuses, type FuseName, type FuseState } from './stand-in-electron';

export const requiredFuses: Record<FuseName, FuseState> = {
  runAsNode: 'disabled',
  enableCookieEncryption: 'enabled',
  enableNodeOptionsEnvironmentVariable: 'disabled',
  enableNodeCliInspectArguments: 'disabled',
  enableEmbeddedAsarIntegrityValidation: 'enabled',
  onlyLoadAppFromAsar: 'enabled',
  loadBrowserProcessSpecificV8Snapshot: 'disabled',
  grantFileProtocolExtraPrivileges: 'disabled',
};

const requiredFiles = ['package.json', 'dist/main/main.cjs', 'dist/preload/preload.cjs', 'dist/renderer/index.html'];
const allowedTopLevel = new Set(['dist', 'node_modules', 'package.json']);

const forbiddenPaths: { pattern: RegExp; what: string }[] = [
  { pattern: /\.map$/, what: 'a source map' },
  { pattern: /\.(ts|tsx|mts|cts)$/, what: 'a TypeScript source' },
  { pattern: /(^|\/)(tests?|__tests__|test-artifacts|coverage|\.cache|bench)\//, what: 'test or cache files' },
  { pattern: /(^|\/)(\.env(\.[\w.-]+)?|\.npmrc|secrets?\.json|[\w.-]+\.(pem|key|p12|pfx|jks|keystore))$/i, what: 'a file that usually holds secrets' },
];

const secretContent: { pattern: RegExp; what: string }[] = [
  { pattern: /-----BEGIN (RSA |EC |OPENSSH |ENCRYPTED )?PRIVATE KEY-----/, what: 'a private key' },
  { pattern: /\bsyt_[A-Za-z0-9]{4,}_[A-Za-z0-9]{10,}/, what: 'a Synapse access token' },
  { pattern: /\bgh[pousr]_[A-Za-z0-9]{36}\b/, what: 'a GitHub token' },
  { pattern: /\bnpm_[A-Za-z0-9]{36}\b/, what: 'an npm token' },
  { pattern: /\bAKIA[0-9A-Z]{16}\b/, what: 'an AWS access key' },
  { pattern: /registration_shared_secret\s*[:=]\s*['"][^'"]+['"]/, what: 'a homeserver registration secret' },
];

export interface AsarEntry {
  path: string;
  size: number;
  unpacked: boolean;
}

export interface BundleReport {
  files: AsarEntry[];
  asarBytes: number;
  unpackedBytes: number;
  nodeModules: string[];
  mainRequires: string[];
  preloadRequires: string[];
  fuses: Record<FuseName, FuseState>;
  updateFeed: { url: string; channel?: string } | null;
  resources: string[];
  problems: string[];
}

export interface BundleExpectations {
  /** The packaged executable, relative to the app folder ("plenary" on Linux). */
  executable: string;
  /** better-sqlite3 prebuild this platform needs, e.g. "linux-x64". */
  prebuild: string;
  /** Prebuild name prefixes that belong to this platform ("linux" also covers "linuxmusl"). */
  prebuildPlatform: string;
  /** The update feed the build was made with (PLENARY_UPDATE_URL). */
  updateUrl: string;
}

type HeaderNode = { files?: Record<string, HeaderNode>; size?: number; unpacked?: boolean; link?: string };

function listEntries(node: HeaderNode, prefix = ''): AsarEntry[] {
  return Object.entries(node.files ?? {}).flatMap(([name, child]) => {
    const path = prefix ? `${prefix}/${name}` : name;
    return child.files ? listEntries(child, path) : [{ path, size: child.size ?? 0, unpacked: child.unpacked === true }];
  });
}

function dirSize(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir).reduce((sum, name) => {
    const path = join(dir, name);
    const info = statSync(path);
    return sum + (info.isDirectory() ? dirSize(path) : info.size);
  }, 0);
}

/** Bare module names a CommonJS bundle requires, without Node built-ins. */
export function bareRequires(code: string): string[] {
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  const names = [...code.matchAll(/\brequire\(\s*["']([^"'./][^"']*)["']\s*\)/g)].map((m) => m[1]!);
  return [...new Set(names.filter((name) => !builtins.has(name) && !name.startsWith('node:')))].sort();
}

const packageOf = (request: string) => (request.startsWith('@') ? request.split('/').slice(0, 2).join('/') : request.split('/')[0]!);

export function inspectBundle(appOutDir: string, expect: BundleExpectations): BundleReport {
  const resourcesDir = join(appOutDir, 'resources');
  const asarPath = join(resourcesDir, 'app.asar');
  const problems: string[] = [];
  const files = listEntries(getRawHeader(asarPath).header as HeaderNode);
  const paths = new Set(files.map((f) => f.path));
  const read = (path: string) => extractFile(asarPath, path).toString('utf8');

  for (const required of requiredFiles) if (!paths.has(required)) problems.push(`app.asar lacks ${required}`);
  if (!files.some((f) => /^dist\/renderer\/assets\/[^/]+\.js$/.test(f.path))) problems.push('app.asar has no renderer script in dist/renderer/assets/');
  if (paths.has('package.json')) {
    const main = (JSON.parse(read('package.json')) as { main?: string }).main;
    if (main !== 'dist/main/main.cjs') problems.push(`package.json "main" is ${JSON.stringify(main)}, expected "dist/main/main.cjs"`);
  }

  for (const top of new Set(files.map((f) => f.path.split('/')[0]!))) {
    if (!allowedTopLevel.has(top)) problems.push(`app.asar ships "${top}", which is not part of the app (only dist/, node_modules/ and package.json are)`);
  }
  for (const file of files) {
    for (const { pattern, what } of forbiddenPaths) if (pattern.test(file.path)) problems.push(`app.asar ships ${what}: ${file.path}`);
  }
  for (const file of files.filter((f) => /\.(c?js|mjs|html|css|json)$/.test(f.path) && f.size < 8 * 1024 * 1024)) {
    const text = read(file.path);
    for (const { pattern, what } of secretContent) if (pattern.test(text)) problems.push(`${file.path} contains ${what}`);
  }

  const sqlite = 'node_modules/better-sqlite3';
  const binary = `${sqlite}/prebuilds/${expect.prebuild}.node`;
  if (!paths.has(`${sqlite}/package.json`) || !paths.has(`${sqlite}/lib/index.js`)) problems.push('better-sqlite3 is missing from app.asar');
  const binaryEntry = files.find((f) => f.path === binary);
  if (!binaryEntry) problems.push(`the native SQLite module ${binary} is missing`);
  else if (!binaryEntry.unpacked || !existsSync(join(`${asarPath}.unpacked`, binary))) {
    problems.push(`${binary} is not unpacked into app.asar.unpacked, so Electron cannot load it`);
  }
  for (const other of files.filter((f) => f.path.startsWith(`${sqlite}/prebuilds/`) && !f.path.slice(`${sqlite}/prebuilds/`.length).startsWith(expect.prebuildPlatform))) {
    problems.push(`${other.path} is another platform's binary and should not ship in this package`);
  }

  const mainRequires = paths.has('dist/main/main.cjs') ? bareRequires(read('dist/main/main.cjs')) : [];
  const preloadRequires = paths.has('dist/preload/preload.cjs') ? bareRequires(read('dist/preload/preload.cjs')) : [];
  const nodeModules = [...new Set(files.filter((f) => f.path.startsWith('node_modules/')).map((f) => packageOf(f.path.slice('node_modules/'.length))))].sort();
  const needed = new Set(mainRequires.filter((r) => r !== 'electron').map(packageOf));
  for (const name of needed) if (!nodeModules.includes(name)) problems.push(`dist/main/main.cjs requires "${name}", which is not in app.asar (add it to "files" in electron-builder.yml or let esbuild bundle it)`);
  for (const name of nodeModules) if (!needed.has(name)) problems.push(`node_modules/${name} ships but nothing requires it at run time (esbuild bundles it; exclude it in electron-builder.yml)`);
  for (const name of preloadRequires) if (name !== 'electron') problems.push(`the sandboxed preload requires "${name}"; sandboxed preloads can only require "electron"`);

  const fuses = readFuses(join(appOutDir, expect.executable));
  for (const [name, state] of Object.entries(requiredFuses) as [FuseName, FuseState][]) {
    if (fuses[name] !== state) problems.push(`fuse ${name} is ${fuses[name]}, expected ${state}`);
  }

  const updateYml = join(resourcesDir, 'app-update.yml');
  const updateFeed = existsSync(updateYml) ? parseAppUpdateYml(readFileSync(updateYml, 'utf8')) : null;
  if (!updateFeed) problems.push('resources/app-update.yml is missing or names no generic feed, so installed copies cannot update');
  else if (updateFeed.url !== expect.updateUrl) problems.push(`app-update.yml points at ${updateFeed.url}, expected ${expect.updateUrl}`);

  return {
    files,
    asarBytes: statSync(asarPath).size,
    unpackedBytes: dirSize(`${asarPath}.unpacked`),
    nodeModules,
    mainRequires,
    preloadRequires,
    fuses,
    updateFeed,
    resources: readdirSync(resourcesDir).sort(),
    problems,
  };
}
