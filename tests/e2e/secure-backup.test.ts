// Setting up secure backup from Plenary, end to end: Plenary started as `npm run start:web`,
// driven only through Chromium, a real Synapse, and the member's Element session in another
// process (matrix-js-sdk with its Rust crypto). The recovery key is shown once, saved as a
// file, confirmed as stored; the server then holds a key backup, and Element opens it with
// that key. Resetting asks first. A room's header shows its shield and the devices list, and
// warns when the member's identity is reset elsewhere.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import { startPlenaryWeb, type PlenaryWebProcess } from '../helpers/plenary-web-process';
import { openApp } from '../helpers/e2e-page';
import { seriousAxeFindings } from '../helpers/axe';
import { artifactPath } from '../helpers/paths';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { startCryptoPeer, type CryptoPeer } from '../helpers/element-crypto-peer-process';

let server: SynapseServer;
let app: PlenaryWebProcess;
let browser: Browser;
let page: Page;
let ana: RegisteredUser;
let element: CryptoPeer;
let recoveryKey = '';

beforeAll(async () => {
  server = await SynapseServer.start({ rateLimits: 'relaxed' });
  ana = await server.register('ana', { password: 'ana-password' });
  app = await startPlenaryWeb();
  browser = await launchChromium();
  ({ page } = await openApp(browser, app));
  element = startCryptoPeer();
  await element.call('start', { baseUrl: server.baseUrl, userId: ana.userId, accessToken: ana.accessToken, deviceId: ana.deviceId });
}, 180_000);

afterAll(async () => {
  await element?.stop();
  await browser?.close();
  await app?.stop();
  await server?.stop();
});

async function serverBackupVersion(): Promise<string | null> {
  const response = await fetch(`${server.baseUrl}/_matrix/client/v3/room_keys/version`, { headers: { authorization: `Bearer ${ana.accessToken}` } });
  return response.ok ? ((await response.json()) as { version: string }).version : null;
}

describe('secure backup in Settings › Security', () => {
  it('signs in and says there is no secure backup yet', async () => {
    await page.evaluate(() => (window.location.hash = '#/settings'));
    await page.getByLabel("Your Matrix ID or the server's address").fill(server.baseUrl);
    await page.getByRole('button', { name: 'Find server' }).click();
    await page.getByLabel('User name').fill('ana');
    await page.getByLabel('Password', { exact: true }).fill('ana-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText(`Signed in as ${ana.userId}`).waitFor();
    const backup = page.getByRole('region', { name: 'Secure backup' });
    await backup.getByText('Your account has no secure backup yet', { exact: false }).waitFor();
  });

  it('shows the recovery key once, saves it as a file, and sets up only once it is confirmed stored', async () => {
    const backup = page.getByRole('region', { name: 'Secure backup' });
    await backup.getByRole('button', { name: 'Set up secure backup' }).click();
    const key = backup.locator('.recovery-key code');
    await key.waitFor();
    recoveryKey = (await key.textContent())!.trim();
    expect(recoveryKey).toMatch(/^([1-9A-HJ-NP-Za-km-z]{4} ){11}[1-9A-HJ-NP-Za-km-z]{4}$/);
    const finish = backup.getByRole('button', { name: 'Set up secure backup' });
    expect(await finish.isDisabled()).toBe(true);
    const [download] = await Promise.all([page.waitForEvent('download'), backup.getByRole('button', { name: 'Save as file' }).click()]);
    expect(download.suggestedFilename()).toBe('recovery-key.txt');
    expect(readFileSync((await download.path())!, 'utf8').trim()).toBe(recoveryKey);
    await backup.screenshot({ path: artifactPath('e2e', 'secure-backup', 'recovery-key-en.png') });
    expect(await seriousAxeFindings(page)).toEqual([]);
    expect(await serverBackupVersion()).toBeNull();

    await backup.getByLabel('I have stored my recovery key somewhere safe').check();
    await finish.click();
    await backup.getByText('Secure backup is set up.', { exact: false }).waitFor();
    await backup.getByText('Secure backup is on', { exact: false }).waitFor();
    // Shown once: the key is gone from the page.
    await expect.poll(() => backup.locator('.recovery-key').count()).toBe(0);
    expect(await serverBackupVersion()).not.toBeNull();
    // Setting up secure backup set up cross-signing too, and the page says so.
    await page.getByText('Cross-signing is set up, and this session is signed by it.').waitFor();
    await page.getByRole('region', { name: 'Security' }).screenshot({ path: artifactPath('e2e', 'secure-backup', 'security-en.png') });
  });

  it('lets Element verify itself with that key; the room then shows whose devices are verified', async () => {
    expect((await element.call<{ ready: boolean }>('verifyWithRecoveryKey', { recoveryKey })).ready).toBe(true);
    const { roomId } = await element.call<{ roomId: string }>('createRoom', { name: 'Notes', encrypted: true });
    await element.call('send', { roomId, content: { msgtype: 'm.text', body: 'Backed up by Plenary' } });
    const address = page.url();
    await page.goto(address.replace(/#.*$/, `#/chat/${encodeURIComponent(roomId)}`));
    await page.waitForSelector('html[data-ready="true"]');
    await page.locator('.chat-room').getByText('Backed up by Plenary').waitFor({ timeout: 60_000 });
    const shield = page.locator('.room-shield');
    // Plenary's own device signed itself when it set up cross-signing; Element's signed with the recovery key.
    await expect.poll(() => shield.textContent(), { timeout: 30_000 }).toContain('every device in this room is verified');
    await page.getByText('Devices of 1 member').click();
    await page.locator('.room-trust-devices').getByText(ana.deviceId).waitFor();
    await page.screenshot({ path: artifactPath('e2e', 'secure-backup', 'room-shield-en.png') });
    expect(await seriousAxeFindings(page)).toEqual([]);
  });

  it('warns when the member’s identity is reset from another session, until she accepts the change', async () => {
    await element.call('resetCrossSigning', { password: 'ana-password' });
    const warning = page.getByRole('alert').filter({ hasText: 'Your identity was reset from another session' });
    await warning.waitFor({ timeout: 60_000 });
    await expect.poll(() => page.locator('.room-shield').textContent()).toContain('a verified member’s identity changed');
    await page.screenshot({ path: artifactPath('e2e', 'secure-backup', 'identity-changed-en.png') });
    expect(await seriousAxeFindings(page)).toEqual([]);
    await warning.getByRole('button', { name: 'Accept the change' }).click();
    await expect.poll(() => warning.count()).toBe(0);
    await expect.poll(() => page.locator('.room-shield').textContent()).toContain('some devices in this room are not verified');
  });

  it('in French: resetting the recovery key asks first, and cancelling changes nothing', async () => {
    const version = await serverBackupVersion();
    await page.evaluate(() => (window.location.hash = '#/settings'));
    await page.getByLabel('Language').selectOption('fr');
    const backup = page.getByRole('region', { name: 'Sauvegarde sécurisée' });
    await backup.getByRole('button', { name: 'Réinitialiser la clé de récupération…' }).click();
    await backup.getByText('Réinitialiser votre clé de récupération ?').waitFor();
    await backup.screenshot({ path: artifactPath('e2e', 'secure-backup', 'reset-confirm-fr.png') });
    expect(await seriousAxeFindings(page)).toEqual([]);
    await backup.getByRole('button', { name: 'Annuler' }).click();
    await backup.getByRole('button', { name: 'Réinitialiser la clé de récupération…' }).waitFor();
    expect(await serverBackupVersion()).toBe(version);
    await page.getByLabel('Langue').selectOption('en');
  });
});
