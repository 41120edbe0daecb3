// Files and images in an end-to-end encrypted room, end to end: Plenary started as `npm run
// start:web` with its own Downloads folder, driven only through Chromium, a real Synapse, and
// Bruno on an Element-like client in another process (matrix-js-sdk with its Rust crypto, and
// attachment encryption of its own in tests/helpers/element-attachments.ts). Bruno's encrypted
// image shows inline and full size; a file Ana attaches is decrypted by Bruno's client byte for
// byte, and a large image goes with the thumbnail the page drew, encrypted too; a file whose ciphertext was swapped on the server says so and is not saved. Axe clean;
// screenshots in English and French.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import { startPlenaryWeb, type PlenaryWebProcess } from '../helpers/plenary-web-process';
import { openApp } from '../helpers/e2e-page';
import { seriousAxeFindings } from '../helpers/axe';
import { artifactPath } from '../helpers/paths';
import { SynapseServer, type RegisteredUser } from '../helpers/synapse';
import { startCryptoPeer, type CryptoPeer } from '../helpers/element-crypto-peer-process';
import { makePng } from '../helpers/png';

let server: SynapseServer;
let app: PlenaryWebProcess;
let browser: Browser;
let page: Page;
let bruno: CryptoPeer;
let ana: RegisteredUser;
let brunoUser: RegisteredUser;
let roomId: string;
let downloads: string;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const shot = (name: string) => page.screenshot({ path: artifactPath('e2e', 'chat-files-encrypted', `${name}.png`), fullPage: true });
const log = () => page.getByRole('log', { name: /Treasury/ });

beforeAll(async () => {
  // Default rate limits: a handful of uploads and messages.
  server = await SynapseServer.start({ rateLimits: 'default' });
  ana = await server.register('ana', { password: 'ana-password' });
  brunoUser = await server.register('bruno', { password: 'bruno-password' });
  downloads = mkdtempSync(join(tmpdir(), 'plenary-e2e-e2ee-downloads-'));
  app = await startPlenaryWeb({ env: { PLENARY_DOWNLOADS_DIR: downloads } });
  browser = await launchChromium();
  ({ page } = await openApp(browser, app));
  bruno = startCryptoPeer();
  await bruno.call('start', { baseUrl: server.baseUrl, userId: brunoUser.userId, accessToken: brunoUser.accessToken, deviceId: brunoUser.deviceId });
}, 180_000);

afterAll(async () => {
  await bruno?.stop();
  await browser?.close();
  await app?.stop();
  await server?.stop();
});

describe('files and images in an encrypted room, in Chromium', () => {
  it('signs in and joins Bruno’s encrypted room', async () => {
    await page.evaluate(() => (window.location.hash = '#/settings'));
    await page.getByLabel("Your Matrix ID or the server's address").fill(server.baseUrl);
    await page.getByRole('button', { name: 'Find server' }).click();
    await page.getByText(`The homeserver at ${server.baseUrl} answered.`).waitFor();
    await page.getByLabel('User name').fill('ana');
    await page.getByLabel('Password').fill('ana-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText(`Signed in as ${ana.userId}`).waitFor();
    ({ roomId } = await bruno.call<{ roomId: string }>('createRoom', { name: 'Treasury', invite: [ana.userId], encrypted: true }));
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: /Chat/ }).click();
    await page.getByRole('button', { name: 'Join Treasury' }).click();
    await page.getByRole('heading', { level: 2, name: 'Treasury' }).waitFor();
    // Bruno's devices are not verified: the room's device list says where to verify him (his profile in Element).
    await page.getByText('Devices of 2 members').click();
    const verify = page.getByRole('link', { name: `Verify ${brunoUser.userId} in Element` });
    await verify.waitFor({ timeout: 30_000 });
    expect(await verify.getAttribute('href')).toBe(`https://app.element.io/#/user/${encodeURIComponent(brunoUser.userId)}`);
    expect(await page.getByRole('link', { name: `Verify ${ana.userId} in Element` }).count()).toBe(0);
    await page.getByText('Devices of 2 members').click();
  });

  it('shows Bruno’s encrypted image inline and full size, decrypted by Plenary', async () => {
    const png = makePng(320, 200, (x, y) => [(x * 5) % 256, (y * 9) % 256, 160, 255]);
    await bruno.call('sendEncryptedFile', { roomId, name: 'ledger.png', msgtype: 'm.image', mimetype: 'image/png', data: png.toString('base64'), info: { w: 320, h: 200 } });
    const open = log().getByRole('button', { name: 'Open ledger.png full size' });
    await open.waitFor({ timeout: 30_000 });
    const thumb = open.getByRole('img', { name: 'ledger.png' });
    await expect.poll(() => thumb.evaluate((img) => (img as HTMLImageElement).naturalWidth), { timeout: 30_000 }).toBe(320);
    expect(await thumb.getAttribute('src')).toMatch(/^blob:/);
    await open.click();
    const dialog = page.getByRole('dialog', { name: 'ledger.png' });
    await expect.poll(() => dialog.getByRole('img', { name: 'ledger.png' }).evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(320);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
  });

  it('sends a file Bruno’s client decrypts byte for byte', async () => {
    const sheet = Buffer.from('date,amount\n2026-12-01,120\n'.repeat(2000));
    await page.getByTestId('chat-file-input').setInputFiles({ name: 'accounts.csv', mimeType: 'text/csv', buffer: sheet });
    await log().getByRole('button', { name: 'Download accounts.csv' }).waitFor({ timeout: 30_000 });
    const opened = await bruno.call<{ sha256: string; encrypted: boolean; content: Record<string, unknown> }>('openEncryptedFile', { roomId, body: 'accounts.csv' });
    expect(opened.encrypted).toBe(true);
    expect(opened.sha256).toBe(sha256(sheet));
    expect(opened.content.url).toBeUndefined();
    // Ana downloads her own file back: decrypted into Downloads.
    const row = log().locator('.msg').filter({ hasText: 'accounts.csv' });
    await row.getByRole('button', { name: 'Download accounts.csv' }).click();
    await row.getByText(`Saved in ${downloads} as “accounts.csv”.`).waitFor();
    expect(sha256(readFileSync(join(downloads, 'accounts.csv')))).toBe(sha256(sheet));
  });

  it('sends a large image with a thumbnail the page drew, both encrypted, which Bruno’s client opens', async () => {
    const png = makePng(1000, 700, (x, y) => [(x * 3) % 256, (y * 7) % 256, 90, 255]);
    await page.getByTestId('chat-file-input').setInputFiles({ name: 'site.png', mimeType: 'image/png', buffer: png });
    await log().getByRole('button', { name: 'Open site.png full size' }).getByRole('img').waitFor({ timeout: 30_000 });
    const opened = await bruno.call<{ sha256: string; content: { info: Record<string, unknown> }; thumbnail: { sha256: string; head: string } | null }>('openEncryptedFile', { roomId, body: 'site.png' });
    expect(opened.sha256).toBe(sha256(png));
    expect(opened.content.info).toMatchObject({ mimetype: 'image/png', w: 1000, h: 700, thumbnail_info: { mimetype: 'image/png', w: 800, h: 560 } });
    // The thumbnail decrypts to a PNG.
    expect(opened.thumbnail?.head).toBe('89504e470d0a1a0a');
  });

  it('says a file was changed on the server and saves nothing; in French too', async () => {
    const original = Buffer.from('Pay 120 to the printer.\n'.repeat(40));
    const sent = await bruno.call<{ file: Record<string, unknown> }>('sendEncryptedFile', { roomId, name: 'invoice.txt', mimetype: 'text/plain', data: original.toString('base64') });
    const { url } = await bruno.call<{ url: string }>('upload', { data: Buffer.from('Pay 9120 to the printer\n'.repeat(40)).toString('base64') });
    await bruno.call('send', { roomId, content: { msgtype: 'm.file', body: 'invoice-copy.txt', filename: 'invoice-copy.txt', file: { ...sent.file, url }, info: { mimetype: 'text/plain', size: original.length } } });
    const row = log().locator('.msg').filter({ hasText: 'invoice-copy.txt' });
    await row.getByRole('button', { name: 'Download invoice-copy.txt' }).click({ timeout: 30_000 });
    await row.getByRole('alert').filter({ hasText: '“invoice-copy.txt” was changed on the server: its bytes are not the ones its sender encrypted. Nothing was shown or saved.' }).waitFor();
    expect(readdirSync(downloads)).not.toContain('invoice-copy.txt');
    expect(await seriousAxeFindings(page)).toEqual([]);
    await shot('encrypted-files-en');

    const address = page.url();
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Language').selectOption('fr');
    await page.getByRole('heading', { level: 1, name: 'Paramètres' }).waitFor();
    await page.goto(address.replace(/#.*$/, `#/chat/${encodeURIComponent(roomId)}`));
    await page.getByRole('heading', { level: 2, name: 'Treasury' }).waitFor();
    const rowFr = page.getByRole('log', { name: /Treasury/ }).locator('.msg').filter({ hasText: 'invoice-copy.txt' });
    await rowFr.getByRole('button', { name: /invoice-copy\.txt/ }).click();
    await rowFr.getByRole('alert').filter({ hasText: 'a été modifié sur le serveur' }).waitFor();
    await page.getByRole('log', { name: /Treasury/ }).getByRole('img', { name: 'ledger.png' }).waitFor();
    await shot('encrypted-files-fr');
    expect(await seriousAxeFindings(page)).toEqual([]);
  });
});
