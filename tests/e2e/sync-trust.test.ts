// What the trust rules of sync show a facilitator, with Plenary started as `npm run start:web`
// and used only through Chromium, against a real Synapse with its default rate limits; other
// members use their own Matrix client (raw client-server API, poll content from
// matrix-js-sdk's MSC3381 classes):
//  - a poll a member (power level 0) starts in Element is listed on the circle's votes as a
//    member proposal, with the proposer; the facilitator adopts it as a vote, and the answer
//    already given counts;
//  - a room claiming to be her circle, made and offered by another member, is not joined:
//    the sync line counts it and Settings › Sync says who invited her and why.
// Screenshots of each step; no serious axe findings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import { clearCircleRoomsCoopConfig, startPlenaryWeb, type PlenaryWebProcess } from '../helpers/plenary-web-process';
import { openApp } from '../helpers/e2e-page';
import { seriousAxeFindings } from '../helpers/axe';
import { artifactPath } from '../helpers/paths';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { RawMatrix } from '../helpers/raw-matrix';
import { PollStartEvent } from 'matrix-js-sdk/lib/extensible_events_v1/PollStartEvent.js';
import { PollResponseEvent } from 'matrix-js-sdk/lib/extensible_events_v1/PollResponseEvent.js';

let synapse: SynapseServer;
let browser: Browser;
let ana: PlenaryWebProcess;
let page: Page;
let problems: string[];
let anaUser: RegisteredUser;
let erin: RawMatrix;
let mallory: RawMatrix;
let circleId = '';
let roomId = '';

const shot = (name: string) => page.screenshot({ path: artifactPath('e2e', 'sync-trust', `${name}.png`), fullPage: true });
const nav = (name: string) => page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name });

beforeAll(async () => {
  synapse = await SynapseServer.start({ rateLimits: 'default' });
  anaUser = await synapse.register('ana', { password: 'ana-password' });
  erin = new RawMatrix(synapse.baseUrl, await synapse.register('erin'));
  mallory = new RawMatrix(synapse.baseUrl, await synapse.register('mallory'));
  browser = await launchChromium();
  // Circle rooms in the clear, whatever the default: the other members use the raw API without crypto; the test is about trust, not encryption.
  ana = await startPlenaryWeb({ coopConfig: clearCircleRoomsCoopConfig(synapse.baseUrl) });
  ({ page, problems } = await openApp(browser, ana));
});

afterAll(async () => {
  await browser?.close();
  await ana?.stop();
  await synapse?.stop();
});

/** Waits until the member is invited to a room, as their own client sees it (long-polling /sync), and joins it. */
async function joinInvitedRoom(member: RawMatrix): Promise<string> {
  let since = '';
  for (;;) {
    const sync = await member.request<{ next_batch: string; rooms?: { invite?: Record<string, unknown> } }>(
      'GET',
      `/_matrix/client/v3/sync?timeout=5000${since ? `&since=${encodeURIComponent(since)}` : ''}`,
    );
    const [invited] = Object.keys(sync.rooms?.invite ?? {});
    if (invited) {
      await member.join(invited);
      return invited;
    }
    since = sync.next_batch;
  }
}

describe('trust rules, as a facilitator sees them', () => {
  it('lists a member’s Element poll as a proposal, which the facilitator adopts as a vote with its answer', async () => {
    await page.evaluate(() => (window.location.hash = '#/settings'));
    await page.getByLabel("Your Matrix ID or the server's address").fill(synapse.baseUrl);
    await page.getByRole('button', { name: 'Find server' }).click();
    await page.getByText(`The homeserver at ${synapse.baseUrl} answered.`).waitFor();
    await page.getByLabel('User name').fill('ana');
    await page.getByLabel('Password').fill('ana-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText(`Signed in as ${anaUser.userId}`).waitFor();

    await nav('Circles').click();
    const create = page.getByRole('form', { name: 'Start a circle' });
    await create.getByLabel('Name', { exact: true }).fill('Stewards');
    await create.getByLabel('Purpose').fill('Look after the coop.');
    await create.getByLabel('Circle time zone').fill('UTC');
    await create.getByLabel('Your name in this circle').fill('Ana');
    await create.getByRole('button', { name: 'Create circle' }).click();
    await page.getByRole('heading', { level: 1, name: 'Stewards' }).waitFor();
    circleId = /#\/circles\/([0-9A-Z]{26})$/.exec(page.url())![1]!;
    const add = page.getByRole('form', { name: 'Add a member' });
    await add.getByLabel('Name').fill('Erin');
    await add.getByLabel('Matrix ID').fill(erin.userId);
    await add.getByRole('button', { name: 'Add member' }).click();
    await page.getByRole('rowheader', { name: /^Erin/ }).waitFor();

    // Erin, a member at power level 0, starts a poll in Element and answers it.
    roomId = await joinInvitedRoom(erin);
    const poll = PollStartEvent.from('Meet on Tuesdays?', ['Yes', 'No'], 'org.matrix.msc3381.poll.disclosed');
    const started = await erin.sendEvent(roomId, 'org.matrix.msc3381.poll.start', poll.serialize().content as Record<string, unknown>);
    await erin.sendEvent(roomId, 'org.matrix.msc3381.poll.response', PollResponseEvent.from([poll.answers[0]!.id], started).serialize().content as Record<string, unknown>);

    const proposals = page.getByRole('heading', { name: 'Member proposals' });
    await proposals.waitFor({ timeout: 60_000 });
    await page.getByRole('heading', { name: 'Meet on Tuesdays?' }).waitFor();
    await page.getByText('Proposed by Erin', { exact: false }).waitFor();
    await page.getByText('1 answer so far').waitFor();
    expect(await page.getByRole('link', { name: 'Meet on Tuesdays?' }).count()).toBe(0);
    await shot('proposal');
    expect(await seriousAxeFindings(page)).toEqual([]);

    await page.getByRole('button', { name: 'Adopt as a vote: “Meet on Tuesdays?”' }).click();
    await page.getByRole('heading', { level: 1, name: 'Meet on Tuesdays?' }).waitFor();
    await page.getByText('1 ballot', { exact: true }).waitFor();
    await shot('proposal-adopted');
    expect(await seriousAxeFindings(page)).toEqual([]);
  });

  it('does not join a look-alike of her circle, and says who offered it and why', async () => {
    await mallory.createRoom({ name: 'Stewards', preset: 'private_chat', invite: [anaUser.userId], creation_content: { 'coop.meet.plenary.circle': circleId } });
    const line = page.getByRole('group', { name: 'Sync status' });
    await line.getByText('1 room claiming to be a circle was not joined.').first().waitFor({ timeout: 60_000 });
    await line.getByRole('link', { name: 'See why' }).click();
    await page.getByRole('heading', { name: 'Rooms Plenary did not join' }).waitFor();
    const notice = page.locator('li').filter({ hasText: '“Stewards”, claiming to be the circle Stewards' });
    await notice.getByText(`${mallory.userId} invited you; ${mallory.userId} made the room.`).waitFor();
    await notice.getByText("Neither the circle's creator nor one of its facilitators made it", { exact: false }).waitFor();
    await shot('room-notice');
    expect(await seriousAxeFindings(page)).toEqual([]);

    await notice.getByRole('button', { name: 'Dismiss: “Stewards”, claiming to be the circle Stewards' }).click();
    await page.getByText('No such rooms.').waitFor();
    expect(await line.getByText('room claiming to be a circle', { exact: false }).count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
