// Meetings as members meet, with Plenary started as `npm run start:web` (its own data
// folder) and used only through real Chromium with a fake camera and microphone; a
// BBB-compatible test server and a real Synapse with its default rate limits and room version.
//  - A facilitator starts a circle, links its Greenlight room (trusting the host in one
//    click), gives it a monthly schedule: Today shows the next meeting with Join, and the
//    calendar file reads back (ical.js) into the same meeting. Moved to a meeting that is on
//    now, Today shows it live and Join opens it with camera and microphone.
//  - Signed in to the coop server, she keeps every facilitator control at once, after a
//    reload and after a restart.
//  - With the BBB API, she starts the assembly's meeting; a member whose Plenary received the
//    circle through sync joins it from Today; she imports attendance into the assembly, ends
//    the meeting and attaches the recording to its minutes.
//  - Rooms and schedule are edited from Today's circle panel in dark mode.
// Screenshots of each step; no serious axe findings.
import { readFile } from 'node:fs/promises';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import { startPlenaryWeb, type PlenaryWebProcess } from '../helpers/plenary-web-process';
import { openApp } from '../helpers/e2e-page';
import { seriousAxeFindings } from '../helpers/axe';
import { artifactPath } from '../helpers/paths';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { startBbbTestServer, type BbbTestServer } from '../servers/bbb-test-server';

let server: BbbTestServer;
let synapse: SynapseServer;
let browser: Browser;
let ana: PlenaryWebProcess;
let anaPage: Page;
let anaProblems: string[];
let anaUser: RegisteredUser;
let brunoUser: RegisteredUser;
let circleId = '';

const shot = (page: Page, name: string) => page.screenshot({ path: artifactPath('e2e', 'meetings', `${name}.png`), fullPage: true });
const nav = (page: Page, name: string | RegExp) => page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name });
const pad = (n: number) => String(n).padStart(2, '0');
const utcDate = (t: number) => new Date(t).toISOString().slice(0, 10);
const utcTime = (t: number) => `${pad(new Date(t).getUTCHours())}:${pad(new Date(t).getUTCMinutes())}`;

beforeAll(async () => {
  server = await startBbbTestServer({
    rooms: [
      { version: 2, code: 'stw-x2y-9zz', name: 'Stewards', anyoneCanStart: true },
      { version: 3, code: 'prd-abc-def-ghi', name: 'Product circle', anyoneCanStart: true },
    ],
  });
  synapse = await SynapseServer.start({ rateLimits: 'default' });
  anaUser = await synapse.register('ana', { password: 'ana-password' });
  brunoUser = await synapse.register('bruno', { password: 'bruno-password' });
  browser = await launchChromium();
  ana = await startPlenaryWeb();
  ({ page: anaPage, problems: anaProblems } = await openApp(browser, ana));
});

afterAll(async () => {
  await browser?.close();
  await ana?.stop();
  await synapse?.stop();
  await server?.close();
});

async function newTab(context: BrowserContext, click: () => Promise<void>): Promise<Page> {
  const [tab] = await Promise.all([context.waitForEvent('page'), click()]);
  await tab.waitForLoadState('domcontentloaded');
  return tab;
}

async function expectCameraAndMicrophone(tab: Page): Promise<void> {
  await tab.waitForSelector('body[data-media]');
  expect(await tab.getAttribute('body', 'data-media')).toBe('on');
  expect(await tab.getByRole('status').textContent()).toBe('Camera and microphone on');
}

async function openCircle(page: Page, name: string): Promise<void> {
  await nav(page, 'Circles').click();
  await page.getByRole('heading', { level: 1, name: 'Circles' }).waitFor();
  await page.getByRole('link', { name }).first().click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

/** Fills the schedule form (the same one on the Circles page and on Today) and saves it. */
async function saveSchedule(page: Page, fill: { repeats: string; monthDay?: number; start: number; minutes?: number }): Promise<void> {
  const form = page.getByRole('form', { name: 'Edit the meeting schedule' });
  await form.getByLabel('Repeats').selectOption(fill.repeats);
  if (fill.monthDay !== undefined) await form.getByLabel('Day of the month').fill(String(fill.monthDay));
  await form.getByLabel('Starting').fill(utcDate(fill.start));
  await form.getByLabel('Start time').fill(utcTime(fill.start));
  await form.getByLabel('Time zone').fill('UTC');
  await form.getByLabel('Length (minutes)').fill(String(fill.minutes ?? 60));
  await form.getByRole('button', { name: 'Save schedule' }).click();
  // Today's panel says "Schedule saved."; the circle's page closes the form and shows the schedule.
  await expect
    .poll(async () => (await page.getByText('Schedule saved.').count()) > 0 || (await form.count()) === 0, { timeout: 10_000 })
    .toBe(true);
  expect(await form.getByRole('alert').count()).toBe(0);
}

/** The facilitator controls of a circle's page: each one a member expects to find. */
async function expectFacilitatorControls(page: Page): Promise<void> {
  await page.getByRole('form', { name: 'Add a member' }).waitFor();
  await page.getByRole('button', { name: 'Plan an assembly' }).waitFor();
  await page.getByRole('button', { name: 'New vote' }).first().waitFor();
  await page.getByRole('button', { name: 'Change schedule' }).waitFor();
  expect(await page.locator('.gov-authority').count()).toBe(0);
}

async function signIn(page: Page, user: RegisteredUser, password: string): Promise<void> {
  await page.evaluate(() => (window.location.hash = '#/settings'));
  await page.getByLabel("Your Matrix ID or the server's address").fill(synapse.baseUrl);
  await page.getByRole('button', { name: 'Find server' }).click();
  await page.getByText(`The homeserver at ${synapse.baseUrl} answered.`).waitFor();
  await page.getByLabel('User name').fill(user.localpart);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByText(`Signed in as ${user.userId}`).waitFor();
}

async function saveBbbCredentials(page: Page, name: string, secret: string): Promise<void> {
  await page.evaluate(() => (window.location.hash = '#/settings'));
  await page.getByLabel('Your name in calls').fill(name);
  await page.getByRole('button', { name: 'Save name' }).click();
  await page.getByLabel('API address').fill(server.origin);
  await page.getByLabel('Checksum algorithm').selectOption('sha512');
  await page.getByLabel('Shared secret').fill(secret);
  await page.getByRole('button', { name: 'Save and test' }).click();
}

describe('meetings of circles made in the app', () => {
  it('shows the next meeting of a circle with a Greenlight room and a monthly schedule on Today, with Join, and in the calendar file', async () => {
    const page = anaPage;
    await nav(page, 'Circles').click();
    const create = page.getByRole('form', { name: 'Start a circle' });
    await create.getByLabel('Name', { exact: true }).fill('Stewards');
    await create.getByLabel('Purpose').fill('Look after the coop.');
    await create.getByLabel('Circle time zone').fill('UTC');
    await create.getByLabel('Your name in this circle').fill('Ana');
    await create.getByRole('button', { name: 'Create circle' }).click();
    await page.getByRole('heading', { level: 1, name: 'Stewards' }).waitFor();
    circleId = /#\/circles\/([0-9A-Z]{26})$/.exec(page.url())![1]!;
    const add = page.getByRole('form', { name: 'Add a member' });
    await add.getByLabel('Name').fill('Bruno');
    await add.getByLabel('Matrix ID').fill(brunoUser.userId);
    await add.getByRole('button', { name: 'Add member' }).click();
    await page.getByRole('rowheader', { name: /^Bruno/ }).waitFor();

    // The test server is not a meeting host yet: the form names the setting and trusts it in one click.
    const room = page.getByRole('form', { name: 'Link a room' });
    await room.getByLabel('Room name').fill('Stewards room');
    await room.getByLabel('Room link').fill(server.roomUrl('stw-x2y-9zz'));
    await room.getByRole('button', { name: 'Link room' }).click();
    await room.getByRole('alert').filter({ hasText: 'Settings › Meetings › Trusted hosts' }).waitFor();
    await room.getByRole('button', { name: /^Trust .+ and add the room$/ }).click();
    await page.getByRole('link', { name: 'Stewards room' }).waitFor();

    // Every month on tomorrow's date at 18:00 UTC: always within Today's week ahead.
    const tomorrow = Date.now() + 86_400_000;
    const monthDay = new Date(tomorrow).getUTCDate();
    const first = Date.UTC(new Date(tomorrow).getUTCFullYear(), new Date(tomorrow).getUTCMonth(), monthDay, 18, 0);
    await page.getByRole('button', { name: 'Set a schedule' }).click();
    await saveSchedule(page, { repeats: 'monthlyDay', monthDay, start: first, minutes: 120 });
    await page.getByText(`Every month on day ${monthDay} at 18:00 UTC, 2 hr`).first().waitFor();
    await shot(page, 'circle-monthly');

    await nav(page, /^Today/).click();
    const coming = page.getByRole('region', { name: 'Coming up' });
    await coming.getByRole('heading', { name: 'Stewards' }).waitFor();
    await coming.getByRole('button', { name: 'Join Stewards in Stewards room' }).waitFor();
    await shot(page, 'today-coming-up');
    expect(await seriousAxeFindings(page)).toEqual([]);

    // The calendar file, read back by an independent reader, gives the same next meeting.
    await page.locator('.circle-card summary').filter({ hasText: 'Stewards' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download for your calendar (.ics)' }).click()]);
    expect(download.suggestedFilename()).toBe('stewards-meetings.ics');
    const text = await readFile((await download.path())!, 'utf8');
    expect(text).toContain(`RRULE:FREQ=MONTHLY;BYMONTHDAY=${monthDay}`);
    const calendar = new ICAL.Component(ICAL.parse(text));
    for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent')!);
    const iterator = event.iterator();
    const starts: number[] = [];
    for (let next = iterator.next(); next && starts.length < 60; next = iterator.next()) starts.push(next.toUnixTime() * 1000);
    expect(starts.find((s) => s > Date.now())).toBe(first);
  });

  it('shows the meeting live once it is on, and joins it from Today with camera and microphone', async () => {
    const page = anaPage;
    await openCircle(page, 'Stewards');
    await page.getByRole('button', { name: 'Change schedule' }).click();
    await saveSchedule(page, { repeats: 'daily', start: Date.now() - 10 * 60_000, minutes: 60 });
    await nav(page, /^Today/).click();
    const live = page.locator('.meeting.live');
    await live.getByRole('heading', { name: 'Stewards' }).waitFor();
    await shot(page, 'today-live');
    expect(await seriousAxeFindings(page)).toEqual([]);

    const tab = await newTab(page.context(), () => live.getByRole('button', { name: 'Join Stewards in Stewards room' }).click());
    await tab.getByRole('heading', { name: 'Stewards' }).waitFor();
    await tab.getByLabel('Your name').fill('Ana Ruiz');
    await tab.getByRole('button', { name: 'Join' }).click();
    await tab.waitForURL(/\/html5client\/join\?sessionToken=/);
    await expectCameraAndMicrophone(tab);
    await tab.screenshot({ path: artifactPath('e2e', 'meetings', 'join-page-greenlight.png') });
    expect([...server.meetings.get('gl-stw-x2y-9zz')!.sessions.values()][0]).toMatchObject({ fullName: 'Ana Ruiz', joined: true, camera: true, microphone: true });
    await page.getByRole('status').filter({ hasText: 'The meeting opened in a new tab.' }).waitFor();
    await tab.getByRole('button', { name: 'Leave meeting' }).click();
    await tab.waitForURL(server.roomUrl('stw-x2y-9zz'));
    await tab.close();
  });

  it('joins any room on a trusted host by pasting its link, and explains a bad link in place', async () => {
    const page = anaPage;
    await nav(page, /^Today/).click();
    const joinByLink = page.getByRole('region', { name: 'Join by link' });
    const input = joinByLink.getByLabel('Room link');
    await input.fill('https://user@evil.example/b/abc-def-ghi');
    await joinByLink.getByRole('button', { name: 'Join' }).click();
    await page.getByRole('alert').filter({ hasText: 'hides a user name or password' }).waitFor();
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    await input.fill(`  ${server.origin}/prd-abc-def-ghi  `);
    const tab = await newTab(page.context(), () => joinByLink.getByRole('button', { name: 'Join' }).click());
    await tab.getByLabel('Your name').fill('Chidi');
    expect(tab.url()).toBe(server.roomUrl('prd-abc-def-ghi'));
    await tab.getByRole('button', { name: 'Join meeting' }).click();
    await tab.waitForURL(/\/html5client\/join\?sessionToken=/);
    await expectCameraAndMicrophone(tab);
    await tab.close();
  });

  it('keeps every facilitator control right after signing in to the coop server, after a reload and after a restart', async () => {
    let page = anaPage;
    await signIn(page, anaUser, 'ana-password');
    // At once, with no restart: the circle is hers under her Matrix id.
    await openCircle(page, 'Stewards');
    await expectFacilitatorControls(page);
    await page.getByRole('cell', { name: anaUser.userId }).or(page.getByText(anaUser.userId)).first().waitFor();
    // Once the room exists on the server, the server agrees (no warning about rights).
    await expect.poll(() => page.getByText('Synced', { exact: true }).count(), { timeout: 90_000 }).toBeGreaterThan(0);
    await expectFacilitatorControls(page);

    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    await openCircle(page, 'Stewards');
    await expectFacilitatorControls(page);

    await page.context().close();
    await ana.stop();
    ana = await startPlenaryWeb({ dataDir: ana.dataDir });
    ({ page, problems: anaProblems } = await openApp(browser, ana));
    anaPage = page;
    await openCircle(page, 'Stewards');
    await expectFacilitatorControls(page);
    await page.getByText(`Signed in as ${anaUser.userId}`).count();
    await shot(page, 'facilitator-after-restart');
  });

  it('starts the assembly meeting through the API; a member who got the circle through sync joins; attendance, end and recording', async () => {
    const page = anaPage;
    await openCircle(page, 'Stewards');
    await page.getByRole('button', { name: 'Plan an assembly' }).click();
    const plan = page.getByRole('form', { name: 'Plan an assembly' });
    await plan.getByLabel('Title').fill('General assembly');
    await plan.getByRole('button', { name: 'Create assembly' }).click();
    await page.getByRole('heading', { level: 1, name: 'General assembly' }).waitFor();
    const assemblyUrl = page.url();

    await saveBbbCredentials(page, 'Ana (operator)', 'definitely-not-the-secret');
    await page.getByRole('alert').filter({ hasText: 'refused the secret' }).waitFor();
    await page.getByLabel('Shared secret').fill(server.secret);
    await page.getByRole('button', { name: 'Save and test' }).click();
    await page.getByText('Connected to 127.0.0.1').waitFor();
    expect(await page.getByLabel('Shared secret').inputValue()).toBe('');
    await shot(page, 'settings-bbb');
    expect(await page.evaluate((secret) => document.documentElement.outerHTML.includes(secret), server.secret)).toBe(false);

    await nav(page, /^Today/).click();
    await page.getByRole('heading', { name: 'Start a meeting' }).waitFor();
    await page.getByLabel('Assembly').selectOption({ label: 'General assembly' });
    const operatorTab = await newTab(page.context(), () => page.getByRole('button', { name: 'Start and join as moderator' }).click());
    await operatorTab.waitForURL(/\/html5client\/join/);
    await expectCameraAndMicrophone(operatorTab);
    const meeting = [...server.meetings.values()].find((m) => m.meta['plenary-circle'] === circleId)!;
    expect(meeting).toMatchObject({ name: 'Stewards: General assembly', record: true });

    // Bruno, in his own Plenary, signs in; the circle arrives through sync; he joins from Today.
    const bruno = await startPlenaryWeb();
    try {
      const { page: brunoPage, problems: brunoProblems } = await openApp(browser, bruno);
      await signIn(brunoPage, brunoUser, 'bruno-password');
      await nav(brunoPage, 'Circles').click();
      await brunoPage.getByRole('link', { name: 'Stewards' }).first().waitFor({ timeout: 90_000 });
      await saveBbbCredentials(brunoPage, 'Bo (member)', server.secret);
      await brunoPage.getByText('Connected to 127.0.0.1').waitFor();
      await nav(brunoPage, /^Today/).click();
      const running = brunoPage.locator('.meeting.running');
      await running.getByRole('heading', { name: 'Stewards: General assembly' }).waitFor();
      const brunoTab = await newTab(brunoPage.context(), () => running.getByRole('button', { name: 'Join' }).click());
      await brunoTab.waitForURL(/\/html5client\/join/);
      await expectCameraAndMicrophone(brunoTab);
      const viewer = [...meeting.sessions.values()].find((s) => s.fullName === 'Bo (member)')!;
      expect(viewer).toMatchObject({ role: 'VIEWER', userID: brunoUser.userId, camera: true, microphone: true });
      expect(brunoProblems).toEqual([]);
      await brunoPage.context().close();
    } finally {
      await bruno.stop();
    }

    // Ana sees who is in, imports attendance into the assembly and ends the meeting.
    await page.getByRole('button', { name: 'Check again' }).click();
    const card = page.locator('.meeting.running');
    await card.getByText('2 people in the call').waitFor();
    await card.getByRole('button', { name: 'Import attendance' }).click();
    await card.getByText('Recorded 2 members as present.').waitFor();
    await shot(page, 'today-running');
    expect(await seriousAxeFindings(page)).toEqual([]);
    await card.getByRole('button', { name: 'End meeting' }).click();
    await card.getByRole('button', { name: 'Yes, end it' }).click();
    await card.waitFor({ state: 'detached' });
    expect(meeting.ended).toBe(true);

    // The recording goes to the assembly's minutes from the circle's panel.
    await page.locator('.circle-card summary').filter({ hasText: 'Stewards' }).click();
    await page.getByRole('button', { name: 'Show recordings' }).click();
    await page.getByRole('link', { name: /Watch \(presentation/ }).waitFor();
    await page.getByRole('button', { name: 'Attach' }).click();
    await page.getByText('Attached to the minutes.').waitFor();

    // The assembly itself now lists both members present and the recording.
    await page.goto(assemblyUrl);
    await page.getByRole('heading', { level: 1, name: 'General assembly' }).waitFor();
    await expect.poll(() => page.getByText(/^Present 2/).count()).toBe(1);
    await page.getByRole('link', { name: 'Stewards: General assembly' }).waitFor();
    await shot(page, 'assembly-attendance-recording');
    expect(anaProblems).toEqual([]);
  });

  it("edits a circle's rooms and schedule from Today, previewing the next meetings, in dark mode", async () => {
    const app = await startPlenaryWeb();
    try {
      const { page, problems } = await openApp(browser, app, { colorScheme: 'dark' });
      await nav(page, 'Circles').click();
      const create = page.getByRole('form', { name: 'Start a circle' });
      await create.getByLabel('Name', { exact: true }).fill('Community');
      await create.getByLabel('Your name in this circle').fill('Chidi');
      await create.getByRole('button', { name: 'Create circle' }).click();
      await page.getByRole('heading', { level: 1, name: 'Community' }).waitFor();
      await nav(page, /^Today/).click();
      // The circle's panel opens with its card (its code loads then); Today's own "Room link"
      // field for joining by link is outside the card.
      const community = page.locator('.circle-card').filter({ hasText: 'Community' });
      await community.locator('summary').click();
      await community.getByLabel('Room link').fill('https://meet.example.coop/rooms/abc-def-ghi/join');
      await community.getByRole('button', { name: 'Add room' }).click();
      await community.getByRole('alert').filter({ hasText: 'room code' }).waitFor();
      await community.getByLabel('Room link').fill('https://meet.example.coop/rooms/com-abc-def-ghi/join');
      await community.getByLabel('Name (optional)').fill('Community room');
      await community.getByRole('button', { name: 'Add room' }).click();
      await page.getByRole('button', { name: /^Trust meet\.example\.coop and add the room$/ }).click();
      await page.getByRole('button', { name: 'Remove Community room' }).waitFor();

      await page.getByText('Set a schedule').click();
      const form = page.getByRole('form', { name: 'Edit the meeting schedule' });
      await form.getByLabel('Repeats').selectOption('monthly');
      await form.getByLabel('Which one').selectOption({ label: 'Fourth' });
      await form.getByLabel('Day', { exact: true }).selectOption({ label: 'Monday' });
      await form.getByLabel('Starting').fill('2026-01-26');
      await form.getByLabel('Start time').fill('18:00');
      await form.getByLabel('Time zone').fill('UTC');
      await form.getByText('Every month on the fourth Monday at 18:00 UTC, 1 hr').waitFor();
      await form.getByRole('button', { name: 'Save schedule' }).click();
      await page.getByText('Schedule saved.').waitFor();
      await page.getByRole('button', { name: 'Download for your calendar (.ics)' }).waitFor();
      await page.screenshot({ path: artifactPath('e2e', 'meetings', 'circle-panel-dark.png'), fullPage: true });
      expect(await seriousAxeFindings(page)).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await app.stop();
    }
  });
});
