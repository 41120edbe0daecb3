// Results anyone can re-count, through `npm run start:web` and Chromium only: a facilitator
// closes a vote and the vote page says this replica's count matches the published result,
// in English and in Spanish. (Two replicas and a tampered store: tests/integration/sync-recount.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import { startPlenaryWeb, type PlenaryWebProcess } from '../helpers/plenary-web-process';
import { openApp, type OpenedPage } from '../helpers/e2e-page';
import { startCircle } from '../helpers/e2e-circle';
import { seriousAxeFindings } from '../helpers/axe';
import { artifactPath } from '../helpers/paths';
import Database from 'better-sqlite3';
import { join } from 'node:path';

let app: PlenaryWebProcess;
let browser: Browser;
let opened: OpenedPage;

const shot = (page: Page, name: string) => page.screenshot({ path: artifactPath('e2e', 'recount', `${name}.png`), fullPage: true });
const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name }).click();

beforeAll(async () => {
  app = await startPlenaryWeb();
  browser = await launchChromium();
  opened = await openApp(browser, app);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('a closed vote re-counted on this computer', () => {
  it('says the count matches the published result', async () => {
    const { page } = opened;
    await startCircle(page, { name: 'Tech ops', timeZone: 'Europe/Madrid', me: 'Alice', members: [['Bob', '@bob:meet.coop']] });

    await nav(page, 'Votes');
    await page.getByRole('heading', { level: 1, name: 'Votes' }).waitFor();
    await page.getByRole('button', { name: 'New vote' }).click();
    const form = page.getByRole('form', { name: 'New vote' });
    await form.getByLabel('Question or motion').fill('Move to the new host?');
    await form.getByLabel('Method').selectOption('single');
    await form.getByLabel('Option 1').fill('Yes');
    await form.getByLabel('Option 2').fill('No');
    await form.getByRole('button', { name: 'Start vote' }).click();
    await page.getByRole('heading', { level: 1, name: 'Move to the new host?' }).waitFor();
    for (const [voter, option] of [
      ['Alice', 'Yes'],
      ['Bob', 'No'],
    ] as const) {
      await page.getByLabel('Voter').selectOption({ label: voter === 'Alice' ? 'Alice (you)' : voter });
      await page.getByRole('group', { name: `Choice of ${voter}` }).getByLabel(option).check();
      await page.getByRole('button', { name: `Record ballot for ${voter}` }).click();
      await expect.poll(() => page.getByRole('table').getByRole('row').count()).toBeGreaterThan(voter === 'Alice' ? 1 : 2);
    }
    await page.getByRole('button', { name: 'Close the vote…' }).click();
    await page.getByRole('button', { name: 'Close the vote now' }).click();
    const recount = page.getByRole('region', { name: 'Recount' });
    await recount.getByText("Verified: this replica's count matches the published result.").waitFor();
    expect(await recount.textContent()).toMatch(/Published by Alice, .+This replica's digest \(SHA-256\): [0-9a-f]{64}/);
    expect(await recount.getByRole('button').count()).toBe(0);
    await shot(page, '01-verified-en');
    const findings = await seriousAxeFindings(page);
    expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);

    const address = page.url();
    await nav(page, 'Settings');
    await page.getByLabel('Language').selectOption('es');
    await page.getByRole('heading', { level: 1, name: 'Ajustes' }).waitFor();
    await page.goto(address);
    await page.getByRole('region', { name: 'Recuento' }).getByText('Verificado: el recuento de esta réplica coincide con el resultado publicado.').waitFor();
    await shot(page, '02-verified-es');
  });

  it('warns with what differs when a ballot in this computer\'s store was changed', async () => {
    const { page } = opened;
    // Someone edits Bob's ballot in the store file behind Plenary's back.
    const file = new Database(join(app.dataDir, 'plenary.sqlite'));
    const changed = file.prepare("UPDATE ops SET payload = json_set(payload, '$.choice', (SELECT json_extract(payload, '$.choice') FROM ops WHERE type = 'vote.ballot' AND json_extract(payload, '$.voter') != '@bob:meet.coop')) WHERE type = 'vote.ballot' AND json_extract(payload, '$.voter') = '@bob:meet.coop'").run();
    file.close();
    expect(changed.changes).toBe(1);
    await page.reload();
    const recount = page.getByRole('region', { name: 'Recuento' });
    await recount.getByText('No coincide: el recuento de esta réplica difiere del resultado que publicó Alice.').waitFor();
    const differences = await recount.getByRole('listitem').allTextContents();
    expect(differences).toEqual(['Yes: 1 publicado, 2 aquí.', 'No: 1 publicado, 0 aquí.', 'Resultado: «Yes, No» publicado, «Yes» aquí.']);
    await recount.getByRole('button', { name: 'Publicar el recuento de esta réplica' }).waitFor();
    await shot(page, '03-mismatch-es');
    const findings = await seriousAxeFindings(page);
    expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
  });
});
