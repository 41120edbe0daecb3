// The app shell in real Chromium, with Plenary started as `npm run start:web` as a member
// does: every section reachable by keyboard, screenshots of each, no serious axe findings,
// themes and languages switch (and survive a restart), and the page never sees the bridge
// token in its URL or Node APIs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import { startPlenaryWeb, type PlenaryWebProcess } from '../helpers/plenary-web-process';
import { openApp, type OpenedPage } from '../helpers/e2e-page';
import { seriousAxeFindings } from '../helpers/axe';
import { artifactPath } from '../helpers/paths';

const sections = [
  ['today', 'Today'],
  ['circles', 'Circles'],
  ['assemblies', 'Assemblies'],
  ['votes', 'Votes'],
  ['contributions', 'Contributions'],
  ['chat', 'Chat'],
  ['settings', 'Settings'],
] as const;

let app: PlenaryWebProcess;
let browser: Browser;
let opened: OpenedPage;

beforeAll(async () => {
  app = await startPlenaryWeb();
  browser = await launchChromium();
  opened = await openApp(browser, app);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Quits Plenary and starts it again on the same data folder, then opens it in a fresh browser profile. */
async function restartApp(): Promise<void> {
  await opened.page.context().close();
  await app.stop();
  app = await startPlenaryWeb({ dataDir: app.dataDir });
  opened = await openApp(browser, app);
}

describe('app shell in Chromium', () => {
  it('loads without errors, removes the token from the URL and has no Node access', async () => {
    const { page, problems } = opened;
    expect(page.url()).not.toContain('token=');
    expect(page.url()).toMatch(/#\/today$/);
    expect(await page.evaluate(() => typeof (globalThis as Record<string, unknown>).require)).toBe('undefined');
    expect(await page.evaluate(() => typeof (globalThis as Record<string, unknown>).process)).toBe('undefined');
    expect(problems).toEqual([]);
  });

  it('reaches every section by keyboard and saves a screenshot of each', async () => {
    const { page } = opened;
    for (const [section, label] of sections) {
      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: label }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: label }).waitFor();
      expect(page.url()).toMatch(new RegExp(`#/${section}$`));
      // A new section moves focus to the content so keyboard users land there.
      if (section !== 'today') await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main');
      await page.screenshot({ path: artifactPath('e2e', 'shell', `${section}.png`), fullPage: true });
    }
  });

  it('starts keyboard users with a skip link', async () => {
    const { page } = opened;
    await page.evaluate(() => (window.location.hash = '#/today'));
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
  });

  it('has no serious or critical axe findings in any section', async () => {
    const { page } = opened;
    for (const [section] of sections) {
      await page.evaluate((s) => (window.location.hash = `#/${s}`), section);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      const findings = await seriousAxeFindings(page);
      expect(findings, `${section}: ${JSON.stringify(findings, null, 2)}`).toEqual([]);
    }
  });

  it('switches to the dark theme and back from Settings, kept by Plenary across a restart', async () => {
    const { page } = opened;
    await page.evaluate(() => (window.location.hash = '#/settings'));
    await page.getByLabel('Theme').selectOption('dark');
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.screenshot({ path: artifactPath('e2e', 'shell', 'settings-dark.png'), fullPage: true });
    expect(await seriousAxeFindings(page)).toEqual([]);

    // Kept in Plenary's data folder, not in the browser: a restarted Plenary opened in a
    // fresh browser profile (no storage from before) is still dark.
    await restartApp();
    const after = opened.page;
    await after.evaluate(() => (window.location.hash = '#/settings'));
    await after.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await expect.poll(() => after.getByLabel('Theme').inputValue()).toBe('dark');
    expect(await after.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await after.getByLabel('Theme').selectOption('system');
    await expect.poll(() => after.evaluate(() => document.documentElement.dataset.theme)).toBeUndefined();
  });

  it('follows the system dark scheme', async () => {
    const dark = await openApp(browser, app, { colorScheme: 'dark' });
    const background = await dark.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(22, 23, 24)');
    await dark.page.screenshot({ path: artifactPath('e2e', 'shell', 'today-system-dark.png') });
    await dark.page.context().close();
  });

  it('changes language from Settings and follows the system language', async () => {
    const { page } = opened;
    await page.evaluate(() => (window.location.hash = '#/settings'));
    await page.getByLabel('Language').selectOption('ja');
    await page.getByRole('heading', { level: 1, name: '設定' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ja');
    await page.screenshot({ path: artifactPath('e2e', 'shell', 'settings-ja.png'), fullPage: true });
    await page.getByLabel('言語').selectOption('system');
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();

    const french = await openApp(browser, app, { locale: 'fr-FR' });
    await french.page.getByRole('heading', { level: 1, name: "Aujourd'hui" }).waitFor();
    await french.page.context().close();
  });

  it('shows a clear message when opened without the token', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${app.port}/`);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('npm run start:web');
    await context.close();
  });
});
