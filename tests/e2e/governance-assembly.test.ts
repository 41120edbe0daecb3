// A whole assembly run by a facilitator as a new user would, through the browser bridge in
// real Chromium, with no coop server connected: create a circle with members and a
// schedule, plan and open an assembly, take attendance, run a consent vote and a ranked-
// choice vote ballot by ballot (with proxies), write minutes, log a contribution, close
// the assembly and export its minutes; then the votes list, contributions and CSV export.
// Plenary runs as `npm run start:web`, as a member starts it.
import { readFile } from 'node:fs/promises';
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

const shot = (page: Page, name: string) => page.screenshot({ path: artifactPath('e2e', 'governance', `${name}.png`), fullPage: true });

async function expectNoSeriousAxeFindings(page: Page, where: string) {
  const findings = await seriousAxeFindings(page);
  expect(findings, `${where}: ${JSON.stringify(findings, null, 2)}`).toEqual([]);
}

async function download(page: Page, button: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  return { name: file.suggestedFilename(), text: await readFile((await file.path())!, 'utf8') };
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

describe('an offline assembly, end to end', () => {
  it('creates a circle with members, a room and a schedule', async () => {
    const { page } = opened;
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Circles' }).click();
    await page.getByRole('heading', { level: 1, name: 'Circles' }).waitFor();
    await expect.poll(() => page.getByText('Local store only').isVisible()).toBe(true);
    const create = page.getByRole('form', { name: 'Start a circle' });
    await create.getByLabel('Name', { exact: true }).fill('Tech ops');
    await create.getByLabel('Purpose').fill('Keep the meeting servers healthy.');
    await create.getByLabel('Circle time zone').fill('Europe/Madrid');
    await create.getByLabel('Your name in this circle').fill('Alice');
    await create.getByLabel('Your time zone').fill('Europe/Madrid');
    await shot(page, '01-create-circle');
    await create.getByRole('button', { name: 'Create circle' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tech ops' }).waitFor();

    const add = page.getByRole('form', { name: 'Add a member' });
    for (const [name, id, zone] of [
      ['Bob', '@bob:meet.coop', 'America/Toronto'],
      ['Carol', '@carol:meet.coop', 'Asia/Tokyo'],
      ['Dan', '@dan:meet.coop', 'Europe/London'],
    ]) {
      await add.getByLabel('Name').fill(name!);
      await add.getByLabel('Matrix ID').fill(id!);
      await add.getByLabel('Time zone').fill(zone!);
      await add.getByRole('button', { name: 'Add member' }).click();
      await page.getByRole('rowheader', { name: new RegExp(`^${name}`) }).waitFor();
    }
    // A typo in a member id is refused with a message naming the field.
    await add.getByLabel('Name').fill('Eve');
    await add.getByLabel('Matrix ID').fill('eve');
    await add.getByRole('button', { name: 'Add member' }).click();
    await expect.poll(() => add.getByRole('alert').textContent()).toContain('“Member” is not valid: must be a Matrix user id');
    await add.getByLabel('Name').fill('');
    await add.getByLabel('Matrix ID').fill('');

    const room = page.getByRole('form', { name: 'Link a room' });
    await room.getByLabel('Room name').fill('Tech ops room');
    await room.getByLabel('Room link').fill('https://meet.coop/b/tec-abc-def');
    await room.getByRole('button', { name: 'Link room' }).click();
    // meet.coop is not a trusted meeting host yet: the form says which setting decides and offers to trust it in one click.
    await expect.poll(() => room.getByRole('alert').textContent()).toContain('meet.coop is not one of your meeting hosts: add it in Settings › Meetings › Trusted hosts.');
    await expect.poll(() => room.getByRole('link', { name: 'Open it in your browser instead' }).getAttribute('href')).toBe('https://meet.coop/b/tec-abc-def');
    await room.getByRole('button', { name: 'Trust meet.coop and add the room' }).click();
    await page.getByRole('link', { name: 'Tech ops room' }).waitFor();

    await page.getByRole('button', { name: 'Set a schedule' }).click();
    const schedule = page.getByRole('form', { name: 'Edit the meeting schedule' });
    await schedule.getByLabel('Repeats').selectOption('monthly');
    await schedule.getByLabel('Which one').selectOption({ label: 'Fourth' });
    await schedule.getByLabel('Day').selectOption({ label: 'Monday' });
    await schedule.getByLabel('Start time').fill('18:00');
    await schedule.getByLabel('Time zone').fill('UTC');
    await expect.poll(() => schedule.textContent()).toContain('Every month on the fourth Monday at');
    await schedule.getByRole('button', { name: 'Save schedule' }).click();
    const zones = page.getByRole('table', { name: "Next meeting in members' time zones" });
    await zones.waitFor();
    expect(await zones.textContent()).toContain('Asia/Tokyo');
    expect(await page.getByRole('table', { name: 'Next meetings' }).textContent()).toContain('UTC');
    await shot(page, '02-circle-page');
    await expectNoSeriousAxeFindings(page, 'circle page');
  });

  it('plans and opens an assembly, with an agenda and attendance', async () => {
    const { page } = opened;
    await page.getByRole('button', { name: 'Plan an assembly' }).click();
    const plan = page.getByRole('form', { name: 'Plan an assembly' });
    await plan.getByLabel('Title').fill('November all-hands');
    await plan.getByRole('button', { name: 'Create assembly' }).click();
    await page.getByRole('heading', { level: 1, name: 'November all-hands' }).waitFor();
    expect(page.url()).toMatch(/#\/assemblies\/[0-9A-Z]{26}\/[0-9A-Z]{26}$/);

    for (const item of ['Budget 2027', 'Server migration']) {
      await page.getByLabel('New agenda item').fill(item);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 3, name: new RegExp(item) }).waitFor();
    }
    await page.getByRole('button', { name: 'Open the assembly' }).click();
    await page.getByText('In session', { exact: true }).first().waitFor();

    for (const [name, status] of [
      ['Alice', 'Present'],
      ['Bob', 'Present'],
      ['Carol', 'Apologies'],
      ['Dan', 'Present'],
    ]) {
      await page.getByRole('group', { name: name! }).getByLabel(status!).check();
    }
    await expect.poll(() => page.getByText(/^Present 3 · Apologies 1/).count()).toBe(1);
    await shot(page, '03-assembly-open');
    await expectNoSeriousAxeFindings(page, 'assembly mode');
  });

  it('runs a consent vote ballot by ballot, with proxy ballots and an objection', async () => {
    const { page } = opened;
    const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: '1. Budget 2027' }) });
    await item.getByRole('button', { name: 'Put a motion to the vote' }).click();
    const motion = item.getByRole('form', { name: 'New vote' });
    await motion.getByLabel('Question or motion').fill('Adopt the 2027 budget?');
    expect(await motion.getByLabel('Method').inputValue()).toBe('consent');
    await motion.getByRole('button', { name: 'Start vote' }).click();
    const panel = item.getByRole('region', { name: 'Adopt the 2027 budget?' });
    await panel.waitFor();

    // The facilitator goes round the room: the voter moves to the next member each time.
    await panel.getByRole('group', { name: 'Choice of Alice' }).getByLabel('Agree').check();
    await panel.getByRole('button', { name: 'Record ballot for Alice' }).click();
    await panel.getByRole('group', { name: 'Choice of Bob' }).getByLabel('Agree').check();
    await panel.getByRole('button', { name: 'Record ballot for Bob' }).click();
    // The form moves on to Carol (next without a ballot); she sent apologies, so the
    // facilitator picks Dan instead, and nothing arriving later may undo that pick.
    await panel.getByRole('button', { name: 'Record ballot for Carol' }).waitFor();
    await panel.getByLabel('Voter').selectOption({ label: 'Dan' });
    await panel.getByRole('group', { name: 'Choice of Dan' }).getByLabel('Object').check();
    await panel.getByLabel('Reason (optional)').fill('Too little for care work');
    await panel.getByRole('button', { name: 'Record ballot for Dan' }).click();
    await panel.getByText('1 member has not voted').waitFor();
    expect(await panel.getByText('So far: Passes').count()).toBe(1);
    expect(await panel.textContent()).toContain('Quorum 50% met: 3 voted, 2 of 4 members needed.');
    expect(await panel.textContent()).toContain('Dan: Too little for care work');
    await shot(page, '04-consent-vote');

    await panel.getByRole('button', { name: 'Close the vote…' }).click();
    await panel.getByRole('button', { name: 'Close the vote now' }).click();
    await expect.poll(() => panel.getByText('Result: Passes').count()).toBe(1);
    await panel.getByLabel('Outcome statement').fill('Adopted; the care budget is reviewed in March.');
    await panel.getByRole('button', { name: 'Save outcome' }).click();
    await expect.poll(() => panel.getByText('Adopted; the care budget is reviewed in March.').count()).toBeGreaterThan(0);

    const minutes = item.getByLabel('Minutes for “Budget 2027”');
    await minutes.fill('Budget presented by Bob.\n\n- Care budget to be reviewed in March.');
    await minutes.press('Control+Enter');
    await item.getByRole('button', { name: 'Minutes saved' }).waitFor();
  });

  it('runs a ranked-choice vote counted by Borda points', async () => {
    const { page } = opened;
    const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: '2. Server migration' }) });
    await item.getByRole('button', { name: 'Put a motion to the vote' }).click();
    const motion = item.getByRole('form', { name: 'New vote' });
    await motion.getByLabel('Question or motion').fill('Which host for the new servers?');
    await motion.getByLabel('Method').selectOption('ranked-borda');
    await motion.getByLabel('Option 1').fill('Hetzner');
    await motion.getByLabel('Option 2').fill('Greenhost');
    await motion.getByRole('button', { name: 'Add option' }).click();
    // The new option takes focus, so a facilitator can type straight on.
    const third = motion.getByLabel('Option 3', { exact: true });
    await expect.poll(() => third.evaluate((input) => input === document.activeElement)).toBe(true);
    await third.fill('OVH');
    await motion.getByRole('button', { name: 'Start vote' }).click();
    const panel = item.getByRole('region', { name: 'Which host for the new servers?' });
    await panel.waitFor();

    const rank = async (voter: string, ranking: string[], undecidedAfter: string) => {
      await panel.getByLabel('Voter').selectOption({ label: voter === 'Alice' ? 'Alice (you)' : voter });
      const choice = panel.getByRole('group', { name: `Choice of ${voter}` });
      for (const [i, option] of ranking.entries()) await choice.getByLabel(option).selectOption(String(i + 1));
      await panel.getByRole('button', { name: `Record ballot for ${voter}` }).click();
      await panel.getByText(undecidedAfter).waitFor();
    };
    await rank('Alice', ['Greenhost', 'Hetzner', 'OVH'], '3 members have not voted');
    await rank('Bob', ['Hetzner', 'Greenhost', 'OVH'], '2 members have not voted');
    await rank('Dan', ['OVH', 'Greenhost', 'Hetzner'], '1 member has not voted');
    // Greenhost 3+2+2 = 7, Hetzner 2+3+1 = 6, OVH 1+1+3 = 5.
    await expect.poll(() => panel.getByText('So far: Greenhost leads').count()).toBe(1);
    const results = await panel.getByRole('list', { name: 'Results' }).textContent();
    for (const line of ['Greenhost7 points', 'Hetzner6 points', 'OVH5 points']) expect(results).toContain(line);
    await panel.getByRole('button', { name: 'Close the vote…' }).click();
    await panel.getByRole('button', { name: 'Close the vote now' }).click();
    await expect.poll(() => panel.getByText('Result: Greenhost').count()).toBe(1);
    await shot(page, '05-ranked-vote');
  });

  it('counts a show of hands, left open until the assembly closes', async () => {
    const { page } = opened;
    const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: '2. Server migration' }) });
    await item.getByRole('button', { name: 'Put a motion to the vote' }).click();
    const motion = item.getByRole('form', { name: 'New vote' });
    await motion.getByLabel('Question or motion').fill('Migrate before the winter break?');
    await motion.getByLabel('Method').selectOption('counted');
    await motion.getByLabel('Option 1').fill('Yes');
    await motion.getByLabel('Option 2').fill('No');
    await motion.getByRole('button', { name: 'Start vote' }).click();
    const panel = item.getByRole('region', { name: 'Migrate before the winter break?' });
    await panel.waitFor();
    const count = panel.getByRole('form', { name: 'Show of hands' });
    await count.getByLabel('Hands for “Yes”').fill('2');
    await count.getByLabel('Hands for “No”').fill('0');
    await count.getByLabel('Abstentions').fill('1');
    await count.getByRole('button', { name: 'Save count' }).click();
    await expect.poll(() => panel.getByText('So far: Yes leads').count()).toBe(1);
    await shot(page, '05b-show-of-hands');
  });

  it('logs a contribution, closes the assembly and exports its minutes', async () => {
    const { page } = opened;
    const quick = page.getByRole('form', { name: 'Quick contribution entry' });
    await quick.getByLabel('Member').selectOption({ label: 'Bob' });
    await quick.getByLabel('Hours').fill('1');
    await quick.getByLabel('Minutes').fill('30');
    await quick.getByLabel('Value stream').selectOption('care');
    await quick.getByLabel('What you did').fill('Took the minutes');
    await quick.getByRole('button', { name: 'Log' }).click();
    await quick.getByRole('status').filter({ hasText: 'Logged.' }).waitFor();

    await page.getByRole('button', { name: 'Close the assembly…' }).click();
    // The show of hands is still open: closing names it and offers to close it too.
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'Still open: “Migrate before the winter break?”' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Close the votes and the assembly' }).click();
    // Closed minutes are final: no editors left.
    await expect.poll(() => page.getByRole('button', { name: 'Put a motion to the vote' }).count()).toBe(0);
    // Each vote's panel refreshes on its own: wait for all three to show the closed vote. The
    // only fields left are the outcome forms' (the statement and its review date).
    const outcomes = page.getByRole('form', { name: 'Outcome' });
    await expect.poll(() => outcomes.count()).toBe(3);
    await expect.poll(() => outcomes.getByRole('textbox', { name: 'Outcome statement' }).count()).toBe(3);
    expect(await page.getByRole('textbox').count()).toBe(await outcomes.getByRole('textbox').count());
    expect(await page.locator('#assembly-title + .badge').textContent()).toBe('Closed');
    await shot(page, '06-assembly-closed');
    await expectNoSeriousAxeFindings(page, 'closed assembly');

    const minutes = await download(page, 'Export minutes (Markdown)');
    expect(minutes.name).toMatch(/^minutes-\d{4}-\d{2}-\d{2}-november-all-hands\.md$/);
    const text = minutes.text;
    expect(text).toContain('# November all-hands');
    expect(text).toContain('**Tech ops**');
    expect(text).toContain('- **Present** (3): Alice, Bob, Dan');
    expect(text).toContain('- **Apologies** (1): Carol');
    expect(text).toContain('### 1. Budget 2027');
    expect(text).toContain('- Care budget to be reviewed in March.');
    expect(text).toContain('#### Decision: Adopt the 2027 budget?');
    expect(text).toContain('- Method: Consent');
    expect(text).toContain('- Quorum: 50%, met (3 voted; 2 of 4 members needed)');
    expect(text).toContain('- Result: **Passes**');
    expect(text).toContain('| Agree | 2 |');
    expect(text).toContain('| Object | 1 |');
    expect(text).toContain('- Dan (Object): Too little for care work');
    expect(text).toContain('**Outcome:** Adopted; the care budget is reviewed in March.');
    expect(text).toContain('### 2. Server migration');
    expect(text).toContain('_No minutes recorded._');
    expect(text).toContain('#### Decision: Which host for the new servers?');
    expect(text).toContain('- Result: **Greenhost**');
    expect(text).toContain('| Greenhost | 1 | 7 |');
    expect(text).toContain('#### Decision: Migrate before the winter break?');
    expect(text).toContain('- Method: Show of hands (counted)');
    expect(text).toContain('- Result: **Yes**');
  });

  it('lists the votes with their outcomes and shows a vote with its ballots', async () => {
    const { page } = opened;
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Votes' }).click();
    await page.getByRole('heading', { level: 1, name: 'Votes' }).waitFor();
    await page.getByRole('link', { name: 'Adopt the 2027 budget?' }).waitFor();
    expect(await page.getByText('Result: Passes').count()).toBe(1);
    await shot(page, '07-votes');
    await expectNoSeriousAxeFindings(page, 'votes list');

    await page.getByRole('link', { name: 'Adopt the 2027 budget?' }).click();
    await page.getByRole('heading', { level: 1, name: 'Adopt the 2027 budget?' }).waitFor();
    const ballots = page.getByRole('table');
    await expect.poll(() => ballots.getByRole('row').count()).toBe(4);
    expect(await ballots.textContent()).toContain('recorded by Alice');
    const results = await download(page, 'Export results (Markdown)');
    expect(results.text).toContain('| Dan (recorded by Alice) | Object | Too little for care work |');
    await shot(page, '08-vote-detail');
    await expectNoSeriousAxeFindings(page, 'vote page');
  });

  it('shows contributions with summaries and a chart, and exports CSV', async () => {
    const { page } = opened;
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Contributions' }).click();
    await page.getByRole('heading', { level: 1, name: 'Contributions' }).waitFor();
    const mine = page.getByRole('form', { name: 'Log your work' });
    await mine.getByLabel('Hours').fill('2');
    await mine.getByLabel('Value stream').selectOption('commons');
    await mine.getByLabel('What you did').fill('Wrote the server handbook');
    await mine.getByLabel('Tags').fill('Docs, handbook');
    await mine.getByRole('button', { name: 'Log' }).click();
    await expect.poll(() => page.getByText('2 entries, 3.5 hr in all').count()).toBe(1);
    const chart = page.getByRole('img', { name: 'Time contributed, by value stream' });
    await chart.waitFor();
    const table = page.getByRole('table', { name: 'Time contributed' });
    expect(await table.getByRole('row', { name: /Bob/ }).textContent()).toContain('1.5 hr');
    await page.getByLabel('Group by').selectOption('stream');
    await expect.poll(() => table.getByRole('rowheader').allTextContents()).toEqual(['Commons', 'Care', 'Total']);
    await shot(page, '09-contributions');
    await expectNoSeriousAxeFindings(page, 'contributions');

    await page.getByRole('group', { name: 'Filters' }).getByLabel('Tag').fill('handbook');
    await expect.poll(() => page.getByText('1 entry, 2 hr in all').count()).toBe(1);
    const csv = await download(page, 'Export CSV');
    expect(csv.name).toBe('contributions.csv');
    const lines = csv.text.replace(/^\ufeff/, '').split('\r\n');
    expect(lines[0]).toBe('Date,Member,Member ID,Circle,Value stream,Minutes,Hours,Description,Tags');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2},Alice,local:[0-9a-f-]{36},Tech ops,Commons,120,2\.00,Wrote the server handbook,"docs, handbook"$/);
    expect(opened.problems).toEqual([]);
  });
});
