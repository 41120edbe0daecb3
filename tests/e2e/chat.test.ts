// Chat end to end, as a new member would use it: Plenary started as `npm run start:web`,
// driven only through real Chromium, a real Synapse, and a second member on a plain
// matrix-js-sdk client (as an Element user would be). Signs in from Settings, starts a
// circle whose room the other member joins, reads and writes there, replies and reacts,
// sees unread badges, takes up invitations, writes while sync is paused (pending) and has it
// sent on resume, and stays safe with hostile HTML. Screenshots and axe checks along the way.
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
import { opsEvent } from '../helpers/room-ops';
import { newId } from '../../shared/governance/ids';
import type { Operation } from '../../shared/governance/operation';

let server: SynapseServer;
let app: PlenaryWebProcess;
let browser: Browser;
let page: Page;
let problems: string[];
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
  // Circle rooms in the clear, whatever the default: Bruno is a crypto-less matrix-js-sdk client; encrypted chat with another client is tests/integration/chat-encrypted.test.ts.
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

/**
 * Starts a circle from the Circles section with Bruno as a member, as a facilitator would,
 * and returns its id (from the address of the circle's page).
 */
async function startCircle(name: string, purpose: string): Promise<string> {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Circles' }).click();
  await page.getByRole('heading', { level: 1, name: 'Circles' }).waitFor();
  const create = page.getByRole('form', { name: 'Start a circle' });
  if ((await create.count()) === 0) await page.getByRole('button', { name: 'New circle' }).click();
  await create.getByLabel('Name', { exact: true }).fill(name);
  await create.getByLabel('Purpose').fill(purpose);
  await create.getByLabel('Your name in this circle').fill('Ana');
  await create.getByRole('button', { name: 'Create circle' }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
  const add = page.getByRole('form', { name: 'Add a member' });
  await add.getByLabel('Name').fill('Bruno');
  await add.getByLabel('Matrix ID').fill(bobUser.userId);
  await add.getByRole('button', { name: 'Add member' }).click();
  await page.getByRole('rowheader', { name: /^Bruno/ }).waitFor();
  const circle = /#\/circles\/([0-9A-Z]{26})$/.exec(page.url())?.[1];
  if (!circle) throw new Error(`no circle id in ${page.url()}`);
  return circle;
}

/**
 * Bruno joins a circle's room from his own client, found by the alias Plenary gives it, as
 * soon as Plenary has made the room and invited him. Returns the room id.
 */
async function bobJoinsCircleRoom(circle: string): Promise<string> {
  const alias = `#plenary.circle.${circle.toLowerCase()}:${server.serverName}`;
  let joined = '';
  await expect
    .poll(() => bob.joinRoom(alias).then((room) => ((joined = room.roomId), true), () => false), { timeout: 30_000, message: `Bruno could not join ${alias}` })
    .toBe(true);
  return joined;
}

/** Pauses or resumes syncing from Settings › Coop server, then comes back to the room. */
async function setSyncing(action: 'Pause syncing' | 'Resume syncing', room: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: action }).click();
  await page.getByRole('button', { name: action === 'Pause syncing' ? 'Resume syncing' : 'Pause syncing' }).waitFor();
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: /Chat/ }).click();
  await page.getByRole('navigation', { name: 'Rooms' }).getByRole('link', { name: new RegExp(room) }).click();
  await page.getByRole('heading', { level: 2, name: room }).waitFor();
}

async function bobSees(body: string): Promise<void> {
  await expect
    .poll(
      async () => {
        const res = await bob.createMessagesRequest(roomId, null, 30, 'b' as never);
        return res.chunk.some((e) => (e.content as { body?: string }).body === body);
      },
      { timeout: 15_000 },
    )
    .toBe(true);
}

describe('chat in Chromium through the browser bridge', () => {
  it('signs in from Settings › Coop server', async () => {
    await page.evaluate(() => (window.location.hash = '#/settings'));
    await page.getByLabel("Your Matrix ID or the server's address").fill(server.baseUrl);
    await page.getByRole('button', { name: 'Find server' }).click();
    await page.getByText(`The homeserver at ${server.baseUrl} answered.`).waitFor();
    await page.getByLabel('User name').fill('ana');
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'The user name or password is not right' }).waitFor();
    await page.getByLabel('Password').fill('ana-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText(`Signed in as ${alice.userId}`).waitFor();
    await page.getByText(/Online\. Last synced at/).waitFor();
    await page.screenshot({ path: artifactPath('e2e', 'chat', 'settings-signed-in.png'), fullPage: true });
    expect(await seriousAxeFindings(page)).toEqual([]);
  });

  it('shows the circle’s room with an unread badge in the navigation', async () => {
    // Ana starts the circle in Plenary; Plenary makes its Matrix room and invites Bruno.
    const circle = await startCircle('Technology operations', 'Servers, BigBlueButton and backups');
    roomId = await bobJoinsCircleRoom(circle);
    await bob.sendTextMessage(roomId, 'Morning all. The backup job failed again last night.');
    await bob.sendMessage(roomId, {
      msgtype: MsgType.Text,
      body: 'Proposal: move backups to **02:00 UTC**',
      format: 'org.matrix.custom.html',
      formatted_body: 'Proposal: move backups to <strong>02:00 UTC</strong><ul><li>less load</li><li>before Europe wakes up</li></ul>',
    });
    await bob.sendTextMessage(roomId, `${alice.userId} could you check the disk quota?`);
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByText(/unread messages/).waitFor();
  });

  it('opens the room, reads the messages, and clears the unread count', async () => {
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: /Chat/ }).click();
    await page.getByRole('navigation', { name: 'Rooms' }).getByRole('link', { name: /Technology operations/ }).click();
    expect(page.url()).toContain(`#/chat/${encodeURIComponent(roomId)}`);
    await page.getByRole('heading', { level: 2, name: 'Technology operations' }).waitFor();
    const log = page.getByRole('log', { name: 'Messages in Technology operations' });
    await log.getByText('The backup job failed again last night.', { exact: false }).waitFor();
    await expect.poll(() => log.locator('strong').filter({ hasText: '02:00 UTC' }).count()).toBe(1);
    await expect.poll(() => page.getByRole('navigation', { name: 'Main navigation' }).getByText(/unread messages/).count(), { timeout: 10_000 }).toBe(0);
  });

  it('sends a message that the other member receives, and a reply and a reaction', async () => {
    const composer = page.getByLabel('Message to Technology operations');
    await composer.fill('I will look at the **quota** after lunch.');
    await composer.press('Enter');
    await bobSees('I will look at the **quota** after lunch.');
    const log = page.getByRole('log', { name: 'Messages in Technology operations' });
    await expect.poll(() => log.locator('strong').filter({ hasText: 'quota' }).count()).toBe(1);

    const question = log.locator('.msg').filter({ hasText: 'could you check the disk quota?' });
    await question.hover();
    await question.getByRole('button', { name: 'Reply to Bruno' }).click();
    await page.getByText(/Replying to Bruno/).waitFor();
    await composer.fill('Yes, on it.');
    await composer.press('Enter');
    await bobSees(`> <${bobUser.userId}> ${alice.userId} could you check the disk quota?\n\nYes, on it.`);
    const reply = log.locator('.msg').filter({ hasText: 'Yes, on it.' });
    await expect.poll(() => reply.locator('blockquote').textContent()).toContain('Bruno');

    const proposal = log.locator('.msg').filter({ hasText: 'Proposal: move backups' });
    await proposal.hover();
    await proposal.getByRole('button', { name: 'React with 👍' }).click();
    await proposal.getByRole('button', { name: /👍 1, from/ }).waitFor();
    expect(await proposal.getByRole('button', { name: /👍 1, from/ }).getAttribute('aria-pressed')).toBe('true');
  });

  it('takes up an invitation, keeps a draft per room, and edits the last message with the Up arrow', async () => {
    const rooms = page.getByRole('navigation', { name: 'Rooms' });
    const composer = page.getByLabel('Message to Technology operations');
    await composer.fill('A thought I have not finished');
    // Bruno invites Ana to a room from his client; Plenary offers it until she answers.
    await bob.createRoom({ name: 'care-circle', invite: [alice.userId] });
    const invitation = rooms.getByRole('region', { name: 'Invitation' });
    await invitation.getByText('Invited by Bruno').waitFor();
    await page.getByRole('navigation', { name: 'Main navigation' }).getByText('1 invitation').waitFor();
    await page.screenshot({ path: artifactPath('e2e', 'chat', 'invitation.png') });
    expect(await seriousAxeFindings(page)).toEqual([]);
    await invitation.getByRole('button', { name: 'Join care-circle' }).click();
    await page.getByRole('heading', { level: 2, name: 'care-circle' }).waitFor();
    await expect.poll(() => rooms.getByRole('region', { name: 'Invitation' }).count()).toBe(0);
    const careComposer = page.getByLabel('Message to care-circle');
    await careComposer.waitFor();
    expect(await careComposer.inputValue()).toBe('');
    await rooms.getByRole('link', { name: /Technology operations/ }).click();
    await expect.poll(() => composer.inputValue()).toBe('A thought I have not finished');

    // Up edits the last message on screen: wait for the room's messages, as a member would see them.
    const log = page.getByRole('log', { name: 'Messages in Technology operations' });
    await log.locator('.msg').filter({ hasText: 'Yes, on it.' }).first().waitFor();
    await composer.fill('');
    await composer.press('ArrowUp');
    await page.getByText(/Editing your message/).waitFor();
    expect(await composer.inputValue()).toBe('Yes, on it.');
    await composer.fill('Yes, on it, after the backup check.');
    await composer.press('Enter');
    await log.locator('.msg').filter({ hasText: 'Yes, on it, after the backup check.' }).getByText('(edited)').waitFor();
    await expect
      .poll(
        async () => {
          const res = await bob.createMessagesRequest(roomId, null, 30, 'b' as never);
          return res.chunk.some((e) => (e.content as { 'm.new_content'?: { body?: string } })['m.new_content']?.body === 'Yes, on it, after the backup check.');
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    // Leaving the edit brings back nothing stale: the composer is empty again.
    expect(await composer.inputValue()).toBe('');

    // Bruno writes in the room she left: going back shows its last screen at once, and the
    // message that came meanwhile too (what the page kept is refreshed, never shown instead).
    const careRoom = (await bob.getJoinedRooms()).joined_rooms.find((id) => id !== roomId)!;
    await bob.sendTextMessage(careRoom, 'Written while Ana was reading elsewhere.');
    await rooms.getByRole('link', { name: /care-circle/ }).click();
    await page.getByRole('log', { name: 'Messages in care-circle' }).locator('.msg').filter({ hasText: 'Written while Ana was reading elsewhere.' }).waitFor();
    await rooms.getByRole('link', { name: /Technology operations/ }).click();
    await log.locator('.msg').filter({ hasText: 'Yes, on it, after the backup check.' }).waitFor();
  });

  it('groups circle rooms apart from other rooms, and shows list or room alone in a narrow window', async () => {
    const rooms = page.getByRole('navigation', { name: 'Rooms' });
    const circles = rooms.getByRole('region', { name: 'Circles' });
    const other = rooms.getByRole('region', { name: 'Other rooms' });
    await circles.getByRole('link', { name: /Technology operations/ }).waitFor();
    await other.getByRole('link', { name: /care-circle/ }).waitFor();

    await page.setViewportSize({ width: 820, height: 700 });
    try {
      await expect.poll(() => rooms.isVisible()).toBe(false);
      const back = page.getByRole('link', { name: '← All rooms' });
      await back.click();
      await expect.poll(() => rooms.isVisible()).toBe(true);
      expect(await page.getByRole('heading', { level: 2, name: 'Technology operations' }).count()).toBe(0);
      await page.screenshot({ path: artifactPath('e2e', 'chat', 'narrow-room-list.png') });
      expect(await seriousAxeFindings(page)).toEqual([]);
      await rooms.getByRole('link', { name: /Technology operations/ }).click();
      await page.getByRole('heading', { level: 2, name: 'Technology operations' }).waitFor();
      await expect.poll(() => rooms.isVisible()).toBe(false);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
    await expect.poll(() => page.getByRole('link', { name: '← All rooms' }).isVisible()).toBe(false);
  });

  it('marks a room as unread for all her devices until she opens it again, and lists unread rooms first', async () => {
    const rooms = page.getByRole('navigation', { name: 'Rooms' });
    const markOnServer = async () => {
      const url = `${server.baseUrl}/_matrix/client/v3/user/${encodeURIComponent(alice.userId)}/rooms/${encodeURIComponent(roomId)}/account_data/m.marked_unread`;
      const response = await fetch(url, { headers: { Authorization: `Bearer ${alice.accessToken}` } });
      return response.status === 200 ? ((await response.json()) as { unread: boolean }).unread : null;
    };
    await page.getByRole('heading', { level: 2, name: 'Technology operations' }).waitFor();
    await page.getByRole('button', { name: 'Mark as unread' }).click();
    // The room is left (reading on would take the mark away) and shows the mark in the list.
    await page.getByRole('heading', { level: 2, name: 'Technology operations' }).waitFor({ state: 'detached' });
    const link = rooms.getByRole('link', { name: /Technology operations/ });
    await expect.poll(() => link.textContent()).toContain('Marked as unread');
    await expect.poll(markOnServer).toBe(true);

    const unreadFirst = rooms.getByRole('checkbox', { name: 'Unread first' });
    // The box follows the setting once Plenary kept it, so click and wait rather than check().
    await unreadFirst.click();
    await expect.poll(() => unreadFirst.isChecked()).toBe(true);
    await page.screenshot({ path: artifactPath('e2e', 'chat', 'marked-unread.png') });
    expect(await seriousAxeFindings(page)).toEqual([]);
    await unreadFirst.click();
    await expect.poll(() => unreadFirst.isChecked()).toBe(false);

    await link.click();
    await page.getByRole('heading', { level: 2, name: 'Technology operations' }).waitFor();
    await expect.poll(() => link.textContent()).not.toContain('Marked as unread');
    await expect.poll(markOnServer).toBe(false);
  });

  it('says who is typing and who has read her message, and offers private read receipts in Settings', async () => {
    const log = page.getByRole('log', { name: 'Messages in Technology operations' });
    await log.locator('.msg').filter({ hasText: 'after the backup check' }).waitFor();
    await bob.sendTyping(roomId, true, 20_000);
    await page.getByText('Bruno is typing…').waitFor();
    await bob.sendTyping(roomId, false, 0);
    await page.getByText('Bruno is typing…').waitFor({ state: 'detached' });

    // Bruno reads up to Ana's newest message in his client.
    const newest = (await bob.createMessagesRequest(roomId, null, 30, 'b' as never)).chunk.find((e) => e.sender === alice.userId && e.type === 'm.room.message');
    const receipt = await fetch(`${server.baseUrl}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/receipt/m.read/${encodeURIComponent(newest!.event_id)}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${bobUser.accessToken}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(receipt.status).toBe(200);
    await log.getByText('Seen by Bruno').waitFor();
    await page.screenshot({ path: artifactPath('e2e', 'chat', 'typing-and-receipts.png') });
    expect(await seriousAxeFindings(page)).toEqual([]);

    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Settings' }).click();
    const box = page.getByRole('checkbox', { name: 'Keep read receipts private' });
    await box.click();
    await expect.poll(() => box.isChecked()).toBe(true);
    await box.click();
    await expect.poll(() => box.isChecked()).toBe(false);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: /Chat/ }).click();
    await page.getByRole('navigation', { name: 'Rooms' }).getByRole('link', { name: /Technology operations/ }).click();
    await page.getByRole('heading', { level: 2, name: 'Technology operations' }).waitFor();
  });

  it('keeps what is written while paused as pending, and sends it on resume', async () => {
    await setSyncing('Pause syncing', 'Technology operations');
    const composer = page.getByLabel('Message to Technology operations');
    await composer.fill('Written on the train, no network.');
    await composer.press('Enter');
    const log = page.getByRole('log', { name: 'Messages in Technology operations' });
    const pending = log.locator('.msg-queued').filter({ hasText: 'Written on the train' });
    await pending.waitFor();
    await expect.poll(() => pending.textContent()).toContain('Waiting to send');
    // The sidebar says the member paused syncing, not that the server cannot be reached.
    await page.getByText('Sync is paused.', { exact: true }).waitFor();
    expect(await page.getByText(/cannot be reached/).count()).toBe(0);
    await page.screenshot({ path: artifactPath('e2e', 'chat', 'pending-offline.png') });
    // Nothing leaves while paused: the homeserver has not seen it.
    const seen = await bob.createMessagesRequest(roomId, null, 30, 'b' as never);
    expect(seen.chunk.some((e) => (e.content as { body?: string }).body === 'Written on the train, no network.')).toBe(false);
    await setSyncing('Resume syncing', 'Technology operations');
    await bobSees('Written on the train, no network.');
    await log.locator('.msg').filter({ hasText: 'Written on the train, no network.' }).waitFor();
    await expect.poll(() => log.locator('.msg-queued').count(), { timeout: 15_000 }).toBe(0);
  });

  it('renders hostile HTML harmlessly and opens links outside', async () => {
    await bob.sendMessage(roomId, {
      msgtype: MsgType.Text,
      body: 'hostile',
      format: 'org.matrix.custom.html',
      formatted_body:
        '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script><a href="javascript:window.pwned=3">click</a> <b onmouseover="window.pwned=4">hover</b> <a href="https://meet.coop/">meet.coop</a>' +
        '<table><tr><td><table><tr><td>nested</td></tr></table></td></tr></table>',
    });
    const log = page.getByRole('log', { name: 'Messages in Technology operations' });
    const hostile = log.locator('.msg').filter({ hasText: 'nested' });
    await hostile.waitFor();
    await hostile.getByText('hover').hover();
    await hostile.getByText('click').click();
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await hostile.locator('script, img, [onerror], [onmouseover]').count()).toBe(0);
    const link = hostile.getByRole('link', { name: 'meet.coop' });
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await hostile.getByText('click').getAttribute('href')).toBeNull();

    // A plain-text address is clickable too, without the full stop that ends the sentence.
    await bob.sendTextMessage(roomId, 'Status page: https://meet.coop/status. Or javascript:alert(1)');
    const plain = log.locator('.msg').filter({ hasText: 'Status page' });
    const address = plain.getByRole('link', { name: 'https://meet.coop/status' });
    await address.waitFor();
    expect(await address.getAttribute('href')).toBe('https://meet.coop/status');
    expect(await address.getAttribute('target')).toBe('_blank');
    expect(await plain.getByRole('link').count()).toBe(1);
  });

  it('looks right: screenshots in both themes and no serious axe findings', async () => {
    await bob.sendTextMessage(roomId, 'Thanks Ana! 🙏');
    const log = page.getByRole('log', { name: 'Messages in Technology operations' });
    await log.getByText('Thanks Ana!').waitFor();
    await page.screenshot({ path: artifactPath('e2e', 'chat', 'circle-room.png') });
    expect(await seriousAxeFindings(page)).toEqual([]);
    await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
    await page.screenshot({ path: artifactPath('e2e', 'chat', 'circle-room-dark.png') });
    expect(await seriousAxeFindings(page)).toEqual([]);
    await page.evaluate(() => delete document.documentElement.dataset.theme);
    expect(problems).toEqual([]);
  });

  it('opens an encrypted room with a lock note and a composer, explains what it cannot decrypt, and shows this device’s keys', async () => {
    const { room_id: secret } = await bob.createRoom({
      name: 'Stewards',
      invite: [alice.userId],
      initial_state: [{ type: 'm.room.encryption', state_key: '', content: { algorithm: 'm.megolm.v1.aes-sha2' } }],
    });
    const rooms = page.getByRole('navigation', { name: 'Rooms' });
    await rooms.getByRole('region', { name: 'Invitation' }).getByRole('button', { name: 'Join Stewards' }).click();
    await page.getByRole('heading', { level: 2, name: 'Stewards' }).waitFor();
    await page.getByRole('note').getByText('End-to-end encrypted: only the members’ devices can read this room.').waitFor();
    await page.getByLabel('Message to Stewards').waitFor();
    // Bruno's client here has no encryption: what it sends as encrypted is unreadable, and explained.
    await bob.sendEvent(secret, 'm.room.encrypted' as never, { algorithm: 'm.megolm.v1.aes-sha2', ciphertext: 'AAAA', sender_key: 'x', session_id: 'y', device_id: 'z' } as never);
    const log = page.getByRole('log', { name: 'Messages in Stewards' });
    await log.getByText(/^Unable to decrypt/).waitFor();
    await page.screenshot({ path: artifactPath('e2e', 'chat', 'encrypted-room.png') });
    expect(await seriousAxeFindings(page)).toEqual([]);

    await page.evaluate(() => (window.location.hash = '#/settings'));
    const security = page.getByRole('region', { name: 'Security' });
    await security.getByText('Device ID').waitFor();
    expect(await security.locator('dd code').first().textContent()).toMatch(/^[A-Z]{6,}$/);
    // Restoring from backup with something that is not a recovery key says so.
    const restore = security.getByRole('form', { name: 'Restore from backup' });
    await restore.getByLabel('Recovery key').fill('not a key');
    await restore.getByRole('button', { name: 'Restore keys' }).click();
    await restore.getByRole('alert').getByText('That is not a recovery key.', { exact: false }).waitFor();
    await security.screenshot({ path: artifactPath('e2e', 'chat', 'settings-security.png') });
    expect(await seriousAxeFindings(page)).toEqual([]);

    // The same in German, then back to English for the tests that follow.
    await page.getByLabel('Language').selectOption('de');
    await page.getByRole('region', { name: 'Sicherheit' }).getByText('Geräte-ID').waitFor();
    await page.getByRole('region', { name: 'Sicherheit' }).screenshot({ path: artifactPath('e2e', 'chat', 'settings-security-de.png') });
    await page.evaluate((id) => (window.location.hash = `#/chat/${encodeURIComponent(id)}`), secret);
    await page.getByRole('note').getByText('Ende-zu-Ende-verschlüsselt', { exact: false }).waitFor();
    await page.getByText(/^(Entschlüsselung nicht möglich|Diese Nachricht lässt sich nicht entschlüsseln)/).waitFor();
    await page.screenshot({ path: artifactPath('e2e', 'chat', 'encrypted-room-de.png') });
    expect(await seriousAxeFindings(page)).toEqual([]);
    await page.evaluate(() => (window.location.hash = '#/settings'));
    await page.getByLabel('Sprache').selectOption('en');
    await page.getByRole('region', { name: 'Security' }).waitFor();
  });

  it('shows governance sync in the sidebar and in Settings, with what was kept aside and what was withdrawn', async () => {
    // A circle made on this desktop gets its room on the next sync, and Bob is invited.
    const circle = await startCircle('Finance', 'Budgets and the books');
    await page.evaluate(() => (window.location.hash = '#/settings'));
    const status = page.getByRole('group', { name: 'Sync status' });
    await status.getByText(/change(s)? waiting|Synced/).first().waitFor();
    await status.getByRole('button', { name: 'Sync now' }).click();
    // Seen from the homeserver: the room exists under the circle's alias, and Bob may join it.
    const circleRoom = await bobJoinsCircleRoom(circle);
    expect(circleRoom).toMatch(/^!/);
    await expect.poll(async () => (await status.textContent()) ?? '', { timeout: 20_000 }).toMatch(/Synced · nothing waiting/);
    // Screen readers hear the state change, not every change of the pending count.
    // Bob's join may start one more short upload after the first "Synced", so wait for the
    // live region to settle on Synced again rather than reading it once.
    const live = page.locator('.status-area [role="status"]');
    await expect.poll(async () => (await live.allTextContents()).join(' | '), { timeout: 20_000 }).toMatch(/Synced/);
    expect((await live.allTextContents()).join(' | ')).not.toMatch(/waiting/);
    const settings = page.getByRole('group', { name: 'Sync' }).filter({ hasText: 'Items kept aside' });
    await settings.getByText('Nothing kept aside.').waitFor();
    await settings.getByText(/^Last synced /).waitFor();

    // Bob, now in the circle's room, sends work in Alice's name: refused and listed.
    const forged: Operation = { id: newId(), hlc: `${Date.now()}-000000-bob`, actor: alice.userId, circle, type: 'contribution.create', v: 1,
      payload: { contributionId: newId(), member: alice.userId, date: '2026-11-20', minutes: 30, stream: 'care', description: 'Forged', tags: [] } };
    const event = opsEvent(circle, [forged]);
    await bob.sendEvent(circleRoom, event.type as never, { ...event.content } as never);
    await status.getByRole('button', { name: 'Sync now' }).click();
    await settings.getByText(/is not the event's sender/).waitFor({ timeout: 20_000 });
    expect(await settings.textContent()).toContain(bobUser.userId);
    // One record for the event, saying how much of it was refused.
    await settings.getByText(/· 1 operation refused out of 1$/).waitFor();
    await status.getByText('1 received item kept aside').waitFor();

    // Bob logs his own work, then withdraws it by redacting its event: listed with who and what.
    const own: Operation = { id: newId(), hlc: `${Date.now()}-000000-bob`, actor: bobUser.userId, circle, type: 'contribution.create', v: 1,
      payload: { contributionId: newId(), member: bobUser.userId, date: '2026-11-20', minutes: 45, stream: 'care', description: 'Logged twice', tags: [] } };
    const ownEvent = opsEvent(circle, [own]);
    const { event_id: logged } = await bob.sendEvent(circleRoom, ownEvent.type as never, { ...ownEvent.content } as never);
    await bob.redactEvent(circleRoom, logged, undefined, { reason: 'logged twice' });
    await settings.getByText('Nothing was withdrawn.').waitFor();
    await status.getByRole('button', { name: 'Sync now' }).click();
    await settings.getByText('Changes to Finance').waitFor({ timeout: 20_000 });
    expect(await settings.textContent()).toContain(`Withdrawn by ${bobUser.userId}`);
    await settings.getByText('Reason given: logged twice').waitFor();
    await page.screenshot({ path: artifactPath('e2e', 'chat', 'settings-sync.png'), fullPage: true });
    expect(await seriousAxeFindings(page)).toEqual([]);
  });

  it('says what the coop server refused, naming the member and the circle, until the member dismisses it', async () => {
    // Dana is on a server this homeserver does not federate with: her invitation is refused.
    const dana = '@dana:elsewhere.example';
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Circles' }).click();
    await page.getByRole('heading', { level: 1, name: 'Circles' }).waitFor();
    const create = page.getByRole('form', { name: 'Start a circle' });
    if ((await create.count()) === 0) await page.getByRole('button', { name: 'New circle' }).click();
    await create.getByLabel('Name', { exact: true }).fill('Outreach');
    await create.getByLabel('Your name in this circle').fill('Ana');
    await create.getByRole('button', { name: 'Create circle' }).click();
    await page.getByRole('heading', { level: 1, name: 'Outreach' }).waitFor();
    const add = page.getByRole('form', { name: 'Add a member' });
    await add.getByLabel('Name').fill('Dana');
    await add.getByLabel('Matrix ID').fill(dana);
    await add.getByRole('button', { name: 'Add member' }).click();
    await page.getByRole('rowheader', { name: /^Dana/ }).waitFor();
    const status = page.getByRole('group', { name: 'Sync status' });
    await status.locator('p.sync-problem', { hasText: '1 thing was not accepted by the server.' }).waitFor({ timeout: 20_000 });
    await status.getByText('Not everything got through', { exact: true }).waitFor();
    expect(await status.textContent()).not.toMatch(/Synced/);
    await status.getByRole('link', { name: 'See what' }).click();
    const refusals = page.getByRole('region', { name: 'Not accepted by the server' });
    const item = refusals.getByRole('listitem').filter({ hasText: dana });
    await item.getByText(`Inviting Dana (${dana}) to the room of Outreach`).waitFor();
    // The reason in words; the server's own answer on hover, as chat shows a refused message.
    const reason = item.getByText(/^Refused: the coop server cannot reach elsewhere\.example/);
    expect(await reason.getAttribute('title')).toMatch(/^M_FORBIDDEN: Federation denied with elsewhere\.example/);
    await item.getByText('Not tried again until you ask.', { exact: false }).waitFor();
    await page.screenshot({ path: artifactPath('e2e', 'chat', 'settings-sync-refused.png'), fullPage: true });
    expect(await seriousAxeFindings(page)).toEqual([]);

    await item.getByRole('button', { name: /^Dismiss: Inviting Dana/ }).click();
    await refusals.getByText('Nothing was refused.').waitFor();
    await expect.poll(async () => (await status.textContent()) ?? '', { timeout: 20_000 }).toMatch(/Synced · nothing waiting/);
  });
});
