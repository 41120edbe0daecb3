// electronegativity over Plenary's sources, offline (scripts/packaging/electronegativity.ts).
// The tool exits 0 whatever it finds, so the script reads its findings and this test fails
// on any HIGH or MEDIUM one. New shell code (tray, meeting windows, protocol handling) is
// covered automatically: it lives in the scanned folders.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ElectronegativityReport } from '../../scripts/packaging/electronegativity';
import { artifactPath, repoRoot } from '../helpers/paths';

const run = promisify(execFile);

async function scan(plant?: string): Promise<{ exitCode: number; report: ElectronegativityReport; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'plenary-eng-'));
  const reportFile = join(dir, 'report.json');
  const args = ['scripts/packaging/electronegativity.ts', '--report', reportFile, ...(plant ? ['--plant', plant] : [])];
  try {
    let exitCode = 0;
    let output = '';
    try {
      const { stdout, stderr } = await run(join(repoRoot, 'node_modules/.bin/tsx'), args, { cwd: repoRoot, timeout: 120_000 });
      output = stdout + stderr;
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      if (typeof failed.code !== 'number') throw error;
      exitCode = failed.code;
      output = `${failed.stdout ?? ''}${failed.stderr ?? ''}`;
    }
    return { exitCode, report: JSON.parse(readFileSync(reportFile, 'utf8')) as ElectronegativityReport, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('electronegativity', () => {
  let clean: Awaited<ReturnType<typeof scan>>;
  beforeAll(async () => {
    clean = await scan();
  }, 120_000);

  it('finds no HIGH or MEDIUM issue in the sources, and parses every file', () => {
    const { exitCode, report, output } = clean;
    writeFileSync(artifactPath('packaging', 'electronegativity.json'), JSON.stringify(report, null, 2));
    expect(report.blocking).toEqual([]);
    expect(report.parseErrors).toEqual([]);
    expect(report.problems).toEqual([]);
    expect(exitCode, output).toBe(0);
    expect(report.filesScanned).toBeGreaterThan(50);
    expect(report.checks).toBeGreaterThan(30);
  });

  it('accepts a finding only with a reason next to it', () => {
    const { report } = clean;
    expect(report.exceptions.length).toBeGreaterThan(0);
    for (const exception of report.exceptions) expect(exception.reason, `${exception.file}:${exception.line}`).toBeTruthy();
    expect(report.exceptions.map((e) => `${e.file} ${e.checks.join(' ')}`)).toEqual(
      expect.arrayContaining(['main/shell/windows.ts PRELOAD_JS_CHECK', 'main/shell/external-links.ts OPEN_EXTERNAL_JS_CHECK']),
    );
  });

  it('fails on an insecure window and on an unexplained exception', async () => {
    const plant = mkdtempSync(join(tmpdir(), 'plenary-eng-plant-'));
    try {
      mkdirSync(join(plant, 'main/shell'), { recursive: true });
      writeFileSync(
        join(plant, 'main/shell/planted-window.ts'),
        [
          "import { BrowserWindow, shell } from 'electron';",
          'export function open(url: string): BrowserWindow {',
          '  const window = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });',
          '  void shell.openExternal(url);',
          '  void shell.openExternal(url.trim()); // eng-disable OPEN_EXTERNAL_JS_CHECK',
          '  return window;',
          '}',
          '',
        ].join('\n'),
      );
      const { exitCode, report } = await scan(plant);
      expect(exitCode).toBe(1);
      const planted = report.blocking.filter((f) => f.file === 'main/shell/planted-window.ts').map((f) => `${f.id}:${f.line}`);
      expect(planted).toEqual(expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK:3', 'SANDBOX_JS_CHECK:3', 'AUXCLICK_JS_CHECK:3', 'OPEN_EXTERNAL_JS_CHECK:4']));
      expect(planted).not.toContain('OPEN_EXTERNAL_JS_CHECK:5');
      expect(report.problems).toContainEqual(expect.stringMatching(/^main\/shell\/planted-window\.ts:5: eng-disable OPEN_EXTERNAL_JS_CHECK needs a comment/));
    } finally {
      rmSync(plant, { recursive: true, force: true });
    }
  }, 120_000);
});
