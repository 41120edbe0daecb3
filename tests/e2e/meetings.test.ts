// Joining BBB rooms through the browser bridge in real Chromium with fake camera and
// microphone: a member joins a live circle meeting from Today through its Greenlight v2
// link; an operator saves API credentials in Settings, starts an assembly's meeting, a
// member joins it, and the operator imports attendance, ends it and attaches the
// recording. Screenshots of each step; no serious axe findings on Today or Settings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import { startWebApp, type WebApp } from '../helpers/web-app';
import { openApp } from '../helpers/e2e-page';
import { seriousAxeFindings } from '../helpers/axe';
import { artifactPath } from '../helpers/paths';
import { MemoryGovernance } from '../helpers/memory-governance';
import { startBbbTestServer, type BbbTestServer } from '../servers/bbb-test-server';
import { formatLocalDateTime } from '../../shared/schedule/rrule';
import { toZoned } from '../../shared/schedule/zoned-time';

const circleId = '01JD0000000000000000000STW';
const assemblyId = '01JD000000000000000000ASM2';
let server: BbbTestServer;
let browser: Browser;
const apps: WebApp[] = [];

/** A daily schedule whose meeting began ten minutes ago, so Today shows it live. */
function liveSchedule() {
  const start = toZoned(Date.now() - 10 * 60_000, 'UTC');
  return { rrule: `DTSTART:${formatLocalDateTime({ ...start, second: 0 })}\nRRULE:FREQ=DAILY`, timezone: 'UTC', durationMinutes: 60 };
}

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

beforeAll(async () => {
  server = await startBbbTestServer({
    rooms: [
      { version: 2, code: 'stw-x2y-9zz', name: 'Stewards', anyoneCanStart: true },
      { version: 3, code: 'prd-abc-def-ghi', name: 'Product circle', anyoneCanStart: true },
    ],
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  for (const app of apps) await app.close();
  await server?.close();
});

describe('joining meetings in Chromium', () => {
  it('joins a live circle meeting from Today through its Greenlight v2 link, with camera and microphone', async () => {
    const governance = new MemoryGovernance().addCircle(circleId, 'Stewards', {
      rooms: [{ roomId: 'R1', url: server.roomUrl('stw-x2y-9zz'), label: 'Stewards room' }],
      schedule: liveSchedule(),
    });
    const app = await startWebApp({ meetings: { directory: governance, governance } });
    apps.push(app);
    const { page, problems } = await openApp(browser, app);
    await page.getByRole('heading', { level: 2, name: 'Live now' }).waitFor();
    const live = page.locator('.meeting.live');
    await live.getByRole('heading', { name: 'Stewards' }).waitFor();
    await page.screenshot({ path: artifactPath('e2e', 'meetings', 'today-live.png'), fullPage: true });
    expect(await seriousAxeFindings(page)).toEqual([]);

    const tab = await newTab(page.context(), () => live.getByRole('button', { name: 'Join Stewards in Stewards room' }).click());
    await tab.getByRole('heading', { name: 'Stewards' }).waitFor();
    await tab.getByLabel('Your name').fill('Ana Ruiz');
    await tab.screenshot({ path: artifactPath('e2e', 'meetings', 'greenlight-v2-room.png') });
    await tab.getByRole('button', { name: 'Join' }).click();
    await tab.waitForURL(/\/html5client\/join\?sessionToken=/);
    await expectCameraAndMicrophone(tab);
    await tab.waitForSelector('body[data-attendees="1"]');
    await tab.screenshot({ path: artifactPath('e2e', 'meetings', 'join-page-greenlight.png') });
    const session = [...server.meetings.get('gl-stw-x2y-9zz')!.sessions.values()][0]!;
    expect(session).toMatchObject({ fullName: 'Ana Ruiz', joined: true, camera: true, microphone: true });

    await page.getByRole('status').filter({ hasText: 'The meeting opened in a new tab.' }).waitFor();
    await tab.getByRole('button', { name: 'Leave meeting' }).click();
    await tab.waitForURL(server.roomUrl('stw-x2y-9zz'));
    await tab.close();
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('joins any room by pasting its link (here a short Greenlight v3 one), and explains a bad link in place', async () => {
    const app = apps[0]!;
    const { page, problems } = await openApp(browser, app);
    const joinByLink = page.getByRole('region', { name: 'Join by link' });
    const input = joinByLink.getByLabel('Room link');
    await input.fill('https://user@evil.example/b/abc-def-ghi');
    await joinByLink.getByRole('button', { name: 'Join' }).click();
    await page.getByRole('alert').filter({ hasText: 'hides a user name or password' }).waitFor();
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: artifactPath('e2e', 'meetings', 'join-link-error.png'), fullPage: true });
    // The short v3 link is opened as the room's join page, which asks Greenlight's status endpoint for the join URL.
    await input.fill(`  ${server.origin}/prd-abc-def-ghi  `);
    const tab = await newTab(page.context(), () => joinByLink.getByRole('button', { name: 'Join' }).click());
    await tab.getByLabel('Your name').fill('Chidi');
    expect(tab.url()).toBe(server.roomUrl('prd-abc-def-ghi'));
    await tab.getByRole('button', { name: 'Join meeting' }).click();
    await tab.waitForURL(/\/html5client\/join\?sessionToken=/);
    await expectCameraAndMicrophone(tab);
    expect([...server.meetings.get('gl-prd-abc-def-ghi')!.sessions.values()][0]).toMatchObject({ fullName: 'Chidi', camera: true, microphone: true });
    await tab.screenshot({ path: artifactPath('e2e', 'meetings', 'join-page-greenlight-v3.png') });
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('lets an operator start an assembly meeting through the API, a member join, then import attendance, end it and attach the recording', async () => {
    const operatorGov = new MemoryGovernance().addCircle(circleId, 'Stewards').addAssembly(circleId, assemblyId, 'General assembly');
    const operator = await startWebApp({ meetings: { directory: operatorGov, governance: operatorGov } });
    apps.push(operator);
    const { page, problems } = await openApp(browser, operator);

    // Settings > Meetings: a wrong secret is refused in place, the right one is tested and saved.
    await page.evaluate(() => (window.location.hash = '#/settings'));
    await page.getByLabel('Your name in calls').fill('Ana (operator)');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByLabel('API address').fill(server.origin);
    await page.getByLabel('Checksum algorithm').selectOption('sha512');
    await page.getByLabel('Shared secret').fill('definitely-not-the-secret');
    await page.getByRole('button', { name: 'Save and test' }).click();
    await page.getByRole('alert').filter({ hasText: 'refused the secret' }).waitFor();
    await page.getByLabel('Shared secret').fill(server.secret);
    await page.getByRole('button', { name: 'Save and test' }).click();
    await page.getByText('Connected to 127.0.0.1').waitFor();
    expect(await page.getByLabel('Shared secret').inputValue()).toBe('');
    await page.screenshot({ path: artifactPath('e2e', 'meetings', 'settings-bbb.png'), fullPage: true });
    expect(await seriousAxeFindings(page)).toEqual([]);
    expect(await page.evaluate((secret) => document.documentElement.outerHTML.includes(secret), server.secret)).toBe(false);

    // Today: start the assembly's meeting and join as moderator.
    await page.evaluate(() => (window.location.hash = '#/today'));
    await page.getByRole('heading', { name: 'Start a meeting' }).waitFor();
    await page.getByLabel('Assembly').selectOption({ label: 'General assembly' });
    const operatorTab = await newTab(page.context(), () => page.getByRole('button', { name: 'Start and join as moderator' }).click());
    await operatorTab.waitForURL(/\/html5client\/join/);
    await expectCameraAndMicrophone(operatorTab);
    const meetingID = `plenary-${circleId}-${assemblyId}`;
    expect(server.meetings.get(meetingID)).toMatchObject({ name: 'Stewards: General assembly', record: true, meta: { 'plenary-circle': circleId, 'plenary-assembly': assemblyId } });

    // A member, in their own Plenary with the coop's API access, joins the running meeting from Today.
    const memberGov = new MemoryGovernance().addCircle(circleId, 'Stewards').addAssembly(circleId, assemblyId, 'General assembly');
    const member = await startWebApp({ meetings: { directory: memberGov, governance: memberGov } });
    apps.push(member);
    await member.core.services.meetings.operator.saveSettings({ apiUrl: server.apiUrl, algorithm: 'sha256', secret: server.secret });
    member.core.services.meetings.operator.setDisplayName('Bo (member)');
    const memberPage = await openApp(browser, member);
    const running = memberPage.page.locator('.meeting.running');
    await running.getByRole('heading', { name: 'Stewards: General assembly' }).waitFor();
    const memberTab = await newTab(memberPage.page.context(), () => running.getByRole('button', { name: 'Join' }).click());
    await memberTab.waitForURL(/\/html5client\/join/);
    await expectCameraAndMicrophone(memberTab);
    await memberTab.waitForSelector('body[data-attendees="2"]');
    await memberTab.screenshot({ path: artifactPath('e2e', 'meetings', 'join-page-api.png') });
    const viewer = [...server.meetings.get(meetingID)!.sessions.values()].find((s) => s.fullName === 'Bo (member)')!;
    expect(viewer).toMatchObject({ role: 'VIEWER', userID: member.core.services.localActor, camera: true, microphone: true });

    // The operator sees who is in, imports attendance into the assembly, ends the meeting.
    await page.getByRole('button', { name: 'Check again' }).click();
    const card = page.locator('.meeting.running');
    await card.getByText('2 people in the call').waitFor();
    await card.getByText('Bo (member)').waitFor();
    await card.getByRole('button', { name: 'Import attendance' }).click();
    await card.getByText('Recorded 2 members as present.').waitFor();
    expect(operatorGov.attendance.map((a) => a.member).sort()).toEqual([member.core.services.localActor, operator.core.services.localActor].sort());
    await page.screenshot({ path: artifactPath('e2e', 'meetings', 'today-running.png'), fullPage: true });
    expect(await seriousAxeFindings(page)).toEqual([]);
    await card.getByRole('button', { name: 'End meeting' }).click();
    await card.getByRole('button', { name: 'Yes, end it' }).click();
    await page.getByText('No meetings are on right now.').waitFor();
    expect(server.meetings.get(meetingID)!.ended).toBe(true);

    // The recording is attached to the assembly's minutes from the circle's panel.
    await page.locator('.circle-card summary').filter({ hasText: 'Stewards' }).click();
    await page.getByRole('button', { name: 'Show recordings' }).click();
    await page.getByRole('link', { name: /Watch \(presentation/ }).waitFor();
    await page.getByRole('button', { name: 'Attach' }).click();
    await page.getByText('Attached to the minutes.').waitFor();
    expect(operatorGov.recordings).toEqual([
      { assemblyId, recordingId: server.recordings[0]!.recordID, url: server.recordings[0]!.url, label: 'Stewards: General assembly' },
    ]);
    await page.screenshot({ path: artifactPath('e2e', 'meetings', 'recordings.png'), fullPage: true });
    expect(await seriousAxeFindings(page)).toEqual([]);

    expect(problems).toEqual([]);
    expect(memberPage.problems).toEqual([]);
    await memberPage.page.context().close();
    await page.context().close();
  });

  it('edits a circle\'s rooms and schedule from Today, previewing the next meetings in local time', async () => {
    const governance = new MemoryGovernance().addCircle(circleId, 'Community');
    const app = await startWebApp({ meetings: { directory: governance, governance } });
    apps.push(app);
    const { page, problems } = await openApp(browser, app, { colorScheme: 'dark' });
    await page.locator('.circle-card summary').filter({ hasText: 'Community' }).click();
    await page.getByLabel('Room link').last().fill('https://meet.example.coop/rooms/abc-def-ghi/join');
    await page.getByRole('button', { name: 'Add room' }).click();
    await page.getByRole('alert').filter({ hasText: 'room code' }).waitFor();
    await page.getByLabel('Room link').last().fill('https://meet.example.coop/rooms/com-abc-def-ghi/join');
    await page.getByLabel('Name (optional)').fill('Community room');
    await page.getByRole('button', { name: 'Add room' }).click();
    await page.getByRole('button', { name: 'Remove Community room' }).waitFor();

    await page.getByText('Set a schedule').click();
    await page.getByLabel('First meeting').fill('2026-01-26T18:00');
    await page.getByLabel('Time zone').fill('UTC');
    await page.getByLabel('Repeats').selectOption({ label: 'Every month on the fourth Monday' });
    await page.getByRole('heading', { name: 'The next meetings, in your time' }).waitFor();
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await page.getByText('Schedule saved.').waitFor();
    expect(governance.circles()[0]!.schedule).toEqual({ rrule: 'DTSTART:20260126T180000\nRRULE:FREQ=MONTHLY;BYDAY=4MO', timezone: 'UTC', durationMinutes: 60 });
    await page.getByRole('button', { name: 'Download for your calendar (.ics)' }).waitFor();
    await page.screenshot({ path: artifactPath('e2e', 'meetings', 'circle-panel-dark.png'), fullPage: true });
    expect(await seriousAxeFindings(page)).toEqual([]);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download for your calendar (.ics)' }).click()]);
    expect(download.suggestedFilename()).toBe('community-meetings.ics');
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
