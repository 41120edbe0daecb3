// Encrypted rooms as a member meets them, on a real Synapse, with Bruno on an Element-like
// client in another process (matrix-js-sdk with its Rust crypto, rotating room keys every 100
// messages as Element does). Ana's Plenary is closed while Bruno writes 1,000 messages in each
// of three encrypted rooms; then Plenary starts again on the same data folder, takes the room
// keys from its to-device inbox and decrypts what /sync hands it (the newest 30 per room; the
// rest of each room is a gap on the server, read when Ana scrolls back).
//   chat.decrypt_1k_ms              opening such a room for the first time, in headless
//                                   Chromium through the browser bridge: from the navigation
//                                   until the newest decrypted message is rendered and painted
//                                   at the bottom of the timeline. Median over the three rooms
//                                   (goal <= 300). Decryption is done as messages arrive, so
//                                   opening reads clear text from the sealed database.
//   chat.backfill_encrypted_page_ms scrolling back: one page of 50 older encrypted messages
//                                   fetched from Synapse, decrypted and cached (chat.paginate,
//                                   as the timeline calls it at the top); median over a room's pages
//   chat.backfill_encrypted_1k_ms   reading a whole room's history back that way, every page of
//                                   the 1,000 messages, one after another (what the serial decryption
//                                   cost in crypto.ts, crypto.decrypt_1k_serial_ms, amounts to
//                                   with the server in the loop); median over the three rooms
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../../tests/helpers/chromium';
import { startWebApp, type WebApp } from '../../tests/helpers/web-app';
import { SynapseServer } from '../../tests/helpers/synapse';
import { startCryptoPeer } from '../../tests/helpers/element-crypto-peer-process';
import { median, type Report } from '../report';

const messageCount = 1_000;
const roomNames = ['Stewards 1', 'Stewards 2', 'Stewards 3'];
const body = (n: number) => `Stewards note ${n}`;

/** Waits for a state of the core, checked after each of its own sync rounds. */
async function until<T>(what: string, probe: () => T | null | undefined | false, app: WebApp, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await app.core.services.matrix.syncNow().catch(() => undefined);
  }
}

export async function run(report: Report): Promise<void> {
  // Relaxed limits: the setup writes 3,000 messages as fast as Synapse takes them; rate
  // limiting is not what is measured, and the default ones would stretch the setup to minutes.
  const server = await SynapseServer.start({ rateLimits: 'relaxed' });
  const dataDir = mkdtempSync(join(tmpdir(), 'plenary-bench-e2ee-open-'));
  const bruno = startCryptoPeer();
  let app: WebApp | null = null;
  const browser = await launchChromium();
  try {
    const ana = await server.register('ana', { password: 'ana-password' });
    const brunoUser = await server.register('bruno', { password: 'bruno-password' });
    app = await startWebApp({ dataDir });
    const signIn = await app.core.dispatch('matrix.signInWithPassword', { homeserverUrl: server.baseUrl, user: 'ana', password: 'ana-password' }, { transport: 'test' });
    if (!signIn.ok) throw new Error(signIn.error.message);
    await bruno.call('start', { baseUrl: server.baseUrl, userId: brunoUser.userId, accessToken: brunoUser.accessToken, deviceId: brunoUser.deviceId });

    // A clear room to open first: it loads the room view's code, which no figure should count.
    const rooms: { roomId: string; name: string }[] = [];
    for (const name of ['Lobby', ...roomNames]) {
      const { roomId } = await bruno.call<{ roomId: string }>('createRoom', { name, invite: [ana.userId], encrypted: name !== 'Lobby' });
      const current = app;
      await until(`the invitation to ${name}`, () => current.core.services.chat.invites().some((i) => i.roomId === roomId), current);
      await current.core.services.chat.acceptInvite(roomId);
      await until(`${name} joined`, () => current.core.services.chat.rooms().some((r) => r.roomId === roomId), current);
      rooms.push({ roomId, name });
    }
    await bruno.call('sendMany', { roomId: rooms[0]!.roomId, joined: [ana.userId], count: 1, prefix: 'Welcome' });

    // Ana's Plenary is closed while Bruno writes.
    await app.close();
    app = null;
    const encrypted = rooms.slice(1);
    for (const room of encrypted) await bruno.call('sendMany', { roomId: room.roomId, joined: [ana.userId], count: messageCount, prefix: 'Stewards note' });

    app = await startWebApp({ dataDir });
    const restarted = app;
    for (const room of encrypted) {
      await until(`${room.name}'s newest message decrypted`, () => restarted.core.services.chat.timeline({ roomId: room.roomId, limit: 50 }).items.some((item) => item.body === body(messageCount)), restarted);
    }

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(restarted.bridge.url);
    await page.waitForSelector('html[data-ready="true"]');
    const openRoom = async (roomId: string, name: string, newest: string): Promise<number> => {
      await page.evaluate(() => (window.location.hash = '#/chat'));
      await page.getByRole('navigation', { name: 'Rooms' }).getByRole('link', { name: new RegExp(name) }).first().waitFor();
      // The room the last run opened is closed first, so its teardown is not counted.
      await page.locator('[role="log"]').waitFor({ state: 'detached' });
      // A string, not a function: tsx would inject its __name helper, which the page lacks.
      return (await page.evaluate(`new Promise((resolve) => {
        const started = performance.now();
        // Ready: the newest message is in the DOM and the list has scrolled to it.
        const ready = () => {
          const log = document.querySelector('[role="log"]');
          const found = [...(log ? log.querySelectorAll('.msg') : [])].some((m) => (m.textContent || '').includes(${JSON.stringify(newest)}));
          return found && log !== null && log.scrollTop > 0;
        };
        // Checked every frame; the frame after it is ready is the one that paints it.
        const tick = () => (ready() ? requestAnimationFrame(() => resolve(performance.now() - started)) : requestAnimationFrame(tick));
        window.location.hash = ${JSON.stringify('#/chat/')} + encodeURIComponent(${JSON.stringify(roomId)});
        requestAnimationFrame(tick);
      })`)) as number;
    };
    await page.evaluate(() => (window.location.hash = '#/chat'));
    await page.getByRole('navigation', { name: 'Rooms' }).getByRole('link', { name: /Lobby/ }).first().click();
    await page.locator('[role="log"]').getByText('Welcome 1').waitFor();
    const opens: number[] = [];
    for (const room of encrypted) opens.push(await openRoom(room.roomId, room.name, body(messageCount)));
    report.add('chat.decrypt_1k_ms', median(opens), 'ms');
    await context.close();

    const pages: number[] = [];
    const wholeRooms: number[] = [];
    for (const room of encrypted) {
      const started = performance.now();
      for (let n = 0; ; n++) {
        if (n > 100) throw new Error(`bench: ${room.name} never reached its first event`);
        const pageStarted = performance.now();
        const { loaded, atStart } = await restarted.core.services.chat.paginate({ roomId: room.roomId });
        if (loaded > 0) pages.push(performance.now() - pageStarted);
        if (atStart) break;
      }
      wholeRooms.push(performance.now() - started);
      const items = restarted.core.services.chat.timeline({ roomId: room.roomId, limit: messageCount + 100 }).items;
      const read = items.filter((item) => /^Stewards note \d+$/.test(item.body)).length;
      if (read !== messageCount) throw new Error(`bench: ${room.name} has ${read} of ${messageCount} messages decrypted after scrolling back`);
    }
    report.add('chat.backfill_encrypted_page_ms', median(pages), 'ms');
    report.add('chat.backfill_encrypted_1k_ms', median(wholeRooms), 'ms');
  } finally {
    await browser.close();
    await app?.close();
    await bruno.stop();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
