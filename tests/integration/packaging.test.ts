// The packaging dry run (scripts/packaging/dry-run.ts): electron-builder packs the Linux app
// with the real electron-builder.yml against a stand-in Electron, into a temporary folder,
// and the bundle is inspected. Electron cannot be downloaded here, so this is the proof
// that installers built on a connected machine will hold the right files.
import { createPackage, listPackage } from '@electron/asar';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectBundle, requiredFuses } from '../../scripts/packaging/inspect-bundle';
import { dryRunUpdateUrl, type DryRunResult } from '../../scripts/packaging/dry-run';
import { createStandInElectron, readFuses } from '../../scripts/packaging/stand-in-electron';
import { artifactPath, repoRoot } from '../helpers/paths';

const run = promisify(execFile);
const tsx = join(repoRoot, 'node_modules/.bin/tsx');
// Electron 40 runs Node 24; node_modules/.bin/node is Node 24 too (see ENVIRONMENT.md).
const node24 = join(repoRoot, 'node_modules/.bin/node');

describe('packaging dry run', () => {
  let outDir = '';
  let result: DryRunResult;

  beforeAll(async () => {
    if (!existsSync(join(repoRoot, 'dist/main/main.cjs')) || !existsSync(join(repoRoot, 'dist/preload/preload.cjs'))) {
      execFileSync(process.execPath, [join(repoRoot, 'scripts/build-main.mjs')], { cwd: repoRoot, stdio: 'inherit' });
    }
    outDir = mkdtempSync(join(tmpdir(), 'plenary-pack-test-'));
    const env = { ...process.env };
    delete env.PLENARY_UPDATE_URL;
    const reportFile = join(outDir, 'report.json');
    try {
      await run(tsx, ['scripts/packaging/dry-run.ts', '--out', outDir, '--report', reportFile], { cwd: repoRoot, env, timeout: 120_000 });
    } catch (error) {
      // The script exits 1 when the inspection finds problems; the report says which.
      if (!existsSync(reportFile)) throw error;
    }
    result = JSON.parse(readFileSync(reportFile, 'utf8')) as DryRunResult;
    writeFileSync(artifactPath('packaging', 'dry-run.json'), JSON.stringify({ ...result, report: { ...result.report, files: result.report.files.map((f) => f.path) } }, null, 2));
  }, 180_000);

  afterAll(() => {
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('finds nothing wrong with the bundle', () => {
    expect(result.report.problems).toEqual([]);
  });

  it('puts the built main process, preload and renderer in app.asar, and nothing else of the repo', () => {
    const listed = listPackage(join(result.appOutDir, 'resources/app.asar'), { isPack: false }).map((p) => p.replace(/^[/\\]/, ''));
    expect(listed).toEqual(expect.arrayContaining(['package.json', 'dist/main/main.cjs', 'dist/preload/preload.cjs', 'dist/renderer/index.html']));
    expect(listed.filter((p) => !/^(dist|node_modules|package\.json)/.test(p))).toEqual([]);
    expect(listed.filter((p) => /\.(map|ts|tsx)$|(^|\/)tests?\//.test(p))).toEqual([]);
    // The Rust crypto's WebAssembly package loads its .wasm from its own folder, so it ships as is.
    expect([...result.report.nodeModules].sort()).toEqual(['@matrix-org/matrix-sdk-crypto-wasm', 'better-sqlite3']);
    expect(listed.some((p) => /^node_modules\/@matrix-org\/matrix-sdk-crypto-wasm\/.*\.wasm$/.test(p))).toBe(true);
  });

  it("ships better-sqlite3's native binary unpacked, and it opens a database on Electron 40's Node", async () => {
    const unpacked = join(result.appOutDir, 'resources/app.asar.unpacked/node_modules/better-sqlite3');
    expect(existsSync(join(unpacked, `prebuilds/linux-${process.arch}.node`))).toBe(true);
    const { stdout } = await run(node24, ['-e', `const D = require(${JSON.stringify(unpacked)}); const db = new D(':memory:'); console.log(process.versions.node.split('.')[0], db.prepare('select sqlite_version() as v').get().v)`]);
    const [nodeMajor, sqliteVersion] = stdout.trim().split(' ');
    expect(nodeMajor).toBe('24');
    expect(sqliteVersion).toMatch(/^3\.\d+\.\d+$/);
  });

  it('flips the security fuses in the packaged executable', () => {
    expect(readFuses(join(result.appOutDir, 'plenary'))).toEqual(requiredFuses);
  });

  it('tells installed copies where the coop publishes updates', () => {
    expect(readFileSync(join(result.appOutDir, 'resources/app-update.yml'), 'utf8')).toContain(`url: ${dryRunUpdateUrl}`);
    expect(result.report.updateFeed).toEqual({ url: dryRunUpdateUrl });
  });

  it('registers plenary: links in the Linux desktop entry', () => {
    expect(result.desktopEntry).toMatch(/^MimeType=x-scheme-handler\/plenary;$/m);
    expect(result.desktopEntry).toMatch(/^Exec=.*plenary %U$/m);
  });
});

describe('bundle inspection', () => {
  it('catches a package that ships too much, too little and unhardened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plenary-bad-bundle-'));
    try {
      const app = join(dir, 'app');
      const write = (path: string, text: string) => {
        mkdirSync(join(app, path, '..'), { recursive: true });
        writeFileSync(join(app, path), text);
      };
      write('package.json', '{"main":"main.js"}');
      write('dist/main/main.cjs', 'require("left-pad"); require("node:fs");');
      write('dist/main/main.cjs.map', '{}');
      write('tests/secret.test.ts', 'const token = "syt_YWxpY2U_abcdefghijklmnop_123456";');
      write('.env', 'PLENARY_UPDATE_URL=x');
      write('dist/renderer/assets/leak.js', 'const key = `-----BEGIN PRIVATE KEY-----\nMIIE...`;');
      const appOutDir = join(dir, 'linux-unpacked');
      mkdirSync(join(appOutDir, 'resources'), { recursive: true });
      await createPackage(app, join(appOutDir, 'resources/app.asar'));
      createStandInElectron(appOutDir);
      const { problems } = inspectBundle(appOutDir, { executable: 'electron', prebuild: 'linux-x64', prebuildPlatform: 'linux', updateUrl: dryRunUpdateUrl });
      const expected = [
        'app.asar lacks dist/preload/preload.cjs',
        'app.asar lacks dist/renderer/index.html',
        'package.json "main" is "main.js", expected "dist/main/main.cjs"',
        'app.asar ships "tests", which is not part of the app',
        'app.asar ships ".env", which is not part of the app',
        'app.asar ships a source map: dist/main/main.cjs.map',
        'app.asar ships a TypeScript source: tests/secret.test.ts',
        'app.asar ships a file that usually holds secrets: .env',
        'dist/renderer/assets/leak.js contains a private key',
        'better-sqlite3 is missing from app.asar',
        'dist/main/main.cjs requires "left-pad", which is not in app.asar',
        'fuse runAsNode is enabled, expected disabled',
        'fuse onlyLoadAppFromAsar is disabled, expected enabled',
        'resources/app-update.yml is missing',
      ];
      for (const text of expected) expect(problems.some((p) => p.startsWith(text)), `${text}\nin:\n${problems.join('\n')}`).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
