// Time polls through `npm run start:web` and Chromium only: a facilitator offers three
// times (a past time, a repeated time and a length of zero are refused as typed), sees them
// in their own time zone (Asia/Tokyo, not this computer's), ticks the ones they can make,
// closes the poll, makes one time the circle's meeting, and finds it on Today with Join;
// then the poll again in Japanese.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import { startPlenaryWeb, type PlenaryWebProcess } from '../helpers/plenary-web-process';
import { openApp, type OpenedPage } from '../helpers/e2e-page';
import { seriousAxeFindings } from '../helpers/axe';
import { artifactPath } from '../helpers/paths';

let app: PlenaryWebProcess;
let browser: Browser;
let opened: OpenedPage;
let voteUrl = '';

const shot = (page: Page, name: string) => page.screenshot({ path: artifactPath('e2e', 'time-polls', `${name}.png`), fullPage: true });

async function expectNoSeriousAxeFindings(page: Page, where: string) {
  const findings = await seriousAxeFindings(page);
  expect(findings, `${where}: ${JSON.stringify(findings, null, 2)}`).toEqual([]);
}

const nav = (page: Page, name: string | RegExp) => page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name }).click();
const pad = (n: number) => String(n).padStart(2, '0');
/** What a datetime-local field holds for a time, on this computer's clock (the app's too). */
const dateTimeLocal = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
const hour = 3_600_000;
/** Whole hours from now, so the slots read cleanly. */
const inHours = (n: number) => Math.ceil(Date.now() / hour) * hour + n * hour;

beforeAll(async () => {
  app = await startPlenaryWeb();
  browser = await launchChromium();
  opened = await openApp(browser, app);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('time polls', () => {
  it('refuses a past time, a repeated time and a zero length, and starts a poll with three times', async () => {
    const { page } = opened;
    await nav(page, 'Circles');
    const create = page.getByRole('form', { name: 'Start a circle' });
    await create.getByLabel('Name', { exact: true }).fill('Product');
    await create.getByLabel('Circle time zone').fill('Europe/Madrid');
    await create.getByLabel('Your name in this circle').fill('Aiko');
    await create.getByLabel('Your time zone').fill('Asia/Tokyo');
    await create.getByRole('button', { name: 'Create circle' }).click();
    await page.getByRole('heading', { level: 1, name: 'Product' }).waitFor();
    const add = page.getByRole('form', { name: 'Add a member' });
    await add.getByLabel('Name').fill('Bob');
    await add.getByLabel('Matrix ID (optional)').fill('@bob:meet.coop');
    await add.getByRole('button', { name: 'Add member' }).click();
    await page.getByRole('rowheader', { name: /^Bob/ }).waitFor();

    await nav(page, /^Today/);
    // The circle's panel opens with its card; Today's own "Room link" field is outside it.
    const product = page.locator('.circle-card').filter({ hasText: 'Product' });
    await product.locator('summary').click();
    await product.getByLabel('Room link').fill('https://meet.example.coop/rooms/prd-abc-def-ghi/join');
    await product.getByLabel('Name (optional)').fill('Product room');
    await product.getByRole('button', { name: 'Add room' }).click();
    await page.getByRole('button', { name: /^Trust meet\.example\.coop and add the room$/ }).click();
    await page.getByRole('button', { name: 'Remove Product room' }).waitFor();

    await nav(page, 'Votes');
    await page.getByRole('button', { name: 'New vote' }).click();
    const form = page.getByRole('form', { name: 'New vote' });
    await form.getByLabel('Question or motion').fill('When shall we meet for the roadmap?');
    await form.getByLabel('Method').selectOption('time');
    await form.getByRole('button', { name: 'Add a time' }).click();
    await form.getByLabel('Time 1', { exact: true }).fill(dateTimeLocal(inHours(-3)));
    await form.getByText('Time 1 has already passed. Offer a time still to come.').waitFor();
    await form.getByLabel('Time 1', { exact: true }).fill(dateTimeLocal(inHours(26)));
    await form.getByLabel('Time 2', { exact: true }).fill(dateTimeLocal(inHours(26)));
    await form.getByText('Time 2 repeats an earlier time.').waitFor();
    await form.getByLabel('Time 2', { exact: true }).fill(dateTimeLocal(inHours(50)));
    await form.getByLabel('Time 3', { exact: true }).fill(dateTimeLocal(inHours(74)));
    await form.getByLabel('Length of the meeting (minutes)').fill('0');
    await form.getByText('The length must be a whole number of minutes above zero.').waitFor();
    expect(await form.getByRole('button', { name: 'Start vote' }).isDisabled()).toBe(true);
    await form.getByLabel('Length of the meeting (minutes)').fill('90');
    await shot(page, '01-new-time-poll');
    await expectNoSeriousAxeFindings(page, 'the new time poll form');
    await form.getByRole('button', { name: 'Start vote' }).click();
    await page.getByRole('heading', { level: 1, name: 'When shall we meet for the roadmap?' }).waitFor();
    voteUrl = page.url();
  });

  it('shows the times in the member’s own time zone and takes their answer', async () => {
    const { page } = opened;
    await page.getByText('Times are shown in your time zone, Asia/Tokyo.').waitFor();
    const mine = page.getByRole('region', { name: 'Your ballot' });
    const boxes = mine.getByRole('checkbox');
    await expect.poll(() => boxes.count()).toBe(3);
    // Tokyo's clock, named: not this computer's zone.
    const on = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', ...options }).format(inHours(50));
    const second = mine.getByLabel(new RegExp(`${on({ day: 'numeric', month: 'short' })} .*${on({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })}.*GMT\\+9`));
    await second.check();
    await boxes.first().check();
    await mine.getByRole('button', { name: 'Cast my ballot' }).click();
    await mine.getByRole('button', { name: 'Change my ballot' }).waitFor();
    await shot(page, '02-answered');
    await expectNoSeriousAxeFindings(page, 'a time poll with an answer');
  });

  it('closes the poll, makes the chosen time the circle’s meeting, and shows it on Today with Join', async () => {
    const { page } = opened;
    await page.getByRole('button', { name: 'Close the vote…' }).click();
    await page.getByRole('button', { name: 'Close the vote now' }).click();
    const pick = page.getByLabel('Time for the meeting');
    await pick.waitFor();
    await expect.poll(async () => (await pick.locator('option').allTextContents()).join('|')).toContain('1 can make it');
    await pick.selectOption({ index: 0 });
    await page.getByRole('button', { name: 'Make it the meeting' }).click();
    await page.getByText(/^Chosen: .+ It is now a meeting of the circle, on Today\.$/).waitFor();
    await shot(page, '03-chosen');
    await expectNoSeriousAxeFindings(page, 'a closed time poll with its chosen time');

    await nav(page, /^Today/);
    const coming = page.getByRole('region', { name: 'Coming up' });
    await coming.getByRole('heading', { name: 'Product' }).waitFor();
    await coming.getByText('When shall we meet for the roadmap?').waitFor();
    await coming.getByRole('button', { name: 'Join Product in Product room' }).waitFor();
    await shot(page, '04-today');
    await expectNoSeriousAxeFindings(page, 'Today with the chosen meeting');
  });

  it('reads the poll in Japanese', async () => {
    const { page } = opened;
    await nav(page, 'Settings');
    await page.getByLabel('Language').selectOption('ja');
    await page.getByRole('navigation').first().waitFor();
    await page.goto(voteUrl);
    await page.getByRole('heading', { level: 2, name: 'いつ集まりますか？' }).waitFor();
    await page.getByText('日時はあなたのタイムゾーン（Asia/Tokyo）で表示しています。').waitFor();
    await expect.poll(() => page.getByText(/^決定：.*2026/).count()).toBe(1);
    await shot(page, '05-poll-ja');
    await expectNoSeriousAxeFindings(page, 'the time poll in Japanese');
  });
});
