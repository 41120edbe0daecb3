// The coop's files as a member uses them: `npm run start:web` as a child process with a
// coop.json naming the NextCloud, driven only through Chromium against the NextCloud test
// setup (a real WsgiDAV behind Login Flow v2 and the OCS sharing API). Sign in through
// NextCloud's page, upload a file to an agenda item with a progress bar, attach an existing
// file to a vote, be told clearly about a read-only folder and a file over the limit, save
// the minutes into a folder, and sign out. Screenshots and axe on each screen.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import { startPlenaryWeb, type PlenaryWebProcess } from '../helpers/plenary-web-process';
import { openApp, type OpenedPage } from '../helpers/e2e-page';
import { seriousAxeFindings } from '../helpers/axe';
import { artifactPath } from '../helpers/paths';
import { NextcloudTestServer } from '../servers/nextcloud-test-server';

let cloud: NextcloudTestServer;
let app: PlenaryWebProcess;
let browser: Browser;
let opened: OpenedPage;
let dir: string;

const shot = (page: Page, name: string) => page.screenshot({ path: artifactPath('e2e', 'files', `${name}.png`), fullPage: true });

async function expectNoSeriousAxeFindings(page: Page, where: string) {
  const findings = await seriousAxeFindings(page);
  expect(findings, `${where}: ${JSON.stringify(findings, null, 2)}`).toEqual([]);
}

beforeAll(async () => {
  cloud = await NextcloudTestServer.start({ maxUploadBytes: 2 * 1024 * 1024, readOnlyFolders: ['Archive'] });
  writeFileSync(cloud.filePath('ana', 'Documents/budget-2027.ods'), Buffer.alloc(4096, 1));
  dir = mkdtempSync(join(tmpdir(), 'plenary-files-e2e-'));
  const coopConfig = join(dir, 'coop.json');
  writeFileSync(coopConfig, JSON.stringify({ version: 1, coop: { name: 'meet.coop' }, nextcloud: { url: cloud.url } }));
  app = await startPlenaryWeb({ coopConfig });
  browser = await launchChromium();
  opened = await openApp(browser, app);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await cloud?.stop();
});

describe("the coop's files, end to end", () => {
  it('signs in to NextCloud with Login Flow v2 through the browser', async () => {
    const { page } = opened;
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Settings' }).click();
    const section = page.getByRole('region', { name: 'Files' });
    await expect.poll(() => section.textContent()).toContain(`The coop's NextCloud is ${cloud.url}.`);
    const [login] = await Promise.all([page.context().waitForEvent('page'), section.getByRole('button', { name: 'Sign in to NextCloud' }).click()]);
    await login.waitForLoadState();
    await login.getByRole('button', { name: 'Log in' }).click();
    await login.getByRole('button', { name: 'Grant access' }).click();
    await login.getByRole('heading', { name: 'Account connected' }).waitFor();
    await login.close();
    await expect.poll(() => section.textContent(), { timeout: 15_000 }).toContain(`Signed in to ${cloud.url} as ana.`);
    await shot(page, '01-settings-signed-in');
    await expectNoSeriousAxeFindings(page, 'settings, files signed in');
  });

  it('uploads a file to an agenda item with progress and attaches it as a share link', async () => {
    const { page } = opened;
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Circles' }).click();
    const create = page.getByRole('form', { name: 'Start a circle' });
    await create.getByLabel('Name', { exact: true }).fill('Tech ops');
    await create.getByLabel('Circle time zone').fill('UTC');
    await create.getByLabel('Your name in this circle').fill('Ana');
    await create.getByLabel('Your time zone').fill('UTC');
    await create.getByRole('button', { name: 'Create circle' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tech ops' }).waitFor();
    await page.getByRole('button', { name: 'Plan an assembly' }).click();
    const plan = page.getByRole('form', { name: 'Plan an assembly' });
    await plan.getByLabel('Title').fill('December all-hands');
    await plan.getByRole('button', { name: 'Create assembly' }).click();
    await page.getByRole('heading', { level: 1, name: 'December all-hands' }).waitFor();
    await page.getByLabel('New agenda item').fill('Budget 2027');
    await page.keyboard.press('Enter');
    const files = page.getByRole('group', { name: 'Files for Budget 2027' });
    await files.waitFor();
    expect(await files.textContent()).toContain('No files attached.');

    await files.getByRole('button', { name: 'Attach a file' }).click();
    await files.getByRole('button', { name: 'Open Documents' }).click();
    await files.getByRole('heading', { name: 'Folder /Documents' }).waitFor();
    const upload = join(dir, 'server plan.pdf');
    writeFileSync(upload, Buffer.alloc(1536 * 1024, 9));
    await files.getByLabel('File to upload').setInputFiles(upload);
    // NextCloud holds the upload: the bar shows the file handed to Plenary, then waiting for NextCloud.
    const release = cloud.holdUploads();
    await files.getByRole('button', { name: 'Upload to this folder and attach' }).click();
    const bar = files.getByRole('progressbar');
    await expect.poll(async () => Number(await bar.getAttribute('value')), { timeout: 15_000 }).toBeGreaterThanOrEqual(50);
    expect(await files.getByRole('status').textContent()).toMatch(/Uploading server plan\.pdf: \d+%/);
    await shot(page, '02-uploading');
    release();
    await files.getByRole('link', { name: 'server plan.pdf' }).waitFor({ timeout: 20_000 });
    expect(readFileSync(cloud.filePath('ana', 'Documents/server plan.pdf')).length).toBe(1536 * 1024);
    const link = await files.getByRole('link', { name: 'server plan.pdf' }).getAttribute('href');
    expect(link).toMatch(new RegExp(`^${cloud.url}/s/[0-9a-f]+$`));
    expect((await fetch(`${link}/download`)).status).toBe(200);
    await shot(page, '03-agenda-attachment');
    await expectNoSeriousAxeFindings(page, 'assembly with an attachment');
  });

  it("says clearly when a folder is read-only or a file is over the server's limit, leaving nothing behind", async () => {
    const { page } = opened;
    const files = page.getByRole('group', { name: 'Files for Budget 2027' });
    await files.getByRole('button', { name: 'Attach a file' }).click();
    await files.getByRole('button', { name: 'Open Archive' }).click();
    await files.getByRole('heading', { name: 'Folder /Archive' }).waitFor();
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'notes');
    await files.getByLabel('File to upload').setInputFiles(notes);
    await files.getByRole('button', { name: 'Upload to this folder and attach' }).click();
    await expect.poll(() => files.getByRole('alert').textContent()).toContain('You may not write to /Archive on NextCloud: choose another folder.');
    await shot(page, '04-read-only');

    await files.getByRole('button', { name: 'Up one folder' }).click();
    await files.getByRole('button', { name: 'Open Documents' }).click();
    const big = join(dir, 'recording.webm');
    writeFileSync(big, Buffer.alloc(3 * 1024 * 1024, 2));
    await files.getByLabel('File to upload').setInputFiles(big);
    await files.getByRole('button', { name: 'Upload to this folder and attach' }).click();
    await expect.poll(() => files.getByRole('alert').textContent(), { timeout: 20_000 }).toContain('The file is larger than NextCloud accepts');
    expect(readdirSync(cloud.filePath('ana', 'Documents')).sort()).toEqual(['budget-2027.ods', 'server plan.pdf']);
    await files.getByRole('button', { name: 'Close' }).click();
  });

  it('attaches an existing file to a vote and saves the minutes into a folder', async () => {
    const { page } = opened;
    const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: '1. Budget 2027' }) });
    await page.getByRole('button', { name: 'Open the assembly' }).click();
    await item.getByRole('button', { name: 'Put a motion to the vote' }).click();
    const motion = item.getByRole('form', { name: 'New vote' });
    await motion.getByLabel('Question or motion').fill('Adopt the 2027 budget?');
    await motion.getByRole('button', { name: 'Start vote' }).click();
    await item.getByRole('region', { name: 'Adopt the 2027 budget?' }).waitFor();
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Votes' }).click();
    await page.getByRole('link', { name: 'Adopt the 2027 budget?' }).click();
    await page.getByRole('heading', { level: 1, name: 'Adopt the 2027 budget?' }).waitFor();
    const files = page.getByRole('group', { name: 'Files for Adopt the 2027 budget?' });
    await files.getByRole('button', { name: 'Attach a file' }).click();
    await files.getByRole('button', { name: 'Open Documents' }).click();
    await files.getByRole('button', { name: 'Attach budget-2027.ods' }).click();
    await files.getByRole('link', { name: 'budget-2027.ods' }).waitFor();
    await shot(page, '05-vote-attachment');
    await expectNoSeriousAxeFindings(page, 'vote with an attachment');

    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Adopt the 2027 budget?' }).waitFor({ state: 'detached' });
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Assemblies' }).click();
    await page.getByRole('link', { name: 'December all-hands' }).click();
    await page.getByRole('heading', { level: 1, name: 'December all-hands' }).waitFor();
    await page.getByRole('button', { name: 'Save minutes to NextCloud' }).click();
    const chooser = page.getByRole('group', { name: 'Choose a folder for the minutes' });
    await chooser.getByRole('heading', { name: 'Folder /Documents' }).waitFor();
    await chooser.getByRole('button', { name: 'Save here' }).click();
    await expect.poll(() => page.getByText(/Saved on NextCloud as \/Documents\/minutes-/).count()).toBe(1);
    const saved = readdirSync(cloud.filePath('ana', 'Documents')).find((name) => name.startsWith('minutes-'))!;
    expect(readFileSync(cloud.filePath('ana', `Documents/${saved}`), 'utf8')).toContain('# December all-hands');
    await shot(page, '06-minutes-saved');
  });

  it('signs out, revoking the app password', async () => {
    const { page, problems } = opened;
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Settings' }).click();
    const section = page.getByRole('region', { name: 'Files' });
    await section.getByRole('button', { name: 'Sign out and revoke the app password' }).click();
    await expect.poll(() => section.textContent()).toContain("Signed out. NextCloud revoked Plenary's app password.");
    expect(cloud.appPasswords.size).toBe(0);
    expect(problems).toEqual([]);
  });
});
