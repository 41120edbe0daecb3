// Settings › Meetings › Trusted hosts and coop.json, with Plenary started as
// `npm run start:web` and used through Chromium: a member without coop.json adds, refuses
// and removes hosts (kept across a restart); with a coop.json (PLENARY_COOP_CONFIG) its
// hosts are shown read-only, its name and website appear in Settings › Coop server, and its
// homeserver fills in the sign-in form. No serious axe findings.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import { startPlenaryWeb, stopAllPlenaryWeb } from '../helpers/plenary-web-process';
import { openApp } from '../helpers/e2e-page';
import { seriousAxeFindings } from '../helpers/axe';
import { artifactPath } from '../helpers/paths';

let browser: Browser;
let coopDir = '';

beforeAll(async () => {
  browser = await launchChromium();
  coopDir = mkdtempSync(join(tmpdir(), 'plenary-coop-json-'));
});

afterAll(async () => {
  await browser?.close();
  await stopAllPlenaryWeb();
  if (coopDir) rmSync(coopDir, { recursive: true, force: true });
});

const trustedHosts = (page: Page) => page.getByRole('group', { name: 'Trusted hosts' });
/** The hosts the list shows, in order. */
const listedHosts = (hosts: Locator) => hosts.locator('.host-pattern').allTextContents();

async function openSettings(page: Page): Promise<void> {
  await page.evaluate(() => (window.location.hash = '#/settings'));
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
}

describe('meeting hosts in Settings', () => {
  it('lets a member without coop.json add trusted hosts, explains a bad one in place, and removes them', async () => {
    const app = await startPlenaryWeb();
    const { page } = await openApp(browser, app);
    await openSettings(page);
    const hosts = trustedHosts(page);
    await hosts.getByText('No trusted hosts yet').waitFor();

    await hosts.getByLabel('Server').fill('http://meet.example.coop');
    await hosts.getByRole('button', { name: 'Add host' }).click();
    await expect.poll(() => hosts.getByRole('alert').textContent()).toContain('Meeting servers must use https://');
    expect(await hosts.getByText('No trusted hosts yet').count()).toBe(1);

    await hosts.getByLabel('Server').fill('https://meet.example.coop/b/abc-def-ghi');
    await hosts.getByRole('button', { name: 'Add host' }).click();
    await hosts.getByText('https://meet.example.coop is now a trusted host.').waitFor();
    await hosts.getByLabel('Server').fill('*.bbb.example.coop');
    await hosts.getByRole('button', { name: 'Add host' }).click();
    await hosts.getByRole('button', { name: 'Remove https://*.bbb.example.coop' }).waitFor();
    await page.screenshot({ path: artifactPath('e2e', 'meeting-hosts', 'trusted-hosts.png'), fullPage: true });
    expect(await seriousAxeFindings(page)).toEqual([]);

    // Plenary keeps the list, not the page: restarted on the same data folder and opened in
    // a fresh browser profile, it shows both hosts in order, and not the refused one.
    await page.context().close();
    await app.stop();
    const restarted = await startPlenaryWeb({ dataDir: app.dataDir });
    const { page: after } = await openApp(browser, restarted);
    await openSettings(after);
    const kept = trustedHosts(after);
    await expect.poll(() => listedHosts(kept)).toEqual(['https://meet.example.coop', 'https://*.bbb.example.coop']);

    await kept.getByRole('button', { name: 'Remove https://meet.example.coop' }).click();
    await kept.getByText('https://meet.example.coop is no longer a trusted host.').waitFor();
    // Read back from Plenary after a reload: only the other host is left.
    await after.reload();
    await after.waitForSelector('html[data-ready="true"]');
    await after.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await expect.poll(() => listedHosts(kept)).toEqual(['https://*.bbb.example.coop']);
  });

  it('with a coop.json: shows its hosts read-only, names the coop and fills in its homeserver', async () => {
    const file = join(coopDir, 'coop.json');
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        coop: { name: 'Test coop', website: 'https://www.test-coop.example' },
        matrix: { homeserver: 'https://matrix.test-coop.example', serverName: 'test-coop.example' },
        greenlight: { hosts: ['https://meet.test-coop.example'] },
        bbb: { hosts: ['https://*.bbb.test-coop.example'] },
      }),
    );
    const app = await startPlenaryWeb({ coopConfig: file });
    const { page } = await openApp(browser, app);
    await openSettings(page);

    const hosts = trustedHosts(page);
    await hosts.getByText("Your coop's configuration (coop.json) decides where meetings may run").waitFor();
    expect(await hosts.getByRole('listitem').allTextContents()).toEqual([
      "https://meet.test-coop.examplefrom the coop's configuration",
      "https://*.bbb.test-coop.examplefrom the coop's configuration",
    ]);
    expect(await hosts.getByRole('button').count()).toBe(0);
    expect(await hosts.getByLabel('Server').count()).toBe(0);

    const server = page.getByRole('region', { name: 'Coop server' });
    await server.getByText('Plenary is set up for Test coop').waitFor();
    expect(await server.getByRole('link', { name: "Test coop's website" }).getAttribute('href')).toBe('https://www.test-coop.example');
    const find = server.getByLabel("Your Matrix ID or the server's address");
    expect(await find.inputValue()).toBe('https://matrix.test-coop.example');
    expect(await find.getAttribute('placeholder')).toBe('@name:test-coop.example');
    await page.screenshot({ path: artifactPath('e2e', 'meeting-hosts', 'coop-json.png'), fullPage: true });
    expect(await seriousAxeFindings(page)).toEqual([]);
  });
});
