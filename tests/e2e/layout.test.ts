// Plenary at 720 and 800 px wide, with names as long as the fields allow and no spaces to
// break them: nothing widens the page, the navigation keeps only its icons, tables scroll
// inside their cards, every text field shows its limit, and axe finds nothing serious.
// Plenary runs as `npm run start:web`, used only through Chromium.
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

const long = (letter: string, length: number) => letter.repeat(length);
const circleName = long('C', 10_000);
const memberName = long('M', 400);
const question = long('Q', 600);

const shot = (page: Page, name: string) => page.screenshot({ path: artifactPath('e2e', 'layout', `${name}.png`), fullPage: true });

async function expectNoSeriousAxeFindings(page: Page, where: string) {
  const findings = await seriousAxeFindings(page);
  expect(findings, `${where}: ${JSON.stringify(findings, null, 2)}`).toEqual([]);
}

/** How wide the page is: it must never be wider than the window. */
const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);
const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name }).click();

beforeAll(async () => {
  app = await startPlenaryWeb();
  browser = await launchChromium();
  opened = await openApp(browser, app);
  await opened.page.setViewportSize({ width: 720, height: 900 });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('layout at 720 px with names as long as allowed', () => {
  it('collapses the navigation to its icons between 720 and 980 px, and expands it above', async () => {
    const { page } = opened;
    const circles = page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Circles' });
    expect((await circles.boundingBox())!.width).toBeLessThan(80);
    expect(await circles.getAttribute('title')).toBe('Circles');
    await page.setViewportSize({ width: 1280, height: 900 });
    await expect.poll(async () => (await circles.boundingBox())!.width).toBeGreaterThan(150);
    await page.setViewportSize({ width: 720, height: 900 });
    await expect.poll(async () => (await circles.boundingBox())!.width).toBeLessThan(80);
  });

  it('shows the connection as a dot beside the icons, its sentences in a panel that opens and closes from the keyboard', async () => {
    const { page } = opened;
    const toggle = page.getByRole('button', { name: 'Connection and sync' });
    const sentence = page.getByText('Local store only: no coop server connected');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await sentence.isVisible()).toBe(false);
    // Its description is the status itself, for a screen reader that lands on it.
    expect(await toggle.evaluate((button) => document.getElementById(button.getAttribute('aria-describedby')!)?.textContent)).toContain('Local store only');
    await toggle.focus();
    await page.keyboard.press('Enter');
    await sentence.waitFor();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const box = (await sentence.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(720);
    expect(await pageWidth(page)).toBeLessThanOrEqual(720);
    await shot(page, 'status-panel-720');
    await expectNoSeriousAxeFindings(page, 'the status panel open');
    await page.keyboard.press('Escape');
    await sentence.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-expanded'))).toBe('false');
    // Wider, the sentences are simply there and the button is not.
    await page.setViewportSize({ width: 1280, height: 900 });
    await sentence.waitFor();
    expect(await toggle.isVisible()).toBe(false);
    await page.setViewportSize({ width: 720, height: 900 });
    await sentence.waitFor({ state: 'hidden' });
  });

  it('limits every field of a circle, with a counter, and keeps long names inside the window', async () => {
    const { page } = opened;
    await nav(page, 'Circles');
    const create = page.getByRole('form', { name: 'Start a circle' });
    const name = create.getByLabel('Name', { exact: true });
    await name.fill(circleName);
    // The field takes its limit and says so.
    expect(await name.inputValue()).toHaveLength(120);
    expect(await create.getByText('120 / 120 characters').count()).toBe(1);
    await create.getByLabel('Circle time zone').fill('Europe/Madrid');
    await create.getByLabel('Your name in this circle').fill(memberName);
    expect(await create.getByLabel('Your name in this circle').inputValue()).toHaveLength(120);
    await create.getByLabel('Your time zone').fill('Europe/Madrid');
    await create.getByRole('button', { name: 'Create circle' }).click();
    await page.getByRole('heading', { level: 1, name: long('C', 120) }).waitFor();
    const add = page.getByRole('form', { name: 'Add a member' });
    for (const [letter, id] of [
      ['B', '@bob:meet.coop'],
      ['D', ''],
    ] as const) {
      await add.getByLabel('Name').fill(long(letter, 300));
      await add.getByLabel('Matrix ID (optional)').fill(id);
      await add.getByRole('button', { name: 'Add member' }).click();
      await page.getByRole('rowheader', { name: new RegExp(`^${letter}{120}`) }).waitFor();
    }
    expect(await pageWidth(page)).toBeLessThanOrEqual(720);
    await shot(page, '01-circle-720');
    await expectNoSeriousAxeFindings(page, 'circle page at 720 px');
  });

  it('runs an assembly and a vote with long text, at 720 and 800 px', async () => {
    const { page } = opened;
    await page.getByRole('button', { name: 'Plan an assembly' }).click();
    const plan = page.getByRole('form', { name: 'Plan an assembly' });
    await plan.getByLabel('Title').fill(long('A', 500));
    await plan.getByRole('button', { name: 'Create assembly' }).click();
    await page.getByRole('heading', { level: 1, name: long('A', 200) }).waitFor();
    await page.getByLabel('New agenda item').fill(long('I', 300));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 3, name: new RegExp(long('I', 200)) }).waitFor();
    await page.getByRole('button', { name: 'Open the assembly' }).click();
    await page.getByText('In session', { exact: true }).first().waitFor();
    await page.getByRole('button', { name: 'Put a motion to the vote' }).click();
    const motion = page.getByRole('form', { name: 'New vote' });
    await motion.getByLabel('Question or motion').fill(question);
    expect(await motion.getByText('300 / 300 characters').count()).toBe(1);
    await motion.getByLabel('Method').selectOption('single');
    await motion.getByLabel('Option 1', { exact: true }).fill(long('X', 400));
    await motion.getByLabel('Option 2', { exact: true }).fill(long('Y', 400));
    await motion.getByRole('button', { name: 'Start vote' }).click();
    const panel = page.getByRole('region', { name: long('Q', 300) });
    await panel.waitFor();
    await panel.getByRole('group', { name: /^Choice of/ }).getByLabel(long('X', 200)).check();
    await panel.getByRole('button', { name: /^Record ballot for/ }).click();
    await expect.poll(() => panel.getByText(/^So far:/).count()).toBe(1);
    // A cut result label shows its whole text on hover.
    expect(await panel.locator('.gov-bar-label').first().getAttribute('title')).toBe(long('X', 200));
    expect(await pageWidth(page)).toBeLessThanOrEqual(720);
    await shot(page, '02-assembly-720');
    await expectNoSeriousAxeFindings(page, 'assembly at 720 px');

    await page.setViewportSize({ width: 800, height: 900 });
    await expect.poll(() => pageWidth(page)).toBeLessThanOrEqual(800);
    await shot(page, '03-assembly-800');
    await page.setViewportSize({ width: 720, height: 900 });
  });

  it('scrolls the ballots table inside its card, which the keyboard reaches', async () => {
    const { page } = opened;
    await nav(page, 'Votes');
    await page.getByRole('link', { name: long('Q', 300) }).click();
    await page.getByRole('heading', { level: 1, name: long('Q', 300) }).waitFor();
    const scroller = page.getByRole('region', { name: '1 ballot' });
    await scroller.waitFor();
    expect(await scroller.getAttribute('tabindex')).toBe('0');
    expect(await pageWidth(page)).toBeLessThanOrEqual(720);
    await shot(page, '04-vote-720');
    await expectNoSeriousAxeFindings(page, 'vote page at 720 px');

    await nav(page, 'Contributions');
    await page.getByRole('heading', { level: 1, name: 'Contributions' }).waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(720);
    await expectNoSeriousAxeFindings(page, 'contributions at 720 px');
    expect(opened.problems).toEqual([]);
  });

  it('fits in Japanese at 800 px and in Spanish at 1280 px too', async () => {
    const { page } = opened;
    await page.setViewportSize({ width: 800, height: 900 });
    await nav(page, 'Settings');
    await page.getByLabel('Language').selectOption('ja');
    await page.getByRole('heading', { level: 1, name: '設定' }).waitFor();
    await page.getByRole('navigation', { name: 'メインナビゲーション' }).getByRole('link', { name: '総会' }).click();
    await page.getByRole('link', { name: long('A', 200), exact: false }).first().click();
    await page.getByRole('heading', { level: 1, name: long('A', 200) }).waitFor();
    await page.getByText('議題', { exact: true }).first().waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(800);
    await shot(page, '05-assembly-ja-800');
    await expectNoSeriousAxeFindings(page, 'assembly in Japanese at 800 px');

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('navigation', { name: 'メインナビゲーション' }).getByRole('link', { name: '設定' }).click();
    await page.getByLabel('言語').selectOption('es');
    await page.getByRole('heading', { level: 1, name: 'Ajustes' }).waitFor();
    await page.getByRole('navigation', { name: 'Navegación principal' }).getByRole('link', { name: 'Votaciones' }).click();
    await page.getByRole('link', { name: long('Q', 300) }).click();
    await page.getByRole('heading', { level: 1, name: long('Q', 300) }).waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(1280);
    await shot(page, '06-vote-es-1280');
    await expectNoSeriousAxeFindings(page, 'vote page in Spanish at 1280 px');
    expect(opened.problems).toEqual([]);
  });
});
