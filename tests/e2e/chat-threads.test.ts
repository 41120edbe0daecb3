// Threads end to end (issue 18, item 1): Plenary started as `npm run start:web`, driven only
// through Chromium with the keyboard, a real Synapse, and a second member on a plain
// matrix-js-sdk client (as an Element user). Bruno's thread reply is not inline: the root
// shows "1 reply" with the latest reply and an unread count; Ana opens the thread with the
// keyboard, replies there (m.thread, as Element), sees the summary grow, and closes it with
// Escape; in a narrow window the thread takes the room's place. Screenshots in English and
// Spanish; axe clean with the thread open.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createClient, type MatrixClient } from 'matrix-js-sdk';
import { launchChromium } from '../helpers/chromium';
import { startPlenaryWeb, type PlenaryWebProcess } from '../helpers/plenary-web-process';
import { openApp } from '../helpers/e2e-page';
import { seriousAxeFindings } from '../helpers/axe';
import { artifactPath } from '../helpers/paths';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { quietSdkLogger } from '../helpers/quiet-sdk-logger';

let server: SynapseServer;
let app: PlenaryWebProcess;
let browser: Browser;
let page: Page;
let bob: MatrixClient;
let alice: RegisteredUser;
let bobUser: RegisteredUser;
let roomId: string;
let rootId: string;

beforeAll(async () => {
  server = await SynapseServer.start({ rateLimits: 'relaxed' });
  alice = await server.register('ana', { password: 'ana-password' });
  bobUser = await server.register('bruno', { password: 'bruno-password' });
  bob = createClient({ baseUrl: server.baseUrl, accessToken: bobUser.accessToken, userId: bobUser.userId, deviceId: bobUser.deviceId, logger: quietSdkLogger });
  await bob.setDisplayName('Bruno');
  app = await startPlenaryWeb();
  browser = await launchChromium();
  ({ page } = await openApp(browser, app));
});

afterAll(async () => {
  bob?.stopClient();
  await browser?.close();
  await app?.stop();
  await server?.stop();
});

async function bobGets(check: (content: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  let found: Record<string, unknown> | undefined;
  await expect
    .poll(
      async () => {
        const res = await bob.createMessagesRequest(roomId, null, 30, 'b' as never);
        found = res.chunk.map((e) => e.content as Record<string, unknown>).find(check);
        return found !== undefined;
      },
      { timeout: 15_000 },
    )
    .toBe(true);
  return found!;
}

describe('threads in Chromium, keyboard only', () => {
  it('signs in and joins a room Bruno invites her to', async () => {
    await page.evaluate(() => (window.location.hash = '#/settings'));
    await page.getByLabel("Your Matrix ID or the server's address").fill(server.baseUrl);
    await page.getByRole('button', { name: 'Find server' }).click();
    await page.getByText(`The homeserver at ${server.baseUrl} answered.`).waitFor();
    await page.getByLabel('User name').fill('ana');
    await page.getByLabel('Password').fill('ana-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText(`Signed in as ${alice.userId}`).waitFor();
    ({ room_id: roomId } = await bob.createRoom({ name: 'Planning', invite: [alice.userId] }));
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: /Chat/ }).click();
    const join = page.getByRole('button', { name: 'Join Planning' });
    await join.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: 'Planning' }).waitFor();
  });

  it('shows Bruno’s thread reply as a summary on its root, not inline', async () => {
    ({ event_id: rootId } = await bob.sendMessage(roomId, { msgtype: 'm.text', body: 'Who brings the projector?' } as never));
    await bob.sendMessage(roomId, { msgtype: 'm.text', body: 'Meanwhile, in the room' } as never);
    const log = page.getByRole('log', { name: 'Messages in Planning' });
    await log.getByText('Meanwhile, in the room').waitFor();
    // A reply after what Ana has read in the room is unread until she opens the thread.
    await bob.sendMessage(roomId, {
      msgtype: 'm.text',
      body: 'I can, from the office',
      'm.relates_to': { rel_type: 'm.thread', event_id: rootId, is_falling_back: true, 'm.in_reply_to': { event_id: rootId } },
    } as never);
    const summary = log.getByRole('button', { name: /1 reply/ });
    await summary.waitFor();
    expect(await summary.textContent()).toContain('I can, from the office');
    expect(await summary.textContent()).toContain('1 unread');
    expect(await log.locator('.msg-plain').filter({ hasText: 'I can, from the office' }).count()).toBe(0);
  });

  it('opens the thread with the keyboard, replies in it as Element does, and sees the summary grow', async () => {
    const log = page.getByRole('log', { name: 'Messages in Planning' });
    await log.getByRole('button', { name: /1 reply/ }).focus();
    await page.keyboard.press('Enter');
    const thread = page.getByRole('region', { name: 'Thread' });
    await thread.getByRole('heading', { name: 'Thread' }).waitFor();
    const replies = thread.getByRole('log', { name: 'thread in Planning' });
    await replies.getByText('I can, from the office').waitFor();
    await replies.getByText('Who brings the projector?').waitFor();
    // Opening it reads it.
    await expect.poll(() => log.getByRole('button', { name: /1 reply/ }).textContent()).not.toContain('unread');

    const composer = page.getByLabel('Message to thread in Planning');
    await composer.focus();
    await page.keyboard.type('Great, I bring the cables');
    await page.keyboard.press('Enter');
    const content = await bobGets((c) => c.body === 'Great, I bring the cables');
    const relation = content['m.relates_to'] as Record<string, unknown>;
    expect(relation).toMatchObject({ rel_type: 'm.thread', event_id: rootId, is_falling_back: true });
    expect((relation['m.in_reply_to'] as { event_id: string }).event_id).toMatch(/^\$/);
    await replies.getByText('Great, I bring the cables').waitFor();
    await log.getByRole('button', { name: /2 replies/ }).waitFor();
    expect(await log.locator('.msg-plain').filter({ hasText: 'Great, I bring the cables' }).count()).toBe(0);
    await page.screenshot({ path: artifactPath('e2e', 'chat-threads', 'thread-en.png') });
    expect(await seriousAxeFindings(page)).toEqual([]);

    // Escape goes back to the room.
    await composer.focus();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('region', { name: 'Thread' }).count()).toBe(0);
  });

  it('offers Reply in thread on a message, and looks right in Spanish', async () => {
    const address = page.url();
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Language').selectOption('es');
    await page.getByRole('heading', { level: 1, name: 'Ajustes' }).waitFor();
    await page.goto(address.replace(/#.*$/, `#/chat/${encodeURIComponent(roomId)}`));
    await page.getByRole('heading', { level: 2, name: 'Planning' }).waitFor();
    const log = page.getByRole('log', { name: /Planning/ });
    const message = log.locator('.msg').filter({ hasText: 'Meanwhile, in the room' });
    await message.hover();
    await message.getByRole('button', { name: 'Responder en un hilo' }).click();
    const thread = page.getByRole('region', { name: 'Hilo' });
    await thread.getByText('Meanwhile, in the room').waitFor();
    await page.screenshot({ path: artifactPath('e2e', 'chat-threads', 'thread-es.png') });
    expect(await seriousAxeFindings(page)).toEqual([]);
  });

  it('shows the thread instead of the room in a narrow window', async () => {
    const size = page.viewportSize();
    await page.setViewportSize({ width: 700, height: 800 });
    try {
      await expect.poll(() => page.getByRole('region', { name: 'Hilo' }).isVisible()).toBe(true);
      await expect.poll(() => page.getByRole('heading', { level: 2, name: 'Planning' }).isVisible()).toBe(false);
      await page.getByRole('button', { name: 'Cerrar el hilo' }).focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByRole('heading', { level: 2, name: 'Planning' }).isVisible()).toBe(true);
    } finally {
      if (size) await page.setViewportSize(size);
    }
  });
});
