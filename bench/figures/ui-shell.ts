// ui.shell_first_paint_ms: from navigation start to the first paint of the interactive
// shell, in headless Chromium through `npm run start:web` (goal <= 300 ms). Median of runs,
// each in a fresh browser context so nothing is cached.
import type { Browser } from 'playwright-core';
import { median } from '../report';

export async function shellFirstPaint(browser: Browser, url: string): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 8; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
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
  return median(samples);
}
