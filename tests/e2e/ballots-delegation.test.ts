// Voting for yourself, hidden results, required reasons and standing delegation, through
// `npm run start:web` and Chromium only (issue 16, items 2, 6 and 7). The member running
// Plenary is Alice, who facilitates the circle: she casts her own ballot under "Your
// ballot", keys in Bob's as in an assembly (shown as recorded by her), sees nothing of the
// hidden results until she closes the vote, is refused a ballot without the reason the vote
// requires, and delegates her vote to Carol, whose ballot then counts for her until her own
// ballot overrides it.
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
let hiddenVoteHash = '';

const shot = (page: Page, name: string) => page.screenshot({ path: artifactPath('e2e', 'ballots-delegation', `${name}.png`), fullPage: true });
const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name }).click();

async function expectNoSeriousAxeFindings(page: Page, where: string) {
  const findings = await seriousAxeFindings(page);
  expect(findings, `${where}: ${JSON.stringify(findings, null, 2)}`).toEqual([]);
}

async function newVote(page: Page, question: string, settings: { hide?: boolean; reasons?: 'off' | 'optional' | 'required' } = {}) {
  await nav(page, 'Votes');
  await page.getByRole('button', { name: 'New vote' }).click();
  const form = page.getByRole('form', { name: 'New vote' });
  await form.getByLabel('Question or motion').fill(question);
  await form.getByLabel('Method').selectOption('single');
  await form.getByLabel('Option 1').fill('Yes');
  await form.getByLabel('Option 2').fill('No');
  if (settings.hide) await form.getByLabel('Hide results until the vote closes').check();
  if (settings.reasons) await form.getByLabel('Reasons with ballots').selectOption(settings.reasons);
  if (settings.hide) await expectNoSeriousAxeFindings(page, 'the new vote form with its settings');
  await form.getByRole('button', { name: 'Start vote' }).click();
  await page.getByRole('heading', { level: 1, name: question }).waitFor();
}

const yourBallot = (page: Page) => page.getByRole('region', { name: 'Your ballot' });

beforeAll(async () => {
  app = await startPlenaryWeb();
  browser = await launchChromium();
  opened = await openApp(browser, app);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('your ballot, hidden results, reasons and delegation', () => {
  it('sets up a circle with three members', async () => {
    const { page } = opened;
    await startCircle(page, {
      name: 'Product circle', timeZone: 'Europe/Madrid', me: 'Alice',
      members: [
        ['Bob', '@bob:meet.coop'],
        ['Carol', '@carol:meet.coop'],
      ],
    });
  });

  it('hides the results of an open vote from everyone, requires a reason, and shows everything after the close', async () => {
    const { page } = opened;
    await newVote(page, 'Ship the new onboarding?', { hide: true, reasons: 'required' });
    hiddenVoteHash = new URL(page.url()).hash;
    const mine = yourBallot(page);
    await mine.getByText('You have not voted yet.').waitFor();

    // Without the reason the vote requires: refused, with what to do.
    await mine.getByRole('group', { name: 'Your choice' }).getByLabel('Yes').check();
    await mine.getByRole('button', { name: 'Cast my ballot' }).click();
    await expect.poll(() => mine.getByRole('alert').textContent()).toContain('This vote asks for a reason with each ballot');
    await mine.getByLabel('Your reason (required)').fill('New members get lost today.');
    await mine.getByRole('button', { name: 'Cast my ballot' }).click();
    await expect.poll(() => mine.textContent()).toContain('You voted: Yes');
    await mine.getByRole('button', { name: 'Change my ballot' }).waitFor();

    // Bob's ballot, keyed in by Alice as in an assembly, says so.
    const record = page.getByRole('form', { name: 'Record a ballot' });
    await record.getByLabel('Voter').selectOption({ label: 'Bob' });
    await record.getByRole('group', { name: 'Choice of Bob' }).getByLabel('No').check();
    await record.getByLabel('Reason (required)').fill('Not before the upgrade.');
    await record.getByRole('button', { name: 'Record ballot for Bob' }).click();
    const bob = page.getByRole('row', { name: /Bob/ });
    await bob.waitFor();
    expect(await bob.textContent()).toContain('recorded by Alice');
    // While open nobody sees choices or totals, Alice included: only who voted and the turnout.
    expect(await bob.textContent()).toContain('Hidden until the close');
    expect(await bob.textContent()).not.toContain('Not before the upgrade.');
    const results = page.locator('.card').filter({ has: page.getByRole('heading', { name: 'Results' }) });
    await expect.poll(() => results.textContent()).toContain('Results are hidden until the vote closes');
    expect(await results.textContent()).not.toMatch(/\d+ votes?\b/);
    expect(await page.getByText(/^Not voted yet:/).textContent()).toContain('Carol');
    await expectNoSeriousAxeFindings(page, 'a vote with hidden results');
    await shot(page, '01-hidden-results');

    await page.getByRole('button', { name: 'Close the vote…' }).click();
    await page.getByRole('button', { name: 'Close the vote now' }).click();
    await expect.poll(() => results.textContent()).not.toContain('Results are hidden');
    await expect.poll(() => bob.textContent()).toContain('Not before the upgrade.');
    expect(await results.textContent()).toContain('1 vote');
    await shot(page, '02-closed-results');
  });

  it('delegates Alice’s vote to Carol: Carol’s ballot counts for her, once, until her own ballot overrides it', async () => {
    const { page } = opened;
    await nav(page, 'Circles');
    await page.getByRole('link', { name: 'Product circle' }).click();
    const delegation = page.getByRole('region', { name: 'Delegation' });
    await delegation.getByLabel('Delegate my vote to').selectOption({ label: 'Carol' });
    await delegation.getByRole('button', { name: 'Delegate my vote' }).click();
    await expect.poll(() => delegation.textContent()).toContain('You delegate your vote to Carol.');
    expect(await delegation.getByRole('list', { name: 'Delegations in force' }).textContent()).toContain('Alice delegates to Carol');
    await expectNoSeriousAxeFindings(page, 'the circle’s delegation');

    await newVote(page, 'Move the call to Tuesdays?');
    const record = page.getByRole('form', { name: 'Record a ballot' });
    await record.getByLabel('Voter').selectOption({ label: 'Carol' });
    await record.getByRole('group', { name: 'Choice of Carol' }).getByLabel('No').check();
    await record.getByRole('button', { name: 'Record ballot for Carol' }).click();
    const carol = page.getByRole('row', { name: /Carol/ });
    await expect.poll(() => carol.textContent()).toContain('delegated from Alice');
    const mine = yourBallot(page);
    await expect.poll(() => mine.textContent()).toContain('Carol’s ballot counts for you');
    const results = page.locator('.card').filter({ has: page.getByRole('heading', { name: 'Results' }) });
    await expect.poll(() => results.textContent()).toContain('2 votes');
    expect(await page.getByText(/^Not voted yet:/).textContent()).not.toContain('Alice');
    await shot(page, '03-delegated');

    // Her own ballot overrides the delegation.
    await mine.getByRole('group', { name: 'Your choice' }).getByLabel('Yes').check();
    await mine.getByRole('button', { name: 'Cast my ballot' }).click();
    await expect.poll(() => mine.textContent()).toContain('You voted: Yes');
    expect(await mine.textContent()).toContain('Your own ballot overrides your delegation to Carol.');
    await expect.poll(() => carol.textContent()).not.toContain('delegated from Alice');
    expect(await results.textContent()).not.toContain('2 votes');

    // And she revokes it.
    await nav(page, 'Circles');
    await page.getByRole('link', { name: 'Product circle' }).click();
    await delegation.getByRole('button', { name: 'Revoke delegation' }).click();
    await expect.poll(() => delegation.textContent()).toContain('Nobody delegates their vote in this circle.');
  });

  it('reads in another language', async () => {
    const german = await openApp(browser, app, { locale: 'de-DE' });
    await german.page.goto(`${app.url.replace(/#.*$/, '')}${hiddenVoteHash}`);
    await german.page.getByRole('heading', { level: 1, name: 'Ship the new onboarding?' }).waitFor();
    await german.page.getByRole('region', { name: 'Deine Stimme' }).waitFor();
    await shot(german.page, '04-de');
    await german.page.context().close();
  });
});
