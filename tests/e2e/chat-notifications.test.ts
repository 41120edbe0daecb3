// Notification levels per room and keywords (issue 18, item 6) end to end: Plenary started as
// `npm run start:web`, driven only through Chromium, against a real Synapse. The member mutes
// a room from its header and adds a keyword in Settings; another device of the same member
// (as Element on their phone) reads the same push rules, and a level it sets shows in
// Plenary. Keyboard-operable, axe clean, screenshots in English and Japanese.
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
let problems: string[];
let bob: MatrixClient;
let alice: RegisteredUser;
let roomId: string;
const roomName = 'Logistics';

beforeAll(async () => {
  server = await SynapseServer.start({ rateLimits: 'relaxed' });
  alice = await server.register('nora', { password: 'nora-password' });
  const bobUser = await server.register('pau', { password: 'pau-password' });
  bob = createClient({ baseUrl: server.baseUrl, accessToken: bobUser.accessToken, userId: bobUser.userId, deviceId: bobUser.deviceId, logger: quietSdkLogger });
  ({ room_id: roomId } = await bob.createRoom({ name: roomName, invite: [alice.userId] }));
  // Nora joins from her other device (as from Element on her phone).
  await otherDevice('POST', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/join`, {});
  app = await startPlenaryWeb();
  browser = await launchChromium();
  ({ page, problems } = await openApp(browser, app));
});

afterAll(async () => {
  bob?.stopClient();
  await browser?.close();
  await app?.stop();
  await server?.stop();
});

/** Nora's other device, speaking the Matrix API as Element does. */
async function otherDevice(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${alice.accessToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

type Rule = { rule_id: string; actions: unknown[]; pattern?: string };
const rulesElsewhere = async () => ((await otherDevice('GET', '/_matrix/client/v3/pushrules/')) as { global: Record<'override' | 'content' | 'room', Rule[]> }).global;

const levelSelect = () => page.getByRole('region', { name: roomName }).getByLabel('Notifications');

describe('notification levels and keywords in Chromium', () => {
  it('signs in and opens the room', async () => {
    await page.evaluate(() => (window.location.hash = '#/settings'));
    await page.getByLabel("Your Matrix ID or the server's address").fill(server.baseUrl);
    await page.getByRole('button', { name: 'Find server' }).click();
    await page.getByText(`The homeserver at ${server.baseUrl} answered.`).waitFor();
    await page.getByLabel('User name').fill('nora');
    await page.getByLabel('Password').fill('nora-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText(`Signed in as ${alice.userId}`).waitFor();
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: /Chat/ }).click();
    await page.getByRole('navigation', { name: 'Rooms' }).getByRole('link', { name: new RegExp(roomName) }).click();
    await page.getByRole('heading', { level: 2, name: roomName }).waitFor();
  });

  it('mutes the room from its header with the keyboard, and the other device reads the mute', async () => {
    await expect.poll(() => levelSelect().inputValue()).toBe('all');
    await levelSelect().focus();
    await page.keyboard.press('End');
    await expect.poll(() => levelSelect().inputValue()).toBe('mute');
    await expect.poll(async () => (await rulesElsewhere()).override.some((r) => r.rule_id === roomId && r.actions.length === 0)).toBe(true);
    await page.screenshot({ path: artifactPath('e2e', 'chat-notifications', 'room-muted.png') });
    expect(await seriousAxeFindings(page)).toEqual([]);
  });

  it('shows mentions and keywords when the other device sets it', async () => {
    await otherDevice('PUT', `/_matrix/client/v3/pushrules/global/room/${encodeURIComponent(roomId)}`, { actions: [] });
    await otherDevice('DELETE', `/_matrix/client/v3/pushrules/global/override/${encodeURIComponent(roomId)}`);
    await expect.poll(() => levelSelect().inputValue(), { timeout: 30_000 }).toBe('mentions');
    await expect(levelSelect().locator('option:checked').textContent()).resolves.toBe('Mentions and keywords');
    await levelSelect().selectOption({ label: 'All messages' });
    await expect.poll(async () => (await rulesElsewhere()).room.some((r) => r.rule_id === roomId)).toBe(false);
  });

  it('adds and removes a keyword in Settings, read by the other device', async () => {
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Settings' }).click();
    const keywords = page.getByRole('region', { name: 'Notification keywords' });
    await keywords.getByLabel('New keyword').fill('.hidden');
    await keywords.getByLabel('New keyword').press('Enter');
    await keywords.getByRole('alert').filter({ hasText: 'A keyword cannot start with a full stop (.).' }).waitFor();
    await keywords.getByLabel('New keyword').fill('budget');
    await keywords.getByRole('button', { name: 'Add keyword' }).click();
    await keywords.getByRole('listitem').filter({ hasText: 'budget' }).waitFor();
    await expect.poll(async () => (await rulesElsewhere()).content.some((r) => r.rule_id === 'budget' && r.pattern === 'budget')).toBe(true);
    await otherDevice('PUT', '/_matrix/client/v3/pushrules/global/content/assembly', { pattern: 'assembly', actions: ['notify', { set_tweak: 'highlight' }] });
    await keywords.getByRole('listitem').filter({ hasText: 'assembly' }).waitFor({ timeout: 30_000 });
    await keywords.scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifactPath('e2e', 'chat-notifications', 'keywords-en.png') });
    expect(await seriousAxeFindings(page)).toEqual([]);
    await keywords.getByRole('button', { name: 'Remove the keyword “assembly”' }).click();
    await expect.poll(async () => (await rulesElsewhere()).content.some((r) => r.rule_id === 'assembly')).toBe(false);
    await expect.poll(() => keywords.getByRole('listitem').count()).toBe(1);
  });

  it('reads the same in Japanese', async () => {
    await page.getByLabel('Language').selectOption('ja');
    const keywords = page.getByRole('region', { name: '通知キーワード' });
    await keywords.getByRole('listitem').filter({ hasText: 'budget' }).waitFor();
    await keywords.scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifactPath('e2e', 'chat-notifications', 'keywords-ja.png') });
    expect(await seriousAxeFindings(page)).toEqual([]);
    await page.getByLabel('言語').selectOption('en');
  });

  it('had no console errors', () => {
    expect(problems).toEqual([]);
  });
});
