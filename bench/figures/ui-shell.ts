// ui.shell_first_paint_ms: from navigation start to the first paint of the interactive
// shell, in headless Chromium through the browser bridge (goal <= 800 ms). Median of runs,
// each in a fresh browser context so nothing is cached.
import { launchChromium } from '../../tests/helpers/chromium';
import { startWebApp } from '../../tests/helpers/web-app';
import { median, type Report } from '../report';

export async function run(report: Report): Promise<void> {
  const app = await startWebApp();
  const browser = await launchChromium();
  try {
    const samples: number[] = [];
    for (let i = 0; i < 7; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(app.bridge.url);
      await page.waitForSelector('html[data-ready="true"]');
      const paintedAt = await page.evaluate(
        () =>
          new Promise<number>((resolve) =>
            // The frame after the shell rendered is the one that paints it.
            requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now()))),
          ),
      );
      if (i > 0) samples.push(paintedAt); // the first run warms the OS file cache
      await context.close();
    }
    report.add('ui.shell_first_paint_ms', median(samples), 'ms');
  } finally {
    await browser.close();
    await app.close();
  }
}
