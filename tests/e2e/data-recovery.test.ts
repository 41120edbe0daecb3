// Your data, end to end, as a member meets it: `start:web` runs as its own process on a data
// folder, and the real page in Chromium shows the recovery screen for a damaged store and for
// one a later Plenary wrote (with its choices, which work); Settings › Data backs up and
// restores (the page reloads into the restored data, and a reload keeps showing it); and an
// export downloaded from one install is imported into another.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import { seriousAxeFindings } from '../helpers/axe';
import { artifactPath } from '../helpers/paths';
import { startWebProcess, type WebProcess } from '../helpers/web-process';
import { corruptTable, fileState, fromTheFuture } from '../helpers/store-damage';

let browser: Browser;
const running: WebProcess[] = [];
const contexts: BrowserContext[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
  for (const web of running.splice(0)) await web.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

afterAll(async () => {
  await browser?.close();
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'plenary-e2e-data-'));
  dirs.push(dir);
  return dir;
}

async function start(dir: string): Promise<WebProcess> {
  const web = await startWebProcess(dir);
  running.push(web);
  return web;
}

/** A store made by the app itself: start the process once on the folder, then stop it. */
async function storeMadeByTheApp(dir: string): Promise<string> {
  const web = await startWebProcess(dir);
  expect(await web.stop()).toBe(0);
  return join(dir, 'plenary.sqlite');
}

async function open(web: WebProcess, ready: 'true' | 'recovery'): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  contexts.push(context);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  await page.goto(web.url);
  await page.waitForSelector(`html[data-ready="${ready}"]`);
  return { page, problems };
}

/** A call over the bridge's socket, as the page makes it. */
async function bridgeCall(web: WebProcess, channel: string, input: unknown): Promise<unknown> {
  const ws = new WebSocket(`ws://127.0.0.1:${web.port}/bridge?token=${web.token}`, { origin: `http://127.0.0.1:${web.port}` });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  try {
    const reply = await new Promise<{ ok: boolean; value?: unknown; error?: unknown }>((resolve) => {
      ws.on('message', (data) => {
        const parsed = JSON.parse(data.toString()) as { id?: number; ok: boolean };
        if (parsed.id === 1) resolve(parsed);
      });
      ws.send(JSON.stringify({ id: 1, channel, input }));
    });
    if (!reply.ok) throw new Error(`${channel} failed: ${JSON.stringify(reply.error)}`);
    return reply.value;
  } finally {
    ws.close();
  }
}

const createCircle = (web: WebProcess, name: string) =>
  bridgeCall(web, 'governance.createCircle', { name, purpose: 'Created by the e2e test', timezone: 'UTC', displayName: 'Ana', memberTimezone: 'UTC' });

/** Waits until the Circles page lists exactly these circles (each is a heading with its link). */
async function expectCircles(page: Page, names: string[]): Promise<void> {
  await page.evaluate(() => (window.location.hash = '#/circles'));
  await page.getByRole('heading', { level: 1, name: 'Circles' }).waitFor();
  if (names.length === 0) await page.getByText(/^No circles yet\./).waitFor();
  await expect.poll(async () => (await page.getByRole('main').locator('h2 a').allTextContents()).map((t) => t.trim()).sort()).toEqual([...names].sort());
}

async function openDataSettings(page: Page) {
  await page.evaluate(() => (window.location.hash = '#/settings'));
  const section = page.getByRole('region', { name: 'Your data' });
  await section.waitFor();
  return section;
}

describe('the recovery screen of npm run start:web', () => {
  it('tells a member their store is damaged, offers the choices, and starts empty keeping the damaged file', async () => {
    const dir = dataDir();
    const file = await storeMadeByTheApp(dir);
    corruptTable(file, 'gov_circles');
    const damaged = fileState(file).sha256;
    const web = await start(dir);
    expect(web.output()).toContain('Plenary could not open its data');
    const { page, problems } = await open(web, 'recovery');

    await page.getByRole('heading', { level: 1, name: 'Plenary could not open your data' }).waitFor();
    expect(await page.getByRole('alert').first().textContent()).toContain('Your data file is damaged');
    expect(await page.getByRole('button').allTextContents()).toEqual(['Start with empty data', 'Quit Plenary']);
    expect(await page.getByText('The damaged file is not deleted').textContent()).toContain('The damaged file is not deleted');
    expect(await seriousAxeFindings(page)).toEqual([]);
    await page.screenshot({ path: artifactPath('e2e', 'data', 'recovery-damaged.png'), fullPage: true });

    await page.getByRole('button', { name: 'Start with empty data' }).click();
    // The core reopens the store and the page loads again, into the app.
    await page.waitForSelector('html[data-ready="true"]');
    await expectCircles(page, []);
    const section = await openDataSettings(page);
    await section.getByRole('heading', { name: 'Files kept aside' }).waitFor();
    expect(await section.getByRole('listitem').first().textContent()).toContain('Damaged file');
    const kept = readdirSync(dir).filter((name) => /^plenary\.sqlite\.damaged-[^-]+-\d\d-\d\d-\d\dZ$/.test(name) || /^plenary\.sqlite\.damaged-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z$/.test(name));
    expect(kept).toHaveLength(1);
    expect(fileState(join(dir, kept[0]!)).sha256).toBe(damaged);
    expect(problems).toEqual([]);
  });

  it('refuses a store a later Plenary wrote, naming that version, and quits when asked without touching it', async () => {
    const dir = dataDir();
    const file = await storeMadeByTheApp(dir);
    fromTheFuture(file, '7.1.0');
    const before = fileState(file);
    const web = await start(dir);
    const { page } = await open(web, 'recovery');
    expect(await page.getByRole('alert').first().textContent()).toBe(
      'Your data was last opened by Plenary 7.1.0, which is newer than this Plenary (0.1.0). So that nothing is lost, this version does not open it. Install Plenary 7.1.0 or newer.',
    );
    expect(await page.getByRole('button').allTextContents()).toEqual(['Quit Plenary']);
    expect(await seriousAxeFindings(page)).toEqual([]);
    await page.screenshot({ path: artifactPath('e2e', 'data', 'recovery-newer.png'), fullPage: true });
    await page.getByRole('button', { name: 'Quit Plenary' }).click();
    await page.getByText('Plenary has stopped. You can close this page.').waitFor();
    expect(await web.stop()).toBe(0);
    expect(fileState(file)).toEqual(before);
  });
});

describe('Settings › Data', () => {
  it('backs up, restores after a confirmation, and the page (and a reload) shows the restored data', async () => {
    const dir = dataDir();
    const web = await start(dir);
    await createCircle(web, 'Stewards');
    const { page, problems } = await open(web, 'true');
    let section = await openDataSettings(page);
    await section.getByRole('button', { name: 'Back up now' }).click();
    await section.getByRole('cell', { name: 'Made by you' }).waitFor();
    await createCircle(web, 'Community');
    await expectCircles(page, ['Community', 'Stewards']);

    section = await openDataSettings(page);
    expect(await seriousAxeFindings(page)).toEqual([]);
    await section.getByRole('button', { name: /^Restore the backup of / }).click();
    const confirm = page.getByRole('alertdialog');
    await confirm.waitFor();
    await page.screenshot({ path: artifactPath('e2e', 'data', 'restore-confirm.png'), fullPage: true });
    expect(await seriousAxeFindings(page)).toEqual([]);
    const reloaded = page.waitForEvent('load');
    await confirm.getByRole('button', { name: 'Restore this backup' }).click();
    await reloaded;
    await page.waitForSelector('html[data-ready="true"]');
    await expectCircles(page, ['Stewards']);
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    await expectCircles(page, ['Stewards']);
    section = await openDataSettings(page);
    await section.getByRole('heading', { name: 'Files kept aside' }).waitFor();
    expect(await section.getByRole('listitem').first().textContent()).toContain('Replaced by a restore');
    expect(existsSync(join(dir, 'store-swap.json'))).toBe(false);
    expect(problems).toEqual([]);
  });

  it('exports everything from one install and imports it into another, saying what was added', async () => {
    const from = await start(dataDir());
    await createCircle(from, 'Technology operations');
    await createCircle(from, 'Community');
    const source = await open(from, 'true');
    let section = await openDataSettings(source.page);
    const [download] = await Promise.all([source.page.waitForEvent('download'), section.getByRole('button', { name: 'Export everything' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^plenary-export-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z\.plenary$/);
    await section.getByText(/^Exported \d+ changes as plenary-export-/).waitFor();
    const exported = (await download.path())!;

    const into = await start(dataDir());
    const target = await open(into, 'true');
    section = await openDataSettings(target.page);
    await section.getByLabel('Import an export file').setInputFiles(exported);
    await section.getByText('Imported a file exported by Plenary 0.1.0').waitFor();
    const report = Object.fromEntries(
      await section.locator('.import-report dl > div').evaluateAll((rows) => rows.map((row) => [row.querySelector('dt')!.textContent, row.querySelector('dd')!.textContent])),
    ) as Record<string, string>;
    expect(report).toMatchObject({ 'Circles added': '2', 'Already here': '0', Refused: '0' });
    await section.getByText('You continue as the member who made the export.').waitFor();
    expect(await seriousAxeFindings(target.page)).toEqual([]);
    await target.page.screenshot({ path: artifactPath('e2e', 'data', 'import-report.png'), fullPage: true });
    await expectCircles(target.page, ['Community', 'Technology operations']);
    expect([...source.problems, ...target.problems]).toEqual([]);
  });
});
