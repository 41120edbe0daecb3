// The coop's forum as a member uses it: `npm run start:web` as a child process with a
// coop.json naming the forum, driven only through Chromium against the Discourse-compatible
// test server. Sign in through the forum's authorisation page (a real RSA key exchange and
// the loopback redirect), choose the circle's category, see its topics with unread marks,
// read a topic (sanitised) and come back to it read, see the last read list under a 429,
// link a vote to its thread and post its result there once, then sign out (the key is
// revoked on the forum). Screenshots and axe on each screen.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import { startPlenaryWeb, type PlenaryWebProcess } from '../helpers/plenary-web-process';
import { openApp, type OpenedPage } from '../helpers/e2e-page';
import { seriousAxeFindings } from '../helpers/axe';
import { artifactPath } from '../helpers/paths';
import { freePort } from '../helpers/free-port';
import { DiscourseTestServer, type ForumTopic } from '../servers/discourse-test-server';

let forum: DiscourseTestServer;
let app: PlenaryWebProcess;
let browser: Browser;
let opened: OpenedPage;
let budget: ForumTopic;

const shot = (page: Page, name: string) => page.screenshot({ path: artifactPath('e2e', 'forum', `${name}.png`), fullPage: true });

async function expectNoSeriousAxeFindings(page: Page, where: string) {
  const findings = await seriousAxeFindings(page);
  expect(findings, `${where}: ${JSON.stringify(findings, null, 2)}`).toEqual([]);
}

beforeAll(async () => {
  const redirectPort = await freePort();
  forum = await DiscourseTestServer.start({ allowedRedirects: [`http://127.0.0.1:${redirectPort}/discourse-auth`] });
  const category = forum.addCategory('Tech ops', 'Servers and meetings');
  forum.addCategory('Care');
  budget = forum.addTopic(category.id, 'Budget 2027 for the servers', 'We need to decide the **server budget** before December.');
  forum.addPost(budget.id, 'raw', 'ana', '<p>Agree with <a class="mention" href="/u/bruno">@bruno</a>.</p><script>document.title="owned"</script><img src="https://evil.example/x.png">');
  forum.addTopic(category.id, 'Migration to the new BBB cluster', 'Plan for moving rooms to the new cluster next month.');
  const dir = mkdtempSync(join(tmpdir(), 'plenary-forum-e2e-'));
  const coopConfig = join(dir, 'coop.json');
  writeFileSync(coopConfig, JSON.stringify({ version: 1, coop: { name: 'meet.coop' }, discourse: { url: forum.url } }));
  app = await startPlenaryWeb({ coopConfig, env: { PLENARY_FORUM_REDIRECT_PORT: String(redirectPort) } });
  browser = await launchChromium();
  opened = await openApp(browser, app);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await forum?.stop();
});

describe("the coop's forum, end to end", () => {
  it('signs in through the forum page in the browser', async () => {
    const { page } = opened;
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Settings' }).click();
    const section = page.getByRole('region', { name: 'Forum' });
    await section.waitFor();
    await expect.poll(() => section.textContent()).toContain(`The coop's forum is ${forum.url}.`);
    await shot(page, '01-settings-signed-out');
    await expectNoSeriousAxeFindings(page, 'settings, forum signed out');

    const [authPage] = await Promise.all([page.context().waitForEvent('page'), section.getByRole('button', { name: 'Sign in to the forum' }).click()]);
    await authPage.waitForLoadState();
    expect(authPage.url()).toContain(`${forum.url}/user-api-key/new?`);
    await expect.poll(() => section.textContent()).toContain("Approve Plenary on the forum's page");
    await authPage.getByRole('button', { name: 'Authorize' }).click();
    await authPage.getByRole('heading', { name: 'Signed in to the forum' }).waitFor();
    await authPage.close();
    await expect.poll(() => section.textContent(), { timeout: 15_000 }).toContain(`Signed in to ${forum.url} as ana.`);
    expect(forum.activeKeys('ana')).toHaveLength(1);
    await shot(page, '02-settings-signed-in');
    await expectNoSeriousAxeFindings(page, 'settings, forum signed in');
  });

  it("chooses the circle's category and lists its topics with unread marks", async () => {
    const { page } = opened;
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Circles' }).click();
    const create = page.getByRole('form', { name: 'Start a circle' });
    await create.getByLabel('Name', { exact: true }).fill('Tech ops');
    await create.getByLabel('Circle time zone').fill('UTC');
    await create.getByLabel('Your name in this circle').fill('Ana');
    await create.getByLabel('Your time zone').fill('UTC');
    await create.getByRole('button', { name: 'Create circle' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tech ops' }).waitFor();

    const section = page.getByRole('region', { name: 'Forum' });
    await expect.poll(() => section.textContent()).toContain('No forum category is chosen for this circle yet.');
    await section.getByRole('button', { name: 'Choose a forum category' }).click();
    const chooser = section.getByRole('form', { name: 'Choose the category' });
    await chooser.getByLabel('Forum category').selectOption({ label: 'Tech ops' });
    await chooser.getByRole('button', { name: 'Use this category' }).click();
    await section.getByRole('heading', { name: 'Latest topics in Tech ops' }).waitFor();
    const budgetItem = section.getByRole('listitem').filter({ hasText: 'Budget 2027 for the servers' });
    await expect.poll(() => budgetItem.textContent()).toContain('New');
    expect(await budgetItem.textContent()).toContain('2 posts');
    await shot(page, '03-circle-topics');
    await expectNoSeriousAxeFindings(page, 'circle forum topics');
  });

  it('reads a topic in Plenary, sanitised, with a link to reply on the forum', async () => {
    const { page } = opened;
    await page.getByRole('link', { name: 'Budget 2027 for the servers' }).click();
    await page.getByRole('heading', { level: 1, name: 'Budget 2027 for the servers' }).waitFor();
    expect(await page.locator('.forum-post-body strong').first().textContent()).toBe('server budget');
    expect(await page.getByRole('link', { name: '@bruno' }).getAttribute('href')).toBe(`${forum.url}/u/bruno`);
    expect(await page.locator('.forum-topic img, .forum-topic script').count()).toBe(0);
    expect(await page.title()).not.toBe('owned');
    expect(await page.getByRole('link', { name: 'Reply on the forum' }).getAttribute('href')).toBe(`${forum.url}/t/budget-2027-for-the-servers/${budget.id}`);
    await shot(page, '04-topic');
    await expectNoSeriousAxeFindings(page, 'topic');

    await page.getByRole('link', { name: 'Back to Tech ops' }).click();
    const section = page.getByRole('region', { name: 'Forum' });
    const budgetItem = section.getByRole('listitem').filter({ hasText: 'Budget 2027 for the servers' });
    await expect.poll(() => budgetItem.textContent()).not.toContain('New');
    forum.addPost(budget.id, 'Bruno adds a reply that Ana has not read yet.', 'bruno');
    await section.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => budgetItem.textContent()).toContain('1 unread');

    // The forum asks Plenary to slow down: the list read before stays, with the reason.
    forum.rateLimit(9, 1, /^\/c\//);
    await section.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => section.textContent()).toContain('The forum asks Plenary to wait 9 seconds before its next request.');
    expect(await budgetItem.count()).toBe(1);
    await shot(page, '05-rate-limited');
  });

  it("links a vote to its thread and posts the result there once", async () => {
    const { page } = opened;
    const votes = page.getByRole('region', { name: 'Votes' });
    await votes.getByRole('button', { name: 'New vote' }).click();
    const form = page.getByRole('form', { name: 'New vote' });
    await form.getByLabel('Question or motion').fill('Adopt the 2027 server budget?');
    await form.getByLabel('Method').selectOption({ label: 'Consent' });
    await form.getByRole('button', { name: 'Start vote' }).click();
    await page.getByRole('heading', { level: 1, name: 'Adopt the 2027 server budget?' }).waitFor();

    const section = page.getByRole('region', { name: 'Forum' });
    const link = section.getByRole('form', { name: 'Link thread' });
    await link.getByLabel('Forum topic address').fill('https://elsewhere.example/t/budget/1');
    await link.getByRole('button', { name: 'Link thread' }).click();
    await expect.poll(() => section.getByRole('alert').textContent()).toContain('That is not the address of a topic');
    await link.getByLabel('Forum topic address').fill(`${forum.url}/t/budget-2027-for-the-servers/${budget.id}`);
    await link.getByRole('button', { name: 'Link thread' }).click();
    await expect.poll(() => section.textContent()).toContain('Discussed in Budget 2027 for the servers');
    await expect.poll(() => section.textContent()).toContain('Close the vote to post its result on the forum.');

    // Closing asks first (naming who has not voted).
    await page.getByRole('button', { name: 'Close the vote…' }).click();
    await page.getByRole('button', { name: 'Close the vote now' }).click();
    const posting = section.getByRole('form', { name: 'Post the result to the forum' });
    await posting.waitFor();
    await posting.getByRole('button', { name: 'Show what will be posted' }).click();
    await expect.poll(() => posting.textContent()).toContain('# Adopt the 2027 server budget?');
    await shot(page, '06-vote-post-preview');
    await expectNoSeriousAxeFindings(page, 'vote forum posting');
    await posting.getByRole('button', { name: 'Post to the forum' }).click();
    await section.getByRole('link', { name: 'Result posted' }).waitFor({ timeout: 15_000 });
    const onForum = forum.postsContaining('Posted from Plenary');
    expect(onForum).toHaveLength(1);
    expect(onForum[0]!.topicId).toBe(budget.id);
    expect(await section.getByRole('link', { name: 'Result posted' }).getAttribute('href')).toBe(`${forum.url}/t/budget-2027-for-the-servers/${budget.id}/${onForum[0]!.postNumber}`);
    expect(await section.getByRole('form', { name: 'Post the result to the forum' }).count()).toBe(0);
    await shot(page, '07-vote-posted');
  });

  it('signs out, revoking the key on the forum', async () => {
    const { page, problems } = opened;
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Settings' }).click();
    const section = page.getByRole('region', { name: 'Forum' });
    await section.getByRole('button', { name: 'Sign out and revoke the key' }).click();
    await expect.poll(() => section.textContent()).toContain("Signed out. The forum revoked Plenary's key.");
    expect(forum.activeKeys('ana')).toEqual([]);
    await shot(page, '08-signed-out');
    expect(problems).toEqual([]);
  });
});
