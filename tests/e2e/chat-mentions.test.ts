// Mentions and direct chats end to end (issue 18, items 3 and 5): Plenary started as
// `npm run start:web`, driven only through Chromium with the keyboard, a real Synapse, and a
// second member on a plain matrix-js-sdk client (as an Element user). Ana picks Bruno with
// `@` and the arrow keys, sends the mention as a pill, is warned about someone outside the
// room, and starts a direct chat with Bruno from the room's members; it is listed under
// People. Screenshots in English and Spanish; axe clean with the suggestions open.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createClient, type MatrixClient } from 'matrix-js-sdk';
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
let bob: MatrixClient;
let alice: RegisteredUser;
let bobUser: RegisteredUser;
let roomId: string;

beforeAll(async () => {
  server = await SynapseServer.start({ rateLimits: 'relaxed' });
  alice = await server.register('ana', { password: 'ana-password' });
  bobUser = await server.register('bruno', { password: 'bruno-password' });
  bob = createClient({ baseUrl: server.baseUrl, accessToken: bobUser.accessToken, userId: bobUser.userId, deviceId: bobUser.deviceId, logger: quietSdkLogger });
  await bob.setDisplayName('Bruno');
  // Circle rooms in the clear, whatever the default: Bruno is a crypto-less matrix-js-sdk client (he joins the circle below).
  app = await startPlenaryWeb({ coopConfig: clearCircleRoomsCoopConfig(server.baseUrl) });
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

describe('mentions and direct chats in Chromium, keyboard only', () => {
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

  it('picks Bruno with @ and the arrow keys, and sends the mention as a pill with m.mentions', async () => {
    const composer = page.getByLabel('Message to Planning');
    await composer.focus();
    await page.keyboard.type('Thanks @br');
    const list = page.getByRole('listbox', { name: 'Suggestions' });
    await list.getByRole('option', { name: new RegExp(`Bruno ${bobUser.userId}`) }).waitFor();
    // The textarea points at the highlighted option, and Escape closes the list.
    const active = await composer.getAttribute('aria-activedescendant');
    expect(active).toBeTruthy();
    expect(await list.getByRole('option', { selected: true }).getAttribute('id')).toBe(active);
    await page.screenshot({ path: artifactPath('e2e', 'chat-mentions', 'suggestions-en.png') });
    expect(await seriousAxeFindings(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(() => list.count()).toBe(0);
    expect(await composer.getAttribute('aria-activedescendant')).toBeNull();
    // Typing on opens it again; Down and Up move, Tab inserts.
    await page.keyboard.type('u');
    await list.waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Tab');
    await expect.poll(() => composer.inputValue()).toBe('Thanks Bruno ');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await page.keyboard.type('for the notes');
    await page.keyboard.press('Enter');
    const content = await bobGets((c) => c.body === 'Thanks Bruno for the notes');
    expect(content['m.mentions']).toEqual({ user_ids: [bobUser.userId] });
    expect(content.formatted_body).toContain(`<a href="https://matrix.to/#/${bobUser.userId}"`);
    const log = page.getByRole('log', { name: 'Messages in Planning' });
    await expect.poll(() => log.locator(`a[href="https://matrix.to/#/${bobUser.userId}"]`).count()).toBeGreaterThan(0);

    // # offers the member's rooms; Enter inserts one, linked to the room.
    await composer.focus();
    await page.keyboard.type('see #plan');
    await list.getByRole('option', { name: /Planning/ }).waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => composer.inputValue()).toBe('see Planning ');
    await page.keyboard.press('Enter');
    const link = await bobGets((c) => c.body === 'see Planning');
    expect(link.formatted_body).toContain(`<a href="https://matrix.to/#/${roomId}"`);
    expect(link['m.mentions']).toEqual({});
  });

  it('warns before sending a mention of someone who is not in the room, and sends it as text', async () => {
    const composer = page.getByLabel('Message to Planning');
    await composer.focus();
    await page.keyboard.type('ask @zoe:elsewhere.org too');
    const warning = page.getByText('@zoe:elsewhere.org is not in this room: it will be sent as text, without a mention.');
    await warning.waitFor();
    expect(await composer.getAttribute('aria-describedby')).toContain(await warning.getAttribute('id'));
    await page.keyboard.press('Enter');
    const content = await bobGets((c) => c.body === 'ask @zoe:elsewhere.org too');
    expect(content['m.mentions']).toEqual({});
    await expect.poll(() => warning.count()).toBe(0);
  });

  it('starts a direct chat with Bruno from the room’s members; it is direct for him and listed under People', async () => {
    bob.startClient({ initialSyncLimit: 5 });
    const summary = page.getByText('Members (2)');
    await summary.focus();
    await page.keyboard.press('Enter');
    const message = page.getByRole('button', { name: 'Message Bruno' });
    await message.focus();
    await page.keyboard.press('Enter');
    const rooms = page.getByRole('navigation', { name: 'Rooms' });
    const people = rooms.getByRole('region', { name: 'People' });
    await people.getByRole('link', { name: /Bruno/ }).waitFor({ timeout: 20_000 });
    // The new room can reach the list (by sync) before the page has moved to it: wait for the move.
    const openRoomId = () => decodeURIComponent(/#\/chat\/(.+)$/.exec(page.url())?.[1] ?? '');
    await expect.poll(openRoomId, { timeout: 20_000 }).not.toBe(roomId);
    const dmId = openRoomId();
    expect(dmId).toMatch(/^!/);
    await expect
      .poll(() => {
        const member = bob.getRoom(dmId)?.currentState.getMember(bobUser.userId);
        return member?.membership === 'invite' && member.events.member?.getContent().is_direct === true;
      }, { timeout: 15_000 })
      .toBe(true);
    await page.getByLabel(/Message to /).waitFor();
    await page.screenshot({ path: artifactPath('e2e', 'chat-mentions', 'direct-en.png') });
    expect(await seriousAxeFindings(page)).toEqual([]);

    // Asked again from the first room: the same direct chat, not a new one.
    await rooms.getByRole('link', { name: /Planning/ }).click();
    await page.getByText('Members (2)').click();
    await page.getByRole('button', { name: 'Message Bruno' }).click();
    await expect.poll(() => decodeURIComponent(page.url())).toContain(dmId);
    expect(await people.getByRole('link').count()).toBe(1);
  });

  it('offers "Message Bruno" in a circle\'s member list, which opens the same direct chat', async () => {
    const dmId = decodeURIComponent(/#\/chat\/(.+)$/.exec(page.url())?.[1] ?? '');
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Circles' }).click();
    await page.getByRole('heading', { level: 1, name: 'Circles' }).waitFor();
    const create = page.getByRole('form', { name: 'Start a circle' });
    if ((await create.count()) === 0) await page.getByRole('button', { name: 'New circle' }).click();
    await create.getByLabel('Name', { exact: true }).fill('Hosting');
    await create.getByLabel('Purpose').fill('Servers');
    await create.getByLabel('Your name in this circle').fill('Ana');
    await create.getByRole('button', { name: 'Create circle' }).click();
    await page.getByRole('heading', { level: 1, name: 'Hosting' }).waitFor();
    const add = page.getByRole('form', { name: 'Add a member' });
    await add.getByLabel('Name').fill('Bruno');
    await add.getByLabel('Matrix ID').fill(bobUser.userId);
    await add.getByRole('button', { name: 'Add member' }).click();
    const message = page.getByRole('button', { name: 'Message Bruno' });
    await message.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => decodeURIComponent(page.url())).toContain(`#/chat/${dmId}`);
  });

  it('looks right in Spanish', async () => {
    const address = page.url();
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Language').selectOption('es');
    await page.getByRole('heading', { level: 1, name: 'Ajustes' }).waitFor();
    await page.goto(address.replace(/#.*$/, `#/chat/${encodeURIComponent(roomId)}`));
    await page.getByRole('heading', { level: 2, name: 'Planning' }).waitFor();
    await page.getByRole('navigation', { name: 'Salas' }).getByRole('region', { name: 'Personas' }).waitFor();
    const composer = page.getByLabel('Mensaje para Planning');
    await composer.focus();
    await page.keyboard.type('@br');
    await page.getByRole('listbox', { name: 'Sugerencias' }).waitFor();
    await page.screenshot({ path: artifactPath('e2e', 'chat-mentions', 'suggestions-es.png') });
    expect(await seriousAxeFindings(page)).toEqual([]);
  });
});
