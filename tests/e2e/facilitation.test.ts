// A facilitator's two-hour assembly, through `npm run start:web` and Chromium only, with no
// coop server: what a real meeting hits beyond the happy path. Minutes survive leaving the
// field, a reload and a restart; members without a Matrix account vote and are linked to
// their account later; a show of hands cannot count more hands than the room has; closing
// a vote is confirmed and can be undone; duplicate options are refused; quorum can count
// those present; exports carry time zones and safe text.
import { readFile } from 'node:fs/promises';
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
/** The assembly's address, to come back to it after a restart. */
let assemblyHash = '';

const shot = (page: Page, name: string) => page.screenshot({ path: artifactPath('e2e', 'facilitation', `${name}.png`), fullPage: true });

async function expectNoSeriousAxeFindings(page: Page, where: string) {
  const findings = await seriousAxeFindings(page);
  expect(findings, `${where}: ${JSON.stringify(findings, null, 2)}`).toEqual([]);
}

async function download(page: Page, button: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  return { name: file.suggestedFilename(), text: await readFile((await file.path())!, 'utf8') };
}

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name }).click();
const agendaItem = (page: Page, heading: string) => page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: heading }) });

/** Opens the assembly again after a reload or a restart, at the address it had. */
async function reopenAssembly(): Promise<Page> {
  opened = await openApp(browser, app);
  await opened.page.goto(`${app.url.replace(/#.*$/, '')}${assemblyHash}`);
  await opened.page.getByRole('heading', { level: 1, name: 'December assembly' }).waitFor();
  return opened.page;
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

describe('facilitating an assembly', () => {
  it('sets up a circle and opens an assembly with an agenda', async () => {
    const { page } = opened;
    await startCircle(page, {
      name: 'Care circle', timeZone: 'Europe/Madrid', me: 'Alice',
      members: [
        ['Bob', '@bob:meet.coop'],
        ['Carol', '@carol:meet.coop'],
        ['Dan', '@dan:meet.coop'],
      ],
    });

    await page.getByRole('button', { name: 'Plan an assembly' }).click();
    const plan = page.getByRole('form', { name: 'Plan an assembly' });
    await plan.getByLabel('Title').fill('December assembly');
    await plan.getByRole('button', { name: 'Create assembly' }).click();
    await page.getByRole('heading', { level: 1, name: 'December assembly' }).waitFor();
    assemblyHash = new URL(page.url()).hash;
    for (const item of ['Budget', 'Rota']) {
      await page.getByLabel('New agenda item').fill(item);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 3, name: new RegExp(item) }).waitFor();
    }
    await page.getByRole('button', { name: 'Open the assembly' }).click();
    await page.getByText('In session', { exact: true }).first().waitFor();
  });

  it('keeps minutes typed and never saved across another view, a reload and a restart', async () => {
    let page = opened.page;
    const budget = () => agendaItem(page, '1. Budget').getByLabel('Minutes for “Budget”');
    const rota = () => agendaItem(page, '2. Rota').getByLabel('Minutes for “Rota”');
    const draftSaved = (item: string) => agendaItem(page, item).getByRole('status').filter({ hasText: 'Saved as a draft on this computer' });

    // Typed, then straight to another view: nothing pressed, nothing lost.
    await budget().fill('Budget **agreed**, <script>alert(1)</script> kept as text.');
    await draftSaved('1. Budget').waitFor();
    await nav(page, 'Votes');
    await page.getByRole('heading', { level: 1, name: 'Votes' }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'December assembly' }).waitFor();
    expect(await budget().inputValue()).toBe('Budget **agreed**, <script>alert(1)</script> kept as text.');

    // Typed, then the page reloads.
    await rota().fill('Rota for January');
    await draftSaved('2. Rota').waitFor();
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    await page.getByRole('heading', { level: 1, name: 'December assembly' }).waitFor();
    expect(await rota().inputValue()).toBe('Rota for January');

    // Typed more, then Plenary itself stops and starts again on the same data folder.
    await rota().fill('Rota for January: Bob and Carol');
    await draftSaved('2. Rota').waitFor();
    await page.context().close();
    await app.stop();
    app = await startPlenaryWeb({ dataDir: app.dataDir });
    page = await reopenAssembly();
    expect(await rota().inputValue()).toBe('Rota for January: Bob and Carol');
    expect(await budget().inputValue()).toBe('Budget **agreed**, <script>alert(1)</script> kept as text.');
    await shot(page, '01-minutes-kept');
  });

  it('shows final minutes as rendered Markdown, and exports them with raw HTML neutralised', async () => {
    const page = opened.page;
    await page.getByRole('button', { name: 'Close the assembly…' }).click();
    await page.getByRole('button', { name: 'Close and finalise minutes' }).click();
    await expect.poll(() => page.locator('#assembly-title + .badge').textContent()).toBe('Closed');
    // Drafts never left the field: closing made them the minutes.
    const budget = agendaItem(page, '1. Budget');
    await expect.poll(() => budget.locator('.gov-markdown strong').textContent()).toBe('agreed');
    expect(await budget.locator('.gov-markdown').textContent()).toContain('<script>alert(1)</script> kept as text.');
    expect(await page.locator('.gov-markdown script').count()).toBe(0);
    expect((await agendaItem(page, '2. Rota').locator('.gov-markdown').textContent())?.trim()).toBe('Rota for January: Bob and Carol');
    await expectNoSeriousAxeFindings(page, 'closed assembly');

    const minutes = await download(page, 'Export minutes (Markdown)');
    expect(minutes.text).toContain('Budget **agreed**, &lt;script>alert(1)&lt;/script> kept as text.');
    expect(minutes.text).not.toContain('<script>');
    // Times carry the circle's time zone.
    expect(minutes.text).toMatch(/\*\*Care circle\*\* · .+ \(Europe\/Madrid\) · Closed/);
    expect(opened.problems).toEqual([]);
  });

  it('adds a member without a Matrix account, records her ballot, then links her account', async () => {
    const page = opened.page;
    await nav(page, 'Circles');
    await page.getByRole('link', { name: 'Care circle' }).click();
    const add = page.getByRole('form', { name: 'Add a member' });
    await add.getByLabel('Name').fill('Eve');
    await add.getByRole('button', { name: 'Add member' }).click();
    const eve = page.getByRole('rowheader', { name: /^Eve/ });
    await eve.waitFor();
    expect(await eve.textContent()).toContain('No Matrix account linked');

    await nav(page, 'Votes');
    await page.getByRole('button', { name: 'New vote' }).click();
    const form = page.getByRole('form', { name: 'New vote' });
    await form.getByLabel('Question or motion').fill('Lunch order?');
    await form.getByLabel('Method').selectOption('single');
    await form.getByLabel('Option 1').fill('Soup');
    await form.getByLabel('Option 2').fill('Salad');
    await form.getByRole('button', { name: 'Start vote' }).click();
    await page.getByRole('heading', { level: 1, name: 'Lunch order?' }).waitFor();
    const voteHash = new URL(page.url()).hash;
    await page.getByLabel('Voter').selectOption({ label: 'Eve' });
    await page.getByRole('group', { name: 'Choice of Eve' }).getByLabel('Soup').check();
    await page.getByRole('button', { name: 'Record ballot for Eve' }).click();
    await page.getByRole('row', { name: /Eve/ }).waitFor();

    await nav(page, 'Circles');
    await page.getByRole('link', { name: 'Care circle' }).click();
    await page.getByRole('button', { name: 'Link to a Matrix account: Eve' }).click();
    const link = page.getByRole('form', { name: 'Link to a Matrix account: Eve' });
    await expectNoSeriousAxeFindings(page, 'linking a member');
    await link.getByLabel('Matrix ID of Eve').fill('@eve:meet.coop');
    await link.getByRole('button', { name: 'Link account' }).click();
    await expect.poll(() => page.getByRole('rowheader', { name: /^Eve/ }).textContent()).toContain('@eve:meet.coop');

    // Her ballot counts under her account: she is not among those who have not voted.
    await page.goto(`${app.url.replace(/#.*$/, '')}${voteHash}`);
    await page.getByRole('heading', { level: 1, name: 'Lunch order?' }).waitFor();
    await expect.poll(() => page.getByRole('row', { name: /Eve/ }).textContent()).toContain('Counted');
    expect(await page.getByText(/^Not voted yet:/).textContent()).not.toContain('Eve');
    await shot(page, '02-linked-member');
  });

  it('plans a second assembly; its motion form is the Votes page form, refusing repeated options and abstentions as options', async () => {
    const page = opened.page;
    await nav(page, 'Circles');
    await page.getByRole('link', { name: 'Care circle' }).click();
    await page.getByRole('button', { name: 'Plan an assembly' }).click();
    const plan = page.getByRole('form', { name: 'Plan an assembly' });
    await plan.getByLabel('Title').fill('January assembly');
    await plan.getByRole('button', { name: 'Create assembly' }).click();
    await page.getByRole('heading', { level: 1, name: 'January assembly' }).waitFor();
    assemblyHash = new URL(page.url()).hash;
    await page.getByLabel('New agenda item').fill('Hosting');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 3, name: /Hosting/ }).waitFor();
    await page.getByRole('button', { name: 'Open the assembly' }).click();
    await page.getByText('In session', { exact: true }).first().waitFor();

    const item = agendaItem(page, '1. Hosting');
    await item.getByRole('button', { name: 'Put a motion to the vote' }).click();
    const motion = item.getByRole('form', { name: 'New vote' });
    // The same fields and words as on the Votes page.
    for (const label of ['Question or motion', 'Details', 'Method', 'Quorum (percent)', 'Quorum counted among', 'Closes at (optional)']) await motion.getByLabel(label, { exact: true }).waitFor();
    await motion.getByLabel('Question or motion').fill('Move to the new host?');
    await motion.getByLabel('Method').selectOption('counted');
    await motion.getByLabel('Option 1', { exact: true }).fill('Yes');
    await motion.getByLabel('Option 2', { exact: true }).fill('No');
    await motion.getByRole('button', { name: 'Add option' }).click();
    await motion.getByLabel('Option 3', { exact: true }).fill('Abstain');
    await expect.poll(() => motion.getByRole('alert').textContent()).toContain('A show of hands counts abstentions in its Abstentions field');
    expect(await motion.getByRole('button', { name: 'Start vote' }).isDisabled()).toBe(true);
    await motion.getByLabel('Option 3', { exact: true }).fill(' yes');
    await expect.poll(() => motion.getByRole('alert').textContent()).toContain('Option 3 repeats an earlier option');
    await shot(page, '03-vote-form-refusals');
    await expectNoSeriousAxeFindings(page, 'vote form with refusals');
    await motion.getByRole('button', { name: 'Remove option 3' }).click();
    await expect.poll(() => motion.getByRole('alert').count()).toBe(0);
    await motion.getByRole('button', { name: 'Start vote' }).click();
    await item.getByRole('region', { name: 'Move to the new host?' }).waitFor();
  });

  it('refuses a show of hands with more hands than members (10 and 2 of 5)', async () => {
    const page = opened.page;
    const panel = agendaItem(page, '1. Hosting').getByRole('region', { name: 'Move to the new host?' });
    const count = panel.getByRole('form', { name: 'Show of hands' });
    await count.getByLabel('Hands for “Yes”').fill('10');
    await count.getByLabel('Hands for “No”').fill('2');
    await expect.poll(() => count.getByRole('alert').textContent()).toBe('12 hands counted, but the circle has 5 members: check the counts.');
    expect(await count.getByRole('button', { name: 'Save count' }).isDisabled()).toBe(true);
    await shot(page, '04-too-many-hands');
    await count.getByLabel('Hands for “Yes”').fill('3');
    await count.getByLabel('Hands for “No”').fill('1');
    await count.getByLabel('Abstentions').fill('1');
    expect(await count.textContent()).toContain('5 hands counted of 5 members.');
    await count.getByRole('button', { name: 'Save count' }).click();
    await expect.poll(() => panel.getByText('So far: Yes leads').count()).toBe(1);
    expect(await panel.textContent()).toContain('1 abstention');
  });

  it('asks before closing a vote, and reopens it until its result is final', async () => {
    const page = opened.page;
    const panel = agendaItem(page, '1. Hosting').getByRole('region', { name: 'Move to the new host?' });
    await panel.getByRole('button', { name: 'Close the vote…' }).click();
    const confirm = panel.getByRole('group', { name: /Close “Move to the new host\?” now\?/ });
    expect(await confirm.textContent()).toContain('Everyone has voted.');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect(await panel.locator('.badge').first().textContent()).toBe('Open');

    await panel.getByRole('button', { name: 'Close the vote…' }).click();
    await panel.getByRole('button', { name: 'Close the vote now' }).click();
    await expect.poll(() => panel.getByText('Result: Yes').count()).toBe(1);
    await panel.getByRole('button', { name: 'Reopen the vote' }).click();
    await expect.poll(() => panel.locator('.badge').first().textContent()).toBe('Open');
    const count = panel.getByRole('form', { name: 'Show of hands' });
    await count.getByLabel('Hands for “Yes”').fill('1');
    await count.getByLabel('Hands for “No”').fill('3');
    await count.getByRole('button', { name: 'Save count' }).click();
    await expect.poll(() => panel.getByText('So far: No leads').count()).toBe(1);
    await panel.getByRole('button', { name: 'Close the vote…' }).click();
    await panel.getByRole('button', { name: 'Close the vote now' }).click();
    await expect.poll(() => panel.getByText('Result: No').count()).toBe(1);
    await shot(page, '05-reopened-and-closed');

    // Recording the outcome makes the result final: no more reopening.
    await panel.getByLabel('Outcome statement').fill('We stay with the current host.');
    await panel.getByRole('button', { name: 'Save outcome' }).click();
    await expect.poll(() => panel.getByRole('button', { name: 'Reopen the vote' }).count()).toBe(0);
  });

  it('counts a quorum among those present, warns about absent voters and records who held a proxy', async () => {
    const page = opened.page;
    for (const [name, status] of [
      ['Alice', 'Present'],
      ['Bob', 'Present'],
      ['Carol', 'Present'],
      ['Dan', 'Absent'],
      ['Eve', 'Apologies'],
    ] as const) {
      await page.getByRole('group', { name, exact: true }).getByLabel(status).check();
    }
    await expect.poll(() => page.getByText(/^Present 3 · Apologies 1 · Absent 1/).count()).toBe(1);

    const item = agendaItem(page, '1. Hosting');
    await item.getByRole('button', { name: 'Put a motion to the vote' }).click();
    const motion = item.getByRole('form', { name: 'New vote' });
    await motion.getByLabel('Question or motion').fill('Renew the contract?');
    await motion.getByLabel('Quorum (percent)').fill('100');
    await motion.getByLabel('Quorum counted among').selectOption({ label: 'members marked present at the assembly' });
    await motion.getByRole('button', { name: 'Start vote' }).click();
    const panel = item.getByRole('region', { name: 'Renew the contract?' });
    await panel.waitFor();
    await expect.poll(() => panel.textContent()).toContain('Not voted yet: Alice, Bob, Carol, Dan, Eve');

    await panel.getByLabel('Voter').selectOption({ label: 'Alice (you)' });
    await panel.getByRole('group', { name: 'Choice of Alice' }).getByLabel('Agree').check();
    await panel.getByRole('button', { name: 'Record ballot for Alice' }).click();
    await expect.poll(() => panel.textContent()).toContain('Quorum 100% not met: 1 voted, 3 of 3 present needed.');

    // Dan is marked absent: the form says so; his ballot came by proxy through Bob.
    await panel.getByLabel('Voter').selectOption({ label: 'Dan' });
    await expect.poll(() => panel.getByRole('status').filter({ hasText: 'Dan is marked absent in this assembly' }).count()).toBe(1);
    await panel.getByLabel('Proxy held by').selectOption({ label: 'Bob' });
    await panel.getByRole('group', { name: 'Choice of Dan' }).getByLabel('Agree').check();
    await panel.getByRole('button', { name: 'Record ballot for Dan' }).click();
    await expect.poll(() => panel.textContent()).toContain('Not voted yet: Bob, Carol, Eve');
    await shot(page, '06-quorum-present');
    await expectNoSeriousAxeFindings(page, 'quorum of those present');

    await nav(page, 'Votes');
    await page.getByRole('link', { name: 'Renew the contract?' }).click();
    await page.getByRole('heading', { level: 1, name: 'Renew the contract?' }).waitFor();
    const dan = page.getByRole('row', { name: /Dan/ });
    await expect.poll(() => dan.textContent()).toContain('proxy held by Bob');
    expect(await dan.textContent()).toContain('recorded by Alice');
    expect(await dan.textContent()).toContain('marked absent');
    const results = await download(page, 'Export results (Markdown)');
    expect(results.text).toContain('| Dan (proxy held by Bob) (recorded by Alice) | Agree |');
    expect(results.text).toContain('100% of those present, not met (2 voted; 3 of 3 present needed)');
    await page.goto(`${app.url.replace(/#.*$/, '')}${assemblyHash}`);
    await page.getByRole('heading', { level: 1, name: 'January assembly' }).waitFor();
  });

  it('runs the agenda with timeboxes and a timer, records action items for Today and the minutes, and says what posting to the chat needs', async () => {
    const page = opened.page;
    await page.getByLabel('New agenda item').fill('Rota');
    await page.getByLabel('Timebox in minutes (optional)').fill('5');
    await page.getByRole('button', { name: 'Add item' }).click();
    const rota = agendaItem(page, '2. Rota');
    await rota.waitFor();
    expect(await rota.getByLabel('Timebox (min)').inputValue()).toBe('5');
    const hosting = agendaItem(page, '1. Hosting');
    await hosting.getByLabel('Timebox (min)').fill('10');
    await hosting.getByLabel('Timebox (min)').press('Enter');
    await hosting.getByRole('button', { name: 'Start this item' }).click();
    // The current item stands out, with its timer against its timebox.
    await expect.poll(() => hosting.getAttribute('aria-current')).toBe('step');
    await expect.poll(() => hosting.getByRole('timer').textContent()).toMatch(/^0:\d\d of 10:00$/);
    await hosting.getByRole('button', { name: 'Next item' }).click();
    await expect.poll(() => rota.getAttribute('aria-current')).toBe('step');
    expect(await hosting.getAttribute('aria-current')).toBeNull();
    await expect.poll(() => rota.getByRole('timer').textContent()).toMatch(/ of 5:00$/);
    await shot(page, '07-current-item');

    const add = page.getByRole('form', { name: 'Add an action item' });
    await add.getByLabel('What is to be done').fill('Ask three hosts for quotes');
    await add.getByLabel('Owner').selectOption({ label: 'Alice' });
    await add.getByLabel('Due date (optional)').fill('2027-01-15');
    await add.getByRole('button', { name: 'Add action item' }).click();
    const actions = page.getByRole('region', { name: 'Action items' });
    await expect.poll(() => actions.getByRole('listitem').first().textContent()).toContain('Ask three hosts for quotes — Alice');
    await expectNoSeriousAxeFindings(page, 'running the agenda');

    // Posting the minutes to the circle's chat needs the coop server: the refusal says so.
    await page.getByRole('button', { name: "Post minutes to the circle's chat" }).click();
    await expect.poll(() => page.getByRole('group', { name: 'Assembly actions' }).getByRole('alert').textContent()).toBe(
      "Sign in to the coop server (Settings › Coop server) to post to the circle's chat.",
    );

    const minutes = await download(page, 'Export minutes (Markdown)');
    expect(minutes.text).toContain('## Action items\n\n- [ ] Ask three hosts for quotes — **Alice**, due 2027-01-15');

    // The owner finds it on Today, and ticks it off there.
    await nav(page, 'Today');
    const mine = page.getByRole('region', { name: 'Your action items' });
    await expect.poll(() => mine.textContent()).toContain('Ask three hosts for quotes');
    expect(await mine.textContent()).toContain('from January assembly (Care circle)');
    // click, not check(): ticked off, the item leaves Today at once, sometimes before Playwright
    // could read the box back as checked (seen in CI); its leaving is what the member sees.
    await mine.getByRole('checkbox', { name: /Ask three hosts for quotes/ }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Your action items' }).count()).toBe(0);
    await page.goto(`${app.url.replace(/#.*$/, '')}${assemblyHash}`);
    await page.getByRole('heading', { level: 1, name: 'January assembly' }).waitFor();
  });

  it('exports contributions with Matrix ids intact and empty cells shown as a dash', async () => {
    const page = opened.page;
    const quick = page.getByRole('form', { name: 'Quick contribution entry' });
    await quick.getByLabel('Member').selectOption({ label: 'Bob' });
    await quick.getByLabel('Hours').fill('1');
    await quick.getByLabel('Value stream').selectOption('care');
    await quick.getByRole('button', { name: 'Log' }).click();
    await quick.getByRole('status').filter({ hasText: 'Logged.' }).waitFor();
    await nav(page, 'Contributions');
    await page.getByRole('heading', { level: 1, name: 'Contributions' }).waitFor();
    const csv = await download(page, 'Export CSV');
    const lines = csv.text.replace(/^\ufeff/, '').split('\r\n');
    expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2},Bob,@bob:meet\.coop,Care circle,Care,60,1\.00,—,—$/);
    expect(opened.problems).toEqual([]);
  });
});
