// Runs Doyensec's electronegativity over Plenary's sources (main/, preload/, renderer/,
// shared/ and package.json) and fails on any HIGH or MEDIUM finding, or on a file it could
// not parse. By hand:  npx tsx scripts/packaging/electronegativity.ts
//
// Why not simply the CLI: it exits 0 whatever it finds; it writes its CSV with two
// unawaited writeFile calls that can race; and it fetches translations and Electron's
// release list from GitHub, crashing on a timer when offline. So this runs the tool's own
// runner in-process with its HTTP client replaced by one that fails at once (nothing
// leaves the machine), excludes the release-list check (AvailableSecurityFixesGlobalCheck:
// Electron's version is pinned through npm and reviewed on upgrade), gates on the issue
// list the runner returns, and writes that list as the report.
//
// A finding that is intended by design is accepted only with an inline
// `// eng-disable <CHECK_ID>` on the flagged line (the tool's own, line-scoped mechanism)
// and a comment on the line above saying why; this script fails on an eng-disable without
// such a reason.
//
//   npx tsx scripts/packaging/electronegativity.ts [--report <file.json>] [--plant <folder>]
// --plant copies a folder's files over the scanned sources first (tests use it to prove
// the gate fails on a planted insecure window).
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { extname, join, relative, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '../..');
const scannedFolders = ['main', 'preload', 'renderer', 'shared'];
const scannedExtensions = new Set(['.ts', '.tsx', '.js', '.jsx', '.html']);
const blockingSeverities = new Set(['HIGH', 'MEDIUM']);
const excludedChecks = ['AvailableSecurityFixesGlobalCheck'];

export interface Finding {
  id: string;
  severity: string;
  confidence: string;
  file: string;
  line: number;
  sample: string;
  description: string;
  manualReview: boolean;
}

export interface AcceptedException {
  file: string;
  line: number;
  checks: string[];
  reason: string | null;
}

export interface ElectronegativityReport {
  electronVersion: string;
  filesScanned: number;
  checks: number;
  findings: Finding[];
  blocking: Finding[];
  parseErrors: { file: string; message: string }[];
  exceptions: AcceptedException[];
  problems: string[];
  durationMs: number;
}

interface RunnerIssue {
  id: string;
  file: string;
  sample?: string;
  description: string;
  location: { line: number; column: number };
  severity: { name: string };
  confidence: { name: string };
  manualReview?: boolean;
}

interface RunnerResult {
  globalChecks: number;
  atomicChecks: number;
  errors: { file: string; message: string; tolerable: boolean }[];
  issues: RunnerIssue[];
}

type Runner = (options: Record<string, unknown>, forCli: boolean) => Promise<RunnerResult>;

/** Replaces the tool's HTTP client (got) with one that fails immediately, before anything loads it. */
function keepOffline(): void {
  const failing = Object.assign(() => Promise.reject(new Error('offline by design: Plenary checks run without network')), {
    head: () => Promise.reject(new Error('offline by design')),
    get: () => Promise.reject(new Error('offline by design')),
  });
  const loader = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const original = loader._load;
  loader._load = function load(request, parent, isMain) {
    if (request === 'got') return failing;
    return original.call(this, request, parent, isMain);
  };
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** Copies the scanned sources into a fresh folder, so nothing else in the repo (node_modules, tests, caches) is walked. */
function stageSources(plant?: string): string {
  const stage = mkdtempSync(join(tmpdir(), 'plenary-electronegativity-'));
  for (const folder of scannedFolders) {
    cpSync(join(repoRoot, folder), join(stage, folder), {
      recursive: true,
      filter: (source) => statSync(source).isDirectory() || scannedExtensions.has(extname(source)),
    });
  }
  cpSync(join(repoRoot, 'package.json'), join(stage, 'package.json'));
  if (plant) cpSync(plant, stage, { recursive: true });
  return stage;
}

const engDisable = /(?:\/\*|\/\/)[ \t]*eng-disable[ \t]+([\w \t]+)/;

function findExceptions(stage: string): AcceptedException[] {
  const exceptions: AcceptedException[] = [];
  for (const file of walk(stage).filter((f) => extname(f) !== '.html' && !f.endsWith('package.json'))) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((text, index) => {
      const match = engDisable.exec(text);
      if (!match) return;
      const above = (lines[index - 1] ?? '').trim();
      const reason = above.startsWith('//') || above.startsWith('*') ? above.replace(/^(\/\/|\*)\s*/, '') : null;
      exceptions.push({ file: relative(stage, file), line: index + 1, checks: match[1]!.trim().split(/[\s,]+/), reason });
    });
  }
  return exceptions;
}

export async function runElectronegativity(options: { plant?: string } = {}): Promise<ElectronegativityReport> {
  const started = performance.now();
  keepOffline();
  process.env.LANG = 'en-US'; // the tool's messages, from its bundled English locale
  const require = createRequire(join(repoRoot, 'package.json'));
  const electronVersion = (require('electron/package.json') as { version: string }).version;
  const run = require('@doyensec/electronegativity/dist/runner.js') as Runner;
  const stage = stageSources(options.plant);
  try {
    const result = await run(
      {
        input: stage,
        isRelative: true,
        isSarif: false,
        customScan: [],
        excludeFromScan: excludedChecks.map((c) => c.toLowerCase()),
        severitySet: undefined,
        confidenceSet: undefined,
        electronVersionOverride: electronVersion,
        parserPlugins: [],
      },
      false,
    );
    const findings: Finding[] = result.issues.map((issue) => ({
      id: issue.id,
      severity: issue.severity.name,
      confidence: issue.confidence.name,
      file: issue.file,
      line: issue.location.line,
      sample: (issue.sample ?? '').trim(),
      description: issue.description,
      manualReview: issue.manualReview === true,
    }));
    const blocking = findings.filter((f) => blockingSeverities.has(f.severity));
    const parseErrors = result.errors.filter((e) => !e.tolerable).map((e) => ({ file: relative(stage, e.file), message: e.message }));
    const exceptions = findExceptions(stage);
    const problems = [
      ...blocking.map((f) => `${f.severity} ${f.id} at ${f.file}:${f.line}: ${f.description} (${f.sample})`),
      ...parseErrors.map((e) => `could not parse ${e.file}, so it was not checked: ${e.message}`),
      ...exceptions
        .filter((e) => e.reason === null)
        .map((e) => `${e.file}:${e.line}: eng-disable ${e.checks.join(' ')} needs a comment on the line above saying why it is safe`),
    ];
    return {
      electronVersion,
      filesScanned: walk(stage).length,
      checks: result.globalChecks + result.atomicChecks,
      findings,
      blocking,
      parseErrors,
      exceptions,
      problems,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argument = (name: string) => {
    const at = process.argv.indexOf(name);
    return at > 0 && process.argv[at + 1] ? resolve(process.argv[at + 1]!) : undefined;
  };
  const plant = argument('--plant');
  const report = await runElectronegativity(plant ? { plant } : {});
  const reportPath = argument('--report');
  if (reportPath) writeFileSync(reportPath, JSON.stringify(report, null, 2));
  console.log(
    `electronegativity: ${report.filesScanned} files, ${report.checks} checks, Electron ${report.electronVersion}, ${report.durationMs} ms`,
  );
  for (const f of report.findings.filter((f) => !blockingSeverities.has(f.severity))) {
    console.log(`  ${f.severity.padEnd(13)} ${f.id} ${f.file}:${f.line}`);
  }
  for (const e of report.exceptions) console.log(`  accepted      ${e.checks.join(' ')} ${e.file}:${e.line}: ${e.reason ?? '(no reason given)'}`);
  if (report.problems.length > 0) {
    console.error(`electronegativity: ${report.problems.length} problem(s):\n  ${report.problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log('electronegativity: no HIGH or MEDIUM findings');
}
