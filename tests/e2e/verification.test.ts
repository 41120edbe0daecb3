// Verifying Plenary's session with emoji from the member's Element session, end to end:
// Plenary started as `npm run start:web`, driven only through Chromium, a real Synapse, and
// the member's other session in another process (matrix-js-sdk with its Rust crypto, as
// Element runs it). The request appears as a notice in Settings › Security; the dialog shows
// the seven emoji named in the member's language and is operated from the keyboard. The
// password sign-in already set up cross-signing (the account had none); replacing keys that
// another session reset asks for the account password.
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
let plenaryDevice: string;

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

/** Ana's master cross-signing key as the server holds it (null without one). */
async function masterKey(): Promise<string | null> {
  const response = await fetch(`${server.baseUrl}/_matrix/client/v3/keys/query`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ana.accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ device_keys: { [ana.userId]: [] } }),
  });
  const body = (await response.json()) as { master_keys?: Record<string, { keys: Record<string, string> }> };
  const keys = body.master_keys?.[ana.userId]?.keys;
  return keys ? Object.values(keys)[0]! : null;
}

/** Element asks to verify Plenary's session, and Plenary shows the request as a notice that opens the dialog. */
async function elementAsks(noticeText: string, verifyButton: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const devices = await element.call<{ deviceId: string }[]>('deviceOf', { userId: ana.userId });
    if (devices.some((d) => d.deviceId === plenaryDevice)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const { flowId } = await element.call<{ flowId: string }>('requestVerification', { userId: ana.userId, deviceId: plenaryDevice });
  const notice = page.getByRole('status').filter({ hasText: noticeText });
  await notice.waitFor();
  await notice.getByRole('button', { name: verifyButton }).click();
  return flowId;
}

describe('verifying this session with emoji in Settings › Security', () => {
  it('signs in; the sign-in set up cross-signing, and this session is signed by it', async () => {
    await page.evaluate(() => (window.location.hash = '#/settings'));
    await page.getByLabel("Your Matrix ID or the server's address").fill(server.baseUrl);
    await page.getByRole('button', { name: 'Find server' }).click();
    await page.getByLabel('User name').fill('ana');
    await page.getByLabel('Password', { exact: true }).fill('ana-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText(`Signed in as ${ana.userId}`).waitFor();
    const security = page.getByRole('region', { name: 'Security' });
    plenaryDevice = (await security.locator('dd code').first().textContent())!.trim();
    // Cross-signing is set up just after the sign-in shows; the section reads it again once
    // the connection moves on, without being reopened.
    await security.getByText('Cross-signing is set up, and this session is signed by it.').waitFor();
    expect(await security.getByLabel('Account password').count()).toBe(0);
    expect(await masterKey()).not.toBeNull();
  });

  it('in German: the emoji named in German; “they don’t match” ends it', async () => {
    await page.getByLabel('Language').selectOption('de');
    await page.getByRole('region', { name: 'Sicherheit' }).waitFor();
    const flowId = await elementAsks('Eine andere deiner Sitzungen möchte diese verifizieren.', 'Verifizieren');
    const dialog = page.getByRole('dialog', { name: 'Sitzung verifizieren' });
    await dialog.getByText(`Deine Sitzung ${ana.deviceId} möchte diese Sitzung verifizieren.`).waitFor();
    await dialog.getByRole('button', { name: 'Annehmen' }).click();
    await element.call('startSas', { flowId });
    await dialog.getByRole('button', { name: 'Sie stimmen überein' }).waitFor();
    const { emoji } = await element.call<{ emoji: [string, string][] }>('sasEmoji', { flowId });
    await expect.poll(() => dialog.locator('.sas-symbol').allTextContents()).toEqual(emoji.map(([symbol]) => symbol));
    await dialog.screenshot({ path: artifactPath('e2e', 'verification', 'emoji-de.png') });
    expect(await seriousAxeFindings(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Sie stimmen nicht überein' }).click();
    await dialog.getByRole('alert').getByText('Die Emojis stimmten nicht überein', { exact: false }).waitFor();
    expect((await element.call<{ cancelCode: string }>('waitVerification', { flowId, phase: 'cancelled' })).cancelCode).toBe('m.mismatched_sas');
    await dialog.getByRole('button', { name: 'Schließen' }).click();
    await page.getByLabel('Sprache').selectOption('en');
    await page.getByRole('region', { name: 'Security' }).waitFor();
  });

  it('in English, from the keyboard: accept, compare the seven emoji, “They match”, both verified', async () => {
    // Elsewhere in Plenary, a notice says so and leads to Settings › Security.
    await page.evaluate(() => (window.location.hash = '#/today'));
    const global = page.locator('.verification-notice');
    const { flowId } = await element.call<{ flowId: string }>('requestVerification', { userId: ana.userId, deviceId: plenaryDevice });
    await global.getByText('Another of your sessions asks to verify this one.').waitFor();
    await page.screenshot({ path: artifactPath('e2e', 'verification', 'notice-en.png') });
    await global.getByRole('button', { name: 'Verify' }).click();
    const security = page.getByRole('region', { name: 'Security' });
    await security.getByRole('status').filter({ hasText: 'Another of your sessions asks to verify this one.' }).getByRole('button', { name: 'Verify' }).click();
    const dialog = page.getByRole('dialog', { name: 'Verify session' });
    await dialog.getByRole('button', { name: 'Accept' }).waitFor();
    // The modal dialog holds the focus: Tab reaches its buttons, Enter presses them.
    await dialog.getByRole('button', { name: 'Accept' }).focus();
    await page.keyboard.press('Enter');
    await element.call('startSas', { flowId });
    const match = dialog.getByRole('button', { name: 'They match' });
    await match.waitFor();
    const { emoji } = await element.call<{ emoji: [string, string][] }>('sasEmoji', { flowId });
    await expect.poll(() => dialog.locator('.sas-symbol').allTextContents()).toEqual(emoji.map(([symbol]) => symbol));
    expect((await dialog.locator('.sas-name').allTextContents()).map((n) => n.toLowerCase())).toEqual(emoji.map(([, name]) => name.toLowerCase()));
    await dialog.screenshot({ path: artifactPath('e2e', 'verification', 'emoji-en.png') });
    expect(await seriousAxeFindings(page)).toEqual([]);
    await match.focus();
    await page.keyboard.press('Enter');
    await element.call('confirmSas', { flowId, match: true });
    await dialog.getByText(`This session and ${ana.deviceId} are verified.`).waitFor();
    expect((await element.call<{ verified: boolean }>('deviceVerified', { userId: ana.userId, deviceId: plenaryDevice })).verified).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
  });

  it('after another session reset the keys, sets them up again with the account password (a wrong one is refused)', async () => {
    const before = await masterKey();
    await element.call('resetCrossSigning', { password: 'ana-password' });
    const reset = await masterKey();
    expect(reset).not.toBe(before);
    // Settings › Security, left open, changes once Plenary has read the new identity: this
    // session no longer holds the keys, and offers to replace them with the password.
    const security = page.getByRole('region', { name: 'Security' });
    const password = security.getByLabel('Account password');
    await password.waitFor({ timeout: 30_000 });
    await security.getByText('Cross-signing is not set up.', { exact: false }).waitFor();
    await password.fill('not-her-password');
    await security.getByRole('button', { name: 'Set up cross-signing' }).click();
    await security.getByRole('alert').filter({ hasText: 'That password is not your account’s password.' }).waitFor();
    expect(await masterKey()).toBe(reset);
    await password.fill('ana-password');
    await security.getByRole('button', { name: 'Set up cross-signing' }).click();
    await security.getByText('Cross-signing is set up, and this session is signed by it.').waitFor();
    await expect.poll(() => password.count()).toBe(0);
    const replaced = await masterKey();
    expect(replaced).not.toBeNull();
    expect(replaced).not.toBe(reset);
    await security.screenshot({ path: artifactPath('e2e', 'verification', 'security-en.png') });
    expect(await seriousAxeFindings(page)).toEqual([]);
  });
});
