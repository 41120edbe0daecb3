// Deadlines, reminders and outcomes through `npm run start:web` and Chromium only: a closing
// time in the past is refused, a vote closing within the lead time is listed on Today as
// "closing soon" and reminds the member who has not voted, the outcome is written with a
// review date (a past one refused), and the outcome comes back on Today as "due for review",
// in English and in Spanish.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import { startPlenaryWeb, type PlenaryWebProcess } from '../helpers/plenary-web-process';
import { openApp, type OpenedPage } from '../helpers/e2e-page';
import { startCircle } from '../helpers/e2e-circle';
import { seriousAxeFindings } from '../helpers/axe';
import { artifactPath } from '../helpers/paths';

let app: PlenaryWebProcess;
let browser: Browser;
let opened: OpenedPage;

const shot = (page: Page, name: string) => page.screenshot({ path: artifactPath('e2e', 'vote-deadlines', `${name}.png`), fullPage: true });

async function expectNoSeriousAxeFindings(page: Page, where: string) {
  const findings = await seriousAxeFindings(page);
  expect(findings, `${where}: ${JSON.stringify(findings, null, 2)}`).toEqual([]);
}

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name }).click();
const pad = (n: number) => String(n).padStart(2, '0');
/** What a datetime-local field holds for a time, in this computer's time zone (the app's too). */
const dateTimeLocal = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
const today = () => dateTimeLocal(Date.now()).slice(0, 10);

beforeAll(async () => {
  app = await startPlenaryWeb();
  browser = await launchChromium();
  opened = await openApp(browser, app);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('vote deadlines, reminders and outcomes', () => {
  it('refuses a closing time in the past and starts a vote that closes in two hours', async () => {
    const { page } = opened;
    await startCircle(page, { name: 'Stewards', timeZone: 'Europe/Madrid', me: 'Alice', members: [['Bob', '@bob:meet.coop']] });

    await nav(page, 'Votes');
    await page.getByRole('button', { name: 'New vote' }).click();
    const form = page.getByRole('form', { name: 'New vote' });
    await form.getByLabel('Question or motion').fill('Renew the hosting contract?');
    await form.getByLabel('Method').selectOption('single');
    await form.getByLabel('Option 1').fill('Yes');
    await form.getByLabel('Option 2').fill('No');
    await form.getByLabel('Closes at (optional)').fill(dateTimeLocal(Date.now() - 3_600_000));
    await form.getByRole('button', { name: 'Start vote' }).click();
    await form.getByText('The closing time has already passed. Pick a later time.').waitFor();

    await form.getByLabel('Closes at (optional)').fill(dateTimeLocal(Date.now() + 2 * 3_600_000));
    await form.getByRole('button', { name: 'Start vote' }).click();
    await page.getByRole('heading', { level: 1, name: 'Renew the hosting contract?' }).waitFor();
  });

  it('lists the vote on Today as closing soon and reminds the member who has not voted', async () => {
    const { page } = opened;
    await nav(page, 'Today');
    const soon = page.getByRole('region', { name: 'Closing soon' });
    await soon.getByRole('link', { name: 'Open the vote: Renew the hosting contract?' }).waitFor();
    await expect.poll(() => soon.textContent()).toContain('You have not voted yet');
    // The reminder, shown in the page as meeting reminders are (a system notification in the desktop app).
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Vote closing soon: Renew the hosting contract?' }).count(), { timeout: 30_000 }).toBe(1);
    await shot(page, '01-closing-soon');
    await expectNoSeriousAxeFindings(page, 'Today with a vote closing soon');

    // The lead time is a setting; less than an hour (a reminder after the close) is not offered.
    await nav(page, 'Settings');
    const lead = page.getByLabel('Remind me of votes I have not voted in (hours before the close)');
    expect(await lead.inputValue()).toBe('24');
    expect(await lead.getAttribute('min')).toBe('1');
  });

  it('closes the vote, refuses a review date in the past, and records the outcome with a review date', async () => {
    const { page } = opened;
    await nav(page, 'Today');
    await page.getByRole('region', { name: 'Closing soon' }).getByRole('link', { name: 'Open the vote: Renew the hosting contract?' }).click();
    await page.getByRole('heading', { level: 1, name: 'Renew the hosting contract?' }).waitFor();
    await page.getByRole('button', { name: 'Close the vote…' }).click();
    await page.getByRole('button', { name: 'Close the vote now' }).click();

    const outcome = page.getByRole('form', { name: 'Outcome' });
    await outcome.getByLabel('Outcome statement').fill('We renew for one year and compare offers in spring.');
    await outcome.getByLabel('Review date (optional)').fill('2020-01-01');
    await outcome.getByRole('button', { name: 'Save outcome' }).click();
    await outcome.getByText('The review date has already passed. Pick a later day.').waitFor();

    await outcome.getByLabel('Review date (optional)').fill(today());
    await outcome.getByRole('button', { name: 'Save outcome' }).click();
    await page.getByText(/^Review on /).waitFor();
    await shot(page, '02-outcome');
    await expectNoSeriousAxeFindings(page, 'a closed vote with its outcome and review date');
  });

  it('brings the outcome back on Today as due for review, in English and in Spanish', async () => {
    const { page } = opened;
    await nav(page, 'Today');
    const review = page.getByRole('region', { name: 'Due for review' });
    await review.getByRole('link', { name: 'Open the vote: Renew the hosting contract?' }).waitFor();
    expect(await review.textContent()).toContain('We renew for one year and compare offers in spring.');
    // Closed now: no longer closing soon.
    expect(await page.getByRole('region', { name: 'Closing soon' }).count()).toBe(0);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Decision due for review: Renew the hosting contract?' }).count(), { timeout: 30_000 }).toBe(1);
    await shot(page, '03-due-for-review');
    await expectNoSeriousAxeFindings(page, 'Today with an outcome due for review');

    await nav(page, 'Settings');
    await page.getByLabel('Language').selectOption('es');
    await page.getByRole('heading', { level: 1, name: 'Ajustes' }).waitFor();
    await page.getByRole('navigation', { name: 'Navegación principal' }).getByRole('link', { name: 'Hoy' }).click();
    const revisar = page.getByRole('region', { name: 'Pendientes de revisión' });
    await revisar.getByRole('link', { name: 'Abrir la votación: Renew the hosting contract?' }).waitFor();
    expect(await revisar.textContent()).toMatch(/Revisar el /);
    await shot(page, '04-due-for-review-es');
    await expectNoSeriousAxeFindings(page, 'Today in Spanish');
  });
});
