// ui.shell_first_paint_ms: from navigation start to the first paint of the interactive
// shell, in headless Chromium through `npm run start:web` (goal <= 300 ms). Median of runs,
// each in a fresh browser context so nothing is cached.
//
// The paint is the browser's own record of it: the shell's brand carries `elementtiming`,
// and Chromium's Element Timing entry gives the time its pixels were presented. (This
// bench used to wait for data-ready and then two animation frames, asked from Node: that
// added the DevTools round trips and at least one frame after the paint, 80–180 ms more
// than the paint itself on a loaded machine.) The shell is interactive by then: the page
// marks data-ready before React commits the shell, so the paint comes after it; the bench
// checks that order instead of assuming it.
import type { Browser } from 'playwright-core';
import { median } from '../report';

export async function shellFirstPaint(browser: Browser, url: string): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 8; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForSelector('html[data-ready="true"]');
    // A string, not a function: tsx would inject its __name helper, which the page lacks.
    const { paintedAt, readyAt } = (await page.evaluate(`new Promise((resolve) => {
      const readyAt = performance.getEntriesByName('plenary:shell-ready')[0]?.startTime ?? null;
      new PerformanceObserver((list, observer) => {
        const shell = list.getEntries().find((entry) => entry.identifier === 'shell');
        if (!shell) return;
        observer.disconnect();
        resolve({ paintedAt: shell.renderTime || shell.loadTime, readyAt });
      }).observe({ type: 'element', buffered: true });
    })`)) as { paintedAt: number; readyAt: number | null };
    if (readyAt === null || paintedAt < readyAt) throw new Error(`the shell painted at ${paintedAt} ms, before the page said it was ready (${readyAt} ms)`);
    if (i > 0) samples.push(paintedAt); // the first run warms the OS file cache
    await context.close();
  }
  return median(samples);
}
