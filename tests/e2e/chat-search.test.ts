// Chat search and votes in the conversation, end to end: Plenary started as `npm run
// start:web`, driven only through real Chromium, a real Synapse, and a second member on a
// plain matrix-js-sdk client (as an Element user would be). Searches the messages of every
// room (an edited message by its new words, Japanese, a two-character word, FTS syntax),
// opens a result in its room at the message, and sees a circle's vote as a card in the
// circle's room with the member's ballot. Screenshots (English and Spanish) and axe checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createClient, MsgType, type MatrixClient } from 'matrix-js-sdk';
import { launchChromium } from '../helpers/chromium';
import { clearCircleRoomsCoopConfig, startPlenaryWeb, type PlenaryWebProcess } from '../helpers/plenary-web-process';
import { openApp } from '../helpers/e2e-page';
import { seriousAxeFindings } from '../helpers/axe';
import { artifactPath } from '../helpers/paths';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { quietSdkLogger } from '../helpers/quiet-sdk-logger';

let server: SynapseServer;
let app: PlenaryWebProcess;
let browser: Browser;
let page: Page;
let problems: string[];
let bob: MatrixClient;
let alice: RegisteredUser;
let bobUser: RegisteredUser;
let roomId: string;

const roomName = 'Technology operations';
const shot = (name: string) => page.screenshot({ path: artifactPath('e2e', 'chat-search', `${name}.png`), fullPage: true });
const mainNav = () => page.getByRole('navigation', { name: 'Main navigation' });
const results = () => page.locator('.chat-search-results');

async function expectAxeClean(what: string): Promise<void> {
  const findings = await seriousAxeFindings(page);
  expect(findings, `${what}: ${JSON.stringify(findings, null, 2)}`).toEqual([]);
}

beforeAll(async () => {
  server = await SynapseServer.start({ rateLimits: 'relaxed' });
  alice = await server.register('ana', { password: 'ana-password' });
  bobUser = await server.register('bruno', { password: 'bruno-password' });
  bob = createClient({ baseUrl: server.baseUrl, accessToken: bobUser.accessToken, userId: bobUser.userId, deviceId: bobUser.deviceId, logger: quietSdkLogger });
  await bob.setDisplayName('Bruno');
  // Circle rooms in the clear, whatever the default: Bruno is a crypto-less matrix-js-sdk client writing in the circle's room; the test is about search.
  app = await startPlenaryWeb({ coopConfig: clearCircleRoomsCoopConfig(server.baseUrl) });
  browser = await launchChromium();
  ({ page, problems } = await openApp(browser, app));
});

afterAll(async () => {
  bob?.stopClient();
  await browser?.close();
  await app?.stop();
  await server?.stop();
});

async function search(text: string): Promise<void> {
  const form = page.getByRole('search', { name: 'Search messages' });
  await form.getByLabel('Search the messages of every room').fill(text);
  await form.getByLabel('Search the messages of every room').press('Enter');
  await page.getByRole('heading', { level: 2, name: `Messages with “${text}”` }).waitFor();
  await expect.poll(() => results().getByRole('status').textContent()).not.toBe('Searching…');
}

describe('chat search and votes in the conversation', () => {
  it('signs in and starts a circle whose room Bruno writes in', async () => {
    await page.evaluate(() => (window.location.hash = '#/settings'));
    await page.getByLabel("Your Matrix ID or the server's address").fill(server.baseUrl);
    await page.getByRole('button', { name: 'Find server' }).click();
    await page.getByText(`The homeserver at ${server.baseUrl} answered.`).waitFor();
    await page.getByLabel('User name').fill('ana');
    await page.getByLabel('Password').fill('ana-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText(`Signed in as ${alice.userId}`).waitFor();
    await page.getByText(/Online\. Last synced at/).waitFor();

    await mainNav().getByRole('link', { name: 'Circles' }).click();
    await page.getByRole('heading', { level: 1, name: 'Circles' }).waitFor();
    const create = page.getByRole('form', { name: 'Start a circle' });
    if ((await create.count()) === 0) await page.getByRole('button', { name: 'New circle' }).click();
    await create.getByLabel('Name', { exact: true }).fill(roomName);
    await create.getByLabel('Purpose').fill('Servers and backups');
    await create.getByLabel('Your name in this circle').fill('Ana');
    await create.getByRole('button', { name: 'Create circle' }).click();
    await page.getByRole('heading', { level: 1, name: roomName }).waitFor();
    const add = page.getByRole('form', { name: 'Add a member' });
    await add.getByLabel('Name').fill('Bruno');
    await add.getByLabel('Matrix ID').fill(bobUser.userId);
    await add.getByRole('button', { name: 'Add member' }).click();
    await page.getByRole('rowheader', { name: /^Bruno/ }).waitFor();
    const circle = /#\/circles\/([0-9A-Z]{26})$/.exec(page.url())?.[1];
    if (!circle) throw new Error(`no circle id in ${page.url()}`);

    const alias = `#plenary.circle.${circle.toLowerCase()}:${server.serverName}`;
    await expect
      .poll(() => bob.joinRoom(alias).then((room) => ((roomId = room.roomId), true), () => false), { timeout: 30_000, message: `Bruno could not join ${alias}` })
      .toBe(true);

    await bob.sendTextMessage(roomId, 'Morning all. The backup job failed again last night.');
    await bob.sendTextMessage(roomId, '来年度の予算案について話しましょう');
    await bob.sendTextMessage(roomId, 'Looks ok to me, ship it (NEAR "the end")');
    const tuesday = await bob.sendTextMessage(roomId, 'Meeting on Tuesday');
    await bob.sendMessage(roomId, {
      msgtype: MsgType.Text,
      body: '* Meeting on Wednesday',
      'm.new_content': { msgtype: MsgType.Text, body: 'Meeting on Wednesday' },
      'm.relates_to': { rel_type: 'm.replace', event_id: tuesday.event_id },
    } as never);
    // Enough chatter after it that the first message is far above the newest screen.
    for (let i = 1; i <= 60; i++) await bob.sendTextMessage(roomId, `Status line ${i}: all quiet on the servers.`);

    await mainNav().getByRole('link', { name: /Chat/ }).click();
    await page.getByRole('navigation', { name: 'Rooms' }).getByRole('link', { name: new RegExp(roomName) }).click();
    await page.getByRole('log').getByText('Status line 60: all quiet on the servers.').waitFor({ timeout: 30_000 });
  });

  it('finds messages of every room, grouped by room with sender, time and the match marked', async () => {
    await search('backup job');
    const group = results().getByRole('region', { name: roomName });
    await group.getByRole('heading', { level: 3, name: roomName }).waitFor();
    const hit = group.getByRole('link').filter({ hasText: 'Morning all.' });
    await expect.poll(() => hit.count()).toBe(1);
    await expect.poll(() => hit.textContent()).toContain('Bruno');
    // Each word of the phrase is marked (the index marks what it matched, word by word).
    expect((await hit.locator('mark').allTextContents()).join(' ')).toBe('backup job');
    await expect.poll(() => results().getByRole('status').textContent()).toBe('1 message');
    await shot('01-results');
    await expectAxeClean('search results');
  });

  it('finds an edited message by its new words only, Japanese, short words, and FTS syntax as plain characters', async () => {
    await search('Wednesday');
    await expect.poll(() => results().getByRole('link').filter({ hasText: 'Meeting on Wednesday' }).count()).toBe(1);
    await search('Tuesday');
    await results().getByText('No message matches.').waitFor();
    await search('予算');
    await expect.poll(() => results().getByRole('link').filter({ hasText: '来年度の予算案' }).count()).toBe(1);
    await search('ok');
    await expect.poll(() => results().getByRole('link').filter({ hasText: 'Looks ok to me' }).count()).toBe(1);
    await search('(NEAR "the');
    await expect.poll(() => results().getByRole('link').filter({ hasText: 'Looks ok to me' }).count()).toBe(1);
    await search('NEAR(* OR "');
    await results().getByText('No message matches.').waitFor();
    expect(await results().getByRole('alert').count()).toBe(0);
    // Too many words: said before anything is asked.
    await search('a b c d e f g h i j k l m');
    await results().getByRole('alert').filter({ hasText: 'Use at most 12 words or phrases.' }).waitFor();
  });

  it('opens a result in its room, scrolled to the message and highlighted, from the keyboard', async () => {
    await search('backup job');
    const hit = results().getByRole('link').filter({ hasText: 'Morning all.' });
    await hit.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: roomName }).waitFor();
    const focused = page.locator('.chat-row[aria-current="true"]');
    await expect.poll(() => focused.textContent()).toContain('The backup job failed again last night.');
    await expect.poll(() => focused.isVisible()).toBe(true);
    await expect.poll(() => focused.evaluate((row) => {
      const log = row.closest('[role="log"]')!.getBoundingClientRect();
      const box = row.getBoundingClientRect();
      return box.top >= log.top - 1 && box.bottom <= log.bottom + 1;
    })).toBe(true);
    await shot('02-jumped');
    await expectAxeClean('the room opened at a search result');
    // Reading on down to the newest message works from there.
    await page.getByRole('log').evaluate((log) => (log.scrollTop = log.scrollHeight));
    await page.getByRole('log').getByText('Status line 60: all quiet on the servers.').waitFor();
  });

  it('shows a circle’s vote as a card in its room, with the member’s ballot and a link to the vote', async () => {
    const question = 'Buy a new backup server?';
    await mainNav().getByRole('link', { name: 'Votes' }).click();
    await page.getByRole('button', { name: 'New vote' }).click();
    const form = page.getByRole('form', { name: 'New vote' });
    await form.getByLabel('Question or motion').fill(question);
    await form.getByLabel('Method').selectOption('single');
    await form.getByLabel('Option 1').fill('Yes');
    await form.getByLabel('Option 2').fill('Not yet');
    await form.getByRole('button', { name: 'Start vote' }).click();
    await page.getByRole('heading', { level: 1, name: question }).waitFor();
    const votePage = page.url();

    await mainNav().getByRole('link', { name: /Chat/ }).click();
    await page.getByRole('navigation', { name: 'Rooms' }).getByRole('link', { name: new RegExp(roomName) }).click();
    const card = page.getByRole('article', { name: question });
    await card.waitFor({ timeout: 30_000 });
    await expect.poll(() => card.textContent()).toContain('Open');
    await expect.poll(() => card.textContent()).toContain('You have not voted yet.');
    // The poll's own events stay out of the timeline: one card, no raw event.
    expect(await page.getByRole('article', { name: question }).count()).toBe(1);

    // Voting on the vote page updates the card.
    await card.getByRole('link', { name: 'Vote in Plenary' }).click();
    await page.getByRole('heading', { level: 1, name: question }).waitFor();
    expect(page.url()).toBe(votePage);
    const mine = page.getByRole('region', { name: 'Your ballot' });
    await mine.getByRole('group', { name: 'Your choice' }).getByLabel('Not yet').check();
    await mine.getByRole('button', { name: 'Cast my ballot' }).click();
    await expect.poll(() => mine.textContent()).toContain('You voted: Not yet');

    await mainNav().getByRole('link', { name: /Chat/ }).click();
    await page.getByRole('navigation', { name: 'Rooms' }).getByRole('link', { name: new RegExp(roomName) }).click();
    await expect.poll(() => page.getByRole('article', { name: question }).textContent(), { timeout: 15_000 }).toContain('Your ballot: Not yet');
    await shot('03-vote-card');
    await expectAxeClean('a vote card in the room');

    // A poll Bruno starts in Element is a card too, read from the poll itself.
    await bob.sendEvent(roomId, 'org.matrix.msc3381.poll.start' as never, {
      'org.matrix.msc1767.text': 'Pizza or soup on Friday?\n1. Pizza\n2. Soup',
      'org.matrix.msc3381.poll.start': {
        question: { 'org.matrix.msc1767.text': 'Pizza or soup on Friday?' },
        kind: 'org.matrix.msc3381.poll.disclosed',
        max_selections: 1,
        answers: [
          { id: 'pizza', 'org.matrix.msc1767.text': 'Pizza' },
          { id: 'soup', 'org.matrix.msc1767.text': 'Soup' },
        ],
      },
    } as never);
    const elementPoll = page.getByRole('article', { name: 'Pizza or soup on Friday?' });
    await expect
      .poll(
        async () => {
          // Wherever the room was left, its newest rows are where a new poll shows.
          await page.getByRole('log').evaluate((log) => (log.scrollTop = log.scrollHeight));
          return elementPoll.count();
        },
        { timeout: 30_000 },
      )
      .toBe(1);
    await expect.poll(() => elementPoll.getByRole('list', { name: 'Answers' }).textContent()).toBe('PizzaSoup');
    await expect.poll(() => elementPoll.textContent()).toContain('Open');

    // The same in Spanish.
    const address = page.url();
    await mainNav().getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Language').selectOption('es');
    await page.getByRole('heading', { level: 1, name: 'Ajustes' }).waitFor();
    await page.goto(address);
    await expect.poll(() => page.getByRole('article', { name: question }).textContent(), { timeout: 15_000 }).toContain('Tu voto: Not yet');
    await page.getByRole('search', { name: 'Buscar mensajes' }).getByLabel('Buscar en los mensajes de todas las salas').fill('backup');
    await page.getByRole('search', { name: 'Buscar mensajes' }).getByRole('button', { name: 'Buscar' }).click();
    await page.getByRole('heading', { level: 2, name: 'Mensajes con «backup»' }).waitFor();
    await shot('04-results-es');
    await expectAxeClean('search results in Spanish');
    expect(problems).toEqual([]);
  });
});
