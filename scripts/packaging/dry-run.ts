// A packaging dry run that needs no network: electron-builder packs the Linux app folder
// (the step every installer starts from) with the real electron-builder.yml, but against a
// stand-in Electron binary instead of the downloaded one, into a temporary folder; then
// inspect-bundle.ts proves what the package contains. Run `npm run build` first.
//   npx tsx scripts/packaging/dry-run.ts [--out <folder>] [--report <file.json>]
// Without --out it packs into a temporary folder and removes it afterwards.
// On a connected machine, `npm run dist -- --linux` builds the real installers instead.
import { build, Arch, Platform, type AfterPackContext, type LinuxPackager } from 'electron-builder';
import { LinuxTargetHelper } from 'app-builder-lib/out/targets/LinuxTargetHelper';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inspectBundle, type BundleReport } from './inspect-bundle';
import { createStandInElectron } from './stand-in-electron';

const repoRoot = resolve(import.meta.dirname, '../..');

/** Where a dry run's installed copy would look for updates. ".invalid" never resolves (RFC 2606). */
export const dryRunUpdateUrl = 'https://updates.plenary.invalid/plenary';

export interface DryRunResult {
  outDir: string;
  appOutDir: string;
  packMs: number;
  report: BundleReport;
  /** The .desktop entry the AppImage, deb and rpm would install (protocol handler included). */
  desktopEntry: string;
}

export async function packageDryRun(outDir: string): Promise<DryRunResult> {
  for (const built of ['dist/main/main.cjs', 'dist/preload/preload.cjs', 'dist/renderer/index.html']) {
    if (!existsSync(join(repoRoot, built))) throw new Error(`${built} is missing: run "npm run build" before the packaging dry run.`);
  }
  const arch = process.arch === 'arm64' ? Arch.arm64 : Arch.x64;
  const electronDist = createStandInElectron(join(outDir, 'stand-in-electron'));
  process.env.PLENARY_UPDATE_URL ??= dryRunUpdateUrl;
  let desktopEntry = '';
  // The dir target writes no .desktop file, so ask electron-builder's own Linux helper for
  // the entry its AppImage, deb and rpm targets would write with this configuration.
  const afterPack = async (context: AfterPackContext) => {
    const packager = context.packager as LinuxPackager;
    desktopEntry = await new LinuxTargetHelper(packager).computeDesktopEntry(packager.platformSpecificBuildOptions);
  };
  const started = performance.now();
  await build({
    projectDir: repoRoot,
    targets: Platform.LINUX.createTarget('dir', arch),
    publish: 'never',
    // Merged over electron-builder.yml: where Electron comes from, where output goes, and
    // the desktop-entry probe above.
    config: { electronDist, directories: { output: join(outDir, 'release') }, afterPack },
  });
  const packMs = Math.round(performance.now() - started);
  const appOutDir = join(outDir, 'release', arch === Arch.arm64 ? 'linux-arm64-unpacked' : 'linux-unpacked');
  const report = inspectBundle(appOutDir, {
    executable: 'plenary',
    prebuild: `linux-${process.arch}`,
    prebuildPlatform: 'linux',
    updateUrl: process.env.PLENARY_UPDATE_URL,
  });
  return { outDir, appOutDir, packMs, report, desktopEntry };
}

function summary(result: DryRunResult): string {
  const { report } = result;
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  const dist = report.files.filter((f) => f.path.startsWith('dist/'));
  return [
    `packed in ${result.packMs} ms: ${result.appOutDir}`,
    `app.asar ${mib(report.asarBytes)}, app.asar.unpacked ${mib(report.unpackedBytes)}, ${report.files.length} files`,
    `  dist/: ${dist.map((f) => f.path.slice(5)).join(', ')}`,
    `  node_modules/: ${report.nodeModules.join(', ')} (main requires: ${report.mainRequires.join(', ')})`,
    `  unpacked: ${report.files.filter((f) => f.unpacked).length} files of node_modules/better-sqlite3, binaries: ${report.files
      .filter((f) => f.path.endsWith('.node'))
      .map((f) => f.path.split('/').pop())
      .join(', ')}`,
    `resources/: ${report.resources.join(', ')}`,
    `fuses: ${Object.entries(report.fuses).map(([name, state]) => `${name}=${state}`).join(', ')}`,
    `update feed: ${report.updateFeed?.url ?? 'none'}`,
    `desktop entry: ${result.desktopEntry.split('\n').filter((line) => /^(Exec|MimeType|Icon|StartupWMClass|Categories)=/.test(line)).join('; ')}`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const outArg = process.argv.indexOf('--out');
  const outDir = outArg > 0 && process.argv[outArg + 1] ? resolve(process.argv[outArg + 1]!) : mkdtempSync(join(tmpdir(), 'plenary-pack-'));
  const result = await packageDryRun(outDir);
  console.log(summary(result));
  const reportArg = process.argv.indexOf('--report');
  if (reportArg > 0 && process.argv[reportArg + 1]) writeFileSync(resolve(process.argv[reportArg + 1]!), JSON.stringify(result, null, 2));
  if (outArg < 0) rmSync(outDir, { recursive: true, force: true });
  if (result.report.problems.length > 0) {
    console.error(`packaging dry run: ${result.report.problems.length} problem(s):\n  ${result.report.problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log('packaging dry run: the bundle is complete and clean');
}
