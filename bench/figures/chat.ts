// chat.open_10k_ms: opening a room with 10,000 cached messages, from the navigation until
// its first screen of messages is rendered and painted, in headless Chromium through the
// browser bridge (goal <= 50 ms). The cache is seeded directly; the homeserver address
// points at a closed port, so the app works offline as it would on a train. Median of runs,
// each re-opening the room from the room list, as a member goes back and forth between
// rooms (the page keeps the last screen of recently opened rooms, as Element does).
// chat.open_10k_first_ms: the same for rooms not opened before since the page loaded
// (their first page comes from the core), median over six such rooms.
// chat.open_encrypted_1k_ms: the first open of an end-to-end encrypted room of 1,000
// messages, median over three such rooms, seeded straight into the sealed database. Plenary
// decrypts messages when they arrive (see crypto.decrypt_1k_serial_ms in crypto.ts for that
// cost) and keeps their text there, so opening reads it from there. chat.decrypt_1k_ms
// (chat-encrypted-open.ts) is the same open with the messages written by an Element-like
// client on Synapse and decrypted by Plenary on the way in.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../../tests/helpers/chromium';
import { startWebApp } from '../../tests/helpers/web-app';
import { freePort } from '../../tests/helpers/free-port';
import { openDatabase } from '../../main/core/store/database';
import { ChatStore } from '../../main/core/chat/chat-store';
import { SealedChat } from '../../main/core/chat/sealed-chat';
import { createLogger } from '../../main/core/log';
import { MemorySecretStore } from '../../main/core/secrets/secret-store';
import { accessTokenSecret } from '../../main/core/matrix/session-store';
import { median, type Report } from '../report';

const roomId = '!bench:meet.coop';
/** Rooms opened once each, for the first-open figure. */
const otherRooms = Array.from({ length: 6 }, (_, i) => ({ roomId: `!bench${i}:meet.coop`, name: `Working group ${i + 1}` }));
/** End-to-end encrypted rooms, their text in the sealed database as sync leaves it. */
const encryptedRooms = Array.from({ length: 3 }, (_, i) => ({ roomId: `!sealed${i}:meet.coop`, name: `Stewards ${i + 1}` }));
const encryptedMessageCount = 1_000;
const messageCount = 10_000;
const people = [
  ['@ana:meet.coop', 'Ana'],
  ['@bruno:meet.coop', 'Bruno'],
  ['@chiara:meet.coop', 'Chiara'],
] as const;

async function seed(dataDir: string, secrets: MemorySecretStore): Promise<void> {
  const db = openDatabase(join(dataDir, 'plenary.sqlite'));
  const closedPort = await freePort();
  db.prepare('INSERT INTO matrix_session (id, homeserver_url, user_id, device_id, signed_in_at) VALUES (1, ?, ?, ?, ?)').run(
    `http://127.0.0.1:${closedPort}`,
    people[0][0],
    'BENCH',
    Date.now(),
  );
  secrets.set(accessTokenSecret, 'bench-token');
  const store = new ChatStore(db);
  for (const room of [{ roomId, name: 'Technology operations' }, ...otherRooms]) seedRoom(store, room.roomId, room.name, messageCount);
  const sealed = new SealedChat({ dataDir, secrets, log: createLogger('bench', () => undefined) });
  const sealedStore = new ChatStore(db, sealed);
  for (const room of encryptedRooms) seedRoom(sealedStore, room.roomId, room.name, encryptedMessageCount, true);
  sealed.close();
  db.close();
}

function seedRoom(store: ChatStore, roomId: string, name: string, count: number, encrypted = false): void {
  store.transaction(() => {
    store.ensureRoom(roomId);
    store.updateRoom(roomId, { name, topic: 'Servers and backups', next_pos: count, last_ts: Date.now(), ...(encrypted ? { encrypted: 1 } : {}) });
    for (const [userId, displayName] of people) store.setMember(roomId, userId, displayName, 'join');
    const start = Date.now() - count * 60_000;
    for (let i = 0; i < count; i++) {
      const [sender] = people[i % people.length]!;
      const formatted = i % 5 === 0;
      const body = `message ${i + 1}: ${'the backup job and the quota '.repeat(1 + (i % 4))}`;
      store.insertEvent(roomId, i, {
        event_id: `$bench${i}-${roomId.slice(1, roomId.indexOf(':'))}`,
        type: 'm.room.message',
        sender,
        origin_server_ts: start + i * 60_000,
        content: formatted
          ? { msgtype: 'm.text', body, format: 'org.matrix.custom.html', formatted_body: `<p>${body} <strong>bold</strong> <a href="https://meet.coop">link</a></p>` }
          : { msgtype: 'm.text', body },
      });
    }
  });
}

export async function run(report: Report): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'plenary-bench-chat-'));
  const secrets = new MemorySecretStore();
  await seed(dataDir, secrets);
  const app = await startWebApp({ dataDir, secrets });
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(app.bridge.url);
    await page.waitForSelector('html[data-ready="true"]');
    const openRoom = async (id: string, name: string, newest = messageCount): Promise<number> => {
      await page.evaluate(() => (window.location.hash = '#/chat'));
      await page.getByRole('navigation', { name: 'Rooms' }).getByRole('link', { name }).waitFor();
      // The room the last run opened is closed first, so its teardown is not counted.
      await page.locator('[role="log"]').waitFor({ state: 'detached' });
      // A string, not a function: tsx would inject its __name helper, which the page lacks.
      return (await page.evaluate(`new Promise((resolve) => {
        const started = performance.now();
        // Ready: the newest message is in the DOM and the list has scrolled to it.
        const ready = () => {
          const log = document.querySelector('[role="log"]');
          const newest = [...(log ? log.querySelectorAll('.msg') : [])].some((m) => (m.textContent || '').includes(${JSON.stringify(`message ${newest}:`)}));
          return newest && log !== null && log.scrollTop > 0;
        };
        // Checked every frame; the frame after it is ready is the one that paints it.
        const tick = () => (ready() ? requestAnimationFrame(() => resolve(performance.now() - started)) : requestAnimationFrame(tick));
        window.location.hash = ${JSON.stringify('#/chat/')} + encodeURIComponent(${JSON.stringify(id)});
        requestAnimationFrame(tick);
      })`)) as number;
    };
    // The first open of the bench room loads the chat code; it is not counted anywhere.
    await openRoom(roomId, 'Technology operations');
    const firstOpens: number[] = [];
    for (const room of otherRooms) firstOpens.push(await openRoom(room.roomId, room.name));
    const encryptedOpens: number[] = [];
    for (const room of encryptedRooms) encryptedOpens.push(await openRoom(room.roomId, room.name, encryptedMessageCount));
    const samples: number[] = [];
    for (let i = 0; i < 9; i++) {
      const elapsed = await openRoom(roomId, 'Technology operations');
      if (i > 0) samples.push(elapsed); // the first run after the others warms the JIT again
    }
    report.add('chat.open_10k_ms', median(samples), 'ms');
    report.add('chat.open_10k_first_ms', median(firstOpens), 'ms');
    report.add('chat.open_encrypted_1k_ms', median(encryptedOpens), 'ms');
    await context.close();
  } finally {
    await browser.close();
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
