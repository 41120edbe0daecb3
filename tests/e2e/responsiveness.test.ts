// What keeps a facilitator's actions instant, seen from Chromium through `npm run start:web`:
// the first bundle carries no view (each is loaded on first visit) and no language but the
// English fallback (others are fetched when shown); and a change reloads only the views of
// the circle it touched. The
// page's requests to the core are read by wrapping its WebSocket before the app loads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import { startPlenaryWeb, type PlenaryWebProcess } from '../helpers/plenary-web-process';

let app: PlenaryWebProcess;
let browser: Browser;
let page: Page;
const scripts: string[] = [];

// Runs in the page before the app: records the channel of every call the page makes.
const recordCalls = `(() => {
  window.__calls = [];
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    try { const message = JSON.parse(data); if (message.channel) window.__calls.push(message.channel); } catch (error) { void error; }
    return send.call(this, data);
  };
})()`;

const calls = () => page.evaluate(() => (window as unknown as { __calls: string[] }).__calls.splice(0));
const nav = (name: string) => page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name }).click();

async function createCircle(name: string) {
  await nav('Circles');
  await page.getByRole('heading', { level: 1, name: 'Circles' }).waitFor();
  if (await page.getByRole('button', { name: 'New circle' }).count()) await page.getByRole('button', { name: 'New circle' }).click();
  const create = page.getByRole('form', { name: 'Start a circle' });
  await create.getByLabel('Name', { exact: true }).fill(name);
  await create.getByLabel('Circle time zone').fill('UTC');
  await create.getByLabel('Your name in this circle').fill('Alice');
  await create.getByLabel('Your time zone').fill('UTC');
  await create.getByRole('button', { name: 'Create circle' }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

beforeAll(async () => {
  app = await startPlenaryWeb();
  browser = await launchChromium();
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 800 } });
  await context.addInitScript(recordCalls);
  page = await context.newPage();
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname.split('/').pop()!);
  });
  await page.goto(app.url);
  await page.waitForSelector('html[data-ready="true"]');
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('a responsive interface', () => {
  it('paints the shell without loading the views, with only the translations it shows', async () => {
    // Today is the first view: its code arrives after the shell, as a chunk of its own.
    await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
    expect(scripts.some((name) => name.startsWith('today-view-'))).toBe(true);
    expect(scripts.some((name) => name.startsWith('screens-') || name.startsWith('chat-page-'))).toBe(false);
    // English (the fallback) comes with the first bundle; no other language is fetched.
    expect(scripts.filter((name) => /^(en|es|ca|fr|de|ja)-/.test(name))).toEqual([]);
    // Another language is fetched when chosen.
    await nav('Settings');
    await page.getByLabel('Language').selectOption('es');
    await page.getByRole('heading', { level: 1, name: 'Ajustes' }).waitFor();
    expect(scripts.some((name) => name.startsWith('es-'))).toBe(true);
    await page.getByLabel('Idioma').selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
  });

  it('reloads only the views of the circle a change touched', async () => {
    await createCircle('Ops');
    await createCircle('Care');
    await page.getByRole('button', { name: 'Plan an assembly' }).click();
    await page.getByRole('form', { name: 'Plan an assembly' }).getByLabel('Title').fill('Care meeting');
    await page.getByRole('button', { name: 'Create assembly' }).click();
    await page.getByRole('heading', { level: 1, name: 'Care meeting' }).waitFor();
    await page.getByRole('button', { name: 'Open the assembly' }).click();
    await page.getByText('In session', { exact: true }).first().waitFor();
    await expect.poll(() => page.getByText(/^Present 0 · /).count()).toBe(1);

    // A change in this circle: the assembly reads again, and nothing across circles does.
    await calls();
    await page.getByRole('group', { name: 'Alice', exact: true }).getByLabel('Present').check();
    await expect.poll(() => page.getByText(/^Present 1 · /).count()).toBe(1);
    const after = await calls();
    expect(after).toContain('governance.apply');
    expect(after).toContain('governance.assembly');
    expect(after.filter((channel) => channel === 'governance.assembly')).toHaveLength(1);
    for (const across of ['governance.circles', 'governance.votes', 'governance.assemblies']) expect(after).not.toContain(across);
  });
});
