// The decision archive, as a member uses it through `npm run start:web` in Chromium: an
// assembly with a Japanese consent vote (closed, with an outcome statement), an English
// single-choice vote and minutes; then Votes › Search decisions finds them in English and
// Japanese (a two-character Japanese word too), filters by kind, method, status, outcome and
// date, shrugs off FTS syntax, and follows a result to its assembly and back. Also in Japanese.
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

const shot = (page: Page, name: string) => page.screenshot({ path: artifactPath('e2e', 'archive', `${name}.png`), fullPage: true });

async function expectNoSeriousAxeFindings(page: Page, where: string) {
  const findings = await seriousAxeFindings(page);
  expect(findings, `${where}: ${JSON.stringify(findings, null, 2)}`).toEqual([]);
}

beforeAll(async () => {
  app = await startPlenaryWeb();
  browser = await launchChromium();
  opened = await openApp(browser, app);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** The titles of the results listed now. */
async function resultTitles(page: Page): Promise<string[]> {
  const list = page.getByRole('list', { name: 'Search results' });
  if ((await list.count()) === 0) return [];
  return (await list.getByRole('heading', { level: 2 }).allTextContents()).map((t) => t.trim());
}

describe('the decision archive', () => {
  it('records an assembly with votes, an outcome and minutes', async () => {
    const { page } = opened;
    await startCircle(page, { name: 'Tech ops', timeZone: 'UTC', me: 'Alice' });

    await page.getByRole('button', { name: 'Plan an assembly' }).click();
    const plan = page.getByRole('form', { name: 'Plan an assembly' });
    await plan.getByLabel('Title').fill('Autumn all-hands');
    await plan.getByRole('button', { name: 'Create assembly' }).click();
    await page.getByRole('heading', { level: 1, name: 'Autumn all-hands' }).waitFor();
    for (const title of ['Budget', 'Servers']) {
      await page.getByLabel('New agenda item').fill(title);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 3, name: new RegExp(title) }).waitFor();
    }
    await page.getByRole('button', { name: 'Open the assembly' }).click();
    await page.getByText('In session', { exact: true }).first().waitFor();

    const budget = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: '1. Budget' }) });
    await budget.getByRole('button', { name: 'Put a motion to the vote' }).click();
    let motion = budget.getByRole('form', { name: 'New vote' });
    await motion.getByLabel('Question or motion').fill('来年度の予算案を承認しますか');
    await motion.getByRole('button', { name: 'Start vote' }).click();
    let panel = budget.getByRole('region', { name: '来年度の予算案を承認しますか' });
    await panel.waitFor();
    await panel.getByRole('group', { name: 'Choice of Alice' }).getByLabel('Agree').check();
    await panel.getByRole('button', { name: 'Record ballot for Alice' }).click();
    await panel.getByRole('button', { name: 'Close the vote…' }).click();
    await panel.getByRole('button', { name: 'Close the vote now' }).click();
    await panel.getByLabel('Outcome statement').fill('承認。準備金は三月に見直す。');
    await panel.getByRole('button', { name: 'Save outcome' }).click();
    await expect.poll(() => panel.getByText('承認。準備金は三月に見直す。').count()).toBeGreaterThan(0);

    await budget.getByRole('button', { name: 'Put a motion to the vote' }).click();
    motion = budget.getByRole('form', { name: 'New vote' });
    await motion.getByLabel('Question or motion').fill('Adopt the annual budget?');
    await motion.getByLabel('Details').fill('The café fund moves to the commons stream.');
    await motion.getByLabel('Method').selectOption('single');
    await motion.getByLabel('Option 1').fill('Yes');
    await motion.getByLabel('Option 2').fill('No');
    await motion.getByRole('button', { name: 'Start vote' }).click();
    panel = budget.getByRole('region', { name: 'Adopt the annual budget?' });
    await panel.waitFor();

    const servers = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: '2. Servers' }) });
    const minutes = servers.getByLabel('Minutes for “Servers”');
    await minutes.fill('We agreed to migrate the BBB servers before the winter break.');
    await minutes.press('Control+Enter');
    await servers.getByRole('button', { name: 'Minutes saved' }).waitFor();
  });

  it('searches from the Votes view in English and Japanese, with highlighted snippets', async () => {
    const { page } = opened;
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Votes' }).click();
    await page.getByRole('heading', { level: 1, name: 'Votes' }).waitFor();
    await page.getByRole('link', { name: 'Search decisions' }).click();
    await page.getByRole('heading', { level: 1, name: 'Decision archive' }).waitFor();
    expect(page.url()).toMatch(/#\/votes\/archive$/);
    const search = page.getByRole('search', { name: 'Decision archive' });
    const query = search.getByLabel('Search votes, outcomes and minutes');
    // Nothing typed: everything, newest first.
    await expect.poll(() => resultTitles(page)).toHaveLength(3);

    await query.fill('cafe');
    await expect.poll(() => resultTitles(page)).toEqual(['Adopt the annual budget?']);
    expect(await page.getByRole('list', { name: 'Search results' }).locator('mark').allTextContents()).toEqual(['café']);

    // The outcome statement, found by a three-character Japanese phrase.
    await query.fill('三月に');
    await expect.poll(() => resultTitles(page)).toEqual(['来年度の予算案を承認しますか']);
    expect(await page.getByRole('list', { name: 'Search results' }).locator('mark').allTextContents()).toEqual(['三月に']);
    // A two-character Japanese word (no trigram) is found too.
    await query.fill('予算');
    await expect.poll(() => resultTitles(page)).toEqual(['来年度の予算案を承認しますか']);

    await query.fill('winter servers');
    await expect.poll(() => resultTitles(page)).toEqual(['Autumn all-hands — Servers']);
    expect(await page.getByRole('status').filter({ hasText: 'result' }).textContent()).toBe('1 result');

    // FTS syntax is just text: no error, and a sentence says nothing matched.
    for (const text of ['"NEAR(budget*', 'title:budget OR (', '^*"']) {
      await query.fill(text);
      await expect.poll(() => page.getByRole('status').filter({ hasText: 'No decisions match.' }).count()).toBe(1);
      expect(await page.getByRole('alert').count()).toBe(0);
    }
    await query.fill('budget');
    await expect.poll(() => resultTitles(page)).toEqual(['Adopt the annual budget?']);
    await shot(page, '01-archive-en');
    await expectNoSeriousAxeFindings(page, 'decision archive');
    expect(opened.problems).toEqual([]);
  });

  it('filters by kind, method, status, outcome and date', async () => {
    const { page } = opened;
    const search = page.getByRole('search', { name: 'Decision archive' });
    await search.getByLabel('Search votes, outcomes and minutes').fill('');
    await expect.poll(() => resultTitles(page)).toHaveLength(3);
    await search.getByLabel('Kind').selectOption({ label: 'Minutes' });
    await expect.poll(() => resultTitles(page)).toEqual(['Autumn all-hands — Servers']);
    // The vote filters do not apply to minutes.
    expect(await search.getByLabel('Method').isDisabled()).toBe(true);
    await search.getByLabel('Kind').selectOption({ label: 'Votes' });
    await search.getByLabel('Method').selectOption({ label: 'Consent' });
    await expect.poll(() => resultTitles(page)).toEqual(['来年度の予算案を承認しますか']);
    await search.getByLabel('Method').selectOption({ label: 'Any method' });
    await search.getByLabel('Status').selectOption({ label: 'Open' });
    await expect.poll(() => resultTitles(page)).toEqual(['Adopt the annual budget?']);
    await search.getByLabel('Status').selectOption({ label: 'Open or closed' });
    await search.getByLabel('Outcome', { exact: true }).selectOption({ label: 'Outcome recorded' });
    await expect.poll(() => resultTitles(page)).toEqual(['来年度の予算案を承認しますか']);
    await search.getByLabel('Outcome', { exact: true }).selectOption({ label: 'With or without' });
    await expect.poll(() => resultTitles(page)).toHaveLength(2);
    // A range that ended before anything was recorded.
    await search.getByLabel('To').fill('2001-01-31');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'No decisions match.' }).count()).toBe(1);
    // An impossible range is refused with a sentence, not an empty list.
    await search.getByLabel('From').fill('2001-02-01');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('start date must be on or before the end date');
    await search.getByRole('button', { name: 'Clear search' }).click();
    await expect.poll(() => resultTitles(page)).toHaveLength(3);
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('follows a result to its assembly and comes back to the same search, by keyboard', async () => {
    const { page } = opened;
    const query = page.getByRole('search', { name: 'Decision archive' }).getByLabel('Search votes, outcomes and minutes');
    await query.fill('migrate');
    await expect.poll(() => resultTitles(page)).toEqual(['Autumn all-hands — Servers']);
    await query.press('Enter');
    const link = page.getByRole('link', { name: 'Autumn all-hands — Servers' });
    await link.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Autumn all-hands' }).waitFor();
    expect(page.url()).toMatch(/#\/assemblies\/[0-9A-Z]{26}\/[0-9A-Z]{26}$/);
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Decision archive' }).waitFor();
    expect(await query.inputValue()).toBe('migrate');
    await expect.poll(() => resultTitles(page)).toEqual(['Autumn all-hands — Servers']);

    await query.fill('annual');
    await page.getByRole('link', { name: 'Adopt the annual budget?' }).click();
    await page.getByRole('heading', { level: 1, name: 'Adopt the annual budget?' }).waitFor();
    expect(page.url()).toMatch(/#\/votes\/[0-9A-Z]{26}\/[0-9A-Z]{26}$/);
  });

  it('reads in Japanese', async () => {
    const japanese = await openApp(browser, app, { locale: 'ja-JP' });
    const { page } = japanese;
    await page.evaluate(() => (window.location.hash = '#/votes/archive'));
    await page.getByRole('heading', { level: 1, name: '決定事項アーカイブ' }).waitFor();
    await page.getByRole('search').getByLabel('投票・結果・議事録を検索').fill('準備金');
    await expect.poll(() => page.getByRole('list', { name: '検索結果' }).getByRole('heading', { level: 2 }).allTextContents()).toEqual(['来年度の予算案を承認しますか']);
    await shot(page, '02-archive-ja');
    await expectNoSeriousAxeFindings(page, 'decision archive in Japanese');
    expect(japanese.problems).toEqual([]);
    await page.context().close();
  });
});
