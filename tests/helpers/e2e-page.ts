// Opens the real renderer through the bridge in Chromium and collects what would indicate
// a broken page: console errors, CSP violations, uncaught exceptions.
import type { Browser, Page } from 'playwright-core';
import type { PlenaryWebProcess } from './plenary-web-process';

/** An app started with startPlenaryWeb, as a member starts it: opened at the address it printed. */
export type OpenableApp = Pick<PlenaryWebProcess, 'url'>;

export interface OpenedPage {
  page: Page;
  problems: string[];
}

export async function openApp(browser: Browser, app: OpenableApp, options: { colorScheme?: 'light' | 'dark'; locale?: string } = {}): Promise<OpenedPage> {
  const context = await browser.newContext({
    colorScheme: options.colorScheme ?? 'light',
    locale: options.locale ?? 'en-GB',
    viewport: { width: 1280, height: 800 },
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  await page.goto(app.url);
  await page.waitForSelector('html[data-ready="true"]');
  return { page, problems };
}
