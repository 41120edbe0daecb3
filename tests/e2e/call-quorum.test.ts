// Quorum from the call: with the BBB API configured and the circle's meeting running, the
// assembly page shows who of the members is in the call and "Quorum present", and the
// facilitator prefills attendance from the call. Plenary runs as `npm run start:web`; the
// BBB server is the test server (tests/servers).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import { startPlenaryWeb, type PlenaryWebProcess } from '../helpers/plenary-web-process';
import { openApp } from '../helpers/e2e-page';
import { seriousAxeFindings } from '../helpers/axe';
import { artifactPath } from '../helpers/paths';
import { startBbbTestServer, type BbbTestServer } from '../servers/bbb-test-server';

let server: BbbTestServer;
let browser: Browser;
let app: PlenaryWebProcess;
let page: Page;

const nav = (p: Page, name: string | RegExp) => p.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name });

async function newTab(context: BrowserContext, click: () => Promise<void>): Promise<Page> {
  const [tab] = await Promise.all([context.waitForEvent('page'), click()]);
  await tab.waitForLoadState('domcontentloaded');
  return tab;
}

beforeAll(async () => {
  server = await startBbbTestServer({ rooms: [{ version: 2, code: 'stw-x2y-9zz', name: 'Stewards', anyoneCanStart: true }] });
  browser = await launchChromium();
  app = await startPlenaryWeb();
  ({ page } = await openApp(browser, app));
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await server?.close();
});

describe('quorum from the call', () => {
  it('shows quorum present from the members in the call and prefills attendance', async () => {
    await nav(page, 'Circles').click();
    const create = page.getByRole('form', { name: 'Start a circle' });
    await create.getByLabel('Name', { exact: true }).fill('Stewards');
    await create.getByLabel('Purpose').fill('Steward the coop.');
    await create.getByLabel('Circle time zone').fill('UTC');
    await create.getByLabel('Your name in this circle').fill('Ana');
    await create.getByLabel('Your time zone').fill('UTC');
    await create.getByRole('button', { name: 'Create circle' }).click();
    await page.getByRole('heading', { level: 1, name: 'Stewards' }).waitFor();
    const add = page.getByRole('form', { name: 'Add a member' });
    await add.getByLabel('Name').fill('Bruno');
    await add.getByLabel('Matrix ID').fill('@bruno:meet.coop');
    await add.getByLabel('Time zone').fill('UTC');
    await add.getByRole('button', { name: 'Add member' }).click();
    await page.getByRole('rowheader', { name: /^Bruno/ }).first().waitFor();
    await page.getByRole('button', { name: 'Plan an assembly' }).click();
    const plan = page.getByRole('form', { name: 'Plan an assembly' });
    await plan.getByLabel('Title').fill('General assembly');
    await plan.getByRole('button', { name: 'Create assembly' }).click();
    await page.getByRole('heading', { level: 1, name: 'General assembly' }).waitFor();
    const assemblyUrl = page.url();
    // No meeting running: nothing about the call.
    expect(await page.getByRole('heading', { name: 'Quorum from the call' }).count()).toBe(0);

    await page.evaluate(() => (window.location.hash = '#/settings'));
    await page.getByLabel('Your name in calls').fill('Ana');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByLabel('API address').fill(server.origin);
    await page.getByLabel('Checksum algorithm').selectOption('sha512');
    await page.getByLabel('Shared secret').fill(server.secret);
    await page.getByRole('button', { name: 'Save and test' }).click();
    await page.getByText('Connected to 127.0.0.1').waitFor();

    await nav(page, /^Today/).click();
    await page.getByRole('heading', { name: 'Start a meeting' }).waitFor();
    await page.getByLabel('Assembly').selectOption({ label: 'General assembly' });
    const tab = await newTab(page.context(), () => page.getByRole('button', { name: 'Start and join as moderator' }).click());
    await tab.waitForURL(/\/html5client\/join/);
    // The test server counts Ana once her tab has joined, which can be after the redirect:
    // ask again, as a member would, until the call shows her.
    await expect
      .poll(async () => {
        await page.getByRole('button', { name: 'Check again' }).click();
        return page.locator('.meeting.running').getByText('1 person in the call').count();
      })
      .toBe(1);

    await page.goto(assemblyUrl);
    const section = page.getByRole('region', { name: 'Quorum from the call' });
    await expect.poll(() => section.textContent()).toContain('Quorum present. 1 of 2 members are in the call; a quorum of 50 % needs 1.');
    await section.getByRole('button', { name: 'Prefill attendance from the call' }).click();
    await section.getByText('1 member recorded present.').waitFor();
    await page.screenshot({ path: artifactPath('e2e', 'call-quorum', 'assembly.png'), fullPage: true });
    expect(await seriousAxeFindings(page)).toEqual([]);
    await tab.close();
  });
});
