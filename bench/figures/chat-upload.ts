// chat.upload_mb_per_s: sending a 16 MB file into a room, from the page to Synapse on
// loopback, as the page does it: in headless Chromium the file is read a chunk at a time,
// base64-encoded (natively, as media-upload.ts does) and handed to the core over the browser bridge's WebSocket
// (chatMedia.uploadChunk), then the core streams it to /_matrix/media/v3/upload and sends the
// message. Timed from chatMedia.uploadStart until chatMedia.uploadFinish answers; megabytes
// (10^6 bytes) per second, median of 5 runs after one warm-up.
import { launchChromium } from '../../tests/helpers/chromium';
import { startWebApp } from '../../tests/helpers/web-app';
import { SynapseServer } from '../../tests/helpers/synapse';
import { median, type Report } from '../report';

const fileBytes = 16 * 1000 * 1000;

export async function run(report: Report): Promise<void> {
  const server = await SynapseServer.start({ rateLimits: 'relaxed', extraConfig: { max_upload_size: '100M' } });
  const app = await startWebApp();
  const browser = await launchChromium();
  try {
    const ana = await server.register('ana', { password: 'ana-password' });
    const bruno = await server.register('bruno', { password: 'bruno-password' });
    const signIn = await app.core.dispatch('matrix.signInWithPassword', { homeserverUrl: server.baseUrl, user: 'ana', password: 'ana-password' }, { transport: 'test' });
    if (!signIn.ok) throw new Error(signIn.error.message);
    const created = await fetch(`${server.baseUrl}/_matrix/client/v3/createRoom`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${bruno.accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Bench files', invite: [ana.userId] }),
    });
    const { room_id: roomId } = (await created.json()) as { room_id: string };
    await app.core.services.matrix.request('POST', `/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, { body: {} });
    for (let i = 0; i < 100 && !app.core.services.chat.rooms().some((r) => r.roomId === roomId); i++) {
      await app.core.services.matrix.syncNow();
      await new Promise((r) => setTimeout(r, 100));
    }

    const page = await browser.newPage();
    await page.goto(app.bridge.url);
    await page.waitForSelector('html[data-ready="true"]');
    // A string, not a function: tsx would inject its __name helper, which the page lacks.
    const seconds = (await page.evaluate(`(async () => {
      const ws = new WebSocket('ws://' + location.host + '/bridge?token=' + encodeURIComponent(${JSON.stringify(app.bridge.token)}));
      await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
      let next = 1;
      const waiting = new Map();
      ws.onmessage = (message) => {
        const data = JSON.parse(message.data);
        if (data.id == null || !waiting.has(data.id)) return;
        const settle = waiting.get(data.id);
        waiting.delete(data.id);
        data.ok ? settle.resolve(data.value) : settle.reject(new Error(data.error.message));
      };
      const call = (channel, input) => new Promise((resolve, reject) => {
        const id = next++;
        waiting.set(id, { resolve, reject });
        ws.send(JSON.stringify({ id, channel, input }));
      });
      // As renderer/src/chat/media-upload.ts does it.
      const toBase64 = (bytes) => bytes.toBase64();
      const bytes = new Uint8Array(${fileBytes});
      for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
      const file = new File([bytes], 'bench.bin', { type: 'application/octet-stream' });
      const runs = [];
      for (let run = 0; run < 6; run++) {
        const started = performance.now();
        const { uploadId, chunkBytes } = await call('chatMedia.uploadStart', { roomId: ${JSON.stringify(roomId)}, name: 'bench-' + run + '.bin', sizeBytes: file.size, mimetype: file.type });
        for (let index = 0, offset = 0; offset < file.size; index++, offset += chunkBytes) {
          const chunk = new Uint8Array(await file.slice(offset, offset + chunkBytes).arrayBuffer());
          await call('chatMedia.uploadChunk', { uploadId, index, data: toBase64(chunk) });
        }
        await call('chatMedia.uploadFinish', { uploadId });
        if (run > 0) runs.push((performance.now() - started) / 1000);
      }
      ws.close();
      return runs;
    })()`)) as number[];
    report.add('chat.upload_mb_per_s', median(seconds.map((s) => fileBytes / 1e6 / s)), 'MB/s');
  } finally {
    await browser.close();
    await app.close();
    await server.stop();
  }
}
