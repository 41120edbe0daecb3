// The interface as a facilitator meets it, through `npm run start:web` in headless Chromium,
// on a coop of 100 members, 50 circles and 100,000 operations (ui-actions-seed.ts):
//   ui.shell_first_paint_ms   navigation start to the painted shell, median (goal <= 300)
//   ui.action_p50_ms / _p95_ms an action to its result on screen (goal: p95 <= 100)
//   ui.action_<kind>_p95_ms    the same per action, to see which one is slow
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../../tests/helpers/chromium';
import { openApp } from '../../tests/helpers/e2e-page';
import { startPlenaryWeb } from '../../tests/helpers/plenary-web-process';
import type { Report } from '../report';
import { seedFacilitationData } from './ui-actions-seed';
import { shellFirstPaint } from './ui-shell';
import { actionSamples, startState } from './ui-actions';

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank: the smallest value at or above p percent of the samples.
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function run(report: Report): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'plenary-bench-ui-'));
  try {
    const data = seedFacilitationData(dataDir);
    const app = await startPlenaryWeb({ dataDir });
    const browser = await launchChromium();
    try {
      report.add('ui.shell_first_paint_ms', await shellFirstPaint(browser, app.url), 'ms');
      const { page } = await openApp(browser, app);
      await page.goto(`${app.url.replace(/#.*$/, '')}#/assemblies/${data.circleId}/${data.assemblyId}`);
      await page.getByRole('heading', { level: 1, name: 'Bench assembly' }).waitFor();
      // One warm-up round (JIT, SQLite page cache), then the measured rounds.
      const state = startState(data);
      await actionSamples(page, data, 1, state);
      const samples = await actionSamples(page, data, 15, state);
      const all = Object.values(samples).flat();
      report.add('ui.action_p50_ms', percentile(all, 50), 'ms');
      report.add('ui.action_p95_ms', percentile(all, 95), 'ms');
      for (const [kind, values] of Object.entries(samples)) report.add(`ui.action_${kind}_p95_ms`, percentile(values, 95), 'ms');
      report.add('ui.dataset_operations', data.operations, 'ops');
    } finally {
      await browser.close();
      await app.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
