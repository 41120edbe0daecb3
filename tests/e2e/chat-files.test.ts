// Files and images end to end (issue 18, item 2): Plenary started as `npm run start:web` with
// its own Downloads folder, driven only through Chromium, a real Synapse whose upload limit is
// 1 MiB (so "over the limit" is a 1.2 MB file), and a second member on a plain matrix-js-sdk
// client (as an Element user). Ana attaches an image: the limit is stated, a progress bar
// shows, then the image inline (with the blurhash Bruno's client receives); she opens it full
// size and closes it with Escape. She attaches a file and downloads it into Downloads; Open and
// Show in folder appear only then. A program Bruno sends is saved but never opened, and a file
// over the limit is refused at once. Axe clean; screenshots in English and Spanish.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { makePng } from '../helpers/png';

let server: SynapseServer;
let app: PlenaryWebProcess;
let browser: Browser;
let page: Page;
let bob: MatrixClient;
let alice: RegisteredUser;
let bobUser: RegisteredUser;
let roomId: string;
let downloads: string;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const shot = (name: string) => page.screenshot({ path: artifactPath('e2e', 'chat-files', `${name}.png`), fullPage: true });

beforeAll(async () => {
  // Default rate limits: a handful of messages and uploads. A small upload limit, so the
  // over-the-limit file is 1.2 MB rather than 50 MB.
  server = await SynapseServer.start({ rateLimits: 'default', extraConfig: { max_upload_size: '1M' } });
  alice = await server.register('ana', { password: 'ana-password' });
  bobUser = await server.register('bruno', { password: 'bruno-password' });
  bob = createClient({ baseUrl: server.baseUrl, accessToken: bobUser.accessToken, userId: bobUser.userId, deviceId: bobUser.deviceId, logger: quietSdkLogger });
  await bob.setDisplayName('Bruno');
  downloads = mkdtempSync(join(tmpdir(), 'plenary-e2e-downloads-'));
  app = await startPlenaryWeb({ env: { PLENARY_DOWNLOADS_DIR: downloads } });
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

const log = () => page.getByRole('log', { name: /Planning/ });

describe('files and images in Chromium', () => {
  it('signs in, joins a room and states the server’s upload limit', async () => {
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
    await page.getByRole('button', { name: 'Join Planning' }).click();
    await page.getByRole('heading', { level: 2, name: 'Planning' }).waitFor();
    await page.getByText('Files up to 1 MB on this server.').waitFor();
    // The limit is said to whoever reaches the Attach button.
    const attach = page.getByRole('button', { name: 'Attach file' });
    expect(await attach.getAttribute('aria-describedby')).toBeTruthy();
  });

  it('attaches an image: a progress bar, then the image inline; opens it full size and closes it with Escape', async () => {
    // Noise compresses badly: a PNG of about 700 KB, so there is something to show progress for.
    const png = makePng(480, 360, (x, y) => [(x * 37 + y * 11) % 256, (x * y) % 256, ((x ^ y) * 5) % 256, 255]);
    // Every progress bar the page ever shows for this file, whatever the timing.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seenProgress: string[] }).seenProgress = seen;
      new MutationObserver(() => {
        document.querySelectorAll('progress[aria-label="Sending noise.png"]').forEach((bar) => seen.push((bar as HTMLProgressElement).value.toFixed(2)));
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['value'] });
    });
    await page.getByTestId('chat-file-input').setInputFiles({ name: 'noise.png', mimeType: 'image/png', buffer: png });
    const open = log().getByRole('button', { name: 'Open noise.png full size' });
    await open.waitFor();
    const thumb = open.getByRole('img', { name: 'noise.png' });
    await expect.poll(() => thumb.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0)).toBe(true);
    // Shown from a blob: URL main filled with bytes it checked, never from the server directly.
    expect(await thumb.getAttribute('src')).toMatch(/^blob:/);
    expect((await page.evaluate(() => (window as unknown as { seenProgress: string[] }).seenProgress)).length).toBeGreaterThan(0);

    const content = await bobGets((c) => c.body === 'noise.png');
    expect(content).toMatchObject({ msgtype: 'm.image', info: { mimetype: 'image/png', size: png.length, w: 480, h: 360 } });
    expect((content.info as Record<string, unknown>)['xyz.amorgan.blurhash']).toMatch(/^[0-9A-Za-z#$%*+,\-.:;=?@[\]^_{|}~]{6,}$/);
    await shot('image-inline-en');

    // By keyboard: the image is a button; Enter opens it full size.
    await open.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'noise.png' });
    await dialog.waitFor();
    const full = dialog.getByRole('img', { name: 'noise.png' });
    await expect.poll(() => full.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(480);
    await shot('image-full-en');
    expect(await seriousAxeFindings(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
  });

  it('attaches a file and downloads it into Downloads; Open and Show in folder only after', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(Array.from({ length: 50_000 }, (_, i) => i % 251))]);
    await page.getByTestId('chat-file-input').setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: pdf });
    const row = log().locator('.msg').filter({ hasText: 'report.pdf' });
    const download = row.getByRole('button', { name: 'Download report.pdf' });
    await download.waitFor();
    expect(await row.getByRole('button', { name: /^Open/ }).count()).toBe(0);
    expect(await row.getByRole('button', { name: 'Show in folder' }).count()).toBe(0);
    await download.click();
    await row.getByText(`Saved in ${downloads} as “report.pdf”.`).waitFor();
    expect(sha256(readFileSync(join(downloads, 'report.pdf')))).toBe(sha256(pdf));
    await row.getByRole('button', { name: 'Open report.pdf' }).click();
    await row.getByText(`open ${join(downloads, 'report.pdf')} from your file manager`, { exact: false }).waitFor();
    await row.getByRole('button', { name: 'Show in folder' }).waitFor();
    await shot('file-downloaded-en');
    expect(await seriousAxeFindings(page)).toEqual([]);
  });

  it('sends an image dropped on the composer', async () => {
    const png = makePng(40, 30);
    const drop = await page.evaluateHandle((bytes) => {
      const data = new DataTransfer();
      data.items.add(new File([new Uint8Array(bytes)], 'dropped.png', { type: 'image/png' }));
      return data;
    }, [...png]);
    const composer = page.locator('form.chat-composer').first();
    await composer.dispatchEvent('dragover', { dataTransfer: drop });
    await composer.dispatchEvent('drop', { dataTransfer: drop });
    await log().getByRole('button', { name: 'Open dropped.png full size' }).getByRole('img').waitFor();
    expect(await bobGets((c) => c.body === 'dropped.png')).toMatchObject({ msgtype: 'm.image', info: { w: 40, h: 30 } });
  });

  it('sends an image pasted into the composer (a screenshot), and keeps pasted text as text', async () => {
    const png = makePng(24, 24);
    const composer = page.getByLabel('Message to Planning');
    await composer.evaluate((area, bytes) => {
      const data = new DataTransfer();
      data.items.add(new File([new Uint8Array(bytes)], 'screenshot.png', { type: 'image/png' }));
      area.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, [...png]);
    await log().getByRole('button', { name: 'Open screenshot.png full size' }).getByRole('img').waitFor();
    expect(await composer.inputValue()).toBe('');
  });

  it('saves a program Bruno sends but never opens it', async () => {
    const script = new TextEncoder().encode('#!/bin/sh\necho surprise\n');
    const { content_uri: uri } = await bob.uploadContent(script, { type: 'text/plain', name: 'tidy.sh' });
    await bob.sendMessage(roomId, { msgtype: 'm.file', body: 'tidy.sh', url: uri, info: { mimetype: 'text/plain', size: script.length } } as never);
    const row = log().locator('.msg').filter({ hasText: 'tidy.sh' });
    await row.getByRole('button', { name: 'Download tidy.sh' }).click();
    await row.getByRole('button', { name: 'Open tidy.sh' }).click();
    await row.getByRole('alert').filter({ hasText: 'Plenary does not open .sh files: they can run programs.' }).waitFor();
    expect(readdirSync(downloads)).toContain('tidy.sh');
  });

  it('refuses a file over the server’s limit at once, and says so in Spanish too', async () => {
    await page.getByTestId('chat-file-input').setInputFiles({ name: 'video.mkv', mimeType: 'video/x-matroska', buffer: Buffer.alloc(1_200_000, 7) });
    await page.getByRole('alert').filter({ hasText: '“video.mkv” is 1.2 MB; the coop server takes files of at most 1 MB. Nothing was sent.' }).waitFor();
    expect(await seriousAxeFindings(page)).toEqual([]);
    await shot('too-large-en');

    const address = page.url();
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Language').selectOption('es');
    await page.getByRole('heading', { level: 1, name: 'Ajustes' }).waitFor();
    await page.goto(address.replace(/#.*$/, `#/chat/${encodeURIComponent(roomId)}`));
    await page.getByRole('heading', { level: 2, name: 'Planning' }).waitFor();
    await page.getByText('Archivos de hasta 1 MB en este servidor.').waitFor();
    await page.getByTestId('chat-file-input').setInputFiles({ name: 'video.mkv', mimeType: 'video/x-matroska', buffer: Buffer.alloc(1_200_000, 7) });
    await page.getByRole('alert').filter({ hasText: 'el servidor de la cooperativa admite archivos de como máximo 1 MB' }).waitFor();
    await log().getByRole('button', { name: 'Abrir noise.png a tamaño completo' }).waitFor();
    await shot('chat-files-es');
    expect(await seriousAxeFindings(page)).toEqual([]);
  });
});
