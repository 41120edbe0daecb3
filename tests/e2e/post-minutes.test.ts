// Posting an assembly's minutes to the circle's chat in one click, end to end: Plenary
// started as `npm run start:web` and driven only through Chromium, a real Synapse, and a
// second member on a plain matrix-js-sdk client who reads the message in the circle's room,
// formatted (Markdown as HTML), with the decision, its result and the action items.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createClient, type MatrixClient } from 'matrix-js-sdk';
import { launchChromium } from '../helpers/chromium';
import { clearCircleRoomsCoopConfig, startPlenaryWeb, type PlenaryWebProcess } from '../helpers/plenary-web-process';
import { openApp } from '../helpers/e2e-page';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { quietSdkLogger } from '../helpers/quiet-sdk-logger';

let server: SynapseServer;
let app: PlenaryWebProcess;
let browser: Browser;
let page: Page;
let problems: string[];
let bob: MatrixClient;
let bobUser: RegisteredUser;

beforeAll(async () => {
  server = await SynapseServer.start({ rateLimits: 'relaxed' });
  await server.register('ana', { password: 'ana-password' });
  bobUser = await server.register('bruno', { password: 'bruno-password' });
  bob = createClient({ baseUrl: server.baseUrl, accessToken: bobUser.accessToken, userId: bobUser.userId, deviceId: bobUser.deviceId, logger: quietSdkLogger });
  // Circle rooms in the clear, whatever the default: the second member reads the minutes with a crypto-less matrix-js-sdk client.
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

const nav = (name: string) => page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name }).click();

describe("posting minutes to the circle's chat", () => {
  it('posts the closed minutes, with the decision and the action items, as one formatted message', async () => {
    await page.evaluate(() => (window.location.hash = '#/settings'));
    await page.getByLabel("Your Matrix ID or the server's address").fill(server.baseUrl);
    await page.getByRole('button', { name: 'Find server' }).click();
    await page.getByLabel('User name').fill('ana');
    await page.getByLabel('Password').fill('ana-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText(/^Signed in as @ana:/).waitFor();

    await nav('Circles');
    const create = page.getByRole('form', { name: 'Start a circle' });
    await create.getByLabel('Name', { exact: true }).fill('Hosting');
    await create.getByLabel('Your name in this circle').fill('Ana');
    await create.getByRole('button', { name: 'Create circle' }).click();
    await page.getByRole('heading', { level: 1, name: 'Hosting' }).waitFor();
    const circle = /#\/circles\/([0-9A-Z]{26})$/.exec(page.url())![1]!;
    const add = page.getByRole('form', { name: 'Add a member' });
    await add.getByLabel('Name').fill('Bruno');
    await add.getByLabel('Matrix ID (optional)').fill(bobUser.userId);
    await add.getByRole('button', { name: 'Add member' }).click();
    await page.getByRole('rowheader', { name: /^Bruno/ }).waitFor();
    // Bruno joins the circle's room once Plenary has made it and invited him.
    const alias = `#plenary.circle.${circle.toLowerCase()}:${server.serverName}`;
    let roomId = '';
    await expect.poll(() => bob.joinRoom(alias).then((room) => ((roomId = room.roomId), true), () => false), { timeout: 30_000 }).toBe(true);

    await page.getByRole('button', { name: 'Plan an assembly' }).click();
    await page.getByRole('form', { name: 'Plan an assembly' }).getByLabel('Title').fill('Winter assembly');
    await page.getByRole('button', { name: 'Create assembly' }).click();
    await page.getByRole('heading', { level: 1, name: 'Winter assembly' }).waitFor();
    await page.getByLabel('New agenda item').fill('New servers');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 3, name: '1. New servers' }).waitFor();
    await page.getByRole('button', { name: 'Open the assembly' }).click();
    await page.getByRole('button', { name: 'Put a motion to the vote' }).click();
    const motion = page.getByRole('form', { name: 'New vote' });
    await motion.getByLabel('Question or motion').fill('Buy two servers?');
    await motion.getByRole('button', { name: 'Start vote' }).click();
    const panel = page.getByRole('region', { name: 'Buy two servers?' });
    await panel.getByRole('group', { name: /^Choice of Ana/ }).getByLabel('Agree').check();
    await panel.getByRole('button', { name: /^Record ballot for Ana/ }).click();
    await panel.getByLabel('Voter').selectOption({ label: 'Bruno' });
    await panel.getByRole('group', { name: 'Choice of Bruno' }).getByLabel('Agree').check();
    await panel.getByRole('button', { name: 'Record ballot for Bruno' }).click();
    await expect.poll(() => panel.textContent()).toContain('Everyone has voted.');
    const actions = page.getByRole('form', { name: 'Add an action item' });
    await actions.getByLabel('What is to be done').fill('Order the servers');
    await actions.getByLabel('Owner').selectOption({ label: 'Bruno' });
    await actions.getByRole('button', { name: 'Add action item' }).click();
    await page.getByRole('region', { name: 'Action items' }).getByText('Order the servers').waitFor();
    await page.getByRole('button', { name: 'Close the assembly…' }).click();
    await page.getByRole('button', { name: 'Close the votes and the assembly' }).click();
    await expect.poll(() => page.locator('#assembly-title + .badge').textContent()).toBe('Closed');

    await page.getByRole('button', { name: "Post minutes to the circle's chat" }).click();
    await page.getByRole('status').filter({ hasText: "Posted to the circle's chat." }).waitFor();

    let message: { body?: string; format?: string; formatted_body?: string } = {};
    await expect
      .poll(
        async () => {
          const res = await bob.createMessagesRequest(roomId, null, 50, 'b' as never);
          const found = res.chunk.find((e) => e.type === 'm.room.message' && String((e.content as { body?: string }).body ?? '').startsWith('# Winter assembly'));
          if (found) message = found.content as typeof message;
          return found !== undefined;
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    expect(message.body).toContain('#### Decision: Buy two servers?');
    expect(message.body).toContain('- Result: **Passes**');
    expect(message.body).toContain('- [ ] Order the servers — **Bruno**');
    expect(message.format).toBe('org.matrix.custom.html');
    expect(message.formatted_body).toContain('<h1>Winter assembly</h1>');
    expect(problems).toEqual([]);
  });
});
